using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    /// <summary>
    /// Statement parsers by first word. A new statement is a new entry here, a
    /// grammar file, a node in Syntax/ (with its <see cref="StatementSyntaxAttribute"/>)
    /// and a step in the compiler.
    /// </summary>
    public static IReadOnlyDictionary<string, Parser<Statement>> Statements { get; } = new Dictionary<string, Parser<Statement>>(StringComparer.Ordinal)
    {
        ["param"] = Parse.Ref(() => ParamStatement),
        ["let"] = Parse.Ref(() => LetStatement),
        ["print"] = Parse.Ref(() => PrintStatement),
        ["service"] = Parse.Ref(() => ServiceStatement),
        ["query"] = Parse.Ref(() => QueryStatement),
        ["await"] = Parse.Ref(() => AwaitStatement),
        ["cone"] = Parse.Ref(() => PositionSearchStatement("cone", PositionSearch.Cone)),
        ["images"] = Parse.Ref(() => PositionSearchStatement("images", PositionSearch.Images)),
        ["spectra"] = Parse.Ref(() => PositionSearchStatement("spectra", PositionSearch.Spectra)),
        ["find"] = Parse.Ref(() => FindServicesStatement),
        ["load"] = Parse.Ref(() => LoadStatement),
        ["save"] = Parse.Ref(() => SaveStatement),
        ["show"] = Parse.Ref(() => ShowStatement),
        ["cluster"] = Parse.Ref(() => ClusterStatement),
        ["sed"] = Parse.Ref(() => SedStatement),
        ["plot"] = Parse.Ref(() => PlotStatement),
        ["select"] = Parse.Ref(() => SelectStatement),
        ["send"] = Parse.Ref(() => SendStatement),
        ["receive"] = Parse.Ref(() => ReceiveStatement),
        ["point"] = Parse.Ref(() => PointStatement),
        ["run"] = Parse.Ref(() => RunStatement),
        ["csharp"] = Parse.Ref(() => CSharpStatement),
    };
}
