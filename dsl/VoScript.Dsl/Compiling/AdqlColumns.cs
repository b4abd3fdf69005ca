using System.Text;
using VoScript.Adql;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// The names of the columns an ADQL query returns, from its select list as the ADQL parser reads it
/// (<see cref="AdqlParser.ParseSelectHead"/>: the head <c>[WITH …] SELECT [ALL|DISTINCT] [TOP n] item, …</c> up to
/// <c>FROM</c>; what follows is not read, so a service's dialect there does not matter). A column (<c>ra</c>,
/// <c>o.s_ra</c>, <c>"2MASS"</c>) or an item with an alias gives a name; an expression without one leaves the list
/// incomplete (the service names it). Null, the columns unknown and no error, when the list holds <c>*</c> or
/// <c>t.*</c> or a <c>${…}</c>, or when the parser cannot read the head (a dialect of a service).
/// </summary>
internal static class AdqlColumns
{
    public sealed record Result(IReadOnlyList<string> Names, bool Complete);

    public static Result? Names(AdqlBlock block)
    {
        var sb = new StringBuilder();
        var firstHole = -1;
        foreach (var part in block.Parts)
        {
            if (part is AdqlText t)
            {
                sb.Append(t.Text);
                continue;
            }
            if (firstHole < 0) firstHole = sb.Length;
            sb.Append(" 0 "); // a value the lexer reads anywhere; a hole before FROM makes the columns unknown anyway
        }
        return Of(sb.ToString(), firstHole);
    }

    /// <summary>The columns of a query's text (a query block with its holes filled).</summary>
    public static Result? OfText(string adql) => Of(adql, -1);

    private static Result? Of(string adql, int firstHole)
    {
        SelectHead head;
        try
        {
            head = AdqlParser.ParseSelectHead(adql);
        }
        catch (AdqlException)
        {
            return null; // not ADQL this parser reads: the service may still understand it
        }
        if (firstHole >= 0 && firstHole < Offset(adql, head.From)) return null;
        var names = new List<string>();
        var complete = true;
        foreach (var item in head.Items)
        {
            switch (item)
            {
                case StarItem:
                    return null;
                case ExprItem { Alias: { } alias }:
                    names.Add(alias.Name);
                    break;
                case ExprItem { Expr: ColumnRef column }:
                    names.Add(column.Column.Name);
                    break;
                default:
                    complete = false; // an expression without alias: the service names it
                    break;
            }
        }
        // two columns of one name: services rename one of them, each its own way
        if (names.Count != names.Distinct(StringComparer.OrdinalIgnoreCase).Count()) complete = false;
        return new Result(names, complete);
    }

    /// <summary>The character offset of a 1-based line and column of <paramref name="text"/>.</summary>
    private static int Offset(string text, Pos pos)
    {
        var at = 0;
        for (var line = 1; line < pos.Line; line++)
        {
            var next = text.IndexOf('\n', at);
            if (next < 0) return text.Length;
            at = next + 1;
        }
        return Math.Min(text.Length, at + pos.Column - 1);
    }
}
