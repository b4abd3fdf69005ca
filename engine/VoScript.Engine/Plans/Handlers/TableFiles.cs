using System.Globalization;
using CsvHelper;
using VoScript.Engine.Tables;
using VoScript.Engine.VOTable;

namespace VoScript.Engine.Plans.Handlers;

/// <summary>Reads and writes table files, choosing the format by extension.</summary>
public static class TableFiles
{
    public enum Format
    {
        VOTable,
        Csv,
    }

    /// <summary>The format of a file name, or null when the extension is not one VoScript reads and writes.</summary>
    public static Format? FormatOf(string path)
    {
        var name = path.ToLowerInvariant();
        if (name.EndsWith(".csv", StringComparison.Ordinal)) return Format.Csv;
        if (name.EndsWith(".vot", StringComparison.Ordinal) || name.EndsWith(".votable", StringComparison.Ordinal)
            || name.EndsWith(".xml", StringComparison.Ordinal) || name.EndsWith(".vot.xml", StringComparison.Ordinal))
            return Format.VOTable;
        return null;
    }

    public const string KnownExtensions = ".vot, .votable, .xml (VOTable) or .csv";

    /// <exception cref="VoScriptException">unknown extension, missing file, or malformed content.</exception>
    public static Table Read(string path)
    {
        var format = FormatOf(path) ?? throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        if (!File.Exists(path)) throw new VoScriptException($"file '{path}' does not exist");
        return format switch
        {
            Format.Csv => ReadCsv(path),
            _ => ReadVOTable(path),
        };
    }

    /// <exception cref="VoScriptException">unknown extension or the file cannot be written.</exception>
    public static void Write(Table table, string path)
    {
        var format = FormatOf(path) ?? throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir)) throw new VoScriptException($"cannot write '{path}': directory '{dir}' does not exist");
        if (format == Format.Csv) WriteCsv(table, path);
        else WriteVOTable(table, path);
    }

    private static Table ReadVOTable(string path) =>
        VOTableReader.ReadFile(path, new VOTableReadOptions { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) });

    private static void WriteVOTable(Table table, string path) => VOTableWriter.WriteFile(table, path, new VOTableWriteOptions());

    /// <summary>CSV with a header line; columns become long, double or boolean when every non-empty cell parses so, else strings; empty cells are nulls.</summary>
    public static Table ReadCsv(string path)
    {
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions());
        var header = csv.Headers.ToArray();
        if (header.Length == 0) throw new VoScriptException($"'{path}' has no CSV header line");
        var columns = header.Select(_ => new List<string?>()).ToArray();
        try
        {
            while (csv.Read())
                for (var c = 0; c < header.Length; c++)
                {
                    var v = c < csv.FieldCount ? csv.GetStringOrNull(c) : null;
                    columns[c].Add(string.IsNullOrEmpty(v) ? null : v);
                }
        }
        catch (CsvFormatException e)
        {
            throw new VoScriptException($"'{path}' is not valid CSV: {e.Message}", e);
        }
        var table = new Table(Path.GetFileNameWithoutExtension(path));
        for (var c = 0; c < header.Length; c++) table.AddColumn(TypedColumn(header[c], columns[c]));
        return table;
    }

    private static Column TypedColumn(string name, List<string?> cells)
    {
        var present = cells.Where(v => v is not null).Select(v => v!.Trim()).ToList();
        NullMask? nulls = null;
        for (var i = 0; i < cells.Count; i++)
            if (cells[i] is null) (nulls ??= new NullMask(cells.Count)).Set(i);
        if (present.Count > 0 && present.All(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            return new ScalarColumn<long>(new Field(name, DataType.Long),
                cells.Select(v => v is null ? 0L : long.Parse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray(), nulls);
        if (present.Count > 0 && present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            return new ScalarColumn<double>(new Field(name, DataType.Double),
                cells.Select(v => v is null ? double.NaN : double.Parse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(), nulls);
        if (present.Count > 0 && present.All(v => v is "true" or "false" or "True" or "False" or "T" or "F"))
            return new ScalarColumn<bool>(new Field(name, DataType.Boolean),
                cells.Select(v => v is "true" or "True" or "T").ToArray(), nulls);
        return new StringColumn(new Field(name, DataType.Char, ArraySize.Variable), cells.ToArray());
    }

    public static void WriteCsv(Table table, string path)
    {
        using var writer = new StreamWriter(path);
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true))
        {
            csv.WriteHeader(table.Columns.Select(c => c.Name).ToArray());
            var row = new string[table.ColumnCount];
            for (var r = 0; r < table.RowCount; r++)
            {
                for (var c = 0; c < row.Length; c++) row[c] = table.Columns[c].IsNull(r) ? "" : table.Columns[c].FormatCell(r);
                csv.WriteRecord(row);
            }
            csv.Flush();
        }
    }
}
