using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.KeepModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.DropModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.RenameModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.DeriveModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.SortModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.TopModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.DistinctModule))]
[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.GroupModule))]

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("keep", "keep T columns a, b, ... as NAME", "only the named columns, in that order")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("drop", "drop T columns a, b, ... as NAME", "all columns but the named ones")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("rename", "rename T a to b, ... as NAME", "columns with new names")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("derive", "derive T with NAME = EXPR [unit \"u\"] [ucd \"w\"], ... as NAME", "new columns computed from the others")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("sort", "sort T by COL [desc], ... as NAME", "the rows in order (stable; nulls last, also with desc)")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("top", "top N of T [by COL [desc], ...] as NAME", "the first N rows, after sorting if 'by' says")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("distinct", "distinct T by COL, ... as NAME", "the first row of each key")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("group", "group T by COL, ... with NAME = AGG(EXPR), ... as NAME", "one row per key with aggregates (count, sum, mean, median, min, max, std, first, mean_position)")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("match", "match A, B within ANGLE [best | all | best for T] as NAME", "pairs of rows whose positions are at most ANGLE apart, with their separation")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("join", "join A, B on COL [= COL] [left] as NAME", "rows of two tables with equal keys")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("stack", "stack A, B, ... as NAME", "the rows of several tables, columns matched by name")]

namespace VoScript.Dsl.Modules;

// The table verbs of issue #16, one module each (syntax, parser, compiler rules, columns), with the steps and
// handlers in engine/VoScript.Engine/Runtime/Modules/VerbsModule.cs and the kernels in engine/VoScript.Engine/Science/Verbs/.

/// <summary>One <c>NAME = EXPR [unit "u"] [ucd "w"]</c> of <c>derive</c> or <c>group</c>; the expression's spans are script offsets.</summary>
internal sealed record VerbItem(Identifier Name, Expr Expr, SourceSpan ExprSpan, string? Unit, string? Ucd);

/// <summary>A sort key as written.</summary>
internal sealed record SortKeySyntax(Identifier Column, bool Descending);

internal sealed record KeepStatement(SourceSpan Span, Identifier Table, IReadOnlyList<Identifier> Columns, Identifier Output) : Statement(Span);

internal sealed record DropStatement(SourceSpan Span, Identifier Table, IReadOnlyList<Identifier> Columns, Identifier Output) : Statement(Span);

internal sealed record RenameStatement(SourceSpan Span, Identifier Table, IReadOnlyList<(Identifier From, Identifier To)> Renames, Identifier Output) : Statement(Span);

internal sealed record DeriveStatement(SourceSpan Span, Identifier Table, IReadOnlyList<VerbItem> Items, Identifier Output) : Statement(Span), IHasExpressions
{
    public IEnumerable<Expr> Expressions => Items.Select(i => i.Expr);

    public Statement MapExpressions(Func<Expr, Expr> map) => this with { Items = Items.Select(i => i with { Expr = map(i.Expr) }).ToList() };
}

internal sealed record SortStatement(SourceSpan Span, Identifier Table, IReadOnlyList<SortKeySyntax> Keys, Identifier Output) : Statement(Span);

internal sealed record TopStatement(SourceSpan Span, Expression Count, Identifier Table, IReadOnlyList<SortKeySyntax> Keys, Identifier Output) : Statement(Span);

internal sealed record DistinctStatement(SourceSpan Span, Identifier Table, IReadOnlyList<Identifier> Keys, Identifier Output) : Statement(Span);

internal sealed record GroupStatement(SourceSpan Span, Identifier Table, IReadOnlyList<Identifier> Keys, IReadOnlyList<VerbItem> Items, Identifier Output) : Statement(Span), IHasExpressions
{
    public IEnumerable<Expr> Expressions => Items.Select(i => i.Expr);

    public Statement MapExpressions(Func<Expr, Expr> map) => this with { Items = Items.Select(i => i with { Expr = map(i.Expr) }).ToList() };
}

internal sealed record MatchStatement(SourceSpan Span, Identifier A, Identifier B, Expression Within, Identifier? Mode, Identifier? For, Identifier Output) : Statement(Span);

internal sealed record JoinStatement(SourceSpan Span, Identifier A, Identifier B, Identifier KeyA, Identifier KeyB, bool Left, Identifier Output) : Statement(Span);

internal sealed record StackStatement(SourceSpan Span, IReadOnlyList<Identifier> Tables, Identifier Output) : Statement(Span);

/// <summary>Parsers shared by the verbs.</summary>
internal static class VerbGrammar
{
    public static Parser<IReadOnlyList<T>> CommaList<T>(Parser<T> item) =>
        from first in item
        from rest in (from comma in Lexemes.Symbol(',') from x in item select x).Many()
        select (IReadOnlyList<T>)[first, .. rest];

    public static readonly Parser<Identifier> Column = Lexemes.ColumnName("a column name");
    public static readonly Parser<Identifier> Table = Lexemes.Name("a table name");

    public static readonly Parser<(Identifier As, Identifier Name)> As =
        from @as in Lexemes.Keyword("as")
        from name in Lexemes.Name("a table name")
        select (@as, name);

    public static readonly Parser<SortKeySyntax> SortKey =
        from c in Column
        from desc in Lexemes.Keyword("desc").Or(Lexemes.Keyword("asc")).Optional()
        select new SortKeySyntax(c, desc.IsDefined && desc.Get().Text == "desc");

    private static readonly Parser<string> StringValue = input =>
    {
        var r = Lexemes.String(input);
        return r.WasSuccessful ? Result.Success(((StringLiteral)r.Value).Value, r.Remainder) : Result.Failure<string>(r.Remainder, r.Message, r.Expectations);
    };

    public static readonly Parser<VerbItem> Item =
        from name in Lexemes.ColumnName("a name for the new column")
        from eq in Lexemes.Symbol('=')
        from e in Grammar.ExpressionWithSpan
        from unit in (from k in Lexemes.Keyword("unit") from u in StringValue select u).Optional()
        from ucd in (from k in Lexemes.Keyword("ucd") from u in StringValue select u).Optional()
        select new VerbItem(name, e.Expr, e.Span, unit.GetOrDefault(), ucd.GetOrDefault());
}

/// <summary>Rules shared by the one-table verbs.</summary>
internal abstract class OneTableVerbRules<T> : StatementRules<T>, IColumnRules where T : Statement
{
    protected abstract Identifier Input(T s);
    protected abstract Identifier Output(T s);
    protected virtual IEnumerable<Expression> Values(T s) => [];

    /// <summary>The verb's schema for known input columns; problems' <see cref="VerbProblem.Item"/> index <see cref="ItemSpan"/>.</summary>
    protected abstract VerbSchema Schema(T s, IReadOnlyList<Field> input, bool typed);
    protected abstract SourceSpan ItemSpan(T s, int item);
    protected virtual SourceSpan? ExprSpan(T s, int item) => null;

    /// <summary>The problems found when the input's columns are known only in part (<paramref name="some"/>, typed; maybe none).</summary>
    protected virtual IEnumerable<VerbProblem> Shape(T s, IReadOnlyList<Field> some) => [];

    /// <summary>
    /// The names of the output's columns when the input's are not (all) known, for verbs whose output names do not depend
    /// on them (keep, group); null for the others. Their types are known at run time.
    /// </summary>
    protected virtual IEnumerable<Identifier>? NamesWithoutInput(T s) => null;

    /// <summary>A new column's name that one of <paramref name="some"/> (known columns of the input) or an earlier new column already has.</summary>
    protected static VerbProblem? Clash(string name, IReadOnlyList<Field> some, IEnumerable<string> earlier, int item, string what) =>
        some.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ? VerbProblem.TakenName(name, item)
        : earlier.Contains(name, StringComparer.OrdinalIgnoreCase) ? VerbProblem.NamedTwice(name, item, what)
        : null;

    public override IEnumerable<Symbol> Defines(T s, int order, CSharpAnalysis? csharp) => [TableSymbol(Output(s), s, order)];
    public override IEnumerable<NameUse> Uses(T s) => [NameUse.Table(Input(s)), .. NameUse.Values([.. Values(s)])];
    public override IEnumerable<Identifier> TablesRead(T s, SymbolTable symbols, CSharpAnalysis? csharp) => [Input(s)];

    public KnownColumns? Columns(Statement statement, ColumnContext c)
    {
        var s = (T)statement;
        if (c.Known(Input(s)) is not { Complete: true } input)
        {
            // the input's columns are known only in part (a cluster of query results) or not at all (a file, a service):
            // what can be checked without them still is (functions, aggregates, clashes with the columns known)
            foreach (var p in Shape(s, c.Known(Input(s))?.Fields ?? []))
                c.Report(p, p.Item >= 0 ? ItemSpan(s, p.Item) : s.Span, p.Item >= 0 ? ExprSpan(s, p.Item) : null);
            return NamesWithoutInput(s) is { } names
                ? new KnownColumns(names.Select(n => new Field(n.Text, DataType.Double)).ToList(), true, MadeBy(s)) { Typed = false }
                : null;
        }
        var schema = Schema(s, input.Fields, input.Typed);
        foreach (var p in schema.Problems)
        {
            var at = p.Item >= 0 ? ItemSpan(s, p.Item) : s.Span;
            c.Report(p, at, p.Item >= 0 ? ExprSpan(s, p.Item) : null, Input(s).Text, input);
        }
        return new KnownColumns(schema.Fields, true, MadeBy(s)) { Typed = input.Typed };
    }

    private static string MadeBy(T s) => $"{typeof(T).Name.Replace("Statement", "", StringComparison.Ordinal).ToLowerInvariant()} on line {s.Span.Line}";
}

internal sealed class KeepModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("keep")
        from t in VerbGrammar.Table
        from c in Lexemes.Keyword("columns")
        from cols in VerbGrammar.CommaList(VerbGrammar.Column)
        from o in VerbGrammar.As
        select (Statement)new KeepStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, cols, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("keep", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : OneTableVerbRules<KeepStatement>
    {
        protected override Identifier Input(KeepStatement s) => s.Table;
        protected override Identifier Output(KeepStatement s) => s.Output;
        protected override IEnumerable<Identifier> NamesWithoutInput(KeepStatement s) => s.Columns;
        protected override VerbSchema Schema(KeepStatement s, IReadOnlyList<Field> input, bool typed) => ColumnVerbs.KeepSchema(input, s.Columns.Select(c => c.Text).ToList(), s.Table.Text);
        protected override SourceSpan ItemSpan(KeepStatement s, int item) => s.Columns[item].Span;
        public override PlannedStep Plan(KeepStatement s, PlanContext c) =>
            new(new KeepStep { Id = c.Id, Table = s.Table.Text, Columns = s.Columns.Select(x => x.Text).ToList(), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class DropModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("drop")
        from t in VerbGrammar.Table
        from c in Lexemes.Keyword("columns")
        from cols in VerbGrammar.CommaList(VerbGrammar.Column)
        from o in VerbGrammar.As
        select (Statement)new DropStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, cols, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("drop", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : OneTableVerbRules<DropStatement>
    {
        protected override Identifier Input(DropStatement s) => s.Table;
        protected override Identifier Output(DropStatement s) => s.Output;
        protected override VerbSchema Schema(DropStatement s, IReadOnlyList<Field> input, bool typed) => ColumnVerbs.DropSchema(input, s.Columns.Select(c => c.Text).ToList(), s.Table.Text);
        protected override SourceSpan ItemSpan(DropStatement s, int item) => s.Columns[item].Span;
        public override PlannedStep Plan(DropStatement s, PlanContext c) =>
            new(new DropStep { Id = c.Id, Table = s.Table.Text, Columns = s.Columns.Select(x => x.Text).ToList(), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class RenameModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("rename")
        from t in VerbGrammar.Table
        from pairs in VerbGrammar.CommaList(from a in VerbGrammar.Column from to in Lexemes.Keyword("to") from b in Lexemes.ColumnName("the new column name") select (a, b))
        from o in VerbGrammar.As
        select (Statement)new RenameStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, pairs, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("rename", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : OneTableVerbRules<RenameStatement>
    {
        protected override Identifier Input(RenameStatement s) => s.Table;
        protected override Identifier Output(RenameStatement s) => s.Output;
        protected override VerbSchema Schema(RenameStatement s, IReadOnlyList<Field> input, bool typed) =>
            ColumnVerbs.RenameSchema(input, s.Renames.Select(r => (r.From.Text, r.To.Text)).ToList(), s.Table.Text);
        protected override SourceSpan ItemSpan(RenameStatement s, int item) => SourceSpan.Cover(s.Renames[item].From.Span, s.Renames[item].To.Span);

        protected override IEnumerable<VerbProblem> Shape(RenameStatement s, IReadOnlyList<Field> some)
        {
            // a known column keeps its name unless it is renamed itself
            var staying = some.Where(f => !s.Renames.Any(r => r.From.Text.Equals(f.Name, StringComparison.OrdinalIgnoreCase))).ToList();
            for (var k = 0; k < s.Renames.Count; k++)
                if (Clash(s.Renames[k].To.Text, staying, s.Renames.Take(k).Select(r => r.To.Text), k, "a new name") is { } clash) yield return clash;
        }
        public override PlannedStep Plan(RenameStatement s, PlanContext c) =>
            new(new RenameStep { Id = c.Id, Table = s.Table.Text, Renames = s.Renames.Select(r => (r.From.Text, r.To.Text)).ToList(), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class DeriveModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("derive")
        from t in VerbGrammar.Table
        from w in Lexemes.Keyword("with")
        from items in VerbGrammar.CommaList(VerbGrammar.Item)
        from o in VerbGrammar.As
        select (Statement)new DeriveStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, items, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("derive", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    internal static List<Derivation> Derivations(DeriveStatement s) => s.Items.Select(i => new Derivation(i.Name.Text, i.Expr, i.Unit, i.Ucd)).ToList();

    private sealed class VerbRules : OneTableVerbRules<DeriveStatement>
    {
        protected override Identifier Input(DeriveStatement s) => s.Table;
        protected override Identifier Output(DeriveStatement s) => s.Output;
        protected override VerbSchema Schema(DeriveStatement s, IReadOnlyList<Field> input, bool typed) => Derive.Schema(input, Derivations(s), typed);
        protected override SourceSpan ItemSpan(DeriveStatement s, int item) => s.Items[item].Name.Span;
        protected override SourceSpan? ExprSpan(DeriveStatement s, int item) => s.Items[item].ExprSpan;

        protected override IEnumerable<VerbProblem> Shape(DeriveStatement s, IReadOnlyList<Field> some)
        {
            for (var k = 0; k < s.Items.Count; k++)
            {
                var name = s.Items[k].Name.Text;
                if (Clash(name, some, s.Items.Take(k).Select(i => i.Name.Text), k, "derived") is { } clash) yield return clash;
                foreach (var e in ExpressionChecker.CheckShape(s.Items[k].Expr, some, namesComplete: false).Errors)
                    yield return VerbProblem.FromExpression(e, some, k);
            }
        }

        public override PlannedStep Plan(DeriveStatement s, PlanContext c) =>
            new(new DeriveStep { Id = c.Id, Table = s.Table.Text, Derivations = Derivations(s), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class SortModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("sort")
        from t in VerbGrammar.Table
        from byKw in Lexemes.Keyword("by")
        from keys in VerbGrammar.CommaList(VerbGrammar.SortKey)
        from o in VerbGrammar.As
        select (Statement)new SortStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, keys, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("sort", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    internal static List<SortKey> Keys(IReadOnlyList<SortKeySyntax> keys) => keys.Select(k => new SortKey(k.Column.Text, k.Descending)).ToList();

    private sealed class VerbRules : OneTableVerbRules<SortStatement>
    {
        protected override Identifier Input(SortStatement s) => s.Table;
        protected override Identifier Output(SortStatement s) => s.Output;
        protected override VerbSchema Schema(SortStatement s, IReadOnlyList<Field> input, bool typed) => Sorting.SortSchema(input, Keys(s.Keys), s.Table.Text);
        protected override SourceSpan ItemSpan(SortStatement s, int item) => s.Keys[item].Column.Span;
        public override PlannedStep Plan(SortStatement s, PlanContext c) =>
            new(new SortStep { Id = c.Id, Table = s.Table.Text, Keys = Keys(s.Keys), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class TopModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("top")
        from n in Grammar.Expr
        from of in Lexemes.Keyword("of")
        from t in VerbGrammar.Table
        from keys in (from byKw in Lexemes.Keyword("by") from k in VerbGrammar.CommaList(VerbGrammar.SortKey) select k).Optional()
        from o in VerbGrammar.As
        select (Statement)new TopStatement(SourceSpan.Cover(kw.Span, o.Name.Span), n, t, keys.GetOrElse([]), o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("top", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : OneTableVerbRules<TopStatement>
    {
        protected override Identifier Input(TopStatement s) => s.Table;
        protected override Identifier Output(TopStatement s) => s.Output;
        protected override IEnumerable<Expression> Values(TopStatement s) => [s.Count];
        public override void CheckValues(TopStatement s, ValuePass.Context c) => c.Count(s.Count, "the number of rows of top", allowZero: true);
        protected override VerbSchema Schema(TopStatement s, IReadOnlyList<Field> input, bool typed) => Sorting.SortSchema(input, SortModule.Keys(s.Keys), s.Table.Text);
        protected override SourceSpan ItemSpan(TopStatement s, int item) => s.Keys[item].Column.Span;
        public override PlannedStep Plan(TopStatement s, PlanContext c) =>
            new(new TopStep { Id = c.Id, Table = s.Table.Text, Count = c.Count(s.Count) ?? 0, Keys = SortModule.Keys(s.Keys), Output = s.Output.Text },
                [s.Table.Text, .. PlanContext.Names(s.Count)]);
    }
}

internal sealed class DistinctModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("distinct")
        from t in VerbGrammar.Table
        from byKw in Lexemes.Keyword("by")
        from keys in VerbGrammar.CommaList(VerbGrammar.Column)
        from o in VerbGrammar.As
        select (Statement)new DistinctStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, keys, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("distinct", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private sealed class VerbRules : OneTableVerbRules<DistinctStatement>
    {
        protected override Identifier Input(DistinctStatement s) => s.Table;
        protected override Identifier Output(DistinctStatement s) => s.Output;
        protected override VerbSchema Schema(DistinctStatement s, IReadOnlyList<Field> input, bool typed) => Sorting.DistinctSchema(input, s.Keys.Select(k => k.Text).ToList(), s.Table.Text);
        protected override SourceSpan ItemSpan(DistinctStatement s, int item) => s.Keys[item].Span;
        public override PlannedStep Plan(DistinctStatement s, PlanContext c) =>
            new(new DistinctStep { Id = c.Id, Table = s.Table.Text, Keys = s.Keys.Select(k => k.Text).ToList(), Output = s.Output.Text }, [s.Table.Text]);
    }
}

internal sealed class GroupModule : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("group")
        from t in VerbGrammar.Table
        from byKw in Lexemes.Keyword("by")
        from keys in VerbGrammar.CommaList(VerbGrammar.Column)
        from w in Lexemes.Keyword("with")
        from items in VerbGrammar.CommaList(VerbGrammar.Item)
        from o in VerbGrammar.As
        select (Statement)new GroupStatement(SourceSpan.Cover(kw.Span, o.Name.Span), t, keys, items, o.Name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("group", () => Parser)];
    public IEnumerable<IStatementRules> Rules => [new VerbRules()];

    private static List<Aggregation> Aggregations(GroupStatement s) => s.Items.Select(i => new Aggregation(i.Name.Text, i.Expr)).ToList();

    private sealed class VerbRules : OneTableVerbRules<GroupStatement>
    {
        protected override Identifier Input(GroupStatement s) => s.Table;
        protected override Identifier Output(GroupStatement s) => s.Output;
        protected override IEnumerable<Identifier> NamesWithoutInput(GroupStatement s) => [.. s.Keys, .. s.Items.Select(i => i.Name)];
        protected override VerbSchema Schema(GroupStatement s, IReadOnlyList<Field> input, bool typed) =>
            GroupVerb.Schema(input, s.Keys.Select(k => k.Text).ToList(), Aggregations(s), s.Table.Text, typed);
        protected override SourceSpan ItemSpan(GroupStatement s, int item) => item < s.Keys.Count ? s.Keys[item].Span : s.Items[item - s.Keys.Count].Name.Span;
        protected override SourceSpan? ExprSpan(GroupStatement s, int item) => item < s.Keys.Count ? null : s.Items[item - s.Keys.Count].ExprSpan;

        protected override IEnumerable<VerbProblem> Shape(GroupStatement s, IReadOnlyList<Field> some)
        {
            var keys = s.Keys.Select(k => k.Text).ToList();
            for (var a = 0; a < s.Items.Count; a++)
            {
                var item = s.Keys.Count + a;
                var name = s.Items[a].Name.Text;
                if (Clash(name, [], [.. keys, .. s.Items.Take(a).Select(i => i.Name.Text)], item, "a column of the result") is { } clash) yield return clash;
                foreach (var e in ExpressionChecker.CheckShape(s.Items[a].Expr, some, namesComplete: false, ExprContext.Group, keys).Errors)
                    yield return VerbProblem.FromExpression(e, some, item);
            }
        }
        public override PlannedStep Plan(GroupStatement s, PlanContext c) =>
            new(new GroupStep { Id = c.Id, Table = s.Table.Text, Keys = s.Keys.Select(k => k.Text).ToList(), Aggregations = Aggregations(s), Output = s.Output.Text }, [s.Table.Text]);
    }
}

