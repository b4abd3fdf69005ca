using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Engine.Runtime;

/// <summary>Friends-of-friends groups of the rows of several tables (linking angle in degrees).</summary>
public sealed record ClusterStep : PlanStep
{
    /// <summary>The tables clustered.</summary>
    public required IReadOnlyList<string> Tables { get; init; }
    /// <summary>The linking length in degrees.</summary>
    public required double LinkDegrees { get; init; }
    /// <summary>The workspace name of the clusters.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "cluster";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Tables;
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() =>
        $"cluster {string.Join(", ", Tables)} within {PlanValue.FormatAngle(LinkDegrees)} as {Output}";
}

/// <summary>One SED row per object, band and source table.</summary>
public sealed record SedStep : PlanStep
{
    /// <summary>The table of photometry.</summary>
    public required string Table { get; init; }
    /// <summary>The workspace name of the SED table.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "sed";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() => $"sed {Table} as {Output}";
}

/// <summary>A plot of a table to a PNG or SVG file.</summary>
public sealed record PlotStep : PlanStep
{
    /// <summary>The table plotted.</summary>
    public required string Table { get; init; }
    /// <summary>The image file.</summary>
    public required string Path { get; init; }
    /// <summary>The X column (chosen when null).</summary>
    public string? X { get; init; }
    /// <summary>The Y column (chosen when null).</summary>
    public string? Y { get; init; }
    /// <summary>The title.</summary>
    public string? Title { get; init; }
    /// <inheritdoc/>
    public override string Kind => "plot";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() =>
        $"plot {Table} to {new StringValue(Path).ToCanonical()}"
        + (X is not null ? $" x {X} y {Y}" : "")
        + (Title is not null ? " title " + new StringValue(Title).ToCanonical() : "");
}

/// <summary>The rows of a table where a condition holds.</summary>
public sealed record SelectStep : PlanStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The condition rows must meet.</summary>
    public required Expr Condition { get; init; }
    /// <summary>The workspace name of the result.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "select";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() => $"select {Table} where {Condition} as {Output}";
}

/// <summary>The objects of a table that the user keeps, one at a time, on a terminal.</summary>
public sealed record SelectInteractivelyStep : PlanStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The workspace name of the selected rows.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override string Kind => "select-interactively";
    /// <inheritdoc/>
    public override bool AsksUser => true;
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];
    /// <inheritdoc/>
    public override string Describe() => $"select {Table} interactively as {Output}";
}
