using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VoScript.Engine;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using VoScript.Server.Storage;

namespace VoScript.Server.Tap;

/// <summary>
/// <c>voscript serve --cache DIR</c>: each served file's table kept as a DuckDB database file in DIR (with its
/// columns' metadata beside it as an empty VOTable), so that the next start attaches it instead of reading
/// and loading the file again. An entry is used only while the source file's full path, size, modification
/// time and a hash of its first and last megabyte are those it was made from; older entries of the same
/// table are deleted when a new one is written. Entries are attached read-only, before the store is locked.
/// </summary>
public sealed class TableCache
{
    private const int Edge = 1 << 20;
    private readonly Dictionary<ServedFile, string> _hits = [];

    /// <summary>The entry paths <see cref="TryRead"/> computed (hashing the file's edges once), used again by <see cref="SaveAsync"/>.</summary>
    private readonly Dictionary<ServedFile, (string Database, string Metadata)> _paths = [];

    /// <summary>A cache in <paramref name="folder"/> (made if missing; a <see cref="VoScriptException"/> if it cannot be).</summary>
    public TableCache(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VoScriptException($"--cache {folder}: cannot make the folder: {e.Message}");
        }
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The cache folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>The files whose tables came from the cache (after <see cref="TryRead"/>).</summary>
    public int Hits => _hits.Count;

    /// <summary>The database and metadata files of the entry for <paramref name="file"/> as it is now.</summary>
    internal (string Database, string Metadata) PathsFor(ServedFile file)
    {
        var stem = Path.Combine(Folder, Stem(file) + Key(file.Path));
        return (stem + ".duckdb", stem + ".meta.vot");
    }

    /// <summary>
    /// The columns (no rows) of <paramref name="file"/>'s table when a valid entry exists; null otherwise
    /// (then the file is read and loaded as usual, and <see cref="Save"/> makes the entry).
    /// </summary>
    internal Table? TryRead(ServedFile file)
    {
        string database, metadata;
        try
        {
            (database, metadata) = PathsFor(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // reading the file itself says what is wrong with it
        }
        _paths[file] = (database, metadata);
        if (!File.Exists(database) || !File.Exists(metadata)) return null;
        try
        {
            var t = TableFiles.Read(metadata);
            _hits[file] = database;
            return t;
        }
        catch (VoScriptException)
        {
            return null; // a damaged entry is made again
        }
    }

    /// <summary>The database of the entry <see cref="TryRead"/> found for <paramref name="file"/>, or null.</summary>
    internal string? HitFor(ServedFile file) => _hits.GetValueOrDefault(file);

    /// <summary>Forgets a hit whose database the store could not attach (the file is then read as usual).</summary>
    internal void Miss(ServedFile file) => _hits.Remove(file);

    /// <summary>
    /// Makes the entry for <paramref name="file"/>: <paramref name="writeDatabase"/> writes the table's rows to the path
    /// it is given; the metadata is <paramref name="table"/>'s columns without rows. Older entries of the table are deleted.
    /// The entry is keyed by the file as <see cref="TryRead"/> saw it (before it was read), so the file is not hashed again,
    /// and a file changed in between gets an entry that does not match it (it is read again on the next start).
    /// </summary>
    internal async Task SaveAsync(ServedFile file, Table table, Func<string, Task> writeDatabase)
    {
        var (database, metadata) = _paths.Remove(file, out var known) ? known : PathsFor(file);
        await writeDatabase(database).ConfigureAwait(false);
        TableFiles.Write(table.SelectRows([]), metadata);
        foreach (var old in Directory.EnumerateFiles(Folder, Stem(file) + "*"))
            if (old != database && old != metadata) File.Delete(old);
    }

    private static string Stem(ServedFile file) => $"{file.Schema}.{file.Name}-";

    /// <summary>What identifies a source file's content: path, size, modification time, first and last megabyte.</summary>
    internal static string Key(string path)
    {
        var info = new FileInfo(path);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n")));
        using (var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
        {
            var buffer = new byte[Edge];
            sha.AppendData(buffer, 0, s.ReadAtLeast(buffer, Edge, throwOnEndOfStream: false));
            if (s.Length > Edge)
            {
                s.Seek(Math.Max(Edge, s.Length - Edge), SeekOrigin.Begin);
                sha.AppendData(buffer, 0, s.ReadAtLeast(buffer, Edge, throwOnEndOfStream: false));
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..20];
    }
}
