using System.Text.RegularExpressions;
using VoScript.Engine;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using VoScript.Server.Storage;

namespace VoScript.Server.Tap;

/// <summary>A file to serve and the name it gets (<c>SCHEMA.NAME</c>).</summary>
public sealed record ServedFile(string Path, string Schema, string Name);

/// <summary>What was loaded: one line per table for the startup output, and warnings.</summary>
public sealed record ServeSummary(IReadOnlyList<StoredTable> Tables, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads the files to serve (before anything listens, so that a bad file stops the start), then loads
/// them, the ObsCore table and TAP_SCHEMA into the store of a started <see cref="TapServer"/>.
/// </summary>
public static partial class ServeSetup
{
    /// <summary>The schema of served files that name none (<c>--schema</c>).</summary>
    public const string DefaultSchema = "data";

    /// <summary>An ADQL regular identifier made from a file name: other characters become _, a leading digit gets t_.</summary>
    public static string NameFromFile(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in new[] { ".gz", ".vot", ".votable", ".xml", ".csv", ".fits" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && name.Length > ext.Length) name = name[..^ext.Length];
        var cleaned = NonIdentifier().Replace(name, "_");
        if (cleaned.Length == 0 || !char.IsAsciiLetter(cleaned[0])) cleaned = "t_" + cleaned;
        return cleaned;
    }

    /// <summary>Whether <paramref name="s"/> is an ADQL regular identifier (a letter, then letters, digits or _).</summary>
    public static bool IsIdentifier(string s) => Identifier().IsMatch(s);

    /// <summary>Reads every file; a <see cref="VoScriptException"/> names the file that cannot be served and why.</summary>
    /// <remarks>With a <paramref name="cache"/>, a file with a valid cache entry is not read: its table has the columns and no rows.</remarks>
    public static IReadOnlyList<(ServedFile File, Table Table)> ReadFiles(IReadOnlyList<ServedFile> files, TableCache? cache = null)
    {
        CheckNames(files);
        return files.Select(f => (f, cache?.TryRead(f) ?? ReadTable(f.Path))).ToList();
    }

    /// <summary>The names the files would be served under are usable and distinct (nothing is read); a <see cref="VoScriptException"/> otherwise.</summary>
    public static void CheckNames(IReadOnlyList<ServedFile> files)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in files)
        {
            if (!IsIdentifier(f.Schema) || !IsIdentifier(f.Name))
                throw new VoScriptException($"'{f.Schema}.{f.Name}' (for {f.Path}) is not a table name ADQL can use: schema and name must be a letter followed by letters, digits or _");
            if (f.Schema.Equals(TapSchema.SchemaName, StringComparison.OrdinalIgnoreCase) || f.Schema.Equals("TAP_UPLOAD", StringComparison.OrdinalIgnoreCase))
                throw new VoScriptException($"{f.Path}: schema {f.Schema} is reserved by TAP; choose another with --schema");
            var key = f.Schema + "." + f.Name;
            if (seen.TryGetValue(key, out var other))
                throw new VoScriptException($"{other} and {f.Path} would both be served as {key}; give one another name with --table FILE=SCHEMA.NAME");
            seen[key] = f.Path;
        }
    }

    /// <summary>Reads one table file to serve; a <see cref="VoScriptException"/> that names the file if it cannot be served.</summary>
    public static Table ReadTable(string path)
    {
        try
        {
            var t = TableFiles.Read(path);
            if (t.ColumnCount == 0) throw new VoScriptException($"{path}: the table has no columns");
            return t;
        }
        catch (VoScriptException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)
                                          && !e.Message.StartsWith($"cannot read '{path}'", StringComparison.Ordinal))
        {
            throw new VoScriptException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads the tables, the ObsCore table (its access_url rewritten to the service's /files/ URLs)
    /// and TAP_SCHEMA into the service's store, and tells the service what it serves.
    /// </summary>
    public static async Task<ServeSummary> LoadAsync(TapServer service, ITableStore store,
        IReadOnlyList<(ServedFile File, Table Table)> tables, (string Path, Table Table)? obscore, CancellationToken ct, TableCache? cache = null)
    {
        var warnings = new List<string>();
        foreach (var (f, t) in tables)
        {
            if (cache?.HitFor(f) is { } database)
            {
                if (await store.LoadCachedAsync(f.Schema, f.Name, t, database, ct).ConfigureAwait(false)) continue;
                cache.Miss(f);
                warnings.Add($"{f.Path}: its copy in the cache ({database}) cannot be used; the file was read again");
                await LoadAndCacheAsync(store, f, ReadTable(f.Path), cache, warnings, ct).ConfigureAwait(false);
                continue;
            }
            await LoadAndCacheAsync(store, f, t, cache, warnings, ct).ConfigureAwait(false);
        }
        if (obscore is { } oc)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(oc.Path))!;
            foreach (var c in ObsCoreTable.MissingColumns(oc.Table))
                warnings.Add($"{oc.Path}: ObsCore 1.1 mandatory column {c} is missing");
            var filesUrl = new Uri(service.TapUrl, "/files/").ToString();
            warnings.AddRange(ObsCoreTable.RewriteAccessUrls(oc.Table, folder, filesUrl).Select(w => $"{oc.Path}: {w}"));
            service.FilesRoot = folder;
            service.HasObsCore = true;
            await LoadOneAsync(store, "ivoa", "obscore", oc.Table, oc.Path, ct).ConfigureAwait(false);
        }
        var served = store.Tables.ToList();
        var schemas = new List<ServedSchema>();
        foreach (var s in served.Select(t => t.Schema).Distinct(StringComparer.Ordinal))
            schemas.Add(new ServedSchema(s, s == "ivoa" && obscore is not null ? "The IVOA-defined ObsCore table" : "Tables served by voscript serve"));
        schemas.Add(new ServedSchema(TapSchema.SchemaName, "Metadata of the tables of this service (TAP 1.1)"));
        var described = served.Concat(TapSchema.Describe()).ToList();
        foreach (var (name, table) in TapSchema.Build(schemas, described))
            await store.LoadAsync(TapSchema.SchemaName, name, table, ct).ConfigureAwait(false);
        service.Schemas = schemas;
        return new ServeSummary(served, warnings);
    }

    /// <summary>Loads a file's table and, with a cache, keeps it there for the next start (a failure to write the cache is a warning).</summary>
    private static async Task LoadAndCacheAsync(ITableStore store, ServedFile f, Table t, TableCache? cache, List<string> warnings, CancellationToken ct)
    {
        await LoadOneAsync(store, f.Schema, f.Name, t, f.Path, ct).ConfigureAwait(false);
        if (cache is null) return;
        try
        {
            await cache.SaveAsync(f, t, database => store.SaveCacheAsync(f.Schema, f.Name, database, ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            warnings.Add($"{f.Path}: cannot keep it in the cache {cache.Folder}: {e.Message}");
        }
    }

    /// <summary>Loads one table; whatever the database refuses becomes a <see cref="VoScriptException"/> naming the file.</summary>
    private static async Task LoadOneAsync(ITableStore store, string schema, string name, Table t, string path, CancellationToken ct)
    {
        try
        {
            await store.LoadAsync(schema, name, t, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not VoScriptException)
        {
            throw new VoScriptException($"{path}: cannot load it as {schema}.{name}: {e.Message}", e);
        }
        catch (VoScriptException e)
        {
            throw new VoScriptException($"{path}: cannot load it as {schema}.{name}: {e.Message}", e);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NonIdentifier();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
