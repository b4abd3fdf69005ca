namespace VoScript.Dsl.Syntax;

[StatementSyntax("param", "param NAME = VALUE", "a value the command line can override with --param NAME=VALUE")]
public sealed record ParamStatement(SourceSpan Span, Identifier Name, Expression Value) : Statement(Span);

[StatementSyntax("let", "let NAME = EXPR", "a named value: a number (with an angle or time unit), a string or a list")]
public sealed record LetStatement(SourceSpan Span, Identifier Name, Expression Value) : Statement(Span);

[StatementSyntax("print", "print EXPR", "print a value, or a one-line summary of a table")]
public sealed record PrintStatement(SourceSpan Span, Expression Value) : Statement(Span);
