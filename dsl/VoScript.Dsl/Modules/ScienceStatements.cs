using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.ScienceStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>The science statements: <c>cluster</c>, <c>sed</c>, <c>plot</c>, <c>select … where</c>, <c>select … interactively</c> (engine side: <c>ScienceModule</c>).</summary>
internal sealed class ScienceStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements =>
    [
        ("cluster", () => Grammar.ClusterStatement),
        ("sed", () => Grammar.SedStatement),
        ("plot", () => Grammar.PlotStatement),
        ("select", () => Grammar.SelectStatement),
    ];

    public IEnumerable<IStatementRules> Rules => [new ClusterRules(), new SedRules(), new PlotRules(), new SelectWhereRules(), new SelectInteractivelyRules()];
}

internal sealed class ClusterRules : StatementRules<ClusterStatement>
{
    public override IEnumerable<Symbol> Defines(ClusterStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(ClusterStatement s) => [.. s.Tables.Select(NameUse.Table), .. NameUse.Values(s.Within)];
    public override void CheckValues(ClusterStatement s, ValuePass.Context c) => c.Angle(s.Within, "the linking angle");
    public override IEnumerable<Identifier> TablesRead(ClusterStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => s.Tables;

    public override PlannedStep Plan(ClusterStatement s, PlanContext c) =>
        new(new ClusterStep { Id = c.Id, Tables = s.Tables.Select(t => t.Text).ToList(), LinkDegrees = c.Number(s.Within), Output = s.Output.Text },
            [.. s.Tables.Select(t => t.Text), .. PlanContext.Names(s.Within)]);
}

internal sealed class SedRules : StatementRules<SedStatement>
{
    public override IEnumerable<Symbol> Defines(SedStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(SedStatement s) => [NameUse.Table(s.Table)];
    public override IEnumerable<Identifier> TablesRead(SedStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];
    public override PlannedStep Plan(SedStatement s, PlanContext c) => new(new SedStep { Id = c.Id, Table = s.Table.Text, Output = s.Output.Text }, [s.Table.Text]);
}

internal sealed class PlotRules : StatementRules<PlotStatement>
{
    public override IEnumerable<NameUse> Uses(PlotStatement s) => [NameUse.Table(s.Table), .. NameUse.Values(s.File, s.Title)];

    public override void CheckValues(PlotStatement s, ValuePass.Context c)
    {
        if (s.File is not null) c.PlotFileName(s.File);
        c.String(s.Title, "the title");
    }

    public override IEnumerable<Identifier> TablesRead(PlotStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(PlotStatement s, PlanContext c) => new(new PlotStep
    {
        Id = c.Id, Table = s.Table.Text,
        Path = s.File is null ? s.Table.Text + ".png" : c.Text(s.File),
        X = s.X?.Text, Y = s.Y?.Text,
        Title = s.Title is null ? null : c.Text(s.Title),
    }, [s.Table.Text, .. PlanContext.Names(s.File, s.Title)]) { Traits = StepTraits.Effect };
}

internal sealed class SelectWhereRules : StatementRules<SelectWhereStatement>
{
    public override IEnumerable<Symbol> Defines(SelectWhereStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(SelectWhereStatement s) => [NameUse.Table(s.Table)];
    public override IEnumerable<Identifier> TablesRead(SelectWhereStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(SelectWhereStatement s, PlanContext c) =>
        new(new SelectStep { Id = c.Id, Table = s.Table.Text, Condition = s.Condition, Output = s.Output.Text }, [s.Table.Text]);
}

internal sealed class SelectInteractivelyRules : StatementRules<SelectInteractivelyStatement>
{
    public override IEnumerable<Symbol> Defines(SelectInteractivelyStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(SelectInteractivelyStatement s) => [NameUse.Table(s.Table)];
    public override IEnumerable<Identifier> TablesRead(SelectInteractivelyStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(SelectInteractivelyStatement s, PlanContext c) =>
        new(new SelectInteractivelyStep { Id = c.Id, Table = s.Table.Text, Output = s.Output.Text }, [s.Table.Text]) { Traits = StepTraits.Effect };
}
