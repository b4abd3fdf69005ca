namespace VoScript.Dsl.Syntax;

public abstract record Expression(SourceSpan Span) : Node(Span);

/// <summary>A number, with the unit written after it (<c>6 arcmin</c>, <c>30s</c>), if any.</summary>
public sealed record NumberLiteral(SourceSpan Span, double Value, string? Unit) : Expression(Span);

/// <summary>A double-quoted string, escapes already resolved.</summary>
public sealed record StringLiteral(SourceSpan Span, string Value) : Expression(Span);

/// <summary><c>[a, b, c]</c>.</summary>
public sealed record ListLiteral(SourceSpan Span, IReadOnlyList<Expression> Items) : Expression(Span);

/// <summary>A reference to a param or let value.</summary>
public sealed record NameReference(SourceSpan Span, Identifier Name) : Expression(Span);

/// <summary><c>left op right</c> for <c>+ - * /</c>.</summary>
public sealed record BinaryExpression(SourceSpan Span, char Operator, Expression Left, Expression Right) : Expression(Span);

/// <summary><c>-operand</c>.</summary>
public sealed record NegateExpression(SourceSpan Span, Expression Operand) : Expression(Span);
