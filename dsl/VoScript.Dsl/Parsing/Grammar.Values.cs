using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    internal static Parser<Statement> ParamStatement =>
        from kw in Lexemes.Keyword("param")
        from name in Lexemes.Name("a parameter name")
        from eq in Lexemes.Symbol('=')
        from value in Expr
        select (Statement)new ParamStatement(SourceSpan.Cover(kw.Span, value.Span), name, value);

    internal static Parser<Statement> LetStatement =>
        from kw in Lexemes.Keyword("let")
        from name in Lexemes.Name("a name")
        from eq in Lexemes.Symbol('=')
        from value in Expr
        select (Statement)new LetStatement(SourceSpan.Cover(kw.Span, value.Span), name, value);

    internal static Parser<Statement> PrintStatement =>
        from kw in Lexemes.Keyword("print")
        from value in Expr
        select (Statement)new PrintStatement(SourceSpan.Cover(kw.Span, value.Span), value);
}
