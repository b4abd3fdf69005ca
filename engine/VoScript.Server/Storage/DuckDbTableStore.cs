using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using VoScript.Engine.Model;

namespace VoScript.Server.Storage;

/// <summary>
/// The table store of <c>voscript serve</c>: an in-process DuckDB database. Tables are
/// loaded once (sorted by declination when they have a position, so that cone
/// prefilters skip whole row groups); every query runs on its own connection to the
/// same database (concurrent queries are fine), with its uploads as tables of their own
/// that are dropped afterwards. ADQL is parsed and translated by <see cref="AdqlParser"/>
/// and <see cref="AdqlTranslator"/>.
/// This file holds the database and its lock-down; loading tables is in <c>DuckDbTableStore.Loading.cs</c>,
/// the <c>serve --cache</c> database files in <c>DuckDbTableStore.Cache.cs</c>, running queries in
/// <c>DuckDbTableStore.Queries.cs</c> (result columns in <see cref="ResultColumn"/>).
/// </summary>
public sealed partial class DuckDbTableStore : ITableStore
{
    private readonly DuckDBConnection _root;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private List<DbTable> _tables = [];
    private long _counter;
    private bool _disposed;

    /// <summary>An empty in-memory database, with no extension loaded or installed; <see cref="LockDown"/> it once the tables are loaded.</summary>
    public DuckDbTableStore()
    {
        // no extension is ever loaded or installed behind the service's back, from the start
        _root = new DuckDBConnection("DataSource=:memory:;autoload_known_extensions=false;autoinstall_known_extensions=false");
        _root.Open();
        RegisterRegionFunctions(_root);
    }

    /// <summary>Whether <see cref="LockDown"/> has run.</summary>
    public bool Locked { get; private set; }

    /// <summary>
    /// Applies the limits, then turns off everything that reaches outside the database (files, URLs, ATTACH, COPY,
    /// extensions) and locks the configuration, so that no query can change it back. Call it after the host's own
    /// set-up: a database file the host wants to attach (a cache of served tables) must be attached before this.
    /// </summary>
    public void LockDown(StoreLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using var conn = Connect();
        try
        {
            LockDown(conn, limits);
        }
        catch (DuckDBException e)
        {
            throw new VoScript.Engine.VoScriptException($"cannot apply the database limits: {FirstLine(e.Message)}", e);
        }
        Locked = true;
    }

    /// <summary>Runs raw SQL (tests of the lock-down only; queries go through ADQL) and returns the first value as text.</summary>
    internal string? RawSql(string sql)
    {
        using var conn = Connect();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()?.ToString();
    }

    private static void LockDown(DuckDBConnection conn, StoreLimits limits)
    {
        Exec(conn, $"SET GLOBAL memory_limit = '{Math.Max(1, limits.MemoryLimitBytes / (1024 * 1024))}MiB'");
        Exec(conn, $"SET GLOBAL threads = {Math.Max(1, limits.Threads)}");
        Exec(conn, "SET GLOBAL enable_external_access = false");
        Exec(conn, "SET GLOBAL autoload_known_extensions = false");
        Exec(conn, "SET GLOBAL autoinstall_known_extensions = false");
        Exec(conn, "SET GLOBAL allow_community_extensions = false");
        Exec(conn, "SET GLOBAL lock_configuration = true");
    }

    /// <summary>The functions the translator calls for region columns (<see cref="Regions"/>).</summary>
#pragma warning disable DuckDBNET001 // scalar functions are marked experimental in DuckDB.NET
    private static void RegisterRegionFunctions(DuckDBConnection c)
    {
        c.RegisterScalarFunction<string, double, double, bool>("voscript_region_contains",
            (region, ra, dec) => Regions.Contains(Regions.Parse(region), ra, dec));
        c.RegisterScalarFunction<string, double, double, double, bool>("voscript_region_intersects_circle",
            (region, ra, dec, r) => Regions.IntersectsCircle(Regions.Parse(region), ra, dec, r));
        c.RegisterScalarFunction<string, double, double, double, bool>("voscript_region_inside_circle",
            (region, ra, dec, r) => Regions.InsideCircle(Regions.Parse(region), ra, dec, r));
    }
#pragma warning restore DuckDBNET001

    /// <inheritdoc/>
    public IReadOnlyList<StoredTable> Tables
    {
        get
        {
            lock (_gate) return _tables.Select(t => t.ToStoredTable()).ToList();
        }
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return i < 0 ? s : s[..i];
    }

    private DuckDBConnection Connect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var c = _root.Duplicate();
            if (c.State != ConnectionState.Open) c.Open();
            return c;
        }
    }

    private static void Exec(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Closes the database (its tables are gone).</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return ValueTask.CompletedTask;
            _disposed = true;
        }
        _root.Dispose();
        _loadLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
