using System.IO.Compression;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.Csv;
using VoScript.Engine.Formats.VOTable;
using VoScript.Hosting;
using VoScript.Engine;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats;

/// <summary>
/// Reads and writes table files by path (<c>-</c> is stdin/stdout), choosing the
/// format from the content (VOTable, CSV, gzip) and the extension.
/// </summary>
public static class TableFiles
{
    /// <summary>Reads the table in <paramref name="path"/>; VOTable or CSV, optionally gzipped.</summary>
    public static Table Read(string path, VOTableReadOptions? options = null)
    {
        Stream raw = path == "-" ? Console.OpenStandardInput() : InputFile.OpenRead(path);
        using (raw)
        {
            // a document from stdin is not a local file: like a service's answer, it follows no STREAM href
            var opts = options ?? new VOTableReadOptions();
            if (path != "-" && opts.BaseDirectory is null) opts = opts with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) };
            var clock = Timings.Start();
            var table = Read(raw, path, opts);
            Timings.Stop(clock, $"read '{path}'");
            return table;
        }
    }

    /// <summary>Reads a table from a stream; <paramref name="name"/> is used in messages and for the format's extension.</summary>
    public static Table Read(Stream stream, string name, VOTableReadOptions? options = null) => Read(stream, name, options, null);

    private static Table Read(Stream stream, string name, VOTableReadOptions? options, string? compression)
    {
        var head = new byte[512];
        var n = 0;
        for (int r; n < head.Length && (r = stream.Read(head, n, head.Length - n)) > 0;) n += r;
        var s = new PrefixedStream(head, 0, n, stream);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            if (compression is not null) throw new VoScriptException($"not a table: '{name}' looks like gzip-compressed data inside gzip-compressed data");
            using var gz = new GzipLimitStream(s, options?.Limits ?? ReaderLimits.Default, leaveOpen: true);
            try
            {
                return Read(gz, name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name, options, ", compressed with gzip");
            }
            catch (InvalidDataException e)
            {
                throw new VoScriptException($"cannot read '{name}': its gzip compression is broken ({e.Message}); the file may be cut short or corrupt");
            }
        }
        var start = head.AsSpan(0, n);
        if (start.Length > 0 && FitsReader.LooksLikeFits(start))
        {
            var fits = FitsReader.Read(s, name, options);
            fits.Name ??= Path.GetFileNameWithoutExtension(name == "-" ? "stdin" : name);
            return fits;
        }
        if (ContentSniffer.NotATable(start) is { } what)
            throw new VoScriptException($"not a table: '{name}' looks like {what}{compression}; expected a VOTable, FITS or CSV table");
        var format = LooksLikeXml(start) ? TableFormat.VOTable
            : TableFormatChoice.FromPath(name)?.Format is TableFormat.VOTable ? TableFormat.VOTable
            : TableFormat.Csv;
        if (start.Length == 0) throw new VoScriptException($"'{name}' is empty: expected a VOTable, FITS or CSV table");
        var table = format == TableFormat.VOTable
            ? VOTableReader.Read(s, options)
            : CsvTableReader.Read(s, limits: options?.Limits);
        table.Name ??= Path.GetFileNameWithoutExtension(name == "-" ? "stdin" : name);
        return table;
    }

    /// <summary>
    /// Writes <paramref name="table"/> to <paramref name="path"/> (<c>-</c>: stdout) in
    /// <paramref name="format"/>, else in the format the extension implies (VOTable BINARY2 by default).
    /// The file is written next to its final name and moved into place, so a failure leaves no half file.
    /// </summary>
    public static void Write(Table table, string path, TableFormatChoice? format = null, string version = "1.4")
    {
        var choice = format ?? TableFormatChoice.FromPath(path) ?? new TableFormatChoice(TableFormat.VOTable);
        if (path == "-")
        {
            using var stdout = Console.OpenStandardOutput();
            Write(table, stdout, choice, version);
            return;
        }
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new VoScriptException($"cannot write '{path}': folder '{Path.GetDirectoryName(path)}' does not exist (create it first)");
        var tmp = Path.Combine(dir, "." + Path.GetFileName(full) + ".tmp-" + Environment.ProcessId);
        try
        {
            var clock = Timings.Start();
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Stream target = fs;
                GZipStream? gz = null;
                if (full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) target = gz = new GZipStream(fs, CompressionLevel.Fastest);
                Write(table, target, choice, version);
                gz?.Dispose();
            }
            File.Move(tmp, full, overwrite: true);
            Timings.Stop(clock, $"write '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new VoScriptException($"cannot write '{path}': {e.Message}");
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes a table to a stream in the given format.</summary>
    public static void Write(Table table, Stream stream, TableFormatChoice format, string version = "1.4")
    {
        if (format.Format == TableFormat.Csv) CsvTableWriter.Write(table, stream);
        else if (format.Format == TableFormat.Fits) FitsWriter.Write(table, stream);
        else VOTableWriter.Write(table, stream, new VOTableWriteOptions { Serialization = format.Serialization, Version = version });
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> head)
    {
        var i = 0;
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i < head.Length && head[i] == (byte)'<';
    }
}
