using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Engine.Runtime;

/// <summary>Friends-of-friends groups of the rows of several tables (linking angle in degrees).</summary>
internal sealed record ClusterStep : PlanStep
{
    public required IReadOnlyList<string> Tables { get; init; }
    public required double LinkDegrees { get; init; }
    public required string Output { get; init; }
    public override string Kind => "cluster";
    public override IEnumerable<string> Inputs => Tables;
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() =>
        $"cluster {string.Join(", ", Tables)} within {PlanValue.FormatNumber(Math.Round(LinkDegrees * 3600, 9))} arcsec as {Output}";
}

/// <summary>One SED row per object, band and source table.</summary>
internal sealed record SedStep : PlanStep
{
    public required string Table { get; init; }
    public required string Output { get; init; }
    public override string Kind => "sed";
    public override IEnumerable<string> Inputs => [Table];
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() => $"sed {Table} as {Output}";
}

/// <summary>A plot of a table to a PNG or SVG file.</summary>
internal sealed record PlotStep : PlanStep
{
    public required string Table { get; init; }
    public required string Path { get; init; }
    public string? X { get; init; }
    public string? Y { get; init; }
    public string? Title { get; init; }
    public override string Kind => "plot";
    public override IEnumerable<string> Inputs => [Table];
    public override string Describe() =>
        $"plot {Table} to {new StringValue(Path).ToCanonical()}"
        + (X is not null ? $" x {X} y {Y}" : "")
        + (Title is not null ? " title " + new StringValue(Title).ToCanonical() : "");
}

/// <summary>The rows of a table where a condition holds.</summary>
internal sealed record SelectStep : PlanStep
{
    public required string Table { get; init; }
    public required Expr Condition { get; init; }
    public required string Output { get; init; }
    public override string Kind => "select";
    public override IEnumerable<string> Inputs => [Table];
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() => $"select {Table} where {Condition} as {Output}";
}

/// <summary>The objects of a table that the user keeps, one at a time, on a terminal.</summary>
internal sealed record SelectInteractivelyStep : PlanStep
{
    public required string Table { get; init; }
    public required string Output { get; init; }
    public override string Kind => "select-interactively";
    public override bool AsksUser => true;
    public override IEnumerable<string> Inputs => [Table];
    public override IEnumerable<string> Outputs => [Output];
    public override string Describe() => $"select {Table} interactively as {Output}";
}
