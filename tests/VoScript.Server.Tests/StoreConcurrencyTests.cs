using System.Diagnostics;
using VoScript.Engine.Model;
using VoScript.Server.Storage;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

public class StoreConcurrencyTests
{
    private static Table Numbers(int n)
    {
        var t = new Table("numbers");
        t.AddColumn(new ScalarColumn<double>(new Field("x", DataType.Double), Enumerable.Range(0, n).Select(i => (double)i).ToArray()));
        return t;
    }

    [Test]
    public async Task CancellationInterruptsARunningQuery()
    {
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("public", "numbers", Numbers(30000));
        using var cts = new CancellationTokenSource();
        var sw = Stopwatch.StartNew();
        // 9e8 pairs: many seconds of work unless interrupted
        var task = store.ExecuteAsync("SELECT COUNT(*) FROM numbers a, numbers b WHERE SIN(a.x * b.x) > 2", NoUploads, 10, cts.Token);
        await Task.Delay(300);
        Assert.That(task.IsCompleted, Is.False, "the query should still be running");
        cts.Cancel();
        Assert.That(async () => await task, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        // the store still answers afterwards
        var r = await store.ExecuteAsync("SELECT COUNT(*) FROM numbers", NoUploads, 10);
        Assert.That(r.Table.Columns[0].GetValue(0), Is.EqualTo(30000L));
    }

    [Test]
    public async Task ConcurrentQueriesWithTheirOwnUploadsGetTheirOwnAnswers()
    {
        await using var store = await StoreWithStars();
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            // each query uploads one position on star (i % 5) + 1 under the same upload name
            var star = Stars();
            var row = i % 5;
            var ra = ((ScalarColumn<double>)star.FindColumn("ra")!)[row];
            var dec = ((ScalarColumn<double>)star.FindColumn("dec")!)[row];
            var uploads = new Dictionary<string, Table> { ["pos"] = Positions(("q" + i, ra, dec)) };
            var r = await store.ExecuteAsync(
                "SELECT s.id, u.pid FROM stars s JOIN TAP_UPLOAD.pos u ON CONTAINS(POINT(s.ra, s.dec), CIRCLE(u.ra, u.dec, 0.001)) = 1",
                uploads, 10);
            return (i, ids: ColumnValues(r.Table, "id"), pids: ColumnValues(r.Table, "pid"));
        }).ToList();
        foreach (var (i, ids, pids) in await Task.WhenAll(tasks))
            Assert.That((ids, pids), Is.EqualTo((new object[] { (long)(i % 5 + 1) }, new object[] { "q" + i })), $"query {i}");
    }

    [Test]
    public async Task LoadingATableAgainReplacesIt()
    {
        await using var store = await StoreWithStars();
        await store.LoadAsync("public", "stars", Numbers(3));
        Assert.That(store.Tables.Single().Rows, Is.EqualTo(3));
        var r = await store.ExecuteAsync("SELECT SUM(x) FROM stars", NoUploads, 10);
        Assert.That(r.Table.Columns[0].GetValue(0), Is.EqualTo(3.0));
    }

    [Test]
    public async Task TablesWithEveryColumnTypeRoundTrip()
    {
        var t = new Table("types");
        t.AddColumn(new ScalarColumn<bool>(new Field("b", DataType.Boolean), [true, false]));
        t.AddColumn(new ScalarColumn<byte>(new Field("u8", DataType.UnsignedByte), [255, 0]));
        t.AddColumn(new ScalarColumn<short>(new Field("i16", DataType.Short), [-3, 3]));
        t.AddColumn(new ScalarColumn<int>(new Field("i32", DataType.Int), [int.MinValue + 1, 7]));
        t.AddColumn(new ScalarColumn<long>(new Field("i64", DataType.Long), [long.MaxValue, -1]));
        t.AddColumn(new ScalarColumn<float>(new Field("f32", DataType.Float), [1.5f, float.NaN]));
        t.AddColumn(new ScalarColumn<double>(new Field("f64", DataType.Double), [Math.PI, double.PositiveInfinity]));
        t.AddColumn(new StringColumn(new Field("u", DataType.UnicodeChar, ArraySize.Variable), ["Ωmega", "é"]));
        t.AddColumn(new StringColumn(new Field("c10", DataType.Char, ArraySize.Fixed(10)), ["abc", "0123456789"]));
        t.AddColumn(new ScalarColumn<ComplexFloat>(new Field("cf", DataType.FloatComplex), [new ComplexFloat(1, 2), new ComplexFloat(-1, 0.5f)]));
        t.AddColumn(new ArrayColumn<double>(new Field("v", DataType.Double, ArraySize.Fixed(3)), [1, 2, 3, 4, 5, 6], [0, 3, 6], 2));
        t.AddColumn(new ArrayColumn<bool>(new Field("bits", DataType.Bit, ArraySize.Fixed(4)), [true, false, true, true, false, false, false, true], [0, 4, 8], 2));
        foreach (var c in t.Columns.Take(7)) c.SetNull(1);
        t.Columns[^1].SetNull(0);
        await using var store = new DuckDbTableStore();
        await store.LoadAsync("s", "types", t);
        var r = (await store.ExecuteAsync("SELECT * FROM s.types ORDER BY i16", NoUploads, 10)).Table;
        for (var c = 0; c < t.ColumnCount; c++)
        {
            Assert.That(r.Columns[c].Field.DataType, Is.EqualTo(t.Columns[c].Field.DataType), t.Columns[c].Name);
            Assert.That(r.Columns[c].Field.ArraySize.ToString(), Is.EqualTo(t.Columns[c].Field.ArraySize.ToString()), t.Columns[c].Name);
            Assert.That(r.Columns[c].GetType(), Is.EqualTo(t.Columns[c].GetType()), t.Columns[c].Name);
            for (var row = 0; row < 2; row++)
                Assert.That(r.Columns[c].FormatCell(row), Is.EqualTo(t.Columns[c].FormatCell(row)), $"{t.Columns[c].Name}[{row}]");
        }
    }
}
