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
        from value in LetValue
        select (Statement)new LetStatement(SourceSpan.Cover(kw.Span, value.Span), name, value);

    /// <summary>The value of a <c>let</c>: <c>adql { … }</c> when <c>adql</c> is followed by a brace or a word, else an expression (a value may be named adql).</summary>
    private static Parser<Expression> LetValue => input =>
    {
        var (word, after) = Lexemes.ReadWord(Lexemes.SkipInline(input));
        if (word == "adql")
        {
            var next = Lexemes.SkipInline(after);
            if (!next.AtEnd && (next.Current == '{' || Lexemes.IsWordStart(next.Current))) return AdqlValue(input);
        }
        return Expr(input);
    };

    /// <summary><c>adql { … }</c>: an ADQL value (a whole query or a fragment), with <c>${…}</c> holes like a query block.</summary>
    private static Parser<Expression> AdqlValue =>
        from kw in Lexemes.Keyword("adql")
        from block in AdqlBlock(["'{' to start the ADQL of the adql value"])
        select (Expression)new AdqlExpression(SourceSpan.Cover(kw.Span, block.Span), block);

    internal static Parser<Statement> PrintStatement =>
        from kw in Lexemes.Keyword("print")
        from value in Expr
        select (Statement)new PrintStatement(SourceSpan.Cover(kw.Span, value.Span), value);
}
