namespace VoScript.Engine.Protocols.Samp;

/// <summary>A SAMP failure a user can act on (no hub, unknown client, refused message, timeout).</summary>
internal class SampException : VoScriptException
{
    public SampException(string message) : base(message) { }
    public SampException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>No SAMP hub is running (no lockfile, or a stale one whose hub does not answer).</summary>
internal sealed class SampNoHubException(string message, Exception? inner = null)
    : SampException(message, inner ?? new InvalidOperationException(message))
{
    /// <summary>The standard advice appended to every "no hub" message.</summary>
    public const string Advice =
        "Start a SAMP hub first: run 'voscript hub' in another terminal (or start TOPCAT, Aladin or any " +
        "other SAMP hub), or point SAMP_HUB=std-lockurl:file:///path/to/lockfile at a running one.";
}
