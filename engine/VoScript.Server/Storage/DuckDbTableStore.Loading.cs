using DuckDB.NET.Data;
using VoScript.Engine.Model;

namespace VoScript.Server.Storage;

/// <summary>Loading tables: the columns' database types, the declination sort, the appender, serving a table under its name.</summary>
public sealed partial class DuckDbTableStore
{
    /// <inheritdoc/>
    public async Task LoadAsync(string schema, string name, Table table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (schema.Equals("TAP_UPLOAD", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("the schema TAP_UPLOAD is reserved for uploads", nameof(schema));
        await _loadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sqlName = "t" + Interlocked.Increment(ref _counter);
            var loaded = await Task.Run(() =>
            {
                using var conn = Connect();
                var cols = Create(conn, sqlName, table, sortByDec: true, cancellationToken);
                return new DbTable(schema, name, sqlName, cols, table.RowCount, table.Description);
            }, cancellationToken).ConfigureAwait(false);
            Register(loaded);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Serves a loaded table under its name, replacing (and dropping) one of the same name.</summary>
    private void Register(DbTable loaded)
    {
        DbTable? old;
        lock (_gate)
        {
            old = Find(loaded.Schema, loaded.Name);
            var list = _tables.ToList();
            if (old is not null) list[list.IndexOf(old)] = loaded; else list.Add(loaded);
            _tables = list;
        }
        if (old is not null)
        {
            using var conn = Connect();
            Exec(conn, (old.Cached ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ") + AdqlTranslator.QuoteName(old.SqlName));
        }
    }

    /// <summary>The loaded table SCHEMA.NAME (names ignore case), or null; call under <see cref="_gate"/>.</summary>
    private DbTable? Find(string schema, string name) =>
        _tables.FirstOrDefault(t => t.Schema.Equals(schema, StringComparison.OrdinalIgnoreCase) && t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A file path as an SQL string literal.</summary>

    private static (string SqlType, StorageKind Kind) SqlType(Column c) => c switch
    {
        StringColumn => ("VARCHAR", StorageKind.Native),
        ScalarColumn<bool> => ("BOOLEAN", StorageKind.Native),
        ScalarColumn<byte> => ("UTINYINT", StorageKind.Native),
        ScalarColumn<short> => ("SMALLINT", StorageKind.Native),
        ScalarColumn<int> => ("INTEGER", StorageKind.Native),
        ScalarColumn<long> => ("BIGINT", StorageKind.Native),
        ScalarColumn<float> => ("FLOAT", StorageKind.Native),
        ScalarColumn<double> => ("DOUBLE", StorageKind.Native),
        _ => ("VARCHAR", StorageKind.Text),
    };

    /// <summary>The declination column a table is sorted by: the main pos.eq.dec, else a column named dec/de/dej2000.</summary>
    private static int DecColumn(Table t)
    {
        bool Numeric(Column c) => c is ScalarColumn<double> or ScalarColumn<float>;
        for (var pass = 0; pass < 3; pass++)
            for (var i = 0; i < t.ColumnCount; i++)
            {
                var c = t.Columns[i];
                if (!Numeric(c)) continue;
                var ucd = c.Field.Ucd ?? "";
                var hit = pass switch
                {
                    0 => ucd.Contains("pos.eq.dec", StringComparison.OrdinalIgnoreCase) && ucd.Contains("meta.main", StringComparison.OrdinalIgnoreCase),
                    1 => ucd.Contains("pos.eq.dec", StringComparison.OrdinalIgnoreCase),
                    _ => c.Name.ToLowerInvariant() is "dec" or "de" or "dej2000" or "decj2000" or "dec_deg" or "decl",
                };
                if (hit) return i;
            }
        return -1;
    }

    /// <summary>The database columns a table's columns become (c0, c1, …) and their SQL definitions.</summary>
    private static List<DbColumn> Columns(Table table, out List<string> defs)
    {
        var cols = new List<DbColumn>();
        defs = [];
        for (var i = 0; i < table.ColumnCount; i++)
        {
            var c = table.Columns[i];
            var (type, kind) = SqlType(c);
            var name = "c" + i;
            defs.Add(name + " " + type);
            cols.Add(new DbColumn(c.Field.Clone(), name, kind));
        }
        if (defs.Count == 0) throw new ArgumentException("a table without columns cannot be served", nameof(table));
        return cols;
    }

    private static List<DbColumn> Create(DuckDBConnection conn, string sqlName, Table table, bool sortByDec, CancellationToken ct)
    {
        var cols = Columns(table, out var defs);
        var dec = sortByDec && table.RowCount > 0 ? DecColumn(table) : -1;
        var target = dec >= 0 ? sqlName + "_load" : sqlName;
        Exec(conn, $"CREATE TABLE {AdqlTranslator.QuoteName(target)} ({string.Join(", ", defs)})");
        var appenders = table.Columns.Select(Appender).ToArray();
        using (var app = conn.CreateAppender(target))
        {
            for (var r = 0; r < table.RowCount; r++)
            {
                if ((r & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                var row = app.CreateRow();
                foreach (var a in appenders) a(row, r);
                row.EndRow();
            }
        }
        if (dec >= 0)
        {
            Exec(conn, $"CREATE TABLE {AdqlTranslator.QuoteName(sqlName)} AS SELECT * FROM {AdqlTranslator.QuoteName(target)} ORDER BY c{dec}");
            Exec(conn, $"DROP TABLE {AdqlTranslator.QuoteName(target)}");
        }
        return cols;
    }

    private static Action<IDuckDBAppenderRow, int> Appender(Column c) => c switch
    {
        StringColumn s => (row, r) => row.AppendValue(s[r]),
        ScalarColumn<bool> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<byte> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<short> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<int> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<long> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<float> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        ScalarColumn<double> b => (row, r) => { if (b.IsNull(r)) row.AppendNullValue(); else row.AppendValue(b[r]); },
        _ => (row, r) => { if (c.IsNull(r)) row.AppendNullValue(); else row.AppendValue(c.FormatCell(r)); },
    };
}
