using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    /// <summary><c>[sync|async] as NAME</c>.</summary>
    private static Parser<(Identifier? Mode, Identifier Output)> ModeAndOutput =>
        (from mode in Lexemes.OneOf("sync", "async")
         from @as in Lexemes.Keyword("as")
         from output in Lexemes.Name("a table name")
         select ((Identifier?)mode, output))
        .Or(from @as in Lexemes.Keyword("as")
            from output in Lexemes.Name("a table name")
            select ((Identifier?)null, output));

    private static Parser<UploadClause> UploadItem =>
        from table in Lexemes.Name("a table name to upload")
        from alias in (from a in Lexemes.Keyword("as") from n in Lexemes.Name("the name the query sees it by") select n).XOptional()
        select new UploadClause(SourceSpan.Cover(table.Span, alias.IsDefined ? alias.Get().Span : table.Span), table, alias.GetOrDefault());

    /// <summary><c>maxrec N</c>, <c>upload …</c> and <c>on error continue</c>, in any order, each once.</summary>
    private static Parser<QueryClauses> QueryClauses => input =>
    {
        Expression? maxrec = null;
        var uploads = new List<UploadClause>();
        SourceSpan? continueOnError = null;
        var i = input;
        while (true)
        {
            var word = Lexemes.PeekWord(i);
            if ((word == "maxrec" && maxrec is not null) || (word == "upload" && uploads.Count > 0)
                || (word == "on" && continueOnError is not null))
                return Lexemes.FailWith<QueryClauses>(Lexemes.SkipInline(i), $"'{(word == "on" ? "on error continue" : word)}' is given twice; keep one");
            if (word == "maxrec" && maxrec is null)
            {
                var r = MaxRecClause(i);
                if (!r.WasSuccessful) return Result.Failure<QueryClauses>(r.Remainder, r.Message, r.Expectations);
                maxrec = r.Value;
                i = r.Remainder;
            }
            else if (word == "upload" && uploads.Count == 0)
            {
                var r = (from u in Lexemes.Keyword("upload") from items in UploadItem.XDelimitedBy(Lexemes.Symbol(',')) select items)(i);
                if (!r.WasSuccessful) return Result.Failure<QueryClauses>(r.Remainder, r.Message, r.Expectations);
                uploads.AddRange(r.Value);
                i = r.Remainder;
            }
            else if (word == "on" && continueOnError is null)
            {
                var r = OnErrorContinue(i);
                if (!r.WasSuccessful) return Result.Failure<QueryClauses>(r.Remainder, r.Message, r.Expectations);
                continueOnError = r.Value;
                i = r.Remainder;
            }
            else break;
        }
        return Result.Success(new QueryClauses(maxrec, uploads, continueOnError), i);
    };

    /// <summary><c>on error continue</c> (query, query each, fetch).</summary>
    internal static Parser<SourceSpan> OnErrorContinue =>
        from onWord in Lexemes.Keyword("on")
        from errorWord in Lexemes.Keyword("error")
        from c in Lexemes.Keyword("continue")
        select SourceSpan.Cover(onWord.Span, c.Span);

    private static string[] ClauseExpectations(QueryClauses c)
    {
        var list = new List<string>();
        if (c.MaxRec is null) list.Add("'maxrec'");
        if (c.Uploads.Count == 0) list.Add("'upload'");
        if (c.ContinueOnError is null) list.Add("'on error continue'");
        list.Add("'{' to start the ADQL");
        return list.ToArray();
    }

    internal static Parser<Statement> QueryStatement => input =>
    {
        var kw = Lexemes.Keyword("query")(input);
        if (!kw.WasSuccessful) return Result.Failure<Statement>(kw.Remainder, kw.Message, kw.Expectations);
        var each = Lexemes.Keyword("each")(kw.Remainder);
        var source = each.WasSuccessful
            ? Lexemes.Name("a service set (from find services or services … from)")(each.Remainder)
            : Lexemes.Name("a service name or 'each'")(kw.Remainder);
        if (!source.WasSuccessful) return Result.Failure<Statement>(source.Remainder, source.Message, source.Expectations);
        var head = ModeAndOutput(source.Remainder);
        if (!head.WasSuccessful) return Result.Failure<Statement>(head.Remainder, head.Message, head.Expectations);
        var clauses = QueryClauses(head.Remainder);
        if (!clauses.WasSuccessful) return Result.Failure<Statement>(clauses.Remainder, clauses.Message, clauses.Expectations);
        var block = AdqlBlock(ClauseExpectations(clauses.Value))(clauses.Remainder);
        if (!block.WasSuccessful) return Result.Failure<Statement>(block.Remainder, block.Message, block.Expectations);
        var span = SourceSpan.Cover(kw.Value.Span, block.Value.Span);
        Statement statement = each.WasSuccessful
            ? new QueryEachStatement(span, source.Value, head.Value.Mode, head.Value.Output, clauses.Value, block.Value)
            : new QueryStatement(span, source.Value, head.Value.Mode, head.Value.Output, clauses.Value, block.Value);
        return Result.Success(statement, block.Remainder);
    };

    internal static Parser<Statement> AwaitStatement =>
        from kw in Lexemes.Keyword("await")
        from target in Lexemes.Keyword("all").Select(a => (All: (Identifier?)a, Names: (IReadOnlyList<Identifier>)[]))
            .Or(Lexemes.Name("a table name").XDelimitedBy(Lexemes.Symbol(','))
                .Select(names => (All: (Identifier?)null, Names: (IReadOnlyList<Identifier>)names.ToList())))
        from timeout in (from t in Lexemes.Keyword("timeout") from d in Expr select d).XOptional()
        select (Statement)new AwaitStatement(
            SourceSpan.Cover(kw.Span, timeout.IsDefined ? timeout.Get().Span : target.All?.Span ?? target.Names[^1].Span),
            target.Names, target.All, timeout.GetOrDefault());

    /// <summary>
    /// <c>{ ADQL }</c>: text up to the matching brace. Braces inside ADQL strings
    /// (<c>'…'</c>), delimited identifiers (<c>"…"</c>) and <c>--</c> comments do not count;
    /// <c>${expr}</c> is a hole, parsed as an expression.
    /// </summary>
    internal static Parser<AdqlBlock> AdqlBlock(string[] expectations) => input =>
    {
        var open = Lexemes.SkipBlank(input);
        if (open.AtEnd || open.Current != '{') return Lexemes.Fail<AdqlBlock>(input, expectations);
        var parts = new List<AdqlPart>();
        var i = open.Advance();
        var textStart = i;
        var depth = 0;
        void FlushText(IInput end)
        {
            if (end.Position > textStart.Position)
                parts.Add(new AdqlText(Lexemes.Span(textStart, end), end.Source[textStart.Position..end.Position]));
        }
        // ${expr} at holeStart: text so far becomes a part, then the hole; the text goes on after its '}'
        IResult<AdqlHole> Hole(IInput holeStart, bool inString)
        {
            FlushText(holeStart);
            var value = Expr(holeStart.Advance().Advance());
            if (!value.WasSuccessful) return Result.Failure<AdqlHole>(value.Remainder, value.Message, value.Expectations);
            var close = Lexemes.Symbol('}')(value.Remainder);
            if (!close.WasSuccessful) return Lexemes.Fail<AdqlHole>(value.Remainder, "'}' to close '${'");
            var hole = new AdqlHole(Lexemes.Span(holeStart, close.Remainder), value.Value) { InString = inString };
            parts.Add(hole);
            textStart = close.Remainder;
            return Result.Success(hole, close.Remainder);
        }
        while (true)
        {
            if (i.AtEnd)
                return Lexemes.FailWith<AdqlBlock>(open, "VOS0004", "this ADQL block is not closed: add '}' after the query");
            var c = i.Current;
            if (c is '\'' or '"')
            {
                var quoteStart = i;
                i = i.Advance();
                while (!i.AtEnd && i.Current != c)
                {
                    if (c == '\'' && i.Current == '$' && Lexemes.Next(i) == '{')
                    {
                        // a hole inside an ADQL string ('%${name}%'): the value's text, quotes doubled, no quotes added
                        var hole = Hole(i, inString: true);
                        if (!hole.WasSuccessful) return Result.Failure<AdqlBlock>(hole.Remainder, hole.Message, hole.Expectations);
                        i = hole.Remainder;
                        continue;
                    }
                    i = i.Advance();
                }
                if (i.AtEnd)
                    return Lexemes.FailWith<AdqlBlock>(quoteStart, "VOS0004",
                        c == '\'' ? "this ADQL string is not closed: add ' to end it" : "this ADQL quoted name is not closed: add \" to end it");
                i = i.Advance();
                continue;
            }
            if (c == '-' && Lexemes.Next(i) == '-')
            {
                while (!i.AtEnd && i.Current != '\n') i = i.Advance();
                continue;
            }
            if (c == '$' && Lexemes.Next(i) == '{')
            {
                var hole = Hole(i, inString: false);
                if (!hole.WasSuccessful) return Result.Failure<AdqlBlock>(hole.Remainder, hole.Message, hole.Expectations);
                i = hole.Remainder;
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}')
            {
                if (depth == 0)
                {
                    FlushText(i);
                    var end = i.Advance();
                    return Result.Success(new AdqlBlock(Lexemes.Span(open, end), parts), end);
                }
                depth--;
            }
            i = i.Advance();
        }
    };
}
