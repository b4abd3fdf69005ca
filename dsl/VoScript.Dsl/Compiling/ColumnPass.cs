using VoScript.Dsl.Diagnostics;
using VoScript.Engine;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// The columns of a table as the plan knows them before any data: <see cref="Complete"/> when
/// every column is known (sed results, and what is made from them), else only some (a cluster
/// of query results knows its group columns, not the services').
/// </summary>
internal sealed record KnownColumns(IReadOnlyList<Field> Fields, bool Complete, string MadeBy)
{
    /// <summary>False when only the names are known (a query's select list): types are checked at run time.</summary>
    public bool Typed { get; init; } = true;
}

/// <summary>
/// Pass 3b, columns: follows the columns that sed, cluster and select produce, and checks the
/// conditions of <c>select … where</c> and the axes of <c>plot … x … y …</c> against them:
/// unknown columns (with "did you mean"), type mismatches, count() without an object column.
/// Tables from services and files have columns known only at run time; they are checked then.
/// </summary>
internal static class ColumnPass
{
    public static Dictionary<string, KnownColumns> Run(Script script, string text, List<Diagnostic> diagnostics)
    {
        var known = new Dictionary<string, KnownColumns>(StringComparer.Ordinal);
        foreach (var statement in script.Statements)
        {
            switch (statement)
            {
                case QueryStatement q when AdqlColumns.Names(q.Adql) is { } names:
                    known[q.Output.Text] = new KnownColumns(names.Names.Select(n => new Field(n, DataType.Double)).ToList(), names.Complete,
                        $"the query on line {q.Span.Line}") { Typed = false };
                    break;
                case SedStatement sd:
                    known[sd.Output.Text] = new KnownColumns(SedBuilder.OutputFields(), true, $"sed on line {sd.Span.Line}");
                    break;
                case ClusterStatement c:
                    var inputs = c.Tables.Select(t => known.GetValueOrDefault(t.Text)).ToList();
                    var madeBy = $"cluster on line {c.Span.Line}";
                    if (inputs.All(i => i is { Complete: true, Typed: true }))
                        known[c.Output.Text] = new KnownColumns(Clustering.OutputFields(c.Tables.Select((t, k) => ((string?)t.Text, inputs[k]!.Fields)).ToList()), true, madeBy);
                    else if (inputs.All(i => i is { Complete: true }))
                        known[c.Output.Text] = new KnownColumns(ClusterNames(c, inputs!), true, madeBy) { Typed = false };
                    else known[c.Output.Text] = new KnownColumns(Clustering.GroupFields(), false, madeBy);
                    break;
                case SelectWhereStatement sw:
                    var input = known.GetValueOrDefault(sw.Table.Text);
                    CheckCondition(sw, input, text, diagnostics);
                    if (input is not null) known[sw.Output.Text] = input;
                    break;
                case SelectInteractivelyStatement si:
                    if (known.TryGetValue(si.Table.Text, out var objects))
                    {
                        if (objects.Complete && ExpressionChecker.ObjectColumn(objects.Fields) is null)
                            diagnostics.Add(Diagnostic.Error(si.Table.Span, DiagnosticCodes.BadCondition,
                                $"'{si.Table.Text}' (from {objects.MadeBy}) has no object column to select objects by (object_id, group_id or a meta.id;meta.main column); make one with sed or cluster first"));
                        known[si.Output.Text] = objects;
                    }
                    break;
                case var other when StatementRulesCatalog.For(other) is IColumnRules rules:
                    if (rules.Columns(other, new ColumnContext(known, text, diagnostics)) is { } made
                        && StatementRulesCatalog.For(other).Defines(other, 0, null).FirstOrDefault() is { } output)
                        known[output.Name] = made;
                    break;
                case PlotStatement { X: not null } pl when known.TryGetValue(pl.Table.Text, out var plotted):
                    foreach (var axis in new[] { pl.X, pl.Y! })
                    {
                        var f = plotted.Fields.FirstOrDefault(x => x.Name.Equals(axis.Text, StringComparison.OrdinalIgnoreCase));
                        if (f is null && plotted.Complete) diagnostics.Add(UnknownColumn(axis.Span, axis.Text, pl.Table.Text, plotted, NamePlace.ColumnList));
                        else if (f is not null && plotted.Typed && (f.IsString || !f.ArraySize.IsScalar))
                            diagnostics.Add(Diagnostic.Error(axis.Span, DiagnosticCodes.BadCondition,
                                $"column '{f.Name}' of '{pl.Table.Text}' holds {(f.IsString ? "text" : "arrays")}; plot axes need numbers"));
                    }
                    break;
            }
        }
        return known;
    }

    /// <summary>
    /// The column names a cluster of tables known by name only may have: the group columns, every
    /// input column, and for a name several inputs share (or a group column's name) also
    /// TABLE_name, since the merge rule keeps such columns apart when their types differ.
    /// </summary>
    private static List<Field> ClusterNames(ClusterStatement c, IReadOnlyList<KnownColumns> inputs)
    {
        var result = new List<Field>(Clustering.GroupFields());
        var fixedNames = result.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var counts = inputs.SelectMany(i => i.Fields.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase))
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < inputs.Count; k++)
            foreach (var f in inputs[k].Fields)
            {
                if (!fixedNames.Contains(f.Name)) result.Add(new Field(f.Name, DataType.Double));
                if (fixedNames.Contains(f.Name) || counts[f.Name] > 1) result.Add(new Field($"{c.Tables[k].Text}_{f.Name}", DataType.Double));
            }
        return result;
    }

    private static void CheckCondition(SelectWhereStatement sw, KnownColumns? table, string text, List<Diagnostic> diagnostics)
    {
        if (table is not { Complete: true })
        {
            // columns from files and services are known only at run time (some, after a cluster): check the rest now
            var shape = ExpressionChecker.CheckCondition(sw.Condition, table?.Fields ?? [], typesKnown: false, namesComplete: false);
            foreach (var e in shape.Errors)
                diagnostics.Add(Diagnostic.Error(ToSource(e.Span, sw.ConditionSpan, text), DiagnosticCodes.BadCondition, e.Message));
            return;
        }
        var unknown = new HashSet<ExprSpan?>();
        foreach (var c in ColumnRefs(sw.Condition))
            if (!table.Fields.Any(f => f.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase)))
            {
                unknown.Add(c.Span);
                diagnostics.Add(UnknownColumn(ToSource(c.Span, sw.ConditionSpan, text), c.Name, sw.Table.Text, table, NamePlace.Expression));
            }
        // without types (a query's select list) the names only: types are checked when the step runs
        var check = ExpressionChecker.CheckCondition(sw.Condition, table.Fields, typesKnown: table.Typed);
        foreach (var e in check.Errors.Where(e => !unknown.Contains(e.Span)))
        {
            if (e.Message.StartsWith("unknown column", StringComparison.Ordinal)) continue; // reported above
            diagnostics.Add(Diagnostic.Error(ToSource(e.Span, sw.ConditionSpan, text), DiagnosticCodes.BadCondition, e.Message));
        }
    }

    /// <summary>
    /// VOS0108 for <paramref name="name"/>, with the closest column or the columns there are, each as it must be typed
    /// where the name was (<paramref name="place"/>: in backquotes when it is not a plain word there).
    /// </summary>
    internal static Diagnostic UnknownColumn(SourceSpan span, string name, string table, KnownColumns columns, NamePlace place)
    {
        var names = columns.Fields.Select(f => f.Name).ToList();
        var hint = ScriptNames.DidYouMean(name, names, place);
        return Diagnostic.Error(span, DiagnosticCodes.UnknownColumn,
            $"'{table}' (from {columns.MadeBy}) has no column {ScriptNames.Mention(name, place)}" + (hint.Length > 0 ? hint : $"; its columns are {ScriptNames.List(names, place)}"));
    }

    private static IEnumerable<ColumnRef> ColumnRefs(Expr e) => e switch
    {
        ColumnRef c => [c],
        Unary u => ColumnRefs(u.Operand),
        Binary b => ColumnRefs(b.Left).Concat(ColumnRefs(b.Right)),
        Call c => c.Args.SelectMany(ColumnRefs),
        _ => [],
    };

    /// <summary>An expression's offsets as a source span (line and column counted in the script text).</summary>
    internal static SourceSpan ToSource(ExprSpan? span, SourceSpan whole, string text)
    {
        if (span is not { } s || s.Start < 0 || s.Start + s.Length > text.Length) return whole;
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < s.Start; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new SourceSpan(whole.File, s.Start, s.Length, line, s.Start - lineStart + 1);
    }
}
