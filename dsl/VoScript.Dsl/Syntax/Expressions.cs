namespace VoScript.Dsl.Syntax;

/// <summary>An expression of the script (a literal, a name, an operation).</summary>
/// <param name="Span">Where it is in the script.</param>
public abstract record Expression(SourceSpan Span) : Node(Span);

/// <summary>A number, with the unit written after it (<c>6 arcmin</c>, <c>30s</c>), if any.</summary>
internal sealed record NumberLiteral(SourceSpan Span, double Value, string? Unit) : Expression(Span)
{
    /// <summary>The literal as written when it was sexagesimal (<c>10h00m28.6s</c>); Value is then in degrees.</summary>
    public string? Written { get; init; }
}

/// <summary>A double-quoted string, escapes already resolved.</summary>
internal sealed record StringLiteral(SourceSpan Span, string Value) : Expression(Span);

/// <summary><c>[a, b, c]</c>.</summary>
internal sealed record ListLiteral(SourceSpan Span, IReadOnlyList<Expression> Items) : Expression(Span);

/// <summary>A reference to a param or let value.</summary>
internal sealed record NameReference(SourceSpan Span, Identifier Name) : Expression(Span);

/// <summary><c>left op right</c> for <c>+ - * /</c>.</summary>
internal sealed record BinaryExpression(SourceSpan Span, char Operator, Expression Left, Expression Right) : Expression(Span);

/// <summary><c>adql { … }</c> (only as the value of <c>let</c>): ADQL text whose <c>${…}</c> are resolved where it is written, put verbatim where <c>${NAME}</c> names it.</summary>
internal sealed record AdqlExpression(SourceSpan Span, AdqlBlock Block) : Expression(Span);

/// <summary><c>-operand</c>.</summary>
internal sealed record NegateExpression(SourceSpan Span, Expression Operand) : Expression(Span);
