using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    public static readonly string[] ServiceKinds = ["tap", "scs", "sia", "ssa", "registry"];

    internal static Parser<Statement> ServiceStatement =>
        from kw in Lexemes.Keyword("service")
        from name in Lexemes.Name("a service name")
        from eq in Lexemes.Symbol('=')
        from kind in Lexemes.OneOf(ServiceKinds)
        from url in Expr
        select (Statement)new ServiceStatement(SourceSpan.Cover(kw.Span, url.Span), name, kind, url);

    private static Parser<Expression> MaxRecClause =>
        from kw in Lexemes.Keyword("maxrec")
        from n in Expr
        select n;

    internal static Parser<Statement> PositionSearchStatement(string keyword, PositionSearch search) =>
        from kw in Lexemes.Keyword(keyword)
        from service in Lexemes.Name("a service name")
        from at in Lexemes.Keyword("at")
        from ra in Expr
        from comma in Lexemes.Symbol(',')
        from dec in Expr
        from r in Lexemes.Keyword("radius")
        from radius in Expr
        from @as in Lexemes.Keyword("as")
        from output in Lexemes.Name("a table name")
        from maxrec in MaxRecClause.XOptional()
        select (Statement)new PositionSearchStatement(
            SourceSpan.Cover(kw.Span, maxrec.IsDefined ? maxrec.Get().Span : output.Span),
            search, service, ra, dec, radius, output, maxrec.GetOrDefault());

    private static readonly string[] FindKinds = ["tap", "scs", "sia", "ssa"];

    /// <summary>A waveband word (<c>optical</c>) or string (<c>"x-ray"</c>).</summary>
    private static Parser<Identifier> Waveband =>
        Lexemes.Name("a waveband").Or(Lexemes.String.Select(s => new Identifier(s.Span, ((StringLiteral)s).Value)));

    /// <summary><c>find services KIND</c>, then clauses in any order, then <c>as NAME</c>.</summary>
    internal static Parser<Statement> FindServicesStatement => input =>
    {
        var head = (from kw in Lexemes.Keyword("find")
                    from s in Lexemes.Keyword("services")
                    from kind in Lexemes.OneOf(FindKinds)
                    select (kw, kind))(input);
        if (!head.WasSuccessful) return Result.Failure<Statement>(head.Remainder, head.Message, head.Expectations);
        var (keyword, kindWord) = head.Value;
        Identifier? registry = null;
        Expression? withTable = null;
        var keywords = new List<Expression>();
        var wavebands = new List<Identifier>();
        var i = head.Remainder;
        while (true)
        {
            var word = Lexemes.PeekWord(i);
            if (word == "in" && registry is null)
            {
                var r = (from k in Lexemes.Keyword("in") from n in Lexemes.Name("a registry service name") select n)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                registry = r.Value;
                i = r.Remainder;
            }
            else if (word == "with" && withTable is null)
            {
                var r = (from w in Lexemes.Keyword("with") from t in Lexemes.Keyword("table") from e in Expr select e)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                withTable = r.Value;
                i = r.Remainder;
            }
            else if (word == "keywords" && keywords.Count == 0)
            {
                var r = (from k in Lexemes.Keyword("keywords") from list in Expr.XDelimitedBy(Lexemes.Symbol(',')) select list)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                keywords.AddRange(r.Value);
                i = r.Remainder;
            }
            else if (word == "waveband" && wavebands.Count == 0)
            {
                var r = (from k in Lexemes.Keyword("waveband") from list in Waveband.XDelimitedBy(Lexemes.Symbol(',')) select list)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                wavebands.AddRange(r.Value);
                i = r.Remainder;
            }
            else break;
        }
        var tail = (from a in Lexemes.Keyword("as") from n in Lexemes.Name("a name for the services found") select n)(i);
        if (!tail.WasSuccessful)
        {
            if (tail.Remainder.Equals(i))
            {
                var expected = new List<string>();
                if (registry is null) expected.Add("'in'");
                if (withTable is null) expected.Add("'with table'");
                if (keywords.Count == 0) expected.Add("'keywords'");
                if (wavebands.Count == 0) expected.Add("'waveband'");
                expected.Add("'as'");
                return Lexemes.Fail<Statement>(i, expected.ToArray());
            }
            return Result.Failure<Statement>(tail.Remainder, tail.Message, tail.Expectations);
        }
        return Result.Success<Statement>(new FindServicesStatement(SourceSpan.Cover(keyword.Span, tail.Value.Span),
            kindWord, registry, withTable, keywords, wavebands, tail.Value), tail.Remainder);
    };
}
