namespace VoScript.Engine;

/// <summary>
/// An error a user can cause and fix (bad input, failed service, malformed file).
/// Hosts print <see cref="Exception.Message"/> without a stack trace.
/// </summary>
public class VoScriptException : Exception
{
    /// <summary>An error with a message for the user (where, what, and what to do).</summary>
    public VoScriptException(string message) : base(message) { }
    /// <summary>An error with a message for the user, caused by <paramref name="inner"/>.</summary>
    public VoScriptException(string message, Exception inner) : base(message, inner) { }
}
