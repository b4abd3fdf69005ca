using VoScript.Engine.IO;
using VoScript.Engine.Tables;

namespace VoScript.Engine.Plans.Handlers;

/// <summary>
/// The file names <c>load</c> and <c>save</c> accept; reading and writing go through the one
/// table-file entry point, <see cref="IO.TableFiles"/> (content sniffing, gzip, FITS, atomic writes).
/// </summary>
internal static class TableFiles
{
    /// <summary>The format a file name implies, or null when the extension is not one VoScript reads and writes.</summary>
    public static TableFormat? FormatOf(string path) => TableFormatChoice.FromPath(path)?.Format;

    public const string KnownExtensions = ".vot, .votable, .xml (VOTable), .fits, .fit (FITS) or .csv, each optionally .gz";

    /// <exception cref="VoScriptException">unknown extension, missing file, or malformed content.</exception>
    public static Table Read(string path)
    {
        if (FormatOf(path) is null) throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        if (!File.Exists(path)) throw new VoScriptException($"file '{path}' does not exist");
        return IO.TableFiles.Read(path);
    }

    /// <exception cref="VoScriptException">unknown extension, a table the format cannot hold, or the file cannot be written.</exception>
    public static void Write(Table table, string path)
    {
        var format = TableFormatChoice.FromPath(path) ?? throw new VoScriptException($"cannot tell the format of '{path}': use {KnownExtensions}");
        IO.TableFiles.Write(table, path, format);
    }
}
