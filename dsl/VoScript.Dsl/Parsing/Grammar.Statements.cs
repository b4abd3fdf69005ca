using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

/// <summary>The statements a grammar module adds: each first word with the parser of the statements it starts.</summary>
internal interface IGrammarModule
{
    IEnumerable<(string Keyword, Parser<Statement> Parser)> Statements { get; }
}

internal static partial class Grammar
{
    /// <summary>
    /// Statement parsers by first word, collected from the grammar modules of this assembly
    /// (<c>Modules/</c>, each also giving its statements' compiler rules).
    /// </summary>
    public static IReadOnlyDictionary<string, Parser<Statement>> Statements => AllStatements.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, Parser<Statement>>> AllStatements = new(() =>
    {
        var byKeyword = new Dictionary<string, Parser<Statement>>(StringComparer.Ordinal);
        var modules = typeof(Grammar).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrammarModule).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IGrammarModule)Activator.CreateInstance(t)!);
        foreach (var module in modules)
            foreach (var (keyword, parser) in module.Statements)
                if (!byKeyword.TryAdd(keyword, parser))
                    throw new InvalidOperationException($"two grammar modules start a statement with '{keyword}'");
        return byKeyword;
    });
}
