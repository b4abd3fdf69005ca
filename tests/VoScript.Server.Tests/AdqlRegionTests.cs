using System.Globalization;
using System.Text.Json;
using VoScript.Engine.Model;
using VoScript.Server.Storage;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

/// <summary>Region columns (ObsCore s_region): CONTAINS/INTERSECTS evaluated row by row.</summary>
public class AdqlRegionTests
{
    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static Table RegionTable(params (string Id, string Region)[] rows)
    {
        var t = new Table("obs");
        t.AddColumn(new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), rows.Select(r => (string?)r.Id).ToArray()));
        t.AddColumn(new StringColumn(new Field("s_region", DataType.Char, ArraySize.Variable) { XType = "adql:REGION", Ucd = "pos.outline;obs.field" },
            rows.Select(r => (string?)r.Region).ToArray()));
        return t;
    }

    private static async Task<object?[]> Ids(DuckDbTableStore store, string where) =>
        ColumnValues((await store.ExecuteAsync("SELECT obs_id FROM obs WHERE " + where + " ORDER BY obs_id", NoUploads, 100)).Table, "obs_id");

    [Test]
    public async Task ContainsPointInARegionColumn()
    {
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", RegionTable(
            ("a", "Polygon ICRS 10 10 11 10 11 11 10 11"),
            ("b", "Circle ICRS 10.5 10.5 0.1"),
            ("c", "Polygon ICRS 359.5 -0.5 0.5 -0.5 0.5 0.5 359.5 0.5"),
            ("d", "Box ICRS 100 -30 2 2")));
        Assert.That(await Ids(store, "CONTAINS(POINT('ICRS', 10.5, 10.5), s_region) = 1"), Is.EqualTo(new object[] { "a", "b" }));
        Assert.That(await Ids(store, "CONTAINS(POINT(10.8, 10.5), s_region) = 1"), Is.EqualTo(new object[] { "a" }));
        Assert.That(await Ids(store, "CONTAINS(POINT(0.2, 0.1), s_region) = 1"), Is.EqualTo(new object[] { "c" }));
        Assert.That(await Ids(store, "1 = INTERSECTS(POINT(359.8, -0.1), s_region)"), Is.EqualTo(new object[] { "c" }));
        Assert.That(await Ids(store, "CONTAINS(POINT(100.9, -29.1), s_region) = 1"), Is.EqualTo(new object[] { "d" }));
        Assert.That(await Ids(store, "CONTAINS(POINT(50, 50), s_region) = 1"), Is.Empty);
    }

    [TestCase(10.5, 11.2, 0.25, true)]    // 0.2° north of the top edge
    [TestCase(10.5, 11.2, 0.15, false)]
    [TestCase(9.8, 10.5, 0.25, true)]     // west of the meridian edge ra = 10: asin(cos 10.5° sin 0.2°) = 0.1966°
    [TestCase(9.8, 10.5, 0.19, false)]
    [TestCase(10.5, 10.5, 0.01, true)]    // inside
    public async Task IntersectsCircleWithAPolygonColumnUsesTheDistanceToItsEdges(double ra, double dec, double r, bool expected)
    {
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", RegionTable(("a", "Polygon ICRS 10 10 11 10 11 11 10 11")));
        var ids = await Ids(store, $"INTERSECTS(CIRCLE('ICRS', {F(ra)}, {F(dec)}, {F(r)}), s_region) = 1");
        Assert.That(ids.Length == 1, Is.EqualTo(expected));
    }

    [TestCase(10.5, 11.2, 0.25, 1)]
    [TestCase(10.5, 11.2, 0.15, 0)]
    [TestCase(9.8, 10.5, 0.19, 0)]
    public async Task IntersectsOfACircleColumnAndAConstantPolygon(double ra, double dec, double r, int expected)
    {
        var t = new Table("c");
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double), [ra]));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double), [dec]));
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("s", "c", t);
        var res = await store.ExecuteAsync($"SELECT INTERSECTS(CIRCLE(ra, dec, {F(r)}), POLYGON(10, 10, 11, 10, 11, 11, 10, 11)) AS hit FROM c", NoUploads, 10);
        Assert.That(res.Table.Columns[0].GetValue(0), Is.EqualTo(expected));
    }

    [Test]
    public async Task RegionInsideACircle()
    {
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", RegionTable(("a", "Polygon ICRS 10 10 11 10 11 11 10 11"), ("b", "Circle ICRS 10.5 10.5 0.1")));
        Assert.That(await Ids(store, "CONTAINS(s_region, CIRCLE(10.5, 10.5, 0.75)) = 1"), Is.EqualTo(new object[] { "a", "b" }));
        Assert.That(await Ids(store, "CONTAINS(s_region, CIRCLE(10.5, 10.5, 0.5)) = 1"), Is.EqualTo(new object[] { "b" }));
    }

    [Test]
    public async Task PolygonColumnsAgreeWithTheIndependentWindingTest()
    {
        // the polygons of the geometry test data as STC-S cells, joined with the points
        var dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "adql");
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json"))).RootElement.GetProperty("polygons");
        var rows = expected.EnumerateArray().Select((p, k) => ("p" + k,
            "Polygon ICRS " + string.Join(" ", p.GetProperty("vertices").EnumerateArray().SelectMany(v => v.EnumerateArray().Select(x => F(x.GetDouble())))))).ToArray();
        var lines = File.ReadAllLines(Path.Combine(dir, "points.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var points = new Table("points");
        points.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), lines.Select(l => long.Parse(l[0], CultureInfo.InvariantCulture)).ToArray()));
        points.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double), lines.Select(l => double.Parse(l[1], CultureInfo.InvariantCulture)).ToArray()));
        points.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double), lines.Select(l => double.Parse(l[2], CultureInfo.InvariantCulture)).ToArray()));
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", RegionTable(rows));
        var r = (await store.ExecuteAsync(
            "SELECT o.obs_id, p.id FROM TAP_UPLOAD.pts AS p JOIN obs AS o ON CONTAINS(POINT(p.ra, p.dec), o.s_region) = 1 ORDER BY o.obs_id, p.id",
            new Dictionary<string, Table> { ["pts"] = points }, 100000)).Table;
        for (var k = 0; k < rows.Length; k++)
        {
            var got = Enumerable.Range(0, r.RowCount).Where(i => (string?)r.Columns[0].GetValue(i) == "p" + k).Select(i => (long)r.Columns[1].GetValue(i)!);
            Assert.That(got, Is.EqualTo(expected[k].GetProperty("ids").EnumerateArray().Select(x => x.GetInt64())), $"polygon {k}");
        }
    }

    [Test]
    public async Task DaliArrayPolygonColumnWorksToo()
    {
        var t = new Table("obs");
        t.AddColumn(new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), ["a"]));
        t.AddColumn(new ArrayColumn<double>(new Field("s_region", DataType.Double, ArraySize.Variable) { XType = "polygon" }, [10, 10, 11, 10, 11, 11, 10, 11], [0, 8], 1));
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", t);
        Assert.That(await Ids(store, "CONTAINS(POINT(10.5, 10.5), s_region) = 1"), Is.EqualTo(new object[] { "a" }));
        var sel = (await store.ExecuteAsync("SELECT s_region FROM obs", NoUploads, 10)).Table;
        Assert.That((sel.Columns[0].Field.XType, sel.Columns[0].FormatCell(0)), Is.EqualTo(("polygon", "10 10 11 10 11 11 10 11")));
    }

    [Test]
    public async Task NonRegionColumnUsedAsGeometryIsRefused()
    {
        await using var store = await StoreWithStars();
        var e = (await Assert.ThrowsAsync<AdqlException>(() => store.ExecuteAsync("SELECT id FROM stars WHERE CONTAINS(POINT(1, 2), name) = 1", NoUploads, 10)))!;
        Assert.That(e.Message, Does.Contain("holds no regions"));
        Assert.That((e.Line, e.Column), Is.EqualTo((1, 50)));
    }

    [Test]
    public async Task UnreadableRegionIsAnErrorNamingIt()
    {
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("ivoa", "obs", RegionTable(("a", "Union ICRS (Circle 1 2 3 Circle 4 5 6)")));
        var e = (await Assert.ThrowsAsync<AdqlException>(() => store.ExecuteAsync("SELECT * FROM obs WHERE CONTAINS(POINT(1, 2), s_region) = 1", NoUploads, 10)))!;
        Assert.That(e.Message, Does.Contain("Union ICRS"));
    }
}
