using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>
/// The file names <c>load</c> and <c>save</c> accept; reading and writing go through the one
/// table-file entry point, <see cref="Formats.TableFiles"/> (content sniffing, gzip, FITS, atomic writes).
/// </summary>
public static class TableFiles
{
    /// <summary>The format a file name implies, or null when the extension is not one VoScript reads and writes.</summary>
    public static TableFormat? FormatOf(string path) => TableFormatChoice.FromPath(path)?.Format;

    /// <summary>The extensions in words, for messages.</summary>
    public const string KnownExtensions = ".vot, .votable, .xml (VOTable), .fits, .fit (FITS) or .csv, each optionally .gz";

    /// <summary>
    /// Reads the table in <paramref name="path"/>, whatever its name: the format is decided by the content
    /// (VOTable, FITS, CSV, each optionally gzipped), as <c>voscript show</c> and <c>convert</c> decide it.
    /// </summary>
    /// <exception cref="VoScriptException">missing file, content that is not a table, or malformed content.</exception>
    public static Table Read(string path, VoScript.Engine.ReaderLimits? limits = null)
    {
        if (Directory.Exists(path)) throw new VoScriptException($"'{path}' is a folder, not a table file");
        if (!File.Exists(path)) throw new VoScriptException($"file '{path}' does not exist");
        return Formats.TableFiles.Read(path, new VOTableReadOptions { Limits = limits ?? VoScript.Engine.ReaderLimits.Default });
    }

    /// <exception cref="VoScriptException">unknown extension, a table the format cannot hold, or the file cannot be written.</exception>
    /// <remarks>For a VOTable file, <paramref name="serialization"/> is the one asked for by <c>save … as</c>; null keeps the default (BINARY2).</remarks>
    public static void Write(Table table, string path, VOTableSerialization? serialization = null)
    {
        var format = TableFormatChoice.FromPath(path) ?? throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        if (serialization is { } chosen && format.Format == TableFormat.VOTable) format = format with { Serialization = chosen };
        Formats.TableFiles.Write(table, path, format);
    }
}
