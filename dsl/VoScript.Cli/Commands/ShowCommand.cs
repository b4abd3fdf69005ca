using System.CommandLine;
using System.Globalization;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript show FILE [--limit N] [--stats] [--table N|NAME]</c>.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Table to show: VOTable, FITS binary table or CSV, gzip ok; '-' reads stdin." };
        var limit = CliOptions.Number("--limit", "N", "Rows to show (0: only the metadata).", 10, 0, int.MaxValue, "rows", aliases: "-n");
        var stats = new Option<bool>("--stats") { Description = "Read every cell and print count, nulls, min, max and mean of each column." };
        var table = new Option<string?>("--table", "-t") { Description = "Which table of a multi-table VOTable or FITS file: its index from 0, or its name (ID, or EXTNAME in FITS)." };
        var format = TableOutput.FormatOption("csv and tsv print only the first --limit rows, with a header line");
        var cmd = new Command("show", "Show a table's metadata (fields with unit and UCD, params, infos) and its first rows.")
        {
            file, limit, stats, table, format,
        };
        cmd.SetAction(parse =>
        {
            var n = parse.GetValue(limit);
            if (parse.GetValue(stats) && parse.GetValue(format) != TableOutput.Text)
                throw new UsageException("--stats prints statistics as text; leave out --format");
            var options = parse.GetValue(table) is { } t
                ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var idx)
                    ? new VOTableReadOptions { TableIndex = idx }
                    : new VOTableReadOptions { TableName = t }
                : null;
            var path = parse.GetRequiredValue(file);
            var tbl = TableFiles.Read(path, options);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) is { } f && f != TableOutput.Text)
            {
                TableOutput.WriteDelimited(o, f, tbl.Columns.Select(c => c.Name).ToList(),
                    Enumerable.Range(0, Math.Min(n, tbl.RowCount)).Select(r => TableOutput.Cells(tbl, r)));
            }
            else if (parse.GetValue(stats)) WriteStats(tbl, path, o);
            else Write(tbl, path, n, o);
            WarningPrinter.Print(tbl, parse.InvocationConfiguration.Error);
            return 0;
        });
        return cmd;
    }

    internal static void Write(Table t, string source, int limit, TextWriter o)
    {
        o.WriteLine($"table {t.Name ?? "(unnamed)"}: {ScriptInput.Count(t.RowCount, "row")}, {ScriptInput.Count(t.ColumnCount, "column")}  (from {source}{(t.Document?.Type is { } v ? ", VOTable " + v : "")})");
        if (t.Description is { } d) o.WriteLine($"  {d.Trim()}");
        if (t.QueryStatus is { } qs) o.WriteLine($"  QUERY_STATUS {qs.Value}{(string.IsNullOrWhiteSpace(qs.Content) ? "" : ": " + qs.Content.Trim())}");
        var systems = (t.Document?.Systems ?? []).Concat(t.Resource?.Systems ?? []).ToList();
        foreach (var s in systems)
            o.WriteLine($"  {s.ElementName} {string.Join(" ", s.Attributes.Select(a => a.Key + "=" + a.Value))}");

        var parms = (t.Document?.Params ?? []).Concat(t.Resource?.Params ?? []).Concat(t.Params).ToList();
        if (parms.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("params:");
            var pt = new TextTable("name", "value", "unit", "ucd");
            foreach (var p in parms) pt.Add(p.Name, p.Value, p.Unit, p.Ucd);
            pt.WriteTo(o);
        }
        var infos = (t.Document?.Infos ?? []).Concat(t.Resource?.Infos ?? []).Concat(t.Infos)
            .Where(i => !string.Equals(i.Name, "QUERY_STATUS", StringComparison.OrdinalIgnoreCase)).ToList();
        if (infos.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("infos:");
            var it = new TextTable("name", "value", "text") { MaxCellWidth = 60 };
            foreach (var i in infos) it.Add(i.Name, i.Value, i.Content?.Trim());
            it.WriteTo(o);
        }
        if (t.ColumnCount > 0)
        {
            o.WriteLine();
            o.WriteLine("columns:");
            var ct = new TextTable("#", "name", "type", "unit", "ucd", "description").AlignRight(0);
            var k = 1;
            foreach (var f in t.Fields)
                ct.Add((k++).ToString(CultureInfo.InvariantCulture), f.Name, TypeText(f), f.Unit, f.Ucd, f.Description?.Trim());
            ct.WriteTo(o);
        }
        if (limit > 0 && t.RowCount > 0)
        {
            var shown = Math.Min(limit, t.RowCount);
            o.WriteLine();
            o.WriteLine(shown == t.RowCount ? $"rows ({t.RowCount}):" : $"rows (first {shown} of {t.RowCount}; --limit N for more):");
            var rt = new TextTable(t.Columns.Select(c => c.Name).ToArray()) { MaxCellWidth = 24 };
            for (var i = 0; i < t.ColumnCount; i++)
                if (!t.Columns[i].Field.DataType.IsText() && t.Columns[i].Field.ArraySize.IsScalar) rt.AlignRight(i);
            for (var r = 0; r < shown; r++)
                rt.Add(t.Columns.Select(c => c.IsNull(r) ? "--" : c.DisplayCell(r)).ToArray());
            rt.WriteTo(o);
        }
    }

    internal static void WriteStats(Table t, string source, TextWriter o)
    {
        var stats = ColumnStatistics.Of(t);
        o.WriteLine($"table {t.Name ?? "(unnamed)"}: {ScriptInput.Count(t.RowCount, "row")}, {ScriptInput.Count(t.ColumnCount, "column")}  (from {source})");
        var st = new TextTable("column", "type", "count", "nulls", "min", "max", "mean").AlignRight(2).AlignRight(3);
        var cols = t.Columns;
        for (var i = 0; i < stats.Count; i++)
        {
            var s = stats[i];
            st.Add(s.Name, TypeText(cols[i].Field), Int(s.Count), Int(s.Nulls),
                s.MinText ?? (s.Min is { } mn ? Num(mn) : null), s.MaxText ?? (s.Max is { } mx ? Num(mx) : null), s.Mean is { } me ? Num(me) : "");
        }
        st.WriteTo(o);
    }

    private static string Int(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Num(double d) => d.ToString("G8", CultureInfo.InvariantCulture);

    internal static string TypeText(Field f) =>
        f.DataType.VOTableName() + (f.ArraySize.IsScalar ? "" : "[" + f.ArraySize + "]") + (f.XType is { } x ? " (" + x + ")" : "");
}
