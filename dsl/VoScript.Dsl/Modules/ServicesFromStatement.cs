using Sprache;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Registry;

[assembly: VoScript.Dsl.LanguageModule(typeof(VoScript.Dsl.Modules.ServicesFromStatements))]

// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("services", "services tap|scs|sia|ssa from TABLE [column C] as NAME",
    "a service set from a table with a column of access URLs (one row per service), for query each")]

namespace VoScript.Dsl.Modules;

// The language side of `services KIND from T [column C] as NAME` (engine side: ServiceSetFromTableStep in
// engine/VoScript.Engine/Plans/Handlers/ServiceSetFromTableHandler.cs, registered by RegistryModule).

/// <summary><c>services tap|scs|sia|ssa from TABLE [column C] as NAME</c>.</summary>
internal sealed record ServicesFromStatement(SourceSpan Span, Identifier Kind, Identifier Table, Identifier? Column, Identifier Output) : Statement(Span);

internal sealed class ServicesFromStatements : IGrammarModule, ILanguageModule
{
    /// <summary>The kinds a service set can hold (a registry is not one: find services asks it).</summary>
    internal static readonly string[] Kinds = ["tap", "scs", "sia", "ssa"];

    private static Parser<Statement> Parser =>
        from kw in Lexemes.Keyword("services")
        from kind in Lexemes.OneOf(Kinds)
        from f in Lexemes.Keyword("from")
        from table in Lexemes.Name("a table with a column of service URLs")
        from column in (from c in Lexemes.Keyword("column") from n in Lexemes.ColumnName("the column of URLs") select n).XOptional()
        from @as in Lexemes.Keyword("as")
        from output in Lexemes.Name("a name for the service set")
        select (Statement)new ServicesFromStatement(SourceSpan.Cover(kw.Span, output.Span), kind, table, column.GetOrDefault(), output);

    public IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements => [("services", () => Parser)];

    public IEnumerable<IStatementRules> Rules => [new ServicesFromRules()];
}

internal sealed class ServicesFromRules : StatementRules<ServicesFromStatement>, IColumnRules
{
    public override IEnumerable<Symbol> Defines(ServicesFromStatement s, int order, CSharpAnalysis? csharp) =>
        [new Symbol(s.Output.Text, SymbolKind.ServiceSet, s.Output, s, order)];

    public override IEnumerable<NameUse> Uses(ServicesFromStatement s) => [NameUse.Table(s.Table)];

    public override IEnumerable<Identifier> TablesRead(ServicesFromStatement s, SymbolTable symbols, CSharpAnalysis? csharp) => [s.Table];

    /// <summary>The set's columns are always the same; a named URL column is checked when the table's columns are known.</summary>
    public KnownColumns? Columns(Statement statement, ColumnContext c)
    {
        var s = (ServicesFromStatement)statement;
        if (s.Column is { } col && c.Known(s.Table) is { Complete: true } input
            && !input.Fields.Any(f => f.Name.Equals(col.Text, StringComparison.OrdinalIgnoreCase)))
            c.UnknownColumn(col.Span, col.Text, s.Table.Text, input);
        return ServiceSetColumns(s.Span);
    }

    internal static KnownColumns ServiceSetColumns(SourceSpan at) => new(ServiceSets.Fields, true, $"the service set on line {at.Line}");

    public override PlannedStep Plan(ServicesFromStatement s, PlanContext c) => new(new ServiceSetFromTableStep
    {
        Id = c.Id, Protocol = ServiceProtocols.Parse(s.Kind.Text)!.Value, Table = s.Table.Text, Column = s.Column?.Text, Output = s.Output.Text,
    }, [s.Table.Text]);
}
