using VoScript.Engine.Model;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

public class StoreTests
{
    [Test]
    public async Task LoadedTableIsListedWithItsMetadata()
    {
        await using var store = await StoreWithStars();
        var t = store.Tables.Single();
        Assert.That((t.Schema, t.Name, t.Rows, t.Description), Is.EqualTo(("public", "stars", 5L, "five test stars")));
        Assert.That(t.Fields.Select(f => f.Name), Is.EqualTo(new[] { "id", "ra", "dec", "Mag", "name", "flags" }));
        Assert.That(t.Fields[1].Ucd, Is.EqualTo("pos.eq.ra;meta.main"));
    }

    [Test]
    public async Task SelectStarReturnsAllColumnsWithTypesNullsAndMetadata()
    {
        await using var store = await StoreWithStars();
        var r = await store.ExecuteAsync("SELECT * FROM stars ORDER BY id", NoUploads, 100);
        Assert.That(r.Overflow, Is.False);
        var t = r.Table;
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "ra", "dec", "Mag", "name", "flags" }));
        Assert.That(t.Columns[0], Is.InstanceOf<ScalarColumn<long>>());
        Assert.That(t.Columns[3], Is.InstanceOf<ScalarColumn<float>>());
        Assert.That(ColumnValues(t, "id"), Is.EqualTo(new object[] { 1L, 2L, 3L, 4L, 5L }));
        Assert.That(ColumnValues(t, "Mag"), Is.EqualTo(new object?[] { 12.5f, 13.0f, null, 9.25f, 15.5f }));
        Assert.That(ColumnValues(t, "name"), Is.EqualTo(new object?[] { "alpha", "beta", null, "delta", "Epsilon" }));
        var flags = (ArrayColumn<int>)t.FindColumn("flags")!;
        Assert.That(flags[0].ToArray(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(flags[2].ToArray(), Is.Empty);
        Assert.That(flags[3].ToArray(), Is.EqualTo(new[] { 4, 5 }));
        var ra = t.FindColumn("ra")!.Field;
        Assert.That((ra.Unit, ra.Ucd, ra.Description, ra.DataType), Is.EqualTo(("deg", "pos.eq.ra;meta.main", "Right ascension", DataType.Double)));
    }

    [Test]
    public async Task MaxRecordsCutsAndSetsOverflow()
    {
        await using var store = await StoreWithStars();
        var r = await store.ExecuteAsync("SELECT id FROM stars ORDER BY id", NoUploads, 3);
        Assert.That((r.Table.RowCount, r.Overflow), Is.EqualTo((3, true)));
        var exact = await store.ExecuteAsync("SELECT id FROM stars", NoUploads, 5);
        Assert.That((exact.Table.RowCount, exact.Overflow), Is.EqualTo((5, false)));
    }

    [Test]
    public async Task TopBelowMaxRecordsIsNoOverflow()
    {
        await using var store = await StoreWithStars();
        var r = await store.ExecuteAsync("SELECT TOP 2 id FROM stars ORDER BY id DESC", NoUploads, 2);
        Assert.That((ColumnValues(r.Table, "id"), r.Overflow), Is.EqualTo((new object[] { 5L, 4L }, false)));
    }

    [Test]
    public async Task ConeSearchWithContainsFindsTheStarsInTheCircle()
    {
        await using var store = await StoreWithStars();
        var r = await store.ExecuteAsync(
            "SELECT id FROM stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10.2, 20.1, 0.5)) ORDER BY id", NoUploads, 100);
        Assert.That(ColumnValues(r.Table, "id"), Is.EqualTo(new object[] { 1L, 2L }));
    }

    [Test]
    public async Task ConeAcrossRaZeroFindsBothSides()
    {
        await using var store = await StoreWithStars();
        var r = await store.ExecuteAsync(
            "SELECT id FROM stars WHERE CONTAINS(POINT(ra, dec), CIRCLE(0, 0, 0.2)) = 1 ORDER BY id", NoUploads, 100);
        Assert.That(ColumnValues(r.Table, "id"), Is.EqualTo(new object[] { 4L, 5L }));
    }

    [Test]
    public async Task UploadJoinMatchesEachPositionToItsStar()
    {
        await using var store = await StoreWithStars();
        var uploads = new Dictionary<string, Table>
        {
            ["mine"] = Positions(("a", 10.0003, 20.0), ("b", 200.0, -45.0005), ("c", 100, 10)),
        };
        var r = await store.ExecuteAsync(
            "SELECT u.pid, s.id FROM TAP_UPLOAD.mine AS u JOIN stars AS s ON 1 = CONTAINS(POINT(s.ra, s.dec), CIRCLE(u.ra, u.dec, 2.0/3600)) ORDER BY u.pid",
            uploads, 100);
        Assert.That(ColumnValues(r.Table, "pid"), Is.EqualTo(new object[] { "a", "b" }));
        Assert.That(ColumnValues(r.Table, "id"), Is.EqualTo(new object[] { 1L, 3L }));
    }

    [Test]
    public async Task UploadsAreVisibleOnlyToTheirQuery()
    {
        await using var store = await StoreWithStars();
        var uploads = new Dictionary<string, Table> { ["mine"] = Positions(("a", 1, 2)) };
        await store.ExecuteAsync("SELECT * FROM TAP_UPLOAD.mine", uploads, 10);
        var e = await Assert.ThrowsAsync<AdqlException>(() => store.ExecuteAsync("SELECT * FROM TAP_UPLOAD.mine", NoUploads, 10));
        Assert.That(e!.Message, Does.Contain("TAP_UPLOAD.mine"));
        Assert.That(store.Tables, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SyntaxErrorComesBackAsAFaultedTask()
    {
        await using var store = await StoreWithStars();
        var task = store.ExecuteAsync("SELECT FROM", NoUploads, 10);
        Assert.That(task.IsFaulted, Is.True);
        Assert.That(async () => await task, Throws.InstanceOf<AdqlException>());
    }

    [Test]
    public async Task UploadWithoutColumnsIsRefused()
    {
        await using var store = await StoreWithStars();
        var uploads = new Dictionary<string, Table> { ["empty"] = new Table("empty") };
        var e = (await Assert.ThrowsAsync<AdqlException>(() => store.ExecuteAsync("SELECT * FROM stars", uploads, 10)))!;
        Assert.That(e.Message, Does.Contain("upload empty has no columns"));
    }

    [TestCase("TableData")]
    [TestCase("Binary2")]
    public async Task ResultTablesWriteAsVOTableAndReadBack(string serializationName)
    {
        var serialization = Enum.Parse<VoScript.Engine.Formats.VOTable.VOTableSerialization>(serializationName);
        await using var store = await StoreWithStars();
        var r = (await store.ExecuteAsync(
            "SELECT s.*, DISTANCE(POINT(ra, dec), POINT(10, 20)) AS d, POINT(ra, dec) AS pos FROM stars s ORDER BY id",
            NoUploads, 100)).Table;
        using var ms = new MemoryStream();
        VoScript.Engine.Formats.VOTable.VOTableWriter.Write(r, ms, new VoScript.Engine.Formats.VOTable.VOTableWriteOptions { Serialization = serialization });
        ms.Position = 0;
        var back = VoScript.Engine.Formats.VOTable.VOTableReader.Read(ms);
        Assert.That(back.Columns.Select(c => c.Name), Is.EqualTo(r.Columns.Select(c => c.Name)));
        for (var c = 0; c < r.ColumnCount; c++)
            for (var row = 0; row < r.RowCount; row++)
                Assert.That(back.Columns[c].FormatCell(row), Is.EqualTo(r.Columns[c].FormatCell(row)), $"{r.Columns[c].Name}[{row}]");
        Assert.That(back.FindColumn("pos")!.Field.XType, Is.EqualTo("point"));
    }
}
