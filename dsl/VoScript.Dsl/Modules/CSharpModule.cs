using Sprache;
using VoScript.Dsl.CSharp;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.CSharpModule))]

namespace VoScript.Dsl.Modules;

/// <summary>
/// The C# area in one place: the engine kind <c>csharp</c> with its handler (a plan compiled with csharp
/// blocks brings this module to the host that runs it), the <c>csharp { … } [as NAME]</c> statement and its
/// compiler rules. The check-time compilation of the blocks is <see cref="CSharpPass"/>, which runs before
/// the name pass because the names a block defines depend on its compiled result.
/// </summary>
public sealed class CSharpModule(CSharpRunOptions? options = null) : StepModule, IGrammarModule, ILanguageModule
{
    /// <summary>The module with default run options (what a script's compiled plan brings along).</summary>
    public CSharpModule() : this(null) { }

    /// <inheritdoc/>
    public override string Name => "csharp";

    /// <inheritdoc/>
    public override void Register(StepCatalog catalog) => catalog.Add("csharp", new CSharpStepHandler(options));

    /// <summary>The statements of this module: <c>csharp</c>.</summary>
    IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> IGrammarModule.Statements => [("csharp", () => Grammar.CSharpStatement)];

    /// <summary>The compiler rules of <c>csharp</c>.</summary>
    IEnumerable<IStatementRules> ILanguageModule.Rules => [new CSharpRules()];
}

internal sealed class CSharpRules : StatementRules<CSharpStatement>
{
    /// <summary>A block's result is a table or a value as its compiled form says (a value is known only at run time).</summary>
    public override IEnumerable<Symbol> Defines(CSharpStatement cs, int order, CSharpAnalysis? csharp) => cs.Output is not { } o ? []
        : csharp?.Of(cs) is null or { Compiled: false } or { Kind: CSharpResultKind.Table }
            ? [TableSymbol(o, cs, order)]
            : [ValueSymbol(o, cs, order) with { IsRuntimeValue = true, MadeBy = "the result of the csharp block" }];

    public override IEnumerable<Identifier> TablesRead(CSharpStatement cs, SymbolTable symbols, CSharpAnalysis? csharp) =>
        (csharp?.Of(cs)?.Reads ?? []).Where(n => symbols.Find(n)?.Kind == SymbolKind.Table).Select(n => new Identifier(cs.Keyword.Span, n));

    /// <summary>Blocks run in order (they share one chain of submissions) and may do anything, so they are effects.</summary>
    public override PlannedStep? Plan(CSharpStatement cs, PlanContext c) => c.CSharp?.Of(cs) is not { } block ? null
        : new(new CSharpStep
        {
            Id = c.Id, Code = cs.Code.Text, Output = cs.Output?.Text, Block = block, Slots = c.CSharp.Slots,
            SourceFile = c.SourceFile, Line = cs.Span.Line,
        }, block.Reads) { Traits = StepTraits.Effect, Chain = "csharp" };
}
