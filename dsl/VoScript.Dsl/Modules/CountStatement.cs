using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime.Modules;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.CountStatements))]

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("count", "count T as NAME", "the number of rows of a table, as a value NAME (known when the script runs)")]

namespace VoScript.Dsl.Modules;

// The worked example of docs/architecture.md ("How to add a statement"): the language side of a
// statement in one file (its syntax node, its parser, its compiler rules), next to the engine side
// (engine/VoScript.Engine/Runtime/Modules/CountModule.cs: the step, its handler, its module).

/// <summary><c>count T as NAME</c>.</summary>
internal sealed record CountStatement(SourceSpan Span, Identifier Table, Identifier Output) : Statement(Span);

internal sealed class CountStatements : IGrammarModule, ILanguageModule
{
    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("count")
        from table in Lexemes.Name("a table name")
        from @as in Lexemes.Keyword("as")
        from name in Lexemes.Name("a name for the count")
        select (Statement)new CountStatement(SourceSpan.Cover(kw.Span, name.Span), table, name);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("count", () => Parser)];

    public IEnumerable<IStatementRules> Rules => [new CountRules()];
}

internal sealed class CountRules : StatementRules<CountStatement>
{
    /// <summary>The count is a value known only when the script runs (like a csharp block's value): print it, or use it in C#.</summary>
    public override IEnumerable<Symbol> Defines(CountStatement s, int order, CSharpAnalysis? csharp) =>
        [ValueSymbol(s.Output, s, order) with { IsRuntimeValue = true, MadeBy = $"the count of {s.Table.Text}" }];

    public override IEnumerable<NameUse> Uses(CountStatement s) => [NameUse.Table(s.Table)];

    public override IEnumerable<Identifier> TablesRead(CountStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    public override PlannedStep Plan(CountStatement s, PlanContext c) =>
        new(new CountStep { Id = c.Id, Table = s.Table.Text, Output = s.Output.Text }, [s.Table.Text]);
}
