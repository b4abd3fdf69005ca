using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("cluster", "cluster T, ... within ANGLE as NAME",
    "friends-of-friends groups of positions across tables: every row kept, with group_id, group_size, group_ra, group_dec and source_table")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("sed", "sed T as NAME", "one row per object, band and source: wavelength, magnitude and flux with errors")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("plot", "plot T [to FILE] [x COL y COL] [title \"...\"]",
    "a plot to PNG or SVG (T.png unless 'to' says): SEDs, sky positions, or column against column")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("select", "select T where EXPR as NAME", "the rows where a condition over the columns holds (and, or, not, abs, isnull, count per object)")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("select", "select T interactively as NAME", "one object at a time with its SED drawn in the terminal; y keeps, n skips, q stops")]

namespace VoScript.Dsl.Syntax;

internal sealed record ClusterStatement(SourceSpan Span, IReadOnlyList<Identifier> Tables, Expression Within, Identifier Output) : Statement(Span);

internal sealed record SedStatement(SourceSpan Span, Identifier Table, Identifier Output) : Statement(Span);

internal sealed record PlotStatement(SourceSpan Span, Identifier Table, Expression? File, Identifier? X, Identifier? Y, Expression? Title) : Statement(Span);

/// <summary>
/// <c>select T where EXPR as NAME</c>. The condition is parsed straight into the engine's
/// selection model; its <see cref="ExprSpan"/>s are offsets into the script text.
/// </summary>
internal sealed record SelectWhereStatement(SourceSpan Span, Identifier Table, Expr Condition, SourceSpan ConditionSpan, Identifier Output) : Statement(Span), IHasExpressions
{
    public IEnumerable<Expr> Expressions => [Condition];

    public Statement MapExpressions(Func<Expr, Expr> map) => this with { Condition = map(Condition) };
}

internal sealed record SelectInteractivelyStatement(SourceSpan Span, Identifier Table, Identifier Keyword, Identifier Output) : Statement(Span);
