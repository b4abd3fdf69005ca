using VoScript.Engine.Protocols.Registry;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>A service set made from a table with a column of access URLs (<c>services tap from T [column C] as NAME</c>).</summary>
public sealed record ServiceSetFromTableStep : PlanStep
{
    /// <summary>The capability the URLs are of.</summary>
    public required ServiceProtocol Protocol { get; init; }
    /// <summary>The table of services.</summary>
    public required string Table { get; init; }
    /// <summary>The column of URLs; null: found by name or UCD (<see cref="ServiceSets.FindUrlColumn"/>).</summary>
    public string? Column { get; init; }
    /// <summary>The name of the service set.</summary>
    public required string Output { get; init; }

    /// <inheritdoc/>
    public override string Kind => "services-from";
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() =>
        $"services {Protocol.Name()} from {Table}" + (Column is null ? "" : " column " + Column) + " as " + Output;
}

internal sealed class ServiceSetFromTableHandler : StepHandler<ServiceSetFromTableStep>
{
    public override Task ExecuteAsync(ServiceSetFromTableStep s, StepContext context, CancellationToken cancellationToken)
    {
        var kind = s.Protocol is ServiceProtocol.Registry
            ? throw new VoScriptException("a service set holds tap, scs, sia or ssa services")
            : s.Protocol;
        var set = ServiceSets.FromTable(s.Output, context.Workspace.GetTable(s.Table), s.Column, kind, out var skipped);
        context.Workspace.SetTable(s.Output, set);
        if (skipped > 0) context.Warning($"{skipped} rows of {s.Table} have no URL and are not in {s.Output}");
        var distinct = ServiceSets.Endpoints(set, s.Output).Count;
        context.Progress($"{s.Output}: {set.RowCount} services" + (distinct < set.RowCount ? $" ({distinct} distinct access URLs)" : ""), rows: set.RowCount);
        return Task.CompletedTask;
    }
}
