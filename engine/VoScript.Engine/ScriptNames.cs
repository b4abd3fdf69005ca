namespace VoScript.Engine;

/// <summary>Where a script writes a column name: in an expression, or in a list of columns (<c>keep … columns</c>, <c>sort … by</c>, <c>plot … x</c>).</summary>
public enum NamePlace
{
    /// <summary>In an expression (<c>select … where</c>, <c>derive</c>, <c>group … with</c>): a word that is not an expression word, else in backquotes.</summary>
    Expression,
    /// <summary>In a list of column names: a word that is not a reserved word, else in backquotes (or a string).</summary>
    ColumnList,
}

/// <summary>
/// How names are written in a <c>.vos</c> script: the one rule the parser reads names by (what a word is, which words
/// cannot be names) and that messages use to show a column name as the user must type it (<c>`n obs`</c>, <c>`B-V`</c>,
/// <c>`2MASS`</c>, <c>`and`</c> in backquotes; <c>mag</c> as it is).
/// </summary>
public static class ScriptNames
{
    /// <summary>Whether a word can start with <paramref name="c"/> (a letter or _).</summary>
    public static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    /// <summary>Whether a word can go on with <paramref name="c"/> (a letter, digit or _).</summary>
    public static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Whether <paramref name="name"/> is one word (what the parser reads without quotes).</summary>
    public static bool IsWord(string name)
    {
        if (name.Length == 0 || !IsWordStart(name[0])) return false;
        foreach (var c in name) if (!IsWordPart(c)) return false;
        return true;
    }

    /// <summary>
    /// Words that cannot be names because they would make a statement ambiguous (<c>as</c> ends every verb).
    /// Statement keywords are not among them: a statement keyword only counts at the start of a statement.
    /// </summary>
    public static IReadOnlySet<string> ReservedWords { get; } = new HashSet<string>(["as", "all", "each"], StringComparer.Ordinal);

    /// <summary>Words an expression reads as themselves (values and operators), never as a column: <c>true false null and or not as</c>.</summary>
    public static IReadOnlySet<string> ExpressionWords { get; } =
        new HashSet<string>(["true", "false", "null", "and", "or", "not", "as"], StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> must be quoted where <paramref name="place"/> says.</summary>
    public static bool NeedsQuotes(string name, NamePlace place) =>
        !IsWord(name) || (place == NamePlace.Expression ? ExpressionWords : ReservedWords).Contains(name);

    /// <summary>
    /// The column name as a script writes it in <paramref name="place"/>: as it is when it is a plain word there, else in
    /// backquotes (<c>`n obs`</c>); a name with a backquote or a line break in it is a string in lists, the only way to write it.
    /// </summary>
    public static string Column(string name, NamePlace place = NamePlace.Expression)
    {
        if (!NeedsQuotes(name, place)) return name;
        if (place == NamePlace.ColumnList && (name.Contains('`', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal)))
            return "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
        return "`" + name + "`";
    }

    /// <summary>The column name for a message: <c>'mag'</c> for a plain word, else as it must be typed (<c>`n obs`</c>).</summary>
    public static string Mention(string name, NamePlace place = NamePlace.Expression) =>
        NeedsQuotes(name, place) ? Column(name, place) : "'" + name + "'";

    /// <summary>Column names for a message's list ("its columns are ra, dec, `n obs`"), each as it must be typed.</summary>
    public static string List(IEnumerable<string> names, NamePlace place = NamePlace.Expression) =>
        string.Join(", ", names.Select(n => Column(n, place)));

    /// <summary>" (did you mean 'mag'?)", " (did you mean `n obs`?)" for the closest column name, or "".</summary>
    public static string DidYouMean(string name, IEnumerable<string> columns, NamePlace place = NamePlace.Expression) =>
        Suggestions.Closest(name, columns) is { } s ? $" (did you mean {Mention(s, place)}?)" : "";
}
