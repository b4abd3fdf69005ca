using System.Reflection;

namespace VoScript.Dsl.Syntax;

/// <summary>
/// The one declaration of a statement's syntax: keyword, usage line and summary.
/// Error messages, <c>--help</c>, the documentation test and REPL completion read it
/// through <see cref="StatementCatalog"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class StatementSyntaxAttribute(string keyword, string usage, string summary) : Attribute
{
    public string Keyword { get; } = keyword;
    public string Usage { get; } = usage;
    public string Summary { get; } = summary;
}

/// <summary>A statement's keyword, usage and summary; <see cref="Planned"/> when it is reserved for a later version.</summary>
public sealed record StatementInfo(string Keyword, string Usage, string Summary, bool Planned);

/// <summary>Every statement of the language, implemented or reserved.</summary>
public static class StatementCatalog
{
    private static readonly StatementInfo[] PlannedStatements = [];

    private static readonly Lazy<IReadOnlyList<StatementInfo>> AllStatements = new(() =>
        typeof(Statement).Assembly.GetCustomAttributes<StatementSyntaxAttribute>()
            .Select(a => new StatementInfo(a.Keyword, a.Usage, a.Summary, false))
            .OrderBy(i => i.Keyword, StringComparer.Ordinal).ThenBy(i => i.Usage, StringComparer.Ordinal)
            .Concat(PlannedStatements)
            .ToList());

    /// <summary>Implemented statements (sorted by keyword), then the planned ones.</summary>
    public static IReadOnlyList<StatementInfo> All => AllStatements.Value;

    /// <summary>The implemented statements starting with <paramref name="keyword"/> (<c>query</c> has two forms).</summary>
    public static IEnumerable<StatementInfo> ForKeyword(string keyword) =>
        All.Where(i => i.Keyword == keyword || i.Keyword.StartsWith(keyword + " ", StringComparison.Ordinal));

    /// <summary>The first word of every statement (implemented and planned).</summary>
    public static IReadOnlySet<string> Keywords => AllKeywords.Value;

    private static readonly Lazy<IReadOnlySet<string>> AllKeywords = new(() =>
        All.Select(i => i.Keyword.Split(' ')[0]).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// Words that cannot be names because they would make a statement ambiguous.
    /// Statement keywords are not among them: a statement keyword only counts at
    /// the start of a statement, so <c>query … as spectra</c> is fine.
    /// </summary>
    public static IReadOnlySet<string> ReservedWords => VoScript.Engine.ScriptNames.ReservedWords;
}
