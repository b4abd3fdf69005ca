using System.Globalization;
using System.Text.Json;
using VoScript.Engine.Model;
using VoScript.Server.Storage;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

/// <summary>
/// Geometry checked against answers computed independently (astropy separations,
/// a winding-angle polygon test) by data/adql/make_geometry_cases.py.
/// </summary>
public class AdqlGeometryTests
{
    private static DuckDbTableStore _store = null!;
    private static JsonElement _expected;

    [OneTimeSetUp]
    public async Task LoadPoints()
    {
        var dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "adql");
        var lines = File.ReadAllLines(Path.Combine(dir, "points.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var t = new Table("points");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), lines.Select(l => long.Parse(l[0], CultureInfo.InvariantCulture)).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Ucd = "pos.eq.ra;meta.main" }, lines.Select(l => double.Parse(l[1], CultureInfo.InvariantCulture)).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Ucd = "pos.eq.dec;meta.main" }, lines.Select(l => double.Parse(l[2], CultureInfo.InvariantCulture)).ToArray()));
        _store = new DuckDbTableStore();
        await _store.LoadAsync("public", "points", t);
        _expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json"))).RootElement;
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _store.DisposeAsync();

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static async Task<long[]> Ids(string where)
    {
        var r = await _store.ExecuteAsync("SELECT id FROM points WHERE " + where + " ORDER BY id", NoUploads, 100000);
        return ColumnValues(r.Table, "id").Cast<long>().ToArray();
    }

    private static long[] ExpectedIds(JsonElement e) => e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt64()).ToArray();

    [Test]
    public async Task CircleContainsExactlyThePointsAstropyPutsInside([Range(0, 4)] int k)
    {
        var c = _expected.GetProperty("circles")[k];
        var (ra, dec, r) = (c.GetProperty("ra").GetDouble(), c.GetProperty("dec").GetDouble(), c.GetProperty("r").GetDouble());
        var ids = await Ids($"CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {F(ra)}, {F(dec)}, {F(r)})) = 1");
        Assert.That(ids, Is.EqualTo(ExpectedIds(c)));
        Assert.That(ids, Is.Not.Empty);
    }

    [Test]
    public async Task PolygonContainsExactlyThePointsOfTheWindingTest([Range(0, 3)] int k)
    {
        var p = _expected.GetProperty("polygons")[k];
        var coords = p.GetProperty("vertices").EnumerateArray().SelectMany(v => v.EnumerateArray().Select(x => F(x.GetDouble())));
        var ids = await Ids($"1 = CONTAINS(POINT(ra, dec), POLYGON('ICRS', {string.Join(", ", coords)}))");
        Assert.That(ids, Is.EqualTo(ExpectedIds(p)));
    }

    [Test]
    public async Task PolygonOfPointsEqualsPolygonOfNumbers()
    {
        var p = _expected.GetProperty("polygons")[2];
        var pts = p.GetProperty("vertices").EnumerateArray().Select(v => $"POINT({F(v[0].GetDouble())}, {F(v[1].GetDouble())})");
        Assert.That(await Ids($"CONTAINS(POINT(ra, dec), POLYGON({string.Join(", ", pts)})) = 1"), Is.EqualTo(ExpectedIds(p)));
    }

    [Test]
    public async Task DistanceIsTheGreatCircleSeparation([Range(0, 2)] int k)
    {
        var d = _expected.GetProperty("distances")[k];
        var (ra, dec) = (d.GetProperty("ra").GetDouble(), d.GetProperty("dec").GetDouble());
        var r = await _store.ExecuteAsync($"SELECT id, DISTANCE(POINT(ra, dec), POINT({F(ra)}, {F(dec)})) AS sep FROM points WHERE id <= 400 ORDER BY id", NoUploads, 1000);
        var ids = ColumnValues(r.Table, "id").Cast<long>().ToArray();
        var seps = ColumnValues(r.Table, "sep").Cast<double>().ToArray();
        var expected = d.GetProperty("sep");
        Assert.That(ids, Has.Length.EqualTo(400));
        for (var i = 0; i < ids.Length; i++)
            Assert.That(seps[i], Is.EqualTo(expected.GetProperty(ids[i].ToString(CultureInfo.InvariantCulture)).GetDouble()).Within(1e-9), $"id {ids[i]}");
    }

    [Test]
    public async Task BoxIsThePolygonOfItsCorners()
    {
        var box = await Ids("CONTAINS(POINT(ra, dec), BOX(15, 15, 10, 10)) = 1");
        Assert.That(box, Is.EqualTo(ExpectedIds(_expected.GetProperty("polygons")[0])));
    }

    [Test]
    public async Task IntersectsOfPointAndCircleIsContains()
    {
        var c = _expected.GetProperty("circles")[2];
        var ids = await Ids("INTERSECTS(CIRCLE(120, 75, 3), POINT(ra, dec)) = 1");
        Assert.That(ids, Is.EqualTo(ExpectedIds(c)));
    }

    [Test]
    public async Task ContainsEqualsZeroIsTheComplement()
    {
        var inside = await Ids("CONTAINS(POINT(ra, dec), CIRCLE(10, 20, 1)) = 1");
        var outside = await Ids("CONTAINS(POINT(ra, dec), CIRCLE(10, 20, 1)) = 0");
        Assert.That(inside.Length + outside.Length, Is.EqualTo(1950));
        Assert.That(inside.Intersect(outside), Is.Empty);
    }

    [Test]
    public async Task ContainsAsAValueIsOneOrZero()
    {
        var r = await _store.ExecuteAsync("SELECT SUM(CONTAINS(POINT(ra, dec), CIRCLE(0, 0, 2))) AS n FROM points", NoUploads, 10);
        Assert.That(Convert.ToInt64(r.Table.Columns[0].GetValue(0), CultureInfo.InvariantCulture), Is.EqualTo(_expected.GetProperty("circles")[1].GetProperty("ids").GetArrayLength()));
    }

    [Test]
    public async Task CircleWithColumnRadiusFromAJoinUsesTheRowsRadius()
    {
        var c = _expected.GetProperty("circles")[0];
        var up = new Table("c");
        up.AddColumn(new ScalarColumn<double>(new Field("cra", DataType.Double), [10.0]));
        up.AddColumn(new ScalarColumn<double>(new Field("cdec", DataType.Double), [20.0]));
        up.AddColumn(new ScalarColumn<double>(new Field("rad", DataType.Double), [1.0]));
        var r = await _store.ExecuteAsync(
            "SELECT p.id FROM points p, TAP_UPLOAD.c AS c WHERE CONTAINS(POINT(p.ra, p.dec), CIRCLE(c.cra, c.cdec, c.rad)) = 1 ORDER BY p.id",
            new Dictionary<string, Table> { ["c"] = up }, 10000);
        Assert.That(ColumnValues(r.Table, "id").Cast<long>(), Is.EqualTo(ExpectedIds(c)));
    }

    [Test]
    public async Task Coord1AndCoord2ReturnThePointsCoordinates()
    {
        var r = await _store.ExecuteAsync("SELECT COORD1(POINT(ra, dec)) AS a, COORD2(POINT(ra, dec)) AS b, ra, dec FROM points WHERE id = 7", NoUploads, 10);
        Assert.That(r.Table.Columns[0].GetValue(0), Is.EqualTo(r.Table.Columns[2].GetValue(0)));
        Assert.That(r.Table.Columns[1].GetValue(0), Is.EqualTo(r.Table.Columns[3].GetValue(0)));
    }

    [Test]
    public async Task PointInTheSelectListIsADaliPoint()
    {
        var r = await _store.ExecuteAsync("SELECT POINT(ra, dec) AS pos FROM points WHERE id = 1", NoUploads, 10);
        var c = (ArrayColumn<double>)r.Table.Columns[0];
        Assert.That((c.Field.XType, c.Field.DataType, c.Field.ArraySize.ToString(), c.Field.Unit), Is.EqualTo(("point", DataType.Double, "2", "deg")));
        Assert.That(c[0].Length, Is.EqualTo(2));
    }

    [Test]
    public async Task ZoneJoinFindsTheSamePairsAsThePlainJoin([Values(0.7, 0.001)] double radius)
    {
        var all = (await _store.ExecuteAsync("SELECT id, ra, dec FROM points WHERE id <= 600", NoUploads, 10000)).Table;
        var uploads = new Dictionary<string, Table> { ["mine"] = all };
        var r = F(radius);
        var zoned = $"SELECT u.id AS uid, p.id FROM TAP_UPLOAD.mine u JOIN points p ON 1 = CONTAINS(POINT(p.ra, p.dec), CIRCLE(u.ra, u.dec, {r})) ORDER BY 1, 2";
        var plain = $"SELECT u.id AS uid, p.id FROM TAP_UPLOAD.mine u, points p WHERE 1 = CONTAINS(POINT(p.ra, p.dec), CIRCLE(u.ra, u.dec, {r})) OR 1 = 0 ORDER BY 1, 2";
        Assert.That(Translate(zoned, all.RowCount), Does.Contain("zone_"));
        Assert.That(Translate(plain, all.RowCount), Does.Not.Contain("zone_"));
        var a = (await _store.ExecuteAsync(zoned, uploads, 1000000)).Table;
        var b = (await _store.ExecuteAsync(plain, uploads, 1000000)).Table;
        Assert.That(a.RowCount, Is.GreaterThan(radius > 0.5 ? 1000 : 599));
        Assert.That(ColumnValues(a, "uid"), Is.EqualTo(ColumnValues(b, "uid")));
        Assert.That(ColumnValues(a, "id"), Is.EqualTo(ColumnValues(b, "id")));
        var byDistance = $"SELECT u.id AS uid, p.id FROM TAP_UPLOAD.mine u, points p WHERE DISTANCE(POINT(p.ra, p.dec), POINT(u.ra, u.dec)) <= {r} ORDER BY 1, 2";
        Assert.That(Translate(byDistance, all.RowCount), Does.Contain("zone_"));
        var c = (await _store.ExecuteAsync(byDistance, uploads, 1000000)).Table;
        Assert.That(ColumnValues(c, "id"), Is.EqualTo(ColumnValues(b, "id")));
    }

    [TestCase("DISTANCE(POINT(ra, dec), POINT(10, 20)) <= 1")]
    [TestCase("1 >= DISTANCE(POINT('ICRS', 10, 20), POINT('ICRS', ra, dec))")]
    [TestCase("DISTANCE(ra, dec, 10, 20) < 1")]
    public async Task DistanceBelowARadiusIsTheCone(string where)
    {
        Assert.That(await Ids(where), Is.EqualTo(ExpectedIds(_expected.GetProperty("circles")[0])));
    }

    private static string Translate(string adql, int uploadRows)
    {
        var f = new[] { new Field("id", DataType.Long), new Field("ra", DataType.Double), new Field("dec", DataType.Double) };
        var cols = f.Select((x, i) => new DbColumn(x, "c" + i, StorageKind.Native)).ToList();
        var tables = new List<DbTable> { new("public", "points", "t1", cols, 1950, null), new("TAP_UPLOAD", "mine", "u1", cols, uploadRows, null) };
        return Storage.AdqlTranslator.Translate(AdqlParser.Parse(adql), tables).Sql;
    }
}
