using DuckDB.NET.Data;
using VoScript.Engine.Model;

namespace VoScript.Server.Storage;

/// <summary>The database files of <c>serve --cache</c>: attaching a cached table read-only, writing one.</summary>
public sealed partial class DuckDbTableStore
{
    /// <summary>A file path as an SQL string literal.</summary>
    private static string PathLiteral(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <inheritdoc/>
    public async Task<bool> LoadCachedAsync(string schema, string name, Table metadata, string database, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Locked) throw new InvalidOperationException("cached tables are attached before the store is locked down");
        await _loadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sqlName = "t" + Interlocked.Increment(ref _counter);
            var alias = "cache_" + sqlName;
            using var conn = Connect();
            try
            {
                Exec(conn, $"ATTACH {PathLiteral(database)} AS {alias} (READ_ONLY)");
            }
            catch (DuckDBException)
            {
                return false;
            }
            try
            {
                var cols = Columns(metadata, out _);
                using var cmd = conn.CreateCommand();
                cmd.CommandText = $"SELECT count(*) FROM {alias}.main.t";
                var rows = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                cmd.CommandText = $"SELECT * FROM {alias}.main.t LIMIT 0";
                using (var r = cmd.ExecuteReader())
                    if (r.FieldCount != cols.Count) throw new InvalidDataException("the cached table has other columns");
                Exec(conn, $"CREATE VIEW {AdqlTranslator.QuoteName(sqlName)} AS SELECT * FROM {alias}.main.t");
                Register(new DbTable(schema, name, sqlName, cols, rows, metadata.Description) { Cached = true });
                return true;
            }
            catch (Exception e) when (e is DuckDBException or InvalidDataException or ArgumentException)
            {
                Exec(conn, $"DETACH {alias}");
                return false;
            }
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task SaveCacheAsync(string schema, string name, string database, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Locked) throw new InvalidOperationException("the cache is written before the store is locked down");
        DbTable table;
        lock (_gate)
            table = Find(schema, name) ?? throw new ArgumentException($"no table {schema}.{name} is loaded", nameof(name));
        var temporary = database + ".part";
        foreach (var f in new[] { temporary, temporary + ".wal" }) File.Delete(f);
        await Task.Run(() =>
        {
            using var conn = Connect();
            var alias = "save_" + Interlocked.Increment(ref _counter);
            Exec(conn, $"ATTACH {PathLiteral(temporary)} AS {alias}");
            try
            {
                Exec(conn, $"CREATE TABLE {alias}.main.t AS SELECT * FROM {AdqlTranslator.QuoteName(table.SqlName)}");
            }
            finally
            {
                Exec(conn, $"DETACH {alias}");
            }
        }, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, database, overwrite: true);
    }
}
