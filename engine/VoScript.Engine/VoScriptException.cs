namespace VoScript.Engine;

/// <summary>
/// An error a user can cause and fix (bad input, failed service, malformed file).
/// Hosts print <see cref="Exception.Message"/> without a stack trace.
/// </summary>
public class VoScriptException : Exception
{
    public VoScriptException(string message) : base(message) { }
    public VoScriptException(string message, Exception inner) : base(message, inner) { }
}
