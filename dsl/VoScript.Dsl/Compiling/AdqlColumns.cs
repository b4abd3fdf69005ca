using System.Text;
using System.Text.RegularExpressions;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// The names of the columns an ADQL query returns, read from its select list when that is
/// plain enough to tell: <c>SELECT [ALL|DISTINCT] [TOP n] item, … FROM …</c> where each item
/// is a column (<c>ra</c>, <c>o.s_ra</c>, <c>"2MASS"</c>) or has an <c>AS</c> alias. Null when
/// the list holds <c>*</c> or a <c>${…}</c>, or the query is not a plain SELECT.
/// </summary>
internal static partial class AdqlColumns
{
    public sealed record Result(IReadOnlyList<string> Names, bool Complete);

    public static Result? Names(AdqlBlock block)
    {
        var sb = new StringBuilder();
        foreach (var part in block.Parts) sb.Append(part is AdqlText t ? t.Text : "\u0001");
        var m = SelectList().Match(sb.ToString());
        if (!m.Success) return null;
        var list = m.Groups["list"].Value;
        if (list.Contains('\u0001', StringComparison.Ordinal)) return null;
        var names = new List<string>();
        var complete = true;
        foreach (var item in SplitTopLevel(list))
        {
            var text = item.Trim();
            if (text == "*" || text.EndsWith(".*", StringComparison.Ordinal)) return null;
            var alias = Alias().Match(text);
            var plain = alias.Success ? null : Column().Match(text);
            var name = alias.Success ? Unquote(alias.Groups["name"].Value)
                : plain is { Success: true } ? Unquote(plain.Groups["name"].Value) : null;
            if (name is null) complete = false; // an expression without alias: the service names it
            else names.Add(name);
        }
        // two columns of one name: services rename one of them, each its own way
        if (names.Count != names.Distinct(StringComparer.OrdinalIgnoreCase).Count()) complete = false;
        return new Result(names, complete);
    }

    /// <summary>The columns of a query's text (a query block with its holes filled).</summary>
    public static Result? OfText(string adql)
    {
        var span = new SourceSpan("adql", 0, adql.Length, 1, 1);
        return Names(new AdqlBlock(span, [new AdqlText(span, adql)]));
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : s;

    private static IEnumerable<string> SplitTopLevel(string list)
    {
        var depth = 0;
        var inString = false;
        var inQuoted = false;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '\'' && !inQuoted) inString = !inString;
            else if (c == '"' && !inString) inQuoted = !inQuoted;
            else if (!inString && !inQuoted)
            {
                if (c == '(') depth++;
                else if (c == ')') depth--;
                else if (c == ',' && depth == 0) { yield return list[start..i]; start = i + 1; }
            }
        }
        yield return list[start..];
    }

    [GeneratedRegex(@"^\s*SELECT\s+(?:(?:ALL|DISTINCT)\s+)?(?:TOP\s+\d+\s+)?(?<list>.*?)\s+FROM\s", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SelectList();

    [GeneratedRegex(@"\s+AS\s+(?<name>""[^""]+""|[A-Za-z_][A-Za-z0-9_]*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Alias();

    [GeneratedRegex(@"^(?:(?:""[^""]+""|[A-Za-z_][A-Za-z0-9_]*)\.)*(?<name>""[^""]+""|[A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex Column();
}
