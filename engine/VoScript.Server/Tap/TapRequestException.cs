namespace VoScript.Server.Tap;

/// <summary>A request the service refuses: answered with a DALI error document and <see cref="StatusCode"/>.</summary>
internal sealed class TapRequestException(string message, int statusCode = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
