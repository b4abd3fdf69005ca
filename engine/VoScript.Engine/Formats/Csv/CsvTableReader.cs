using System.Globalization;
using CsvHelper;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Hosting;
using VoScript.Engine;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Csv;

/// <summary>
/// Reads CSV with a header line into a <see cref="Table"/>. Each column's type is
/// inferred from all its non-empty cells: long, else double, else boolean
/// (true/false/T/F, any case), else string. Empty cells are null.
/// Bounded by <see cref="ReaderLimits"/>: bytes in (MaxDecodedBytes), one line (MaxCellLength), columns, rows.
/// </summary>
internal static class CsvTableReader
{
    public static Table Read(Stream stream, string? name = null, ReaderLimits? limits = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= ReaderLimits.Default;
        stream = new ByteLimitStream(stream, limits.MaxDecodedBytes, "the CSV input (ReaderLimits.MaxDecodedBytes)", ct);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            MalformedData = CsvMalformedDataHandling.Throw,
            MaxRecordSize = limits.MaxCellLength,
        };
        using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        var table = new Table(name);
        try
        {
            if (!csv.Read()) throw new VoScriptException("the CSV input is empty: a header line with column names is needed");
            if (csv.FieldCount > limits.MaxColumns)
                throw new VoScriptException($"CSV line 1: {csv.FieldCount} columns, more than the limit of {limits.MaxColumns} (ReaderLimits.MaxColumns)");
            var header = new string[csv.FieldCount];
            for (var i = 0; i < header.Length; i++) header[i] = csv.GetString(i);
            var names = UniqueNames(header, table.Warnings);
            var cells = names.Select(_ => new List<string?>()).ToArray();
            long rows = 0;
            while (csv.Read())
            {
                if (++rows > limits.MaxRows)
                    throw new VoScriptException($"CSV line {csv.LineNumber}: more rows than the limit of {limits.MaxRows} (ReaderLimits.MaxRows)");
                if (csv.FieldCount != names.Length)
                    throw new VoScriptException($"CSV line {csv.LineNumber}: {csv.FieldCount} fields, but the header has {names.Length}; quote fields that contain commas");
                for (var c = 0; c < names.Length; c++) cells[c].Add(csv.IsEmpty(c) ? null : csv.GetString(c));
            }
            for (var c = 0; c < names.Length; c++) table.AddColumn(Infer(names[c], cells[c]));
        }
        catch (CsvFormatException e)
        {
            throw new VoScriptException($"CSV line {e.LineNumber}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new VoScriptException($"CSV input refused: {e.Message}", e);
        }
        return table;
    }

    public static Table ReadFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Read(fs, Path.GetFileNameWithoutExtension(path));
    }

    private static string[] UniqueNames(string[] header, TableWarnings warnings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[header.Length];
        for (var i = 0; i < header.Length; i++)
        {
            var n = header[i].Trim();
            if (n.Length == 0) { n = $"col{i + 1}"; warnings.Add("CSV-NO-NAME", $"column {i + 1} has no name; named '{n}'"); }
            var u = n;
            for (var k = 2; !seen.Add(u); k++) u = n + "_" + k.ToString(CultureInfo.InvariantCulture);
            if (u != n) warnings.Add("CSV-DUPLICATE-NAME", $"duplicate column name '{n}' renamed '{u}'");
            names[i] = u;
        }
        return names;
    }

    private static Column Infer(string name, List<string?> cells)
    {
        var n = cells.Count;
        NullMask? nulls = null;
        for (var i = 0; i < n; i++) if (cells[i] is null) (nulls ??= new NullMask(n)).Set(i);

        var longs = new long[n];
        if (All(cells, (s, i) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out longs[i])))
            return new ScalarColumn<long>(new Field(name, DataType.Long), longs, nulls);
        var doubles = new double[n];
        if (All(cells, (s, i) => TryDouble(s, out doubles[i])))
        {
            for (var i = 0; i < n; i++) if (cells[i] is null) doubles[i] = double.NaN;
            return new ScalarColumn<double>(new Field(name, DataType.Double), doubles, nulls);
        }
        var bools = new bool[n];
        if (All(cells, (s, i) => TryBool(s, out bools[i])))
            return new ScalarColumn<bool>(new Field(name, DataType.Boolean), bools, nulls);
        return new StringColumn(new Field(name, DataType.Char, ArraySize.Variable), [.. cells]);
    }

    private static bool All(List<string?> cells, Func<string, int, bool> ok)
    {
        var any = false;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not { } s) continue;
            if (!ok(s.Trim(), i)) return false;
            any = true;
        }
        return any;
    }

    private static bool TryDouble(string s, out double d)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return true;
        switch (s.ToLowerInvariant())
        {
            case "nan": d = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": d = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": d = double.NegativeInfinity; return true;
        }
        return false;
    }

    private static bool TryBool(string s, out bool b)
    {
        switch (s.ToLowerInvariant())
        {
            case "true" or "t": b = true; return true;
            case "false" or "f": b = false; return true;
        }
        b = false;
        return false;
    }
}
