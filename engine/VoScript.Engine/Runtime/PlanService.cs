namespace VoScript.Engine.Runtime;

/// <summary>A VO service a plan uses; nothing is contacted until a step uses it.</summary>
public sealed record PlanService(string Name, ServiceProtocol Kind, string Url);
