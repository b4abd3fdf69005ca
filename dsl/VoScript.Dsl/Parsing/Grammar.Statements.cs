using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

/// <summary>
/// The statements a grammar module adds: each first word with a function that makes the parser of the statements it
/// starts. A parser is made the first time a script has a statement of its word: making all of them took half of the
/// compile time of a short script (the combinators' generic code is compiled at run time, type by type).
/// </summary>
internal interface IGrammarModule
{
    IEnumerable<(string Keyword, Func<Parser<Statement>> Parser)> Statements { get; }
}

internal static partial class Grammar
{
    /// <summary>
    /// Statement parsers by first word, from the grammar modules of <see cref="LanguageModules"/> (<c>Modules/</c>, each also
    /// giving its statements' compiler rules); each is made on its first use.
    /// </summary>
    public static IReadOnlyDictionary<string, Parser<Statement>> Statements => AllStatements.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, Parser<Statement>>> AllStatements = new(() =>
    {
        var byKeyword = new Dictionary<string, Parser<Statement>>(StringComparer.Ordinal);
        foreach (var module in LanguageModules.Of<IGrammarModule>())
            foreach (var (keyword, make) in module.Statements)
            {
                var parser = new Lazy<Parser<Statement>>(make);
                if (!byKeyword.TryAdd(keyword, input => parser.Value(input)))
                    throw new InvalidOperationException($"two grammar modules start a statement with '{keyword}'");
            }
        return byKeyword;
    });
}
