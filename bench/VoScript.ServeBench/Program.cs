// Measures the two embedded-database candidates behind `voscript serve` on the
// queries that matter: loading a 1e6-row catalog, a cone returning ~10,000 rows
// and an upload-style join of 1,000 positions (r = 3 arcsec), both with the
// dec-band / ra-box prefilter the ADQL translator emits and an exact haversine.
//
// Then the same two queries as ADQL through the store `voscript serve` uses
// (DuckDbTableStore: parse, translate, run, build the result table).
//
// Usage: dotnet run -c Release --project bench/VoScript.ServeBench -- CATALOG.vot [RUNS] [--store-only]
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

var path = args.Length > 0 ? args[0] : "cat_1000000_binary2.vot";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var sw = Stopwatch.StartNew();
var table = VOTableReader.ReadFile(path);
Console.WriteLine($"read {table.RowCount} rows in {sw.Elapsed.TotalSeconds:F2} s");

// The cone: ~10,000 of 1e6 uniform rows need ~413 deg², r ≈ 11.47 deg.
const double ConeRa = 150, ConeDec = 20, ConeR = 11.47;
// 1,000 upload positions: every 1000th catalog row, moved by about 1 arcsec.
var raCol = (ScalarColumn<double>)table.FindColumn("ra")!;
var decCol = (ScalarColumn<double>)table.FindColumn("dec")!;
var rnd = new Random(42);
var upload = new (double Ra, double Dec)[1000];
for (var i = 0; i < upload.Length; i++)
{
    var row = i * (table.RowCount / upload.Length);
    upload[i] = (raCol[row] + (rnd.NextDouble() - 0.5) / 1800, decCol[row] + (rnd.NextDouble() - 0.5) / 1800);
}
const double JoinR = 3.0 / 3600;

static string Hav(string ra1, string dec1, string ra2, string dec2) =>
    $"2*degrees(asin(sqrt(power(sin(radians({dec2}-{dec1})/2),2)+cos(radians({dec1}))*cos(radians({dec2}))*power(sin(radians({ra2}-{ra1})/2),2))))";

static string Inv(double d) => d.ToString("R", CultureInfo.InvariantCulture);

// The prefilter: a dec band, and an ra box widened by 1/cos(|dec|max) (none near a pole).
var raHalf = ConeR / Math.Cos((Math.Abs(ConeDec) + ConeR) * Math.PI / 180);
var coneSql = $"SELECT * FROM cat WHERE dec BETWEEN {Inv(ConeDec - ConeR)} AND {Inv(ConeDec + ConeR)} " +
              $"AND ra BETWEEN {Inv(ConeRa - raHalf)} AND {Inv(ConeRa + raHalf)} " +
              $"AND {Hav("ra", "dec", Inv(ConeRa), Inv(ConeDec))} <= {Inv(ConeR)}";
// Join prefilter: dec band with the upload's dec; the ra box in the same way with a per-row width.
var joinSql = $"SELECT u.uid, c.* FROM up u JOIN cat c ON c.dec BETWEEN u.dec - {Inv(JoinR)} AND u.dec + {Inv(JoinR)} " +
              $"AND c.ra BETWEEN u.ra - {Inv(JoinR)}/cos(radians(least(89.9, abs(u.dec)+{Inv(JoinR)}))) AND u.ra + {Inv(JoinR)}/cos(radians(least(89.9, abs(u.dec)+{Inv(JoinR)}))) " +
              $"AND {Hav("c.ra", "c.dec", "u.ra", "u.dec")} <= {Inv(JoinR)}";

// The same join with only the dec band as join condition (DuckDB then plans a range join).
var joinBandSql = $"SELECT u.uid, c.* FROM up u JOIN cat c ON c.dec BETWEEN u.dec - {Inv(JoinR)} AND u.dec + {Inv(JoinR)} " +
              $"WHERE {Hav("c.ra", "c.dec", "u.ra", "u.dec")} <= {Inv(JoinR)}";
// Zones: an equi-join on floor(dec / h), each upload row repeated over the zones its circle touches.
const double ZoneH = 0.1;
var joinZoneSql = $"SELECT u.uid, c.* FROM (SELECT up.*, z.range AS zone FROM up, range(CAST(floor((up.dec - {Inv(JoinR)}) / {Inv(ZoneH)}) AS BIGINT), CAST(floor((up.dec + {Inv(JoinR)}) / {Inv(ZoneH)}) AS BIGINT) + 1) z) u " +
              $"JOIN cat c ON CAST(floor(c.dec / {Inv(ZoneH)}) AS BIGINT) = u.zone AND c.dec BETWEEN u.dec - {Inv(JoinR)} AND u.dec + {Inv(JoinR)} " +
              $"WHERE {Hav("c.ra", "c.dec", "u.ra", "u.dec")} <= {Inv(JoinR)}";

string[] cols = table.Columns.Select(c => c.Name).ToArray();

var storeOnly = args.Contains("--store-only");

// ---------- the store of voscript serve, through ADQL ----------
{
    await using var store = new VoScript.Server.Storage.DuckDbTableStore();
    sw.Restart();
    await store.LoadAsync("public", "cat", table);
    Console.WriteLine($"store: load (with sort by dec) {sw.Elapsed.TotalSeconds:F2} s");
    var up = new Table("up");
    up.AddColumn(new ScalarColumn<int>(new Field("uid", DataType.Int), Enumerable.Range(0, upload.Length).ToArray()));
    up.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double), upload.Select(u => u.Ra).ToArray()));
    up.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double), upload.Select(u => u.Dec).ToArray()));
    var none = new Dictionary<string, Table>();
    var ups = new Dictionary<string, Table> { ["up"] = up };
    var cone = $"SELECT * FROM cat WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {Inv(ConeRa)}, {Inv(ConeDec)}, {Inv(ConeR)}))";
    var join = $"SELECT u.uid, c.* FROM TAP_UPLOAD.up AS u JOIN cat AS c ON 1 = CONTAINS(POINT('ICRS', c.ra, c.dec), CIRCLE('ICRS', u.ra, u.dec, {Inv(JoinR)}))";
    Time("store ADQL cone", () => store.ExecuteAsync(cone, none, 100000).Result.Table.RowCount, runs);
    Time("store ADQL cone, no MAXREC", () => store.ExecuteAsync(cone, none, long.MaxValue).Result.Table.RowCount, runs);
    Time("store ADQL cone, COUNT(*) only", () => (int)(long)store.ExecuteAsync(cone.Replace("SELECT *", "SELECT COUNT(*)"), none, 10).Result.Table.Columns[0].GetValue(0)!, runs);
    Time("store ADQL upload join", () => store.ExecuteAsync(join, ups, 100000).Result.Table.RowCount, runs);
}
if (storeOnly) return;

// ---------- DuckDB ----------
foreach (var sorted in new[] { false, true })
{
    using var duck = new DuckDBConnection("DataSource=:memory:");
    duck.Open();
    sw.Restart();
    Exec(duck, "CREATE TABLE cat (id BIGINT, ra DOUBLE, dec DOUBLE, " + string.Join(", ", cols.Skip(3).Take(9).Select(c => c + " FLOAT")) + ", name VARCHAR)");
    using (var app = duck.CreateAppender("cat"))
    {
        var cs = table.Columns;
        for (var r = 0; r < table.RowCount; r++)
        {
            var row = app.CreateRow();
            row.AppendValue(((ScalarColumn<long>)cs[0])[r]).AppendValue(raCol[r]).AppendValue(decCol[r]);
            for (var c = 3; c < 12; c++)
            {
                var fc = (ScalarColumn<float>)cs[c];
                if (fc.IsNull(r)) row.AppendNullValue(); else row.AppendValue(fc[r]);
            }
            row.AppendValue(((StringColumn)cs[12])[r]);
            row.EndRow();
        }
    }
    if (sorted) Exec(duck, "CREATE OR REPLACE TABLE cat AS SELECT * FROM cat ORDER BY dec");
    Console.WriteLine($"duckdb{(sorted ? " (sorted by dec)" : "")}: load {sw.Elapsed.TotalSeconds:F2} s");
    Exec(duck, "CREATE TABLE up (uid INTEGER, ra DOUBLE, dec DOUBLE)");
    using (var app = duck.CreateAppender("up"))
        for (var i = 0; i < upload.Length; i++) app.CreateRow().AppendValue(i).AppendValue(upload[i].Ra).AppendValue(upload[i].Dec).EndRow();
    Time($"duckdb{(sorted ? " sorted" : "")} cone", () => Count(duck, coneSql), runs);
    Time($"duckdb{(sorted ? " sorted" : "")} join (dec band only)", () => Count(duck, joinBandSql), runs);
    Time($"duckdb{(sorted ? " sorted" : "")} join (zones)", () => Count(duck, joinZoneSql), runs);
}

// ---------- SQLite ----------
{
    using var lite = new SqliteConnection("Data Source=:memory:");
    lite.Open();
    sw.Restart();
    Exec(lite, "CREATE TABLE cat (id INTEGER, ra REAL, dec REAL, " + string.Join(", ", cols.Skip(3).Take(9).Select(c => c + " REAL")) + ", name TEXT)");
    using (var tx = lite.BeginTransaction())
    using (var ins = lite.CreateCommand())
    {
        ins.Transaction = tx;
        ins.CommandText = "INSERT INTO cat VALUES (" + string.Join(",", Enumerable.Range(0, 13).Select(i => "$p" + i)) + ")";
        var ps = Enumerable.Range(0, 13).Select(i => ins.Parameters.Add("$p" + i, SqliteType.Real)).ToArray();
        ins.Prepare();
        var cs = table.Columns;
        for (var r = 0; r < table.RowCount; r++)
        {
            ps[0].Value = ((ScalarColumn<long>)cs[0])[r];
            ps[1].Value = raCol[r];
            ps[2].Value = decCol[r];
            for (var c = 3; c < 12; c++)
            {
                var fc = (ScalarColumn<float>)cs[c];
                ps[c].Value = fc.IsNull(r) ? DBNull.Value : (double)fc[r];
            }
            ps[12].Value = ((StringColumn)cs[12])[r];
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }
    var loaded = sw.Elapsed.TotalSeconds;
    Exec(lite, "CREATE INDEX cat_dec ON cat(dec, ra)");
    Console.WriteLine($"sqlite: load {loaded:F2} s, index (dec, ra) {sw.Elapsed.TotalSeconds - loaded:F2} s");
    Exec(lite, "CREATE TABLE up (uid INTEGER, ra REAL, dec REAL)");
    using (var tx = lite.BeginTransaction())
    {
        for (var i = 0; i < upload.Length; i++)
        {
            using var c = lite.CreateCommand();
            c.Transaction = tx;
            c.CommandText = $"INSERT INTO up VALUES ({i}, {Inv(upload[i].Ra)}, {Inv(upload[i].Dec)})";
            c.ExecuteNonQuery();
        }
        tx.Commit();
    }
    Time("sqlite cone", () => Count(lite, coneSql), runs);
    Time("sqlite join", () => Count(lite, joinSql.Replace("least(", "min(")), runs);
}

static void Exec(DbConnection c, string sql)
{
    using var cmd = c.CreateCommand();
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}

// Reads every cell, as the store does when it builds the result table.
static int Count(DbConnection c, string sql)
{
    using var cmd = c.CreateCommand();
    cmd.CommandText = sql;
    using var r = cmd.ExecuteReader();
    var n = 0;
    var values = new object[r.FieldCount];
    while (r.Read()) { r.GetValues(values); n++; }
    return n;
}

static void Time(string label, Func<int> f, int runs)
{
    var times = new List<double>();
    var rows = 0;
    for (var i = 0; i < runs; i++)
    {
        var s = Stopwatch.StartNew();
        rows = f();
        times.Add(s.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{label}: {rows} rows, median {times[times.Count / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}) over {runs}");
}
