using VoScript.Engine.Model;
using VoScript.Engine.Science.Photometry;

namespace VoScript.Engine.Science.Selection;

/// <summary>The answer for one object in <c>select T interactively</c>.</summary>
public enum Choice
{
    /// <summary>Keep the object.</summary>
    Keep,
    /// <summary>Leave it out.</summary>
    Skip,
    /// <summary>Stop asking; the objects kept so far are the result.</summary>
    Quit,
}

/// <summary>
/// One object of <c>select T interactively</c>, as the engine hands it to the host's question
/// (<c>VoScriptHostOptions.Ask</c>): the table, the object's rows in it, its id and place in the walk,
/// and whether the table is an SED table (object_id, wavelength, mag), so a host can draw it
/// (<c>CharacterPlot.Sed</c> and <c>ObjectSummary.Of</c> draw it with characters). The engine draws nothing.
/// </summary>
/// <param name="Table">The whole table being selected from; the host must not change it.</param>
/// <param name="ObjectId">The object's id as text (the value of its object column).</param>
/// <param name="Index">The object's place in the walk, from 0.</param>
/// <param name="Total">How many objects the walk has.</param>
/// <param name="Rows">The object's row indexes in <paramref name="Table"/>, ascending; never empty.</param>
/// <param name="IsSed">Whether <paramref name="Table"/> is an SED table (made by <c>sed</c>).</param>
public sealed record ObjectView(Table Table, string ObjectId, int Index, int Total, IReadOnlyList<int> Rows, bool IsSed)
{
    /// <summary>The error a host reports when it has no terminal or screen to ask in.</summary>
    public const string NoTerminalMessage =
        "select … interactively needs a terminal here (voscript run also takes answers piped to stdin, one y, n or q per line); "
        + "use select T where EXPR as NAME instead, e.g. select seds where count() >= 5 as picked";

    /// <summary>A one-line title: <c>object 7 (2 of 5, 11 rows)</c>.</summary>
    public string Title => $"object {ObjectId} ({Index + 1} of {Total}, {Rows.Count} rows)";
}

/// <summary>
/// The engine side of <c>select T interactively as NAME</c>: walks the objects of a table
/// (object_id, group_id or the main id), shows each one through the <c>ask</c> callback, and
/// returns the rows of the kept objects. The host owns the terminal and the drawing: with none (CI, a pipe)
/// the step fails with <see cref="ObjectView.NoTerminalMessage"/>.
/// </summary>
internal static class InteractiveSelector
{

    /// <summary>Asks about each object of <paramref name="table"/> and returns the kept rows.</summary>
    public static Table Run(Table table, Func<ObjectView, Choice> ask, string? name = null)
    {
        var objField = ExpressionChecker.ObjectColumn(table.Fields.ToList())
            ?? throw new VoScriptException($"table '{table.Name ?? "(unnamed)"}' has no object column (object_id, group_id or a meta.id;meta.main column) to select objects by; make one with sed or cluster first");
        var obj = table.FindColumn(objField.Name)!;
        var order = new List<string>();
        var rowsOf = new Dictionary<string, List<int>>();
        for (var i = 0; i < table.RowCount; i++)
        {
            if (obj.IsNull(i)) continue;
            var key = obj.FormatCell(i);
            if (!rowsOf.TryGetValue(key, out var list)) { rowsOf[key] = list = []; order.Add(key); }
            list.Add(i);
        }
        var isSed = SedBuilder.IsSed(table);
        var kept = new List<int>();
        for (var k = 0; k < order.Count; k++)
        {
            var rows = rowsOf[order[k]];
            var choice = ask(new ObjectView(table, order[k], k, order.Count, rows, isSed));
            if (choice == Choice.Quit) break;
            if (choice == Choice.Keep) kept.AddRange(rows);
        }
        kept.Sort();
        var result = table.SelectRows(kept);
        result.Name = name ?? table.Name;
        result.Warnings.AddRange(table.Warnings);
        return result;
    }
}
