using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    /// <summary>A SAMP client: <c>all</c>, a word (its samp.name, any case) or a string for names that are not words.</summary>
    private static Parser<SampClientName> SampClient => input =>
    {
        var all = Lexemes.Keyword("all")(input);
        if (all.WasSuccessful) return Result.Success(new SampClientName(all.Value.Span, "all", true), all.Remainder);
        var str = Lexemes.String(input);
        if (str.WasSuccessful)
        {
            var s = (StringLiteral)str.Value;
            return s.Value.Trim().Length == 0
                ? Lexemes.FailWith<SampClientName>(Lexemes.SkipInline(input), "a SAMP client name cannot be empty")
                : Result.Success(new SampClientName(s.Span, s.Value.Trim(), false), str.Remainder);
        }
        if (!str.Remainder.Equals(input) && str.Message.StartsWith("VOS", StringComparison.Ordinal))
            return Result.Failure<SampClientName>(str.Remainder, str.Message, str.Expectations);
        var i = Lexemes.SkipInline(input);
        var (word, after) = Lexemes.ReadWord(i);
        if (word.Length == 0) return Lexemes.Fail<SampClientName>(input, "a SAMP client (its samp.name, e.g. topcat, or all)");
        return Result.Success(new SampClientName(Lexemes.Span(i, after), word, false), after);
    };

    internal static Parser<Statement> SendStatement =>
        from kw in Lexemes.Keyword("send")
        from tables in Lexemes.Name("a table name").XDelimitedBy(Lexemes.Symbol(','))
        from to in Lexemes.Keyword("to")
        from client in SampClient
        from form in (from a in Lexemes.Keyword("as") from f in Lexemes.OneOf("table", "spectra", "image") select f).XOptional()
        select (Statement)new SendStatement(
            SourceSpan.Cover(kw.Span, form.IsDefined ? form.Get().Span : client.Span), tables.ToList(), client, form.GetOrDefault());

    /// <summary><c>receive table [from CLIENT] [timeout DURATION] as NAME</c>; the two clauses in any order, each once.</summary>
    internal static Parser<Statement> ReceiveStatement => input =>
    {
        var kw = Lexemes.Keyword("receive")(input);
        if (!kw.WasSuccessful) return Result.Failure<Statement>(kw.Remainder, kw.Message, kw.Expectations);
        var table = Lexemes.Keyword("table")(kw.Remainder);
        if (!table.WasSuccessful)
            return Lexemes.FailWith<Statement>(Lexemes.SkipInline(kw.Remainder),
                $"expected 'table' after 'receive' (receive table [from CLIENT] [timeout DURATION] as NAME)");
        SampClientName? from = null;
        Expression? timeout = null;
        var i = table.Remainder;
        while (true)
        {
            var word = Lexemes.PeekWord(i);
            if ((word == "from" && from is not null) || (word == "timeout" && timeout is not null))
                return Lexemes.FailWith<Statement>(Lexemes.SkipInline(i), $"'{word}' is given twice; keep one");
            if (word == "from")
            {
                var r = (from f in Lexemes.Keyword("from") from c in SampClient select c)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                if (r.Value.IsAll)
                    return Lexemes.FailWith<Statement>(Lexemes.SkipInline(Lexemes.Keyword("from")(i).Remainder),
                        "'from all' is not needed: without 'from', a table from any client is taken");
                from = r.Value;
                i = r.Remainder;
            }
            else if (word == "timeout")
            {
                var r = (from t in Lexemes.Keyword("timeout") from d in Expr select d)(i);
                if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                timeout = r.Value;
                i = r.Remainder;
            }
            else break;
        }
        var @as = Lexemes.Keyword("as")(i);
        if (!@as.WasSuccessful)
        {
            var expected = new List<string>();
            if (from is null) expected.Add("'from'");
            if (timeout is null) expected.Add("'timeout'");
            expected.Add("'as'");
            return Lexemes.Fail<Statement>(i, expected.ToArray());
        }
        var output = Lexemes.Name("a table name")(@as.Remainder);
        if (!output.WasSuccessful) return Result.Failure<Statement>(output.Remainder, output.Message, output.Expectations);
        return Result.Success<Statement>(
            new ReceiveStatement(SourceSpan.Cover(kw.Value.Span, output.Value.Span), from, timeout, output.Value), output.Remainder);
    };

    internal static Parser<Statement> PointStatement =>
        from kw in Lexemes.Keyword("point")
        from client in SampClient
        from at in Lexemes.Keyword("at")
        from ra in Expr
        from comma in Lexemes.Symbol(',')
        from dec in Expr
        select (Statement)new PointStatement(SourceSpan.Cover(kw.Span, dec.Span), client, ra, dec);
}
