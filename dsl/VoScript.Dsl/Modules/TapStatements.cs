using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.TapStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>TAP statements: <c>query</c>, <c>query each</c>, <c>await</c> (engine side: <c>TapModule</c>).</summary>
internal sealed class TapStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements =>
        [("query", () => Grammar.QueryStatement), ("await", () => Grammar.AwaitStatement)];

    public IEnumerable<IStatementRules> Rules => [new QueryRules(), new QueryEachRules(), new AwaitRules()];

    internal static IEnumerable<NameUse> ClauseUses(QueryClauses clauses, AdqlBlock adql) =>
        NameUse.Values(clauses.MaxRec).Concat(clauses.Uploads.Select(u => NameUse.Table(u.Table))).Concat(NameUse.Values(SyntaxWalk.Holes(adql).ToArray()));

    internal static void CheckClauses(QueryClauses clauses, AdqlBlock adql, ValuePass.Context c)
    {
        c.Count(clauses.MaxRec, "maxrec", allowZero: true);
        c.Holes(adql);
    }

    internal static List<Upload> Uploads(QueryClauses c) => c.Uploads.Select(u => new Upload(u.Table.Text, u.As?.Text ?? u.Table.Text)).ToList();

    /// <summary>How long the job of <paramref name="table"/> may run: the timeout of the await that names it.</summary>
    internal static TimeSpan? Timeout(string table, PlanContext c) =>
        c.AwaitedBy.TryGetValue(table, out var a) ? c.Duration(a.Timeout) : null;

    internal static IEnumerable<string> ValueNames(Expression? maxrec, AdqlBlock block) =>
        PlanContext.Names([maxrec, .. SyntaxWalk.Holes(block)]);
}

internal sealed class QueryRules : StatementRules<QueryStatement>
{
    public override IEnumerable<Symbol> Defines(QueryStatement q, int order, CSharpAnalysis? csharp) => [TableSymbol(q.Output, q, order) with { IsAsyncResult = q.IsAsync }];

    public override IEnumerable<NameUse> Uses(QueryStatement q) =>
        [new NameUse(q.Service, SymbolKind.Service, [ServiceProtocol.Tap]), .. TapStatements.ClauseUses(q.Clauses, q.Adql)];

    public override void CheckValues(QueryStatement q, ValuePass.Context c) => TapStatements.CheckClauses(q.Clauses, q.Adql, c);
    public override IEnumerable<Identifier> TablesRead(QueryStatement q, SymbolTable symbols, CSharpAnalysis? csharp) => q.Clauses.Uploads.Select(u => u.Table);

    public override PlannedStep Plan(QueryStatement q, PlanContext c) => new(new QueryStep
    {
        Id = c.Id, Service = q.Service.Text, Output = q.Output.Text, Async = q.IsAsync,
        MaxRec = c.Count(q.Clauses.MaxRec), Uploads = TapStatements.Uploads(q.Clauses), Adql = PlanPass.Interpolate(q.Adql, c.Values),
        Timeout = TapStatements.Timeout(q.Output.Text, c),
        ContinueOnServiceError = q.Clauses.ContinueOnError is not null,
        // a failed query with on error continue still has the columns its select list names (after ${…} are put in)
        ColumnsIfFailed = q.Clauses.ContinueOnError is null ? null : AdqlColumns.OfText(PlanPass.Interpolate(q.Adql, c.Values))?.Names,
    }, q.Clauses.Uploads.Select(u => u.Table.Text).Concat(TapStatements.ValueNames(q.Clauses.MaxRec, q.Adql))) { Traits = q.IsAsync ? StepTraits.Async : StepTraits.None };
}

internal sealed class QueryEachRules : StatementRules<QueryEachStatement>
{
    public override IEnumerable<Symbol> Defines(QueryEachStatement q, int order, CSharpAnalysis? csharp) => [TableSymbol(q.Output, q, order) with { IsAsyncResult = q.IsAsync }];

    public override IEnumerable<NameUse> Uses(QueryEachStatement q) =>
        [new NameUse(q.ServiceSet, SymbolKind.ServiceSet), .. TapStatements.ClauseUses(q.Clauses, q.Adql)];

    public override void CheckValues(QueryEachStatement q, ValuePass.Context c) => TapStatements.CheckClauses(q.Clauses, q.Adql, c);
    public override IEnumerable<Identifier> TablesRead(QueryEachStatement q, SymbolTable symbols, CSharpAnalysis? csharp) => q.Clauses.Uploads.Select(u => u.Table);

    public override PlannedStep Plan(QueryEachStatement q, PlanContext c) => new(new QueryEachStep
    {
        Id = c.Id, ServiceSet = q.ServiceSet.Text, Output = q.Output.Text, Async = q.IsAsync,
        MaxRec = c.Count(q.Clauses.MaxRec), Uploads = TapStatements.Uploads(q.Clauses), Adql = PlanPass.Interpolate(q.Adql, c.Values),
        Timeout = TapStatements.Timeout(q.Output.Text, c), ContinueOnServiceError = q.Clauses.ContinueOnError is not null,
    }, new[] { q.ServiceSet.Text }.Concat(q.Clauses.Uploads.Select(u => u.Table.Text)).Concat(TapStatements.ValueNames(q.Clauses.MaxRec, q.Adql)))
    { Traits = q.IsAsync ? StepTraits.Async : StepTraits.None };
}

/// <summary><c>await</c>: its checks are the await pass's; the step settles the async results it names.</summary>
internal sealed class AwaitRules : StatementRules<AwaitStatement>
{
    public override IEnumerable<NameUse> Uses(AwaitStatement a) => a.Names.Select(NameUse.Table);
    public override void CheckValues(AwaitStatement a, ValuePass.Context c) => c.Duration(a.Timeout, "timeout");

    public override PlannedStep? Plan(AwaitStatement a, PlanContext c)
    {
        var names = a.All is not null ? c.PendingAsync.ToList() : a.Names.Select(x => x.Text).ToList();
        if (names.Count == 0) return null; // 'await all' with nothing pending: no step (a warning says so)
        return new(new AwaitStep { Id = c.Id, Tables = names, Timeout = c.Duration(a.Timeout) }, names);
    }
}
