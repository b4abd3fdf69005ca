using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Reads VOTable documents (1.1–1.5; TABLEDATA, BINARY, BINARY2) into <see cref="Table"/>s.
/// Streaming and bounded in memory apart from the table itself; malformed input gives
/// one <see cref="VOTableFormatException"/> that says where and what.
/// </summary>
public static class VOTableReader
{
    /// <summary>Reads the table chosen by the options (the first one by default).</summary>
    public static Table Read(Stream stream, VOTableReadOptions? options = null) =>
        Read(stream, options, CancellationToken.None);

    /// <summary>Reads the table chosen by the options, checking <paramref name="ct"/> between rows.</summary>
    public static Table Read(Stream stream, VOTableReadOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var p = new VOTableParser(stream, options ?? new VOTableReadOptions(), readAll: false, ct);
        return p.Parse().Single;
    }

    /// <summary>Reads the chosen table without blocking the caller; cancellable between rows.</summary>
    public static Task<Table> ReadAsync(Stream stream, VOTableReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Task.Run(() => Read(stream, options, cancellationToken), cancellationToken);
    }

    /// <summary>Reads every TABLE of the document, in document order.</summary>
    public static IReadOnlyList<Table> ReadAll(Stream stream, VOTableReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var p = new VOTableParser(stream, options ?? new VOTableReadOptions(), readAll: true, CancellationToken.None);
        return p.Parse().All;
    }

    /// <summary>Reads the chosen table of a file; relative <c>file:</c> hrefs resolve from its directory unless options say otherwise.</summary>
    public static Table ReadFile(string path, VOTableReadOptions? options = null)
    {
        using var fs = OpenFile(path);
        return Read(fs, WithBase(path, options));
    }

    /// <summary>Reads every table of a file.</summary>
    public static IReadOnlyList<Table> ReadAllFile(string path, VOTableReadOptions? options = null)
    {
        using var fs = OpenFile(path);
        return ReadAll(fs, WithBase(path, options));
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VoScriptException($"cannot open VOTable file '{path}': {e.Message}", e);
        }
    }

    private static VOTableReadOptions WithBase(string path, VOTableReadOptions? o)
    {
        o ??= new VOTableReadOptions();
        if (o.BaseDirectory is not null) return o;
        return o with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) };
    }
}
