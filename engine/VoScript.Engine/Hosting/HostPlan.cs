using VoScript.Engine.Runtime;
using VoScript.Engine;

namespace VoScript.Hosting;

/// <summary>
/// A plan ready to run: services and steps with their dependencies. Made by compiling a script
/// (the language package) or with a <see cref="PlanBuilder"/>; immutable, so it can run many times.
/// </summary>
public sealed class HostPlan
{
    /// <summary>A plan of runtime steps (as the language's compiler makes it), with the step modules it needs beyond a host's own.</summary>
    public HostPlan(Plan plan, IReadOnlyList<StepModule>? modules = null)
    {
        Plan = plan;
        Modules = modules ?? [];
        Steps = plan.Steps.Select(s => new PlanStepInfo(s.Id, s.Kind, s.Describe(), s.DependsOn, s.Outputs.ToList())).ToList();
    }

    /// <summary>The runtime plan: services, steps and their dependencies.</summary>
    public Plan Plan { get; }

    /// <summary>Step modules the plan needs beyond a host's own (the language's C# module for plans with csharp blocks).</summary>
    public IReadOnlyList<StepModule> Modules { get; }

    /// <summary>A label (usually the script's file name).</summary>
    public string? Name => Plan.Name;

    /// <summary>The steps in an order where each comes after the steps it depends on.</summary>
    public IReadOnlyList<PlanStepInfo> Steps { get; }

    /// <summary>The plan in its canonical text form (as <c>voscript plan</c> prints it).</summary>
    public override string ToString() => Plan.ToString();
}

/// <summary>One step of a <see cref="HostPlan"/>, as a host sees it.</summary>
/// <param name="Id">Unique within its plan.</param>
/// <param name="Kind">The step kind (<c>query</c>, <c>load</c>, a host kind, …).</param>
/// <param name="Description">One line saying what it does.</param>
/// <param name="DependsOn">The ids of the steps that must finish first.</param>
/// <param name="Outputs">The workspace names it sets.</param>
public sealed record PlanStepInfo(string Id, string Kind, string Description, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Outputs);
