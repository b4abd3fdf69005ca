namespace VoScript.Engine.Protocols.Samp;

/// <summary>Settings of a <see cref="SampHub"/>.</summary>
public sealed class SampHubOptions
{
    /// <summary>Lockfile to write; null means SAMP_HUB (std-lockurl:file:…) or ~/.samp.</summary>
    public string? LockfilePath { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How long a callback to a client may take before it counts as failed.</summary>
    public TimeSpan CallbackTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound for callAndWait when a client asks for no timeout (0).</summary>
    public TimeSpan MaxCallAndWait { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Accept callback URLs whose host is not this machine (off: only loopback addresses, localhost and this machine's name).</summary>
    public bool AllowRemoteCallbacks { get; init; }

    /// <summary>Events for the host (client registered, message forwarded, …).</summary>
    public Action<string>? Log { get; init; }
}
