namespace VoScript.Dsl.Syntax;

/// <summary>Every syntax node knows where it came from.</summary>
public abstract record Node(SourceSpan Span);

/// <summary>A name as written, with its own span (for precise diagnostics).</summary>
public sealed record Identifier(SourceSpan Span, string Text) : Node(Span)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>A parsed script: its statements in order.</summary>
public sealed record Script(SourceSpan Span, IReadOnlyList<Statement> Statements) : Node(Span);

/// <summary>A statement; its syntax is declared once, in its file, with <c>[assembly: StatementSyntax(…)]</c>.</summary>
public abstract record Statement(SourceSpan Span) : Node(Span);

/// <summary>
/// A statement that holds expressions over a table's columns (<c>select … where</c>, <c>derive</c>, <c>group</c>):
/// the compiler rewrites them, e.g. to put the values of <c>param</c> and <c>let</c> names in.
/// </summary>
internal interface IHasExpressions
{
    IEnumerable<VoScript.Engine.Science.Selection.Expr> Expressions { get; }

    Statement MapExpressions(Func<VoScript.Engine.Science.Selection.Expr, VoScript.Engine.Science.Selection.Expr> map);
}
