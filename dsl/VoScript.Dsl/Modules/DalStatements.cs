using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.DalStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>The DAL searches: <c>cone</c>, <c>images</c>, <c>spectra</c>, one statement type (engine side: <c>DalModule</c>).</summary>
internal sealed class DalStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements =>
    [
        ("cone", () => Grammar.PositionSearchStatement("cone", PositionSearch.Cone)),
        ("images", () => Grammar.PositionSearchStatement("images", PositionSearch.Images)),
        ("spectra", () => Grammar.PositionSearchStatement("spectra", PositionSearch.Spectra)),
    ];

    public IEnumerable<IStatementRules> Rules => [new PositionSearchRules()];
}

internal sealed class PositionSearchRules : StatementRules<PositionSearchStatement>
{
    public override IEnumerable<Symbol> Defines(PositionSearchStatement p, int order, CSharpAnalysis? csharp) => [TableSymbol(p.Output, p, order)];

    public override IEnumerable<NameUse> Uses(PositionSearchStatement p) =>
        [new NameUse(p.Service, SymbolKind.Service, [Protocol(p.Search)]), .. NameUse.Values(p.Ra, p.Dec, p.Radius, p.MaxRec)];

    public override void CheckValues(PositionSearchStatement ps, ValuePass.Context c)
    {
        c.Position(ps.Ra, "RA");
        c.Position(ps.Dec, "Dec");
        c.Angle(ps.Radius, "the radius");
        c.Count(ps.MaxRec, "maxrec", allowZero: true);
    }

    public override PlannedStep Plan(PositionSearchStatement ps, PlanContext c) => new(new PositionSearchStep
    {
        Id = c.Id, Search = ps.Search switch
        {
            PositionSearch.Cone => PositionSearchKind.Cone,
            PositionSearch.Images => PositionSearchKind.Images,
            _ => PositionSearchKind.Spectra,
        },
        Service = ps.Service.Text, Output = ps.Output.Text,
        Ra = c.Number(ps.Ra), Dec = c.Number(ps.Dec), Radius = c.Number(ps.Radius), MaxRec = c.Count(ps.MaxRec),
    }, PlanContext.Names(ps.Ra, ps.Dec, ps.Radius, ps.MaxRec));

    /// <summary>The protocol a search needs of its service.</summary>
    public static ServiceProtocol Protocol(PositionSearch search) => search switch
    {
        PositionSearch.Cone => ServiceProtocol.Scs,
        PositionSearch.Images => ServiceProtocol.Sia,
        _ => ServiceProtocol.Ssa,
    };
}
