// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("param", "param NAME = VALUE", "a value the command line can override with --param NAME=VALUE")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("let", "let NAME = EXPR", "a named value: a number (with an angle or time unit), a string or a list")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("print", "print EXPR", "print a value, or a one-line summary of a table")]

namespace VoScript.Dsl.Syntax;

internal sealed record ParamStatement(SourceSpan Span, Identifier Name, Expression Value) : Statement(Span);

internal sealed record LetStatement(SourceSpan Span, Identifier Name, Expression Value) : Statement(Span);

internal sealed record PrintStatement(SourceSpan Span, Expression Value) : Statement(Span);
