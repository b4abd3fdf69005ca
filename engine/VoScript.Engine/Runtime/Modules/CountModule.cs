using System.Globalization;

namespace VoScript.Engine.Runtime.Modules;

// The worked example of docs/architecture.md ("How to add a statement"): a step kind's
// step type (its traits as members), its handler and the module that registers both, in one file.

/// <summary><c>count T as n</c>: the number of rows of a table, as a value.</summary>
public sealed record CountStep : PlanStep
{
    /// <summary>The table counted.</summary>
    public required string Table { get; init; }
    /// <summary>The value name the count goes to.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "count";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() => $"count {Table} as {Output}";
}

/// <summary>Puts the row count of the step's table into the workspace as a number.</summary>
internal sealed class CountHandler : StepHandler<CountStep>
{
    public override Task ExecuteAsync(CountStep step, StepContext context, CancellationToken cancellationToken)
    {
        var rows = context.Workspace.GetTable(step.Table).RowCount;
        context.Workspace.SetValue(step.Output, new NumberValue(rows));
        context.Progress($"{step.Output} = {rows.ToString(CultureInfo.InvariantCulture)}", rows: rows);
        return Task.CompletedTask;
    }
}

/// <summary>Registers <c>count</c>.</summary>
internal sealed class CountModule : StepModule
{
    public override string Name => "count";

    public override void Register(StepCatalog catalog) => catalog.Add("count", new CountHandler());
}
