using BenchmarkDotNet.Attributes;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Model;

namespace VoScript.Bench;

/// <summary>
/// The FITS reader and writer and the gathering of columns by row lists, on generated tables of the user's-path
/// shapes held in memory: a 1e6-row field of 5 columns (K D D K I, as xm_1000000_concat.fits) and a 333k-row
/// catalogue of 4 (K D D K) read from FITS bytes; the cluster result (1e6 rows × 10 columns, with a 3-byte text
/// column) and the match result (234k × 9) written to a null stream; those columns gathered by a permutation or by
/// random rows (as cluster and match gather them).
/// <c>dotnet run -c Release --project bench/VoScript.Bench -- --filter '*FitsBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class FitsBenchmarks
{
    private byte[] _field = [];
    private byte[] _catalogue = [];
    private Table _clusterResult = null!;
    private Table _matchResult = null!;
    private Table _fieldTable = null!;
    private Table _catalogueTable = null!;
    private int[] _permutation = [];
    private int[] _pairs = [];

    [GlobalSetup]
    public void Setup()
    {
        _fieldTable = Field(1_000_000, 1, withCat: true);
        _catalogueTable = Field(332_978, 2, withCat: false);
        _field = Bytes(_fieldTable);
        _catalogue = Bytes(_catalogueTable);
        _clusterResult = FitsBench.ClusterShaped(_fieldTable);
        _matchResult = FitsBench.MatchShaped(_catalogueTable, 233_967);
        _permutation = FitsBench.Permutation(_fieldTable.RowCount, 7);
        _pairs = FitsBench.RandomRows(_catalogueTable.RowCount, 233_967, 8);
    }

    private static Table Field(int n, int seed, bool withCat)
    {
        var rnd = new Random(seed);
        var id = new long[n]; var ra = new double[n]; var dec = new double[n]; var truth = new long[n]; var cat = new short[n];
        for (var i = 0; i < n; i++)
        {
            id[i] = i + 1; ra[i] = 150 + rnd.NextDouble(); dec[i] = 2 + rnd.NextDouble(); truth[i] = rnd.Next(n / 2); cat[i] = (short)rnd.Next(1, 4);
        }
        var t = new Table("field");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), id));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg" }, dec));
        t.AddColumn(new ScalarColumn<long>(new Field("true_id", DataType.Long), truth));
        if (withCat) t.AddColumn(new ScalarColumn<short>(new Field("cat", DataType.Short), cat));
        return t;
    }

    private static byte[] Bytes(Table t)
    {
        var ms = new MemoryStream();
        FitsWriter.Write(t, ms);
        return ms.ToArray();
    }

    [Benchmark]
    public int ReadField() => FitsReader.Read(new MemoryStream(_field, writable: false), "field.fits").RowCount;

    [Benchmark]
    public int ReadCatalogue() => FitsReader.Read(new MemoryStream(_catalogue, writable: false), "cat.fits").RowCount;

    [Benchmark]
    public void WriteClusterResult() => FitsWriter.Write(_clusterResult, Stream.Null);

    [Benchmark]
    public void WriteMatchResult() => FitsWriter.Write(_matchResult, Stream.Null);

    [Benchmark]
    public int GatherFieldByPermutation() => FitsBench.GatherAll(_fieldTable, _permutation).Length;

    [Benchmark]
    public int GatherCatalogueByPairs() => FitsBench.GatherAll(_catalogueTable, _pairs).Length;
}
