namespace VoScript.Engine;

/// <summary>The protocols a named VO service can speak: the one list that plans, hosts, the language and Registry searches share.</summary>
public enum ServiceProtocol
{
    /// <summary>Table Access Protocol (sync and async queries, uploads).</summary>
    Tap,
    /// <summary>Simple Cone Search.</summary>
    Scs,
    /// <summary>Simple Image Access, version 2.</summary>
    Sia,
    /// <summary>Simple Spectral Access.</summary>
    Ssa,
    /// <summary>A RegTAP registry (itself a TAP service).</summary>
    Registry,
}

/// <summary>The names scripts and plans write for each <see cref="ServiceProtocol"/>.</summary>
public static class ServiceProtocols
{
    /// <summary>The protocol's name as scripts write it: <c>tap</c>, <c>scs</c>, <c>sia</c>, <c>ssa</c>, <c>registry</c>.</summary>
    public static string Name(this ServiceProtocol protocol) => protocol.ToString().ToLowerInvariant();

    /// <summary>The protocol named <paramref name="name"/> (any case), or null for an unknown name.</summary>
    public static ServiceProtocol? Parse(string name) =>
        Enum.TryParse<ServiceProtocol>(name, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(name, out _) ? p : null;
}
