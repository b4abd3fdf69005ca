using VoScript.Engine.Tables;
using VoScript.Engine.Tables.Csv;
using VoScript.Engine.VOTable;

namespace VoScript.Engine.Plans.Handlers;

/// <summary>Reads and writes table files, choosing the format by extension.</summary>
internal static class TableFiles
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
    public static void Write(Table table, string path, VOTableSerialization? serialization = null)
    {
        var format = FormatOf(path) ?? throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir)) throw new VoScriptException($"cannot write '{path}': directory '{dir}' does not exist");
        if (format == Format.Csv) WriteCsv(table, path);
        else VOTableWriter.WriteFile(table, path, new VOTableWriteOptions { Serialization = serialization ?? VOTableSerialization.Binary2 });
    }

    private static Table ReadVOTable(string path) =>
        VOTableReader.ReadFile(path, new VOTableReadOptions { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) });

    /// <summary>CSV through the table model's CSV reader (header line, inferred column types, empty cells null).</summary>
    public static Table ReadCsv(string path)
    {
        using var stream = File.OpenRead(path);
        return CsvTableReader.Read(stream, Path.GetFileNameWithoutExtension(path));
    }

    public static void WriteCsv(Table table, string path) => CsvTableWriter.WriteFile(table, path);
}
