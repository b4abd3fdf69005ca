using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.SampStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>SAMP: <c>send</c>, <c>receive</c>, <c>point</c> (engine side: <c>SampModule</c>).</summary>
internal sealed class SampStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements =>
        [("send", () => Grammar.SendStatement), ("receive", () => Grammar.ReceiveStatement), ("point", () => Grammar.PointStatement)];

    public IEnumerable<IStatementRules> Rules => [new SendRules(), new ReceiveRules(), new PointRules()];
}

internal sealed class SendRules : StatementRules<SendStatement>
{
    public override IEnumerable<NameUse> Uses(SendStatement s) => s.Tables.Select(NameUse.Table);
    public override IEnumerable<Identifier> TablesRead(SendStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => s.Tables;

    /// <summary>Sending the result of a search as spectra or images when its rows are not links of that kind: a warning.</summary>
    public override void CheckValues(SendStatement sd, ValuePass.Context c)
    {
        if (sd.SendForm == SendForm.Table) return;
        foreach (var t in sd.Tables)
            if (c.Symbols.Find(t.Text)?.Statement is PositionSearchStatement ps && Mismatch(ps.Search, sd.SendForm) is { } why)
                c.Diagnostics.Add(Diagnostic.Warning(t.Span, DiagnosticCodes.SendFormMismatch,
                    $"'{t.Text}' comes from {(ps.Search == PositionSearch.Cone ? "a cone search" : ps.Search == PositionSearch.Images ? "an image search" : "a spectrum search")} (line {ps.Span.Line}): {why}"));
    }

    public override PlannedStep Plan(SendStatement sd, PlanContext c) => new(new SendStep
    {
        Id = c.Id, Tables = sd.Tables.Select(t => t.Text).ToList(), Client = sd.Client.Name,
        Form = sd.SendForm switch
        {
            SendForm.Spectra => SampSendForm.Spectra,
            SendForm.Image => SampSendForm.Image,
            _ => SampSendForm.Table,
        },
    }, sd.Tables.Select(t => t.Text)) { Traits = StepTraits.Effect };

    private static string? Mismatch(PositionSearch search, SendForm form) => (search, form) switch
    {
        (PositionSearch.Cone, _) => $"its rows are catalog entries, not links to {(form == SendForm.Image ? "images" : "spectra")}; send it as a table",
        (PositionSearch.Images, SendForm.Spectra) => "its links are images, not spectra; did you mean 'as image'?",
        (PositionSearch.Spectra, SendForm.Image) => "its links are spectra, not images; did you mean 'as spectra'?",
        _ => null,
    };
}

internal sealed class ReceiveRules : StatementRules<ReceiveStatement>
{
    public override IEnumerable<Symbol> Defines(ReceiveStatement s, int order, CSharpAnalysis? csharp) => [TableSymbol(s.Output, s, order)];
    public override IEnumerable<NameUse> Uses(ReceiveStatement s) => NameUse.Values(s.Timeout);
    public override void CheckValues(ReceiveStatement s, ValuePass.Context c) => c.Duration(s.Timeout, "timeout");

    public override PlannedStep Plan(ReceiveStatement rc, PlanContext c) =>
        new(new ReceiveStep { Id = c.Id, From = rc.From?.Name, Output = rc.Output.Text, Timeout = c.Duration(rc.Timeout) },
            PlanContext.Names(rc.Timeout)) { Traits = StepTraits.Effect };
}

internal sealed class PointRules : StatementRules<PointStatement>
{
    public override IEnumerable<NameUse> Uses(PointStatement s) => NameUse.Values(s.Ra, s.Dec);

    public override void CheckValues(PointStatement s, ValuePass.Context c)
    {
        c.Position(s.Ra, "RA");
        c.Position(s.Dec, "Dec");
    }

    public override PlannedStep Plan(PointStatement pt, PlanContext c) =>
        new(new PointStep { Id = c.Id, Client = pt.Client.Name, Ra = c.Number(pt.Ra), Dec = c.Number(pt.Dec) },
            PlanContext.Names(pt.Ra, pt.Dec)) { Traits = StepTraits.Effect };
}
