using System.Text;

namespace VoScript.Cli.Commands;

/// <summary>A plain, aligned text table for terminals and pipes alike (cells cut with '…' past a width).</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly bool[] _rightAlign = new bool[headers.Length];

    public int MaxCellWidth { get; init; } = 40;

    public TextTable AlignRight(int column)
    {
        _rightAlign[column] = true;
        return this;
    }

    public void Add(params string?[] cells) => _rows.Add(cells.Select(c => Clip(c ?? "")).ToArray());

    private string Clip(string s)
    {
        s = s.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
        return s.Length <= MaxCellWidth ? s : s[..(MaxCellWidth - 1)] + "…";
    }

    public void WriteTo(TextWriter w, string indent = "  ")
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var r in _rows)
            for (var i = 0; i < widths.Length && i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        WriteRow(w, indent, headers, widths);
        WriteRow(w, indent, widths.Select(n => new string('-', n)).ToArray(), widths);
        foreach (var r in _rows) WriteRow(w, indent, r, widths);
    }

    private void WriteRow(TextWriter w, string indent, string[] cells, int[] widths)
    {
        var sb = new StringBuilder(indent);
        for (var i = 0; i < widths.Length; i++)
        {
            var c = i < cells.Length ? cells[i] : "";
            if (i > 0) sb.Append("  ");
            if (_rightAlign[i]) sb.Append(c.PadLeft(widths[i]));
            else if (i < widths.Length - 1) sb.Append(c.PadRight(widths[i]));
            else sb.Append(c);
        }
        w.WriteLine(sb.ToString().TrimEnd());
    }
}
