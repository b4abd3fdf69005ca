using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats;

/// <summary>The file formats tables are read from and written to.</summary>
public enum TableFormat
{
    /// <summary>VOTable (XML).</summary>
    VOTable,
    /// <summary>Comma-separated values.</summary>
    Csv,
    /// <summary>FITS binary table (written in STILTS's FITS-plus form).</summary>
    Fits,
}

/// <summary>A table file format with its VOTable serialization, chosen by name or file extension.</summary>
public sealed record TableFormatChoice(TableFormat Format, VOTableSerialization Serialization = VOTableSerialization.Binary2)
{
    /// <summary>The names accepted by <c>--format</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["tabledata", "binary", "binary2", "csv", "votable", "fits"];

    /// <summary>Parses a <c>--format</c> value (any case).</summary>
    public static TableFormatChoice? FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "tabledata" or "td" or "votable/td" => new(TableFormat.VOTable, VOTableSerialization.TableData),
        "binary" or "votable/b" => new(TableFormat.VOTable, VOTableSerialization.Binary),
        "binary2" or "votable/b2" or "votable" or "vot" => new(TableFormat.VOTable, VOTableSerialization.Binary2),
        "csv" => new(TableFormat.Csv),
        "fits" or "fits-plus" or "fit" => new(TableFormat.Fits),
        _ => null,
    };

    /// <summary>
    /// The format a path's extension implies: <c>.vot</c>, <c>.xml</c>, <c>.votable</c> → VOTable
    /// BINARY2; <c>.csv</c> → CSV; <c>.fits</c>, <c>.fit</c>, <c>.fts</c> → FITS; anything else → null (the caller decides).
    /// </summary>
    public static TableFormatChoice? FromPath(string path)
    {
        var p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(p).ToLowerInvariant() switch
        {
            ".vot" or ".xml" or ".votable" or ".vo" => new(TableFormat.VOTable),
            ".csv" => new(TableFormat.Csv),
            ".fits" or ".fit" or ".fts" => new(TableFormat.Fits),
            _ => null,
        };
    }
}
