using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Science.RemoteMatch;
using VoScript.Engine.Science.Verbs;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.RemoteMatchStatements))]

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("match", "match T with SERVICE table \"schema.table\" [columns a, b, ...] [positions RA, DEC] within ANGLE [best for T | all] [block N] [parallel N] as NAME",
    "pairs of T's rows and the rows of a table that stays on a TAP service, matched there in blocks of uploaded positions")]

namespace VoScript.Dsl.Modules;

// match T with SERVICE table "schema.table" … (issue #20): the syntax, its parser (reached through the 'match'
// parser of MatchModule, which hands 'match T with …' here) and the compiler rules. Engine side:
// Plans/Handlers/RemoteMatchModule.cs and Protocols/Tap/RemoteMatch/.

internal sealed record RemoteMatchStatement(SourceSpan Span, Identifier Table, Identifier Service, Expression RemoteTable,
    IReadOnlyList<Identifier>? Columns, Identifier? Ra, Identifier? Dec, Expression Within, bool All,
    Expression? Block, Expression? Parallel, Identifier Output) : Statement(Span);

/// <summary>The parser of the remote form of <c>match</c>: the clauses after the table name in any order, each once.</summary>
internal static class RemoteMatchGrammar
{
    private static readonly string[] ClauseWords = ["columns", "positions", "within", "best", "all", "block", "parallel"];

    /// <summary><c>match T with …</c> here, any other <c>match</c> to <paramref name="local"/>.</summary>
    public static Parser<Statement> OrLocal(Parser<Statement> local) => input =>
    {
        var kw = Lexemes.Keyword("match")(input);
        if (!kw.WasSuccessful) return local(input);
        var t = Lexemes.Name("a table name")(kw.Remainder);
        if (!t.WasSuccessful || Lexemes.PeekWord(t.Remainder) != "with") return local(input);
        return Remote(input);
    };

    /// <summary>A remote column: a name, or a string (or backquotes) for a name that is not one (<c>"2MASS"</c>).</summary>
    private static Parser<Identifier> RemoteColumn(string what) => Lexemes.ColumnName(what);

    public static readonly Parser<Statement> Remote = input =>
    {
        var head = (from kw in Lexemes.Keyword("match")
                    from t in Lexemes.Name("a table name")
                    from w in Lexemes.Keyword("with")
                    from s in Lexemes.Name("a TAP service name")
                    select (kw, t, s))(input);
        if (!head.WasSuccessful) return Result.Failure<Statement>(head.Remainder, head.Message, head.Expectations);
        var (kwId, table, service) = head.Value;
        var tableWord = Lexemes.Keyword("table")(head.Remainder);
        if (!tableWord.WasSuccessful)
            return Lexemes.FailWith<Statement>(Lexemes.SkipInline(head.Remainder),
                $"expected 'table \"schema.table\"' after the service, found {Lexemes.Describe(head.Remainder)} (match T with SERVICE table \"schema.table\" within ANGLE as NAME)");
        var remote = Grammar.Expr(tableWord.Remainder);
        if (!remote.WasSuccessful) return Result.Failure<Statement>(remote.Remainder, remote.Message, remote.Expectations);

        IReadOnlyList<Identifier>? columns = null;
        Identifier? ra = null, dec = null, modeWord = null;
        Expression? within = null, block = null, parallel = null;
        var all = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = remote.Remainder;
        while (true)
        {
            var word = Lexemes.PeekWord(i);
            if (!ClauseWords.Contains(word)) break;
            var at = Lexemes.SkipInline(i);
            var key = word is "best" or "all" ? "mode" : word;
            if (!seen.Add(key))
                return Lexemes.FailWith<Statement>(at, key == "mode"
                    ? $"'{word}': the mode is given twice ('{modeWord!.Text}' before); keep one of 'best for {table.Text}' and 'all'"
                    : $"'{word}' is given twice; keep one");
            switch (word)
            {
                case "columns":
                {
                    var r = (from k in Lexemes.Keyword("columns") from cols in VerbGrammar.CommaList(RemoteColumn("a column of the remote table")) select cols)(i);
                    if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                    columns = r.Value;
                    i = r.Remainder;
                    break;
                }
                case "positions":
                {
                    var r = (from k in Lexemes.Keyword("positions")
                             from a in RemoteColumn("the remote table's RA column")
                             from c in Lexemes.Symbol(',')
                             from d in RemoteColumn("the remote table's Dec column")
                             select (a, d))(i);
                    if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                    (ra, dec) = r.Value;
                    if (string.Equals(ra.Text, dec.Text, StringComparison.OrdinalIgnoreCase))
                        return Lexemes.FailWith<Statement>(at, "VOS0209", $"'positions {ra.Text}, {dec.Text}' names one column twice; give the RA column, then the Dec column");
                    i = r.Remainder;
                    break;
                }
                case "within":
                {
                    var r = (from k in Lexemes.Keyword("within") from e in Grammar.Expr select e)(i);
                    if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                    within = r.Value;
                    i = r.Remainder;
                    break;
                }
                case "all":
                {
                    var r = Lexemes.Keyword("all")(i);
                    modeWord = r.Value;
                    all = true;
                    i = r.Remainder;
                    if (Lexemes.PeekWord(i) == "for")
                        return Lexemes.FailWith<Statement>(Lexemes.SkipInline(i), "VOS0209", $"'all' keeps every pair and takes no 'for'; write 'best for {table.Text}' for the nearest partner of each row");
                    break;
                }
                case "best":
                {
                    var r = Lexemes.Keyword("best")(i);
                    modeWord = r.Value;
                    var f = (from k in Lexemes.Keyword("for") from n in Lexemes.Name("the table whose rows get their nearest partner") select n)(r.Remainder);
                    if (!f.WasSuccessful)
                        return Lexemes.FailWith<Statement>(at, "VOS0209",
                            $"against a remote table the best mode is 'best for {table.Text}' (the nearest remote row for each row of {table.Text}): " +
                            "the symmetric 'best' needs both tables whole, and the service sees one block at a time");
                    if (f.Value.Text != table.Text)
                        return Lexemes.FailWith<Statement>(Lexemes.SkipInline(Lexemes.Keyword("for")(r.Remainder).Remainder), "VOS0209",
                            $"'best for {f.Value.Text}': only {table.Text}'s rows can get their nearest partner here (write 'best for {table.Text}' or leave it out: it is the default)");
                    i = f.Remainder;
                    break;
                }
                case "block":
                case "parallel":
                {
                    var r = (from k in Lexemes.Keyword(word) from e in Grammar.Expr select e)(i);
                    if (!r.WasSuccessful) return Result.Failure<Statement>(r.Remainder, r.Message, r.Expectations);
                    if (word == "block") block = r.Value; else parallel = r.Value;
                    i = r.Remainder;
                    break;
                }
            }
        }
        var @as = Lexemes.Keyword("as")(i);
        if (!@as.WasSuccessful)
        {
            var expected = ClauseWords.Where(w => !seen.Contains(w is "best" or "all" ? "mode" : w)).Select(w => $"'{w}'").Append("'as'").ToArray();
            return Lexemes.Fail<Statement>(i, expected);
        }
        var output = Lexemes.Name("a table name")(@as.Remainder);
        if (!output.WasSuccessful) return Result.Failure<Statement>(output.Remainder, output.Message, output.Expectations);
        if (within is null)
            return Lexemes.FailWith<Statement>(Lexemes.SkipInline(i), "'within ANGLE' is missing: say how far apart a pair may be, e.g. 'within 2 arcsec'");
        return Result.Success<Statement>(new RemoteMatchStatement(SourceSpan.Cover(kwId.Span, output.Value.Span), table, service, remote.Value,
            columns, ra, dec, within, all, block, parallel, output.Value), output.Remainder);
    };
}

/// <summary>The compiler rules of the remote <c>match</c> (its parser is reached through <c>MatchModule</c>'s).</summary>
internal sealed class RemoteMatchStatements : ILanguageModule
{
    public IEnumerable<IStatementRules> Rules => [new MatchRules()];

    private sealed class MatchRules : StatementRules<RemoteMatchStatement>, IColumnRules
    {
        public override IEnumerable<Symbol> Defines(RemoteMatchStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];

        public override IEnumerable<NameUse> Uses(RemoteMatchStatement s) =>
            [NameUse.Table(s.Table), new NameUse(s.Service, SymbolKind.Service, [ServiceProtocol.Tap]), .. NameUse.Values(s.RemoteTable, s.Within, s.Block, s.Parallel)];

        public override IEnumerable<Identifier> TablesRead(RemoteMatchStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

        public override void CheckValues(RemoteMatchStatement s, ValuePass.Context c)
        {
            c.String(s.RemoteTable, "the remote table's name");
            if (c.Eval(s.RemoteTable) is StringValue { Value: var name } && string.IsNullOrWhiteSpace(name))
                c.Error(s.RemoteTable, DiagnosticCodes.BadCondition, "the remote table's name is empty; write it as the service lists it, e.g. \"gaiadr3.gaia_source\"");
            c.Angle(s.Within, "the match angle");
            c.Count(s.Block, "the block size", allowZero: false);
            c.Count(s.Parallel, "the number of jobs at once", allowZero: false);
            if (s.Parallel is not null && c.Eval(s.Parallel) is NumberValue { Quantity: Quantity.Number, Value: > RemoteMatchRequest.MaxParallel } p)
                c.Error(s.Parallel, DiagnosticCodes.BadNumber, $"parallel {p.ToDisplay()} is more jobs at once than a service should get from one client; at most {RemoteMatchRequest.MaxParallel}");
            if (s.Block is not null && c.Eval(s.Block) is NumberValue { Quantity: Quantity.Number, Value: > int.MaxValue } b)
                c.Error(s.Block, DiagnosticCodes.BadNumber, $"block {b.ToDisplay()} is too large; blocks of a few thousand rows are what services take");
        }

        public KnownColumns? Columns(Statement statement, ColumnContext c)
        {
            var s = (RemoteMatchStatement)statement;
            if (c.Known(s.Table) is { Complete: true, Typed: true } input && !SkyMatch.HasPositions(input.Fields))
                c.Report(new VerbProblem(VerbProblemKind.Other,
                    $"'{s.Table.Text}' has no position columns to upload: give RA/Dec the UCDs pos.eq.ra;meta.main and pos.eq.dec;meta.main, or name them ra and dec"), s.Table.Span);
            return null; // the remote columns are known only when the service is asked
        }

        public override PlannedStep Plan(RemoteMatchStatement s, PlanContext c) =>
            new(new RemoteMatchStep
            {
                Id = c.Id, Table = s.Table.Text, Service = s.Service.Text, RemoteTable = c.Text(s.RemoteTable),
                Columns = s.Columns?.Select(x => x.Text).ToList(), RaColumn = s.Ra?.Text, DecColumn = s.Dec?.Text,
                WithinDegrees = c.Number(s.Within), Mode = s.All ? RemoteMatchMode.All : RemoteMatchMode.BestForTable,
                Block = s.Block is null ? null : (int)c.Count(s.Block)!.Value,
                Parallel = s.Parallel is null ? RemoteMatchRequest.DefaultParallel : (int)c.Count(s.Parallel)!.Value,
                Output = s.Output.Text,
            }, [s.Table.Text, .. PlanContext.Names(s.RemoteTable, s.Within, s.Block, s.Parallel)]);
    }
}
