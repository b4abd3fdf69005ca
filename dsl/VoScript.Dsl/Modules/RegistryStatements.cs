using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.RegistryStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>The Registry: <c>find services</c> (engine side: <c>RegistryModule</c>).</summary>
internal sealed class RegistryStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("find", () => Grammar.FindServicesStatement)];

    public IEnumerable<IStatementRules> Rules => [new FindServicesRules()];
}

internal sealed class FindServicesRules : StatementRules<FindServicesStatement>, IColumnRules
{
    /// <summary>A service set's columns are known before the run (<c>select archives where standard_id = …</c> is checked).</summary>
    public KnownColumns? Columns(Statement statement, ColumnContext context) => ServicesFromRules.ServiceSetColumns(statement.Span);

    public override IEnumerable<Symbol> Defines(FindServicesStatement f, int order, CSharpAnalysis? csharp) =>
        [new Symbol(f.Output.Text, SymbolKind.ServiceSet, f.Output, f, order)];

    public override IEnumerable<NameUse> Uses(FindServicesStatement f) =>
        (f.Registry is null ? [] : new[] { new NameUse(f.Registry, SymbolKind.Service, [ServiceProtocol.Registry, ServiceProtocol.Tap]) })
            .Concat(NameUse.Values(f.WithTable)).Concat(NameUse.Values(f.Keywords.ToArray()));

    public override void CheckValues(FindServicesStatement f, ValuePass.Context c)
    {
        c.String(f.WithTable, "the table name");
        foreach (var k in f.Keywords) c.String(k, "a keyword");
        foreach (var w in f.Wavebands.Where(w => !ValuePass.Wavebands.Contains(w.Text)))
            c.Diagnostics.Add(Diagnostic.Error(w.Span, DiagnosticCodes.TypeMismatch,
                $"unknown waveband '{w.Text}'" + (Suggestions.Closest(w.Text, ValuePass.Wavebands) is { } sw ? $" (did you mean '{sw}'?)" : "")
                + $"; wavebands are {string.Join(", ", ValuePass.Wavebands)} (write \"x-ray\" and \"gamma-ray\" in quotes)"));
    }

    public override PlannedStep Plan(FindServicesStatement f, PlanContext c) => new(new FindServicesStep
    {
        Id = c.Id, Protocol = ServiceProtocols.Parse(f.Kind.Text)!.Value, Output = f.Output.Text,
        Registry = f.Registry?.Text,
        WithTable = f.WithTable is null ? null : c.Text(f.WithTable),
        Keywords = f.Keywords.Select(c.Text).ToList(),
        Wavebands = f.Wavebands.Select(w => w.Text).ToList(),
    }, PlanContext.Names([f.WithTable, .. f.Keywords]));
}
