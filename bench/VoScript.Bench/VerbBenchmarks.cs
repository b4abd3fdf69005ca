using BenchmarkDotNet.Attributes;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using static VoScript.Engine.Science.Selection.Expr;

namespace VoScript.Bench;

/// <summary>
/// One benchmark per table verb on a generated 1e6-row catalogue held in memory (id, ra, dec, two magnitudes with
/// some nulls, a band name, an object id shared by about 5 rows), so only the verb is measured.
/// <c>dotnet run -c Release --project bench/VoScript.Bench -- --filter '*VerbBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class VerbBenchmarks
{
    private Table _t = null!;
    private Table _cat1 = null!;
    private Table _cat2 = null!;
    private Table _objects = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _t = Generate(Rows, 1);
        // two catalogues of one field, ~1/3 of the rows each, positions of the same sources with 0.3" noise
        (_cat1, _cat2) = (Field(Rows / 3, 2), Field(Rows / 3, 3));
        _objects = GroupVerb.Run(_t, ["object_id"], [new Aggregation("n", Count())]);
    }

    internal static Table Generate(int n, int seed)
    {
        var rnd = new Random(seed);
        var id = new long[n]; var obj = new long[n]; var ra = new double[n]; var dec = new double[n];
        var j = new double[n]; var k = new double[n]; var band = new string?[n];
        var nulls = new NullMask(n);
        string[] bands = ["2MASS J", "2MASS H", "2MASS Ks", "Gaia G", "SDSS r"];
        for (var i = 0; i < n; i++)
        {
            id[i] = i + 1;
            obj[i] = rnd.Next(n / 5);
            ra[i] = 150 + rnd.NextDouble();
            dec[i] = 2 + rnd.NextDouble();
            j[i] = 10 + 10 * rnd.NextDouble();
            k[i] = j[i] - rnd.NextDouble();
            if (rnd.Next(20) == 0) nulls.Set(i);
            band[i] = bands[rnd.Next(bands.Length)];
        }
        var t = new Table("cat");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, id));
        t.AddColumn(new ScalarColumn<long>(new Field("object_id", DataType.Long), obj));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, dec));
        t.AddColumn(new ScalarColumn<double>(new Field("jmag", DataType.Double) { Unit = "mag" }, j, nulls));
        t.AddColumn(new ScalarColumn<double>(new Field("kmag", DataType.Double) { Unit = "mag" }, k));
        t.AddColumn(new StringColumn(new Field("band", DataType.Char, ArraySize.Variable), band));
        return t;
    }

    internal static Table Field(int n, int seed)
    {
        var truth = new Random(42);
        var rnd = new Random(seed);
        var ra = new double[n]; var dec = new double[n]; var id = new long[n];
        const double sigma = 0.3 / 3600;
        for (var i = 0; i < n; i++)
        {
            id[i] = i + 1;
            ra[i] = 149.5 + truth.NextDouble() + Gauss(rnd) * sigma;
            dec[i] = 1.5 + truth.NextDouble() + Gauss(rnd) * sigma;
        }
        var t = new Table("cat" + seed);
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), id));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, dec));
        return t;
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Benchmark]
    public int Keep() => ColumnVerbs.Keep(_t, ["id", "ra", "dec"]).RowCount;

    [Benchmark]
    public int Derive() => Engine.Science.Verbs.Derive.Run(_t,
    [
        new Derivation("colour", Col("jmag") - Col("kmag")),
        new Derivation("flux", Fn("mag_to_jy", Col("jmag"), "2MASS J")),
        new Derivation("near", Fn("separation", Col("ra"), Col("dec"), 150.5, 2.5) < Quantity(10, "arcmin")),
    ]).ColumnCount;

    [Benchmark]
    public int Sort() => Sorting.Sort(_t, [new SortKey("jmag", true)]).RowCount;

    [Benchmark]
    public int SortTwoKeys() => Sorting.Sort(_t, [new SortKey("band"), new SortKey("kmag")]).RowCount;

    [Benchmark]
    public int Top() => Sorting.Top(_t, 100, [new SortKey("kmag")]).RowCount;

    [Benchmark]
    public int Distinct() => Sorting.Distinct(_t, ["object_id"]).RowCount;

    [Benchmark]
    public int Group() => GroupVerb.Run(_t, ["object_id"],
    [
        new Aggregation("n", Count()),
        new Aggregation("mean_j", Fn("mean", Col("jmag"))),
        new Aggregation("median_k", Fn("median", Col("kmag"))),
        new Aggregation("pos", Fn("mean_position", Col("ra"), Col("dec"))),
    ]).RowCount;

    [Benchmark]
    public int Match() => SkyMatch.Run(_cat1, _cat2, 1.0 / 3600, MatchMode.Best, "cat1", "cat2").RowCount;

    [Benchmark]
    public int MatchAll() => SkyMatch.Run(_cat1, _cat2, 1.0 / 3600, MatchMode.All, "cat1", "cat2").RowCount;

    /// <summary><c>cluster cat1, cat2 within 1.5 arcsec</c>: friends-of-friends over both catalogues (~667k rows), the full result table.</summary>
    [Benchmark]
    public int Cluster() => Engine.Science.Sky.Clustering.Run([_cat1, _cat2], 1.5 / 3600, "groups").RowCount;

    /// <summary><c>cluster cat within 1.5 arcsec</c> of one 1e6-row table: one table's columns are taken without the row map.</summary>
    [Benchmark]
    public int ClusterOne() => Engine.Science.Sky.Clustering.Run([_t], 1.5 / 3600, "groups").RowCount;

    [Benchmark]
    public int Join() => Engine.Science.Verbs.Join.Run(_t, _objects, "object_id", "object_id", false, "cat", "objects").RowCount;

    [Benchmark]
    public int Stack() => Engine.Science.Verbs.Stack.Run([("cat1", _cat1), ("cat2", _cat2)]).RowCount;
}
