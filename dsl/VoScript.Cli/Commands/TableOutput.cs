using System.CommandLine;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Cli.Commands;

/// <summary>
/// How commands print tables (tap, services, show): aligned text that is never wrapped (one line per row,
/// cells cut with '…' only on a terminal), or every row as CSV or TSV with <c>--format</c>.
/// </summary>
internal static class TableOutput
{
    public const string Text = "text";
    public const string Csv = "csv";
    public const string Tsv = "tsv";

    /// <summary><c>--format text|csv|tsv</c>, shared by the commands that print tables.</summary>
    public static Option<string> FormatOption(string rowsNote) =>
        CliOptions.Choice("--format", $"how rows are printed: text (aligned), csv or tsv ({rowsNote})", Text, Text, Csv, Tsv);

    /// <summary>True when <paramref name="w"/> is the process's stdout and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter w) => ReferenceEquals(w, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Rows as CSV (RFC 4180 quoting) or TSV (tabs and line breaks in cells become spaces), with a header line.</summary>
    public static void WriteDelimited(TextWriter o, string format, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sep = format == Tsv ? '\t' : ',';
        string Cell(string? s) => s is null ? ""
            : format == Tsv ? s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ')
            : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
        var sb = new StringBuilder();
        o.WriteLine(string.Join(sep, headers.Select(Cell)));
        foreach (var r in rows)
        {
            sb.Clear();
            for (var i = 0; i < r.Count; i++)
            {
                if (i > 0) sb.Append(sep);
                sb.Append(Cell(r[i]));
            }
            o.WriteLine(sb.ToString());
        }
    }

    /// <summary>The cells of row <paramref name="r"/> as text; null for null cells.</summary>
    public static string?[] Cells(Table t, int r) => t.Columns.Select(c => c.IsNull(r) ? null : c.DisplayCell(r)).ToArray();

    /// <summary>Column headings: the name, and the unit in brackets when there is one.</summary>
    public static string Heading(Column c) => c.Name + (string.IsNullOrEmpty(c.Field.Unit) ? "" : $" [{c.Field.Unit}]");

    /// <summary>
    /// A table's first <paramref name="maxRows"/> rows (text) or all rows (csv, tsv) to <paramref name="o"/>;
    /// text ends with a line "N rows × M columns".
    /// </summary>
    public static void Write(Table t, TextWriter o, string format, int maxRows, string moreHint)
    {
        if (format != Text)
        {
            WriteDelimited(o, format, t.Columns.Select(c => c.Name).ToList(), Enumerable.Range(0, t.RowCount).Select(r => Cells(t, r)));
            return;
        }
        var n = Math.Min(maxRows, t.RowCount);
        if (t.ColumnCount > 0)
        {
            var grid = new TextTable(t.Columns.Select(Heading).ToArray()) { MaxCellWidth = IsTerminal(o) ? 40 : int.MaxValue };
            for (var i = 0; i < t.ColumnCount; i++)
                if (!t.Columns[i].Field.DataType.IsText() && t.Columns[i].Field.ArraySize.IsScalar) grid.AlignRight(i);
            for (var r = 0; r < n; r++) grid.Add(Cells(t, r));
            grid.WriteTo(o);
            o.WriteLine();
        }
        o.WriteLine($"{ScriptInput.Count(t.RowCount, "row")} × {ScriptInput.Count(t.ColumnCount, "column")}{(t.RowCount > n ? $" (first {n} shown; {moreHint})" : "")}");
    }
}
