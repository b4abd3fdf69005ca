using System.Globalization;
using System.Text;
using CsvHelper;
using VoScript.Engine.Tables;

namespace VoScript.Engine.IO;

/// <summary>
/// Reads a CSV table with a header line (CsvHelper). Each column's type is inferred from
/// all its values: long, then double, then boolean, else string; an empty cell is null.
/// </summary>
public static class CsvTableReader
{
    public static Table Read(Stream stream, string? name = null)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            SkipEmptyLines = true,
        };
        var label = name ?? "input";
        string[] header;
        List<string?>[] cells;
        using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        try
        {
            header = csv.Headers.ToArray();
            if (header.Length == 0)
                throw new VoScriptException($"CSV '{label}' has no header line: the first line must name the columns");
            cells = header.Select(_ => new List<string?>()).ToArray();
            while (csv.Read())
            {
                for (var i = 0; i < header.Length; i++)
                {
                    var v = csv.GetStringOrNull(i);
                    cells[i].Add(string.IsNullOrEmpty(v) ? null : v);
                }
            }
        }
        catch (CsvFormatException e)
        {
            throw new VoScriptException($"CSV '{label}': {e.Message.Split('\n')[0]}");
        }
        var table = new Table(name);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var colName = string.IsNullOrWhiteSpace(header[i]) ? $"col{i + 1}" : header[i].Trim();
            while (!used.Add(colName)) colName += "_";
            table.AddColumn(Infer(colName, cells[i]));
        }
        return table;
    }

    private static Column Infer(string name, List<string?> values)
    {
        const NumberStyles Int = NumberStyles.AllowLeadingSign;
        var inv = CultureInfo.InvariantCulture;
        bool allLong = true, allDouble = true, allBool = true;
        foreach (var v in values)
        {
            if (v is null) continue;
            if (allLong && !long.TryParse(v, Int, inv, out _)) allLong = false;
            if (allDouble && !TryDouble(v, out _)) allDouble = false;
            if (allBool && !TryBool(v, out _)) allBool = false;
            if (!allLong && !allDouble && !allBool) break;
        }
        var n = values.Count;
        var nonNull = values.Any(v => v is not null);
        NullMask? nulls = null;
        for (var i = 0; i < n; i++) if (values[i] is null) (nulls ??= new NullMask(n)).Set(i);
        if (nonNull && allLong)
        {
            var a = new long[n];
            for (var i = 0; i < n; i++) if (values[i] is { } v) a[i] = long.Parse(v, Int, inv);
            return new ScalarColumn<long>(new Field(name, DataType.Long), a, nulls);
        }
        if (nonNull && allDouble)
        {
            var a = new double[n];
            for (var i = 0; i < n; i++) a[i] = values[i] is { } v && TryDouble(v, out var d) ? d : double.NaN;
            return new ScalarColumn<double>(new Field(name, DataType.Double), a, nulls);
        }
        if (nonNull && allBool)
        {
            var a = new bool[n];
            for (var i = 0; i < n; i++) if (values[i] is { } v) TryBool(v, out a[i]);
            return new ScalarColumn<bool>(new Field(name, DataType.Boolean), a, nulls);
        }
        return new StringColumn(new Field(name, DataType.Char, ArraySize.Variable), values.ToArray());
    }

    private static bool TryDouble(string s, out double d)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return true;
        switch (s.ToLowerInvariant())
        {
            case "nan": d = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": d = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": d = double.NegativeInfinity; return true;
            default: return false;
        }
    }

    private static bool TryBool(string s, out bool b)
    {
        switch (s.ToLowerInvariant())
        {
            case "true" or "t": b = true; return true;
            case "false" or "f": b = false; return true;
            default: b = false; return false;
        }
    }
}

/// <summary>Writes a table as CSV (RFC 4180, header line, invariant culture; null cells empty; arrays space-separated).</summary>
public static class CsvTableWriter
{
    public static void Write(Table table, Stream stream)
    {
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        csv.WriteHeader(table.Columns.Select(c => c.Name).ToArray());
        var cols = table.Columns;
        for (var r = 0; r < table.RowCount; r++)
        {
            foreach (var c in cols) csv.WriteField(c.FormatCell(r));
            csv.EndRecord();
        }
    }
}
