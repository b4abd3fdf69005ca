using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Science.Verbs;

namespace VoScript.Dsl.Compiling;

/// <summary>What the column pass gives a verb: the columns known so far, the script text, and where to report.</summary>
internal sealed class ColumnContext(IReadOnlyDictionary<string, KnownColumns> known, string text, List<Diagnostic> diagnostics)
{
    public KnownColumns? Known(Identifier table) => known.GetValueOrDefault(table.Text);

    /// <summary>Reports a column of a list (<paramref name="place"/>) that <paramref name="table"/> does not have (with "did you mean").</summary>
    public void UnknownColumn(SourceSpan at, string name, string table, KnownColumns columns, NamePlace place = NamePlace.ColumnList) =>
        diagnostics.Add(ColumnPass.UnknownColumn(at, name, table, columns, place));

    /// <summary>Reports a verb's problem at the item it is about (an expression's own span when it has one).</summary>
    public void Report(VerbProblem p, SourceSpan at, SourceSpan? exprWhole = null, string? table = null, KnownColumns? columns = null)
    {
        var span = p.Span is { } && exprWhole is { } whole ? ColumnPass.ToSource(p.Span, whole, text) : at;
        var code = p.Kind switch
        {
            VerbProblemKind.UnknownColumn => DiagnosticCodes.UnknownColumn,
            VerbProblemKind.NameClash => DiagnosticCodes.ColumnClash,
            _ => DiagnosticCodes.BadCondition,
        };
        if (p.Kind == VerbProblemKind.UnknownColumn && table is not null && columns is not null)
        {
            // a name in an expression, or in a list of columns (the verb problem has an expression span only for the former)
            diagnostics.Add(ColumnPass.UnknownColumn(span, p.Subject!, table, columns, p.Span is null ? NamePlace.ColumnList : NamePlace.Expression));
            return;
        }
        diagnostics.Add(Diagnostic.Error(span, code, p.Message));
    }
}

/// <summary>A statement's column knowledge: the output's columns from the inputs' (null when not known), problems reported.</summary>
internal interface IColumnRules
{
    KnownColumns? Columns(Statement statement, ColumnContext context);
}
