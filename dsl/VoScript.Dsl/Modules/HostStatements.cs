using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine;
using VoScript.Hosting;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.HostStatements))]

namespace VoScript.Dsl.Modules;

/// <summary>
/// <c>run KIND …</c>: a step of a kind the host registered (<see cref="IHostStep"/>); the arguments are
/// checked against the host's declaration by <see cref="HostStepPass"/>.
/// </summary>
internal sealed class HostStatements : IGrammarModule, ILanguageModule
{
    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("run", () => Grammar.RunStatement)];

    public IEnumerable<IStatementRules> Rules => [new RunRules()];
}

internal sealed class RunRules : StatementRules<RunStatement>
{
    public override IEnumerable<Symbol> Defines(RunStatement r, int order, CSharpAnalysis? csharp) => r.Output is { } o ? [TableSymbol(o, r, order)] : [];

    /// <summary>An argument that is just a name may be a value or a table (like print).</summary>
    public override IEnumerable<NameUse> Uses(RunStatement r) =>
        r.Arguments.SelectMany(a => a.Value is NameReference n ? [NameUse.ValueOrTable(n.Name)] : NameUse.Values(a.Value));

    /// <summary>The host's parameter kinds are checked by <see cref="HostStepPass"/>.</summary>
    public override void CheckValues(RunStatement r, ValuePass.Context c)
    {
        foreach (var a in r.Arguments.Except(SyntaxWalk.TableArguments(r, c.Symbols))) c.Eval(a.Value);
    }

    public override IEnumerable<Identifier> TablesRead(RunStatement r, SymbolTable symbols, CSharpAnalysis? csharp) =>
        SyntaxWalk.TableArguments(r, symbols).Select(a => ((NameReference)a.Value).Name);

    /// <summary>A step that makes no table is run for its effect: it keeps its place.</summary>
    public override PlannedStep Plan(RunStatement r, PlanContext c)
    {
        var tableArgs = SyntaxWalk.TableArguments(r, c.Symbols).ToList();
        return new(new HostPlanStep
        {
            Id = c.Id, HostKind = r.Kind.Text, Output = r.Output?.Text,
            Tables = tableArgs.ToDictionary(a => a.Name.Text, a => ((NameReference)a.Value).Name.Text, StringComparer.Ordinal),
            Values = r.Arguments.Except(tableArgs).ToDictionary(a => a.Name.Text, a => c.Value(a.Value), StringComparer.Ordinal),
        }, r.Arguments.SelectMany(a => SyntaxWalk.Names(a.Value)).Select(x => x.Text)) { Traits = r.Output is null ? StepTraits.Effect : StepTraits.None };
    }
}
