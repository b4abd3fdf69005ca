using System.Data;
using System.Data.Common;
using System.Numerics;
using System.Text;
using DuckDB.NET.Data;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Server.Adql;
using VoScript.Server.Storage;

namespace VoScript.Server.Storage;

/// <summary>
/// The table store of <c>voscript serve</c>: an in-process DuckDB database. Tables are
/// loaded once (sorted by declination when they have a position, so that cone
/// prefilters skip whole row groups); every query runs on its own connection to the
/// same database (concurrent queries are fine), with its uploads as tables of their own
/// that are dropped afterwards. ADQL is parsed and translated by <see cref="AdqlParser"/>
/// and <see cref="AdqlTranslator"/>.
/// </summary>
internal sealed class DuckDbTableStore : ITableStore
{
    private readonly DuckDBConnection _root;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private List<DbTable> _tables = [];
    private long _counter;
    private bool _disposed;

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

    public IReadOnlyList<StoredTable> Tables
    {
        get
        {
            lock (_gate) return _tables.Select(t => t.ToStoredTable()).ToList();
        }
    }

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
    private static string PathLiteral(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

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

    // ------------------------------------------------------------ loading

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

    // ------------------------------------------------------------ results

    private sealed class NoWarnings : IWarningSink
    {
        public void Warn(string code, string message) { }
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

    /// <summary>Collects one result column into a typed <see cref="Column"/>.</summary>
    private abstract class ResultColumn
    {
        public abstract void Add(DbDataReader r, int i);
        public abstract Column Build();

        public static ResultColumn For(OutputColumn o, Type clr)
        {
            Field F(DataType dt, ArraySize? size = null)
            {
                Field f;
                if (o.Source is { } src)
                {
                    f = src.Clone();
                    f.Name = o.Name;
                    f.Id = null;
                    f.Ref = null;
                    // a string column keeps its declared arraysize (char[10] stays so); others take the type read
                    if (o.Kind == StorageKind.Native && !(src.IsString && dt.IsText())) { f.DataType = dt; f.ArraySize = size ?? ArraySize.Scalar; }
                }
                else
                {
                    f = new Field(o.Name, dt, size);
                    f.XType = o.XType;
                    if (o.XType is "point" or "circle" or "polygon") f.Unit = "deg";
                }
                return f;
            }
            if (o.Source is { } s && o.Kind == StorageKind.Text) return new TextCells(F(s.DataType, s.ArraySize));
            if (clr == typeof(bool)) return new Scalars<bool>(F(o.Source?.DataType == DataType.Bit ? DataType.Bit : DataType.Boolean), (r, i) => r.GetBoolean(i));
            if (clr == typeof(byte)) return new Scalars<byte>(F(DataType.UnsignedByte), (r, i) => r.GetByte(i));
            if (clr == typeof(sbyte)) return new Scalars<short>(F(DataType.Short), (r, i) => (short)r.GetFieldValue<sbyte>(i));
            if (clr == typeof(short)) return new Scalars<short>(F(DataType.Short), (r, i) => r.GetInt16(i));
            if (clr == typeof(ushort)) return new Scalars<int>(F(DataType.Int), (r, i) => r.GetFieldValue<ushort>(i));
            if (clr == typeof(int)) return new Scalars<int>(F(DataType.Int), (r, i) => r.GetInt32(i));
            if (clr == typeof(uint)) return new Scalars<long>(F(DataType.Long), (r, i) => r.GetFieldValue<uint>(i));
            if (clr == typeof(long)) return new Scalars<long>(F(DataType.Long), (r, i) => r.GetInt64(i));
            if (clr == typeof(ulong)) return new Scalars<long>(F(DataType.Long), (r, i) => (long)r.GetFieldValue<ulong>(i));
            if (clr == typeof(BigInteger) || clr == typeof(Int128) || clr == typeof(UInt128))
                return new Scalars<long>(F(DataType.Long), (r, i) => HugeToLong(r.GetValue(i)));
            if (clr == typeof(float)) return new Scalars<float>(F(DataType.Float), (r, i) => r.GetFloat(i));
            if (clr == typeof(double)) return new Scalars<double>(F(DataType.Double), (r, i) => r.GetDouble(i));
            if (clr == typeof(decimal)) return new Scalars<double>(F(DataType.Double), (r, i) => (double)r.GetDecimal(i));
            if (typeof(System.Collections.IEnumerable).IsAssignableFrom(clr) && clr != typeof(string))
                return new DoubleLists(F(DataType.Double, o.XType == "point" ? ArraySize.Fixed(2) : o.XType == "circle" ? ArraySize.Fixed(3) : ArraySize.Variable));
            return new Strings(F(o.Source?.DataType is DataType.UnicodeChar ? DataType.UnicodeChar : DataType.Char, ArraySize.Variable));
        }
    }

    /// <summary>DuckDB's 128-bit integers (SUM of integers) as a long, the largest VOTable integer.</summary>
    private static long HugeToLong(object v) => v switch
    {
        BigInteger b => (long)b,
        Int128 i => (long)i,
        UInt128 u => (long)u,
        _ => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed class Scalars<T>(Field field, Func<DbDataReader, int, T> get) : ResultColumn where T : unmanaged
    {
        private readonly List<T> _values = [];
        private NullMask? _nulls;

        public override void Add(DbDataReader r, int i)
        {
            if (r.IsDBNull(i)) { (_nulls ??= new NullMask()).Set(_values.Count); _values.Add(default); }
            else _values.Add(get(r, i));
        }

        public override Column Build() => new ScalarColumn<T>(field, _values.ToArray(), _nulls);
    }

    private sealed class Strings(Field field) : ResultColumn
    {
        private readonly List<string?> _values = [];

        public override void Add(DbDataReader r, int i) =>
            _values.Add(r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));

        public override Column Build() => new StringColumn(field, _values.ToArray());
    }

    private sealed class DoubleLists(Field field) : ResultColumn
    {
        private readonly List<double> _data = [];
        private readonly List<int> _offsets = [0];
        private NullMask? _nulls;

        public override void Add(DbDataReader r, int i)
        {
            if (r.IsDBNull(i)) (_nulls ??= new NullMask()).Set(_offsets.Count - 1);
            else
                foreach (var v in (System.Collections.IEnumerable)r.GetValue(i))
                    _data.Add(v is null ? double.NaN : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture));
            _offsets.Add(_data.Count);
        }

        public override Column Build() => new ArrayColumn<double>(field, _data.ToArray(), _offsets.ToArray(), _offsets.Count - 1, _nulls);
    }

    /// <summary>Array or complex cells kept as TABLEDATA text: decoded with the VOTable codec's own cell parser.</summary>
    private sealed class TextCells(Field field) : ResultColumn
    {
        private readonly ColumnBuilder _builder = ColumnBuilder.Create(field, field.ArraySize, new NoWarnings());

        public override void Add(DbDataReader r, int i) =>
            _builder.AddText(r.IsDBNull(i) ? [] : Encoding.UTF8.GetBytes(r.GetString(i)));

        public override Column Build() => _builder.Build();
    }

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
