using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

/// <summary>
/// The grammar, split by area (partial class per file). Rules refer to rules in
/// other files only through <c>Parse.Ref</c> properties, because static fields
/// of partial classes initialise in no guaranteed order.
/// </summary>
internal static partial class Grammar
{
    /// <summary>Any expression (for use from other grammar files).</summary>
    public static Parser<Expression> Expr => ExprWithMessage;

    /// <summary>When no expression starts here at all, say so plainly instead of listing every token kind.</summary>
    private static readonly Parser<Expression> ExprWithMessage = Friendly(Parse.Ref(() => Additive));

    private static Parser<Expression> Friendly(Parser<Expression> parser) => input =>
    {
        var r = parser(input);
        if (r.WasSuccessful || !Lexemes.SkipInline(r.Remainder).Equals(Lexemes.SkipInline(input))) return r;
        return r.Message.StartsWith("VOS", StringComparison.Ordinal) ? r : Lexemes.Fail<Expression>(input, "a value (a number, string, list or name)");
    };

    private static readonly Parser<Expression> NameRef =
        Lexemes.Name("a name").Select(n => (Expression)new NameReference(n.Span, n));

    private static readonly Parser<Expression> ListLiteral = input =>
    {
        var open = Lexemes.Symbol('[')(input);
        if (!open.WasSuccessful) return Result.Failure<Expression>(open.Remainder, open.Message, open.Expectations);
        var items = new List<Expression>();
        var i = Lexemes.SkipBlank(open.Remainder);
        if (!i.AtEnd && i.Current == ']')
            return Result.Success<Expression>(new ListLiteral(SourceSpan.Cover(open.Value, Lexemes.Span(i, i.Advance())), items), i.Advance());
        while (true)
        {
            var item = Expr(i);
            if (!item.WasSuccessful) return Result.Failure<Expression>(item.Remainder, item.Message, item.Expectations);
            items.Add(item.Value);
            i = Lexemes.SkipBlank(item.Remainder);
            if (!i.AtEnd && i.Current == ',') { i = Lexemes.SkipBlank(i.Advance()); continue; }
            if (!i.AtEnd && i.Current == ']')
                return Result.Success<Expression>(new ListLiteral(SourceSpan.Cover(open.Value, Lexemes.Span(i, i.Advance())), items), i.Advance());
            return Lexemes.Fail<Expression>(i, "','", "']'");
        }
    };

    private static readonly Parser<Expression> Parenthesized =
        from open in Lexemes.Symbol('(')
        from e in Parse.Ref(() => Additive)
        from close in Lexemes.Symbol(')')
        select e;

    private static readonly Parser<Expression> Primary =
        Lexemes.Number.Or(Lexemes.String).Or(ListLiteral).Or(Parenthesized).Or(NameRef);

    private static readonly Parser<Expression> Unary =
        (from minus in Lexemes.Symbol('-')
         from operand in Parse.Ref(() => Unary)
         select (Expression)new NegateExpression(SourceSpan.Cover(minus, operand.Span), operand))
        .Or(Primary);

    private static Parser<char> Operator(char c) => Lexemes.Symbol(c).Return(c);

    private static Expression MakeBinary(char op, Expression left, Expression right) =>
        new BinaryExpression(SourceSpan.Cover(left.Span, right.Span), op, left, right);

    private static readonly Parser<Expression> Multiplicative =
        Parse.XChainOperator(Operator('*').Or(Operator('/')), Friendly(Unary), MakeBinary);

    private static readonly Parser<Expression> Additive =
        Parse.XChainOperator(Operator('+').Or(Operator('-')), Multiplicative, MakeBinary);
}
