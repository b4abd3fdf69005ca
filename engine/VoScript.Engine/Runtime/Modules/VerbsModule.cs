using System.Globalization;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Verbs;
using SortKey = VoScript.Engine.Science.Verbs.SortKey;

namespace VoScript.Engine.Runtime.Modules;

// The table verbs (issue #16): one step type and handler per verb, registered by VerbsModule.
// The kernels are in engine/VoScript.Engine/Science/Verbs/; the language side in dsl/VoScript.Dsl/Modules/Verb*.cs.

/// <summary>A verb step that reads some tables and makes one.</summary>
public abstract record VerbStep : PlanStep
{
    /// <summary>The workspace name of the result.</summary>
    public required string Output { get; init; }
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => [Output];

    private protected static string List(IEnumerable<string> items) => string.Join(", ", items);
}

/// <summary><c>keep T columns a, b as NAME</c>.</summary>
public sealed record KeepStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The columns kept.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
    /// <inheritdoc/>
    public override string Kind => "keep";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"keep {Table} columns {List(Columns)} as {Output}";
}

/// <summary><c>drop T columns a, b as NAME</c>.</summary>
public sealed record DropStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The columns dropped.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
    /// <inheritdoc/>
    public override string Kind => "drop";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"drop {Table} columns {List(Columns)} as {Output}";
}

/// <summary><c>rename T a to b, … as NAME</c>.</summary>
public sealed record RenameStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The renames (old name, new name).</summary>
    public required IReadOnlyList<(string From, string To)> Renames { get; init; }
    /// <inheritdoc/>
    public override string Kind => "rename";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"rename {Table} {List(Renames.Select(r => $"{r.From} to {r.To}"))} as {Output}";
}

/// <summary><c>derive T with NAME = EXPR [unit "u"] [ucd "w"], … as NAME</c>.</summary>
public sealed record DeriveStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The new columns.</summary>
    public required IReadOnlyList<Derivation> Derivations { get; init; }
    /// <inheritdoc/>
    public override string Kind => "derive";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"derive {Table} with {List(Derivations.Select(d => $"{d.Name} = {d.Expr}" + (d.Unit is null ? "" : $" unit \"{d.Unit}\"") + (d.Ucd is null ? "" : $" ucd \"{d.Ucd}\"")))} as {Output}";
}

/// <summary><c>sort T by COL [desc], … as NAME</c>.</summary>
public sealed record SortStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The sort keys.</summary>
    public required IReadOnlyList<SortKey> Keys { get; init; }
    /// <inheritdoc/>
    public override string Kind => "sort";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"sort {Table} by {KeyText(Keys)} as {Output}";

    internal static string KeyText(IReadOnlyList<SortKey> keys) => string.Join(", ", keys.Select(k => k.Column + (k.Descending ? " desc" : "")));
}

/// <summary><c>top N of T [by COL [desc], …] as NAME</c>.</summary>
public sealed record TopStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>Rows kept.</summary>
    public required long Count { get; init; }
    /// <summary>The sort keys.</summary>
    public required IReadOnlyList<SortKey> Keys { get; init; }
    /// <inheritdoc/>
    public override string Kind => "top";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() =>
        $"top {Count.ToString(CultureInfo.InvariantCulture)} of {Table}" + (Keys.Count > 0 ? $" by {SortStep.KeyText(Keys)}" : "") + $" as {Output}";
}

/// <summary><c>distinct T by COL, … as NAME</c>.</summary>
public sealed record DistinctStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The key columns.</summary>
    public required IReadOnlyList<string> Keys { get; init; }
    /// <inheritdoc/>
    public override string Kind => "distinct";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"distinct {Table} by {List(Keys)} as {Output}";
}

/// <summary><c>group T by COL, … with NAME = AGG(EXPR), … as NAME</c>.</summary>
public sealed record GroupStep : VerbStep
{
    /// <summary>The input table.</summary>
    public required string Table { get; init; }
    /// <summary>The key columns.</summary>
    public required IReadOnlyList<string> Keys { get; init; }
    /// <summary>The aggregates.</summary>
    public required IReadOnlyList<Aggregation> Aggregations { get; init; }
    /// <inheritdoc/>
    public override string Kind => "group";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [Table];
    /// <inheritdoc/>
    public override string Describe() => $"group {Table} by {List(Keys)} with {List(Aggregations.Select(a => $"{a.Name} = {a.Expr}"))} as {Output}";
}

/// <summary><c>match A, B within ANGLE [best | all | best for T] as NAME</c>.</summary>
public sealed record MatchStep : VerbStep
{
    /// <summary>The first table.</summary>
    public required string A { get; init; }
    /// <summary>The second table.</summary>
    public required string B { get; init; }
    /// <summary>The match radius in degrees.</summary>
    public required double WithinDegrees { get; init; }
    /// <summary>Which pairs to keep.</summary>
    public required MatchMode Mode { get; init; }
    /// <inheritdoc/>
    public override string Kind => "match";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [A, B];
    /// <inheritdoc/>
    public override string Describe() =>
        $"match {A}, {B} within {PlanValue.FormatAngle(WithinDegrees)} " +
        Mode switch { MatchMode.All => "all", MatchMode.BestForA => $"best for {A}", MatchMode.BestForB => $"best for {B}", _ => "best" } + $" as {Output}";
}

/// <summary><c>join A, B on COL [= COL] [left] as NAME</c>.</summary>
public sealed record JoinStep : VerbStep
{
    /// <summary>The left table.</summary>
    public required string A { get; init; }
    /// <summary>The right table.</summary>
    public required string B { get; init; }
    /// <summary>The left key column.</summary>
    public required string KeyA { get; init; }
    /// <summary>The right key column.</summary>
    public required string KeyB { get; init; }
    /// <summary>A left join (rows of A without a partner kept).</summary>
    public required bool Left { get; init; }
    /// <inheritdoc/>
    public override string Kind => "join";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => [A, B];
    /// <inheritdoc/>
    public override string Describe() => $"join {A}, {B} on {KeyA}" + (KeyA == KeyB ? "" : $" = {KeyB}") + (Left ? " left" : "") + $" as {Output}";
}

/// <summary><c>stack A, B, … as NAME</c>.</summary>
public sealed record StackStep : VerbStep
{
    /// <summary>The tables stacked.</summary>
    public required IReadOnlyList<string> Tables { get; init; }
    /// <inheritdoc/>
    public override string Kind => "stack";
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Tables;
    /// <inheritdoc/>
    public override string Describe() => $"stack {List(Tables)} as {Output}";
}

/// <summary>Runs a verb: reads its tables from the workspace, runs the kernel, stores and reports the result.</summary>
internal sealed class VerbHandler<TStep>(Func<TStep, Func<string, Model.Table>, CancellationToken, Model.Table> run) : StepHandler<TStep> where TStep : VerbStep
{
    public override Task ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken)
    {
        // messages name the tables as the script does, not by their files' names
        Model.Table Get(string name)
        {
            var t = context.Workspace.GetTable(name);
            return t.Name == name ? t : VerbColumns.Build(t, name, t.Columns);
        }
        var result = run(step, Get, cancellationToken);
        result.Name = step.Output;
        context.Workspace.SetTable(step.Output, result);
        context.Progress($"{step.Output}: {result.RowCount.ToString(CultureInfo.InvariantCulture)} rows, {result.ColumnCount.ToString(CultureInfo.InvariantCulture)} columns", rows: result.RowCount);
        return Task.CompletedTask;
    }
}

/// <summary>Registers the table verbs.</summary>
internal sealed class VerbsModule : StepModule
{
    public override string Name => "verbs";

    public override void Register(StepCatalog catalog) => catalog
        .Add("keep", new VerbHandler<KeepStep>((s, get, _) => ColumnVerbs.Keep(get(s.Table), s.Columns, s.Output)))
        .Add("drop", new VerbHandler<DropStep>((s, get, _) => ColumnVerbs.Drop(get(s.Table), s.Columns, s.Output)))
        .Add("rename", new VerbHandler<RenameStep>((s, get, _) => ColumnVerbs.Rename(get(s.Table), s.Renames, s.Output)))
        .Add("derive", new VerbHandler<DeriveStep>((s, get, _) => Derive.Run(get(s.Table), s.Derivations, s.Output)))
        .Add("sort", new VerbHandler<SortStep>((s, get, _) => Sorting.Sort(get(s.Table), s.Keys, s.Output)))
        .Add("top", new VerbHandler<TopStep>((s, get, _) => Sorting.Top(get(s.Table), s.Count, s.Keys, s.Output)))
        .Add("distinct", new VerbHandler<DistinctStep>((s, get, _) => Sorting.Distinct(get(s.Table), s.Keys, s.Output)))
        .Add("group", new VerbHandler<GroupStep>((s, get, _) => GroupVerb.Run(get(s.Table), s.Keys, s.Aggregations, s.Output)))
        .Add("match", new VerbHandler<MatchStep>((s, get, cancel) => SkyMatch.Run(get(s.A), get(s.B), s.WithinDegrees, s.Mode, s.A, s.B, s.Output, cancel)))
        .Add("join", new VerbHandler<JoinStep>((s, get, _) => Join.Run(get(s.A), get(s.B), s.KeyA, s.KeyB, s.Left, s.A, s.B, s.Output)))
        .Add("stack", new VerbHandler<StackStep>((s, get, _) => Stack.Run(s.Tables.Select(t => (t, get(t))).ToList(), s.Output)));
}
