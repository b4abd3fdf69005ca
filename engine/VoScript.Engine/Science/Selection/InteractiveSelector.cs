using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

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
/// One object shown to the user: its id, its rows in the table, its SED drawn with characters, and
/// a short summary (id, position, bands, a one-line SED) for hosts that ask without a screen (a pipe).
/// </summary>
public sealed record ObjectView(string ObjectId, int Index, int Total, IReadOnlyList<int> Rows, string Drawing)
{
    /// <summary>A text summary of the object.</summary>
    public string Summary { get; init; } = "";
}

/// <summary>
/// The engine side of <c>select T interactively as NAME</c>: walks the objects of a table
/// (object_id, group_id or the main id), shows each one through the <c>ask</c> callback, and
/// returns the rows of the kept objects. The host owns the terminal: with none (CI, a pipe)
/// it must not call this, and reports <see cref="NoTerminalMessage"/> instead.
/// </summary>
public static class InteractiveSelector
{
    /// <summary>The error a host reports when there is no terminal to ask in.</summary>
    public const string NoTerminalMessage =
        "select … interactively needs a terminal here (voscript run also takes answers piped to stdin, one y, n or q per line); "
        + "use select T where EXPR as NAME instead, e.g. select seds where count() >= 5 as picked";

    /// <summary>Asks about each object of <paramref name="table"/> and returns the kept rows.</summary>
    public static Table Run(Table table, Func<ObjectView, Choice> ask, string? name = null, int width = 60, int height = 14)
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
        var isSed = Plotter.IsSed(table);
        var kept = new List<int>();
        for (var k = 0; k < order.Count; k++)
        {
            var rows = rowsOf[order[k]];
            var title = $"object {order[k]} ({k + 1} of {order.Count}, {rows.Count} rows)";
            var drawing = isSed ? CharacterPlot.Sed(table, rows, width, height, title) : title + Environment.NewLine;
            var choice = ask(new ObjectView(order[k], k, order.Count, rows, drawing)
            {
                Summary = title + Environment.NewLine + ObjectSummary.Of(table, rows, isSed),
            });
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
