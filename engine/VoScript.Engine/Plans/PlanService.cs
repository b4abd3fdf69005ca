namespace VoScript.Engine.Plans;

/// <summary>The protocols a plan can name a service by.</summary>
internal enum ServiceKind
{
    Tap,
    Scs,
    Sia,
    Ssa,
    Registry,
}

/// <summary>A VO service a plan uses; nothing is contacted until a step uses it.</summary>
internal sealed record PlanService(string Name, ServiceKind Kind, string Url)
{
    public static string KindName(ServiceKind kind) => kind.ToString().ToLowerInvariant();
}
