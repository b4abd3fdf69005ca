using VoScript.Engine.Protocols.Registry;
using RegistryKind = VoScript.Engine.Protocols.Registry.ServiceKind;

namespace VoScript.Engine.Plans.Handlers;

/// <summary>A service set made from a table with a column of access URLs (<c>services tap from T [column C] as NAME</c>).</summary>
internal sealed record ServiceSetFromTableStep : PlanStep
{
    /// <summary>The capability the URLs are of.</summary>
    public required ServiceKind ServiceKind { get; init; }
    public required string Table { get; init; }
    /// <summary>The column of URLs; null: found by name or UCD (<see cref="ServiceSets.FindUrlColumn"/>).</summary>
    public string? Column { get; init; }
    public required string Output { get; init; }

    public override string Kind => "services-from";
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() =>
        $"services {PlanService.KindName(ServiceKind)} from {Table}" + (Column is null ? "" : " column " + Column) + " as " + Output;
}

internal sealed class ServiceSetFromTableHandler : IStepHandler
{
    public string Kind => "services-from";

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        var s = (ServiceSetFromTableStep)step;
        var kind = s.ServiceKind switch
        {
            ServiceKind.Tap => RegistryKind.Tap,
            ServiceKind.Scs => RegistryKind.ConeSearch,
            ServiceKind.Sia => RegistryKind.Sia2,
            ServiceKind.Ssa => RegistryKind.Ssa,
            _ => throw new VoScriptException("a service set holds tap, scs, sia or ssa services"),
        };
        var set = ServiceSets.FromTable(s.Output, context.Workspace.GetTable(s.Table), s.Column, kind, out var skipped);
        context.Workspace.SetTable(s.Output, set);
        if (skipped > 0) context.Warning($"{skipped} rows of {s.Table} have no URL and are not in {s.Output}");
        var distinct = ServiceSets.Endpoints(set, s.Output).Count;
        context.Progress($"{s.Output}: {set.RowCount} services" + (distinct < set.RowCount ? $" ({distinct} distinct access URLs)" : ""), rows: set.RowCount);
        return Task.CompletedTask;
    }
}
