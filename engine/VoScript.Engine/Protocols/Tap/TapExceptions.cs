using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>An async job ended in ERROR or ABORTED; <see cref="ServiceException.ServiceMessage"/> holds the service's text.</summary>
internal sealed class TapJobException : ServiceException
{
    public TapJobException(string summary, Uri jobUrl, string phase, string? serviceMessage, int? status = null, string? bodyStart = null)
        : base(summary, jobUrl, status, bodyStart, serviceMessage, null, false)
    {
        JobUrl = jobUrl;
        Phase = phase;
    }

    public Uri JobUrl { get; }
    public string Phase { get; }
}

/// <summary>An async job did not finish before its deadline; it was aborted (and deleted unless kept).</summary>
internal sealed class TapTimeoutException : ServiceException
{
    public TapTimeoutException(string summary, Uri jobUrl, string? lastPhase, TimeSpan timeout)
        : base(summary, jobUrl, null, null, null, null, false)
    {
        JobUrl = jobUrl;
        LastPhase = lastPhase;
        Timeout = timeout;
    }

    public Uri JobUrl { get; }
    public string? LastPhase { get; }
    public TimeSpan Timeout { get; }
}
