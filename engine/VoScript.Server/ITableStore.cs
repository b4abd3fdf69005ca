using VoScript.Engine.Model;

namespace VoScript.Server;

/// <summary>
/// The embedded database behind <c>voscript serve</c>: holds the served tables and
/// answers ADQL. The TAP layer (HTTP, UWS, VOSI, TAP_SCHEMA) talks only to this.
/// </summary>
public interface ITableStore : IAsyncDisposable
{
    /// <summary>Loads <paramref name="table"/> as <c>SCHEMA.NAME</c> (replacing one of that name). Field metadata is kept for results.</summary>
    Task LoadAsync(string schema, string name, Table table, CancellationToken cancellationToken = default);

    /// <summary>The tables loaded so far, in load order.</summary>
    IReadOnlyList<StoredTable> Tables { get; }

    /// <summary>
    /// Runs one ADQL query. <paramref name="uploads"/> are visible as <c>TAP_UPLOAD.&lt;key&gt;</c>
    /// to this query only. At most <paramref name="maxRecords"/> rows come back; <see cref="QueryResult.Overflow"/>
    /// says whether there were more.
    /// </summary>
    /// <exception cref="AdqlException">the query cannot be parsed, names an unknown table or column, or uses a construct that is not supported.</exception>
    Task<QueryResult> ExecuteAsync(string adql, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken cancellationToken = default);

    /// <summary>
    /// Serves <c>SCHEMA.NAME</c> from a database file that <see cref="SaveCacheAsync"/> wrote, with the columns of
    /// <paramref name="metadata"/> (a table without rows). False when the store keeps no such files or cannot use this one.
    /// </summary>
    Task<bool> LoadCachedAsync(string schema, string name, Table metadata, string database, CancellationToken cancellationToken = default) =>
        Task.FromResult(false);

    /// <summary>Writes the rows of the loaded table <c>SCHEMA.NAME</c> to a database file at <paramref name="database"/>.</summary>
    Task SaveCacheAsync(string schema, string name, string database, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Locks the store down once the host's own set-up is done (tables, TAP_SCHEMA, and any database files it attaches):
    /// from then on queries can reach nothing outside the loaded tables, and the limits cannot be changed.
    /// </summary>
    void LockDown(StoreLimits limits) { }
}

/// <summary>Resource limits of the store, applied by <see cref="ITableStore.LockDown"/>.</summary>
public sealed record StoreLimits
{
    /// <summary>The database's memory limit in bytes; the default is half of the machine's (or container's) memory.</summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimit;

    /// <summary>Threads the database uses for one query; the default is the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Half of the memory this process may use (the machine's or the container's), at least 256 MiB.</summary>
    public static long DefaultMemoryLimit => Math.Max(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}

/// <summary>A served table: where it is, its columns (with units, UCDs, descriptions) and its size.</summary>
public sealed record StoredTable(string Schema, string Name, IReadOnlyList<Field> Fields, long Rows, string? Description);

/// <summary>A query's rows (fields carry the metadata of the columns they come from) and whether MAXREC cut them.</summary>
public sealed record QueryResult(Table Table, bool Overflow);
