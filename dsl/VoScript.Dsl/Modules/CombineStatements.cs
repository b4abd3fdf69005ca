using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Science.Verbs;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.MatchModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.JoinModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.StackModule))]

namespace VoScript.Dsl.Modules;

// The verbs of several tables (match, join, stack): their rules and modules. Their statements, and the one-table verbs, are in VerbStatements.cs.

/// <summary>Rules shared by the verbs of several tables.</summary>
internal abstract class ManyTableVerbRules<T> : StatementRules<T>, IColumnRules where T : Statement
{
    protected abstract IReadOnlyList<Identifier> Inputs(T s);
    protected abstract Identifier Output(T s);
    protected abstract VerbSchema Schema(T s, IReadOnlyList<KnownColumns> inputs, bool typed);
    protected abstract SourceSpan ItemSpan(T s, int item);

    public override IEnumerable<Symbol> Defines(T s, int order, CSharpAnalysis? csharp) => [TableSymbol(Output(s), s, order)];
    public override IEnumerable<NameUse> Uses(T s) => Inputs(s).Select(NameUse.Table);
    public override IEnumerable<Identifier> TablesRead(T s, SymbolTable symbols, CSharpAnalysis? csharp) => Inputs(s);

    public KnownColumns? Columns(Statement statement, ColumnContext c)
    {
        var s = (T)statement;
        var inputs = Inputs(s).Select(c.Known).ToList();
        if (inputs.Any(i => i is not { Complete: true })) return null;
        var typed = inputs.All(i => i!.Typed);
        var schema = Schema(s, inputs!, typed);
        foreach (var p in schema.Problems)
        {
            var item = Math.Clamp(p.Item, 0, inputs.Count - 1);
            c.Report(p, p.Item >= 0 ? ItemSpan(s, p.Item) : s.Span, null, Inputs(s)[item].Text, inputs[item]);
        }
        return new KnownColumns(schema.Fields, true, $"{statement.GetType().Name.Replace("Statement", "", StringComparison.Ordinal).ToLowerInvariant()} on line {s.Span.Line}") { Typed = typed };
    }
}

internal sealed class MatchModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("match")
        from a in VerbGrammar.Table
        from comma in Lexemes.Symbol(',')
        from b in VerbGrammar.Table
        from within in Lexemes.Keyword("within")
        from angle in Grammar.Expr
        from mode in (from m in Lexemes.OneOf("best", "all")
                      from f in (from k in Lexemes.Keyword("for") from t in VerbGrammar.Table select t).Optional()
                      select (m, f.GetOrDefault())).Optional()
        from o in VerbGrammar.As
        select (Statement)new MatchStatement(SourceSpan.Cover(kw.Span, o.Name.Span), a, b, angle,
            mode.IsDefined ? mode.Get().m : null, mode.IsDefined ? mode.Get().Item2 : null, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("match", () => RemoteMatchGrammar.OrLocal(Parser))];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private static MatchMode Mode(MatchStatement s) =>
        s.Mode?.Text == "all" ? MatchMode.All
        : s.For is null ? MatchMode.Best
        : s.For.Text == s.A.Text ? MatchMode.BestForA : MatchMode.BestForB;

    private sealed class VerbRules : ManyTableVerbRules<MatchStatement>
    {
        protected override IReadOnlyList<Identifier> Inputs(MatchStatement s) => [s.A, s.B];
        protected override Identifier Output(MatchStatement s) => s.Output;
        public override IEnumerable<NameUse> Uses(MatchStatement s) => [.. base.Uses(s), .. NameUse.Values(s.Within)];
        protected override VerbSchema Schema(MatchStatement s, IReadOnlyList<KnownColumns> inputs, bool typed) =>
            SkyMatch.Schema(inputs[0].Fields, inputs[1].Fields, s.A.Text, s.B.Text, checkPositions: typed);
        protected override SourceSpan ItemSpan(MatchStatement s, int item) => item == 0 ? s.A.Span : s.B.Span;

        public override void CheckValues(MatchStatement s, ValuePass.Context c)
        {
            c.Angle(s.Within, "the match angle");
            if (s.A.Text == s.B.Text)
                c.Error(s.B.Span, DiagnosticCodes.BadCondition,
                    $"match pairs the rows of two different tables, not '{s.A.Text}' twice; to find the rows of one table that lie close together, use cluster {s.A.Text} within ANGLE as NAME");
            if (s.Mode?.Text == "all" && s.For is not null)
                c.Error(SourceSpan.Cover(s.Mode.Span, s.For.Span), DiagnosticCodes.BadCondition, "'all' keeps every pair and takes no 'for'; write 'best for T' for the nearest partner of each row of T");
            if (s.For is not null && s.For.Text != s.A.Text && s.For.Text != s.B.Text)
                c.Error(s.For.Span, DiagnosticCodes.BadCondition, $"'best for {s.For.Text}': {s.For.Text} must be one of the matched tables, {s.A.Text} or {s.B.Text}");
        }

        public override PlannedStep Plan(MatchStatement s, PlanContext c) =>
            new(new MatchStep { Id = c.Id, A = s.A.Text, B = s.B.Text, WithinDegrees = c.Number(s.Within), Mode = Mode(s), Output = s.Output.Text },
                [s.A.Text, s.B.Text, .. PlanContext.Names(s.Within)]);
    }
}

internal sealed class JoinModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("join")
        from a in VerbGrammar.Table
        from comma in Lexemes.Symbol(',')
        from b in VerbGrammar.Table
        from onKw in Lexemes.Keyword("on")
        from ka in VerbGrammar.Column
        from kb in (from eq in Lexemes.Symbol('=') from k in VerbGrammar.Column select k).Optional()
        from left in Lexemes.Keyword("left").Optional()
        from o in VerbGrammar.As
        select (Statement)new JoinStatement(SourceSpan.Cover(kw.Span, o.Name.Span), a, b, ka, kb.GetOrElse(ka), left.IsDefined, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("join", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : ManyTableVerbRules<JoinStatement>
    {
        protected override IReadOnlyList<Identifier> Inputs(JoinStatement s) => [s.A, s.B];
        protected override Identifier Output(JoinStatement s) => s.Output;
        protected override VerbSchema Schema(JoinStatement s, IReadOnlyList<KnownColumns> inputs, bool typed) =>
            Join.Schema(inputs[0].Fields, inputs[1].Fields, s.KeyA.Text, s.KeyB.Text, s.A.Text, s.B.Text, typed);
        protected override SourceSpan ItemSpan(JoinStatement s, int item) => item == 0 ? s.KeyA.Span : s.KeyB.Span;
        public override PlannedStep Plan(JoinStatement s, PlanContext c) =>
            new(new JoinStep { Id = c.Id, A = s.A.Text, B = s.B.Text, KeyA = s.KeyA.Text, KeyB = s.KeyB.Text, Left = s.Left, Output = s.Output.Text }, [s.A.Text, s.B.Text]);
    }
}

internal sealed class StackModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("stack")
        from tables in VerbGrammar.CommaList(VerbGrammar.Table)
        from o in VerbGrammar.As
        select (Statement)new StackStatement(SourceSpan.Cover(kw.Span, o.Name.Span), tables, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("stack", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : ManyTableVerbRules<StackStatement>
    {
        protected override IReadOnlyList<Identifier> Inputs(StackStatement s) => s.Tables;
        protected override Identifier Output(StackStatement s) => s.Output;
        protected override VerbSchema Schema(StackStatement s, IReadOnlyList<KnownColumns> inputs, bool typed) =>
            Stack.Schema(s.Tables.Select((t, k) => (t.Text, inputs[k].Fields)).ToList(), typed);
        protected override SourceSpan ItemSpan(StackStatement s, int item) => s.Tables[item].Span;
        public override PlannedStep Plan(StackStatement s, PlanContext c) =>
            new(new StackStep { Id = c.Id, Tables = s.Tables.Select(t => t.Text).ToList(), Output = s.Output.Text }, [.. s.Tables.Select(t => t.Text)]);
    }
}
