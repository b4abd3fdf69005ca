using VoScript.Engine.Model;

namespace VoScript.Cli.Commands;

/// <summary>Prints a table's de-duplicated warnings to stderr, one line each with a count.</summary>
internal static class WarningPrinter
{
    public static void Print(Table table, TextWriter err)
    {
        foreach (var w in table.Warnings.All)
            err.WriteLine($"voscript: warning {w.Code}: {w.Message}{(w.Count > 1 ? $" ({w.Count} times)" : "")}");
    }
}
