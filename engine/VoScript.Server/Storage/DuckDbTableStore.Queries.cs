using System.Data.Common;
using DuckDB.NET.Data;
using VoScript.Engine.Model;
using VoScript.Adql;

namespace VoScript.Server.Storage;

/// <summary>Running a query: parse, uploads as tables of their own, translate, execute, read the result.</summary>
public sealed partial class DuckDbTableStore
{
    /// <inheritdoc/>
    public Task<QueryResult> ExecuteAsync(string adql, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adql);
        ArgumentNullException.ThrowIfNull(uploads);
        if (maxRecords < 0) throw new ArgumentOutOfRangeException(nameof(maxRecords));
        // parse before going to the thread pool: syntax errors come back at once (as a faulted task)
        QueryExpr tree;
        try
        {
            tree = AdqlParser.Parse(adql);
        }
        catch (AdqlException e)
        {
            return Task.FromException<QueryResult>(e);
        }
        return Task.Run(() => Execute(tree, uploads, maxRecords, cancellationToken), cancellationToken);
    }

    private QueryResult Execute(QueryExpr tree, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken ct)
    {
        List<DbTable> catalog;
        lock (_gate) catalog = _tables.ToList();
        using var conn = Connect();
        var created = new List<string>();
        try
        {
            foreach (var (key, table) in uploads)
            {
                ct.ThrowIfCancellationRequested();
                if (table.ColumnCount == 0) throw new AdqlException($"the upload {key} has no columns", 1, 1);
                var sqlName = "u" + Interlocked.Increment(ref _counter);
                created.Add(sqlName);
                var cols = Create(conn, sqlName, table, sortByDec: false, ct);
                catalog.Add(new DbTable("TAP_UPLOAD", key, sqlName, cols, table.RowCount, table.Description));
            }
            long? limit = maxRecords == long.MaxValue ? null : maxRecords + 1;
            var q = AdqlTranslator.Translate(tree, catalog, limit);
            using var cmd = conn.CreateCommand();
            cmd.CommandText = q.Sql;
            using var reg = ct.Register(() => { try { cmd.Cancel(); } catch (ObjectDisposedException) { } });
            try
            {
                using var reader = cmd.ExecuteReader();
                var (result, rows) = ReadResult(reader, q.Columns, maxRecords, ct);
                return new QueryResult(result, rows > maxRecords);
            }
            catch (DuckDBException e) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException("the query was cancelled", e, ct);
            }
            catch (DuckDBException e)
            {
                throw new AdqlException("the database could not run the query: " + FirstLine(e.Message), 1, 1);
            }
        }
        finally
        {
            foreach (var name in created)
                try { Exec(conn, "DROP TABLE IF EXISTS " + AdqlTranslator.QuoteName(name)); }
                catch (DuckDBException) { }
        }
    }

    private static (Table, long) ReadResult(DbDataReader reader, IReadOnlyList<OutputColumn> outputs, long maxRecords, CancellationToken ct)
    {
        var n = reader.FieldCount;
        var sinks = new ResultColumn[n];
        for (var i = 0; i < n; i++) sinks[i] = ResultColumn.For(outputs[i], reader.GetFieldType(i));
        long rows = 0;
        while (reader.Read())
        {
            rows++;
            if (rows > maxRecords) break;
            if ((rows & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            for (var i = 0; i < n; i++) sinks[i].Add(reader, i);
        }
        var t = new Table("result");
        foreach (var s in sinks) t.AddColumn(s.Build());
        return (t, rows);
    }
}
