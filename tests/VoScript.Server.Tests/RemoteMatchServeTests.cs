using System.Text.RegularExpressions;
using VoScript.Engine;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Science.RemoteMatch;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary>
/// The remote match (issue #20) against the TAP service of <c>voscript serve</c> in this process, with a small upload
/// limit and a small output limit, so that a run has many blocks and blocks overflow and are split: the pairs must be
/// those of the local <c>match</c> of the whole table, and no job may be left on the service.
/// </summary>
[NonParallelizable]
public partial class RemoteMatchServeTests
{
    private const double Arcsec = 1.0 / 3600;

    /// <summary>20,000 stars in a 0.2° square: about three within 5″ of any point.</summary>
    private static Table Field()
    {
        var rnd = new Random(2026);
        const int n = 20_000;
        var t = new Table("field");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, Enumerable.Range(1, n).Select(i => (long)i).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("raj2000", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, Enumerable.Range(0, n).Select(_ => 150 + rnd.NextDouble() * 0.2).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("dej2000", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, Enumerable.Range(0, n).Select(_ => 2 + rnd.NextDouble() * 0.2).ToArray()));
        t.AddColumn(new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag", Ucd = "phot.mag;em.opt.V" }, Enumerable.Range(0, n).Select(_ => (float)(12 + rnd.NextDouble() * 8)).ToArray()));
        return t;
    }

    /// <summary>600 positions: 500 stars of the field moved by up to 1″, 100 anywhere in and around it, and one without a position.</summary>
    private static Table Mine(Table field)
    {
        var rnd = new Random(7);
        var ra = (ScalarColumn<double>)field.FindColumn("raj2000")!;
        var dec = (ScalarColumn<double>)field.FindColumn("dej2000")!;
        var n = 601;
        var r = new double[n];
        var d = new double[n];
        for (var i = 0; i < 500; i++)
        {
            var k = rnd.Next(field.RowCount);
            r[i] = ra.Values[k] + (rnd.NextDouble() - 0.5) * Arcsec;
            d[i] = dec.Values[k] + (rnd.NextDouble() - 0.5) * Arcsec;
        }
        for (var i = 500; i < 600; i++) { r[i] = 149.95 + rnd.NextDouble() * 0.3; d[i] = 1.95 + rnd.NextDouble() * 0.3; }
        r[600] = d[600] = double.NaN;
        var t = new Table("mine");
        t.AddColumn(new ScalarColumn<long>(new Field("n", DataType.Long), Enumerable.Range(0, n).Select(i => (long)i).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, r));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, d));
        return t;
    }

    private static async Task<(TapServer Server, ITableStore Store)> StartAsync(Table field, long uploadBytes, long maxRec)
    {
        var store = TapTestServer.NewStore();
        var server = await TapServer.StartAsync(store, new TapServiceOptions { Port = 0, UploadLimitBytes = uploadBytes, HardMaxRec = maxRec, DefaultMaxRec = maxRec });
        await ServeSetup.LoadAsync(server, store, [(new ServedFile("field.vot", "sky", "field"), field)], null, CancellationToken.None);
        store.LockDown(new StoreLimits { MemoryLimitBytes = 1L << 30, Threads = 2 });
        return (server, store);
    }

    private static AsyncJobOptions Jobs => new() { Timeout = TimeSpan.FromMinutes(2), MinPollInterval = TimeSpan.FromMilliseconds(50) };

    private static async Task<int> JobsOnServer(string tap)
    {
        using var http = new HttpClient();
        var list = await http.GetStringAsync(tap + "/async");
        return JobRef().Matches(list).Count;
    }

    [GeneratedRegex("<uws:jobref")]
    private static partial Regex JobRef();

    /// <summary>(row of mine, id of field, separation in arcsec rounded to 1e-9) of a match table.</summary>
    private static List<(long, long, double)> PairsOf(Table m) =>
        Enumerable.Range(0, m.RowCount).Select(i => ((long)m.FindColumn("n")!.GetDouble(i), (long)m.FindColumn("id")!.GetDouble(i), Math.Round(m.FindColumn("separation")!.GetDouble(i), 9))).ToList();

    [TestCase(true)]
    [TestCase(false)]
    public async Task ManyBlocksWithSplitsGiveThePairsOfTheLocalMatch(bool all)
    {
        var (mode, local) = all ? (RemoteMatchMode.All, MatchMode.All) : (RemoteMatchMode.BestForTable, MatchMode.BestForA);
        var field = Field();
        var mine = Mine(field);
        var (server, store) = await StartAsync(field, uploadBytes: 20_000, maxRec: 250);
        try
        {
            var tap = server.TapUrl.ToString().TrimEnd('/');
            var progress = new List<RemoteMatchProgress>();
            using var http = new VoHttpClient();
            var runner = new RemoteMatchRunner(new TapService(tap, http), Jobs) { Progress = p => { lock (progress) progress.Add(p); } };
            var r = await runner.RunAsync(mine, new RemoteMatchRequest
            {
                TableName = "mine", ServiceName = "serve", RemoteTable = "sky.field", Columns = ["id", "mag"], RadiusDegrees = 5 * Arcsec, Mode = mode, Parallel = 3,
            }, CancellationToken.None);

            // the upload limit of 20,000 bytes makes blocks of 118 rows; at about three partners a row they overflow MAXREC 250
            Assert.That(r.Sizing.Size, Is.EqualTo((20_000 - BlockPlanner.UploadOverheadBytes) / BlockPlanner.UploadBytesPerRow));
            Assert.That(r.Sizing.MaxRec, Is.EqualTo(250));
            Assert.That(r.Splits, Is.GreaterThan(0), "some block overflowed and was split");
            Assert.That(r.Blocks, Is.EqualTo((600 + 117) / 118 + r.Splits));
            Assert.That(progress.Max(p => p.BlocksDone), Is.EqualTo(r.Blocks), "every block and every half of a split block is done");
            Assert.That(progress.Max(p => p.RowsDone), Is.EqualTo(600));
            Assert.That(progress.Max(p => p.Unmatched), Is.EqualTo(r.Unmatched - 1), "the finished blocks' rows without a partner (the row without a position is in no block)");

            var expected = SkyMatch.Run(mine, field, 5 * Arcsec, local, "mine", "field");
            Assert.That(r.Table.Fields.Select(f => f.Name), Is.EqualTo(new[] { "n", "ra", "dec", "id", "mag", "separation" }));
            Assert.That(PairsOf(r.Table), Is.EqualTo(PairsOf(expected)));
            Assert.That(r.Pairs, Is.EqualTo(expected.RowCount));
            var matched = Enumerable.Range(0, expected.RowCount).Select(i => expected.FindColumn("n")!.GetDouble(i)).Distinct().Count();
            Assert.That(r.Unmatched, Is.EqualTo(601 - matched));
            Assert.That(await JobsOnServer(tap), Is.Zero, "every block's job was deleted");
        }
        finally
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    [Test]
    public async Task AOneRowBlockThatOverflowsIsAnErrorNamingTheRowInAllModeAndTheNearestInBestMode()
    {
        var field = Field();
        var mine = Mine(field);
        var (server, store) = await StartAsync(field, uploadBytes: 1_000_000, maxRec: 3);
        try
        {
            var tap = server.TapUrl.ToString().TrimEnd('/');
            using var http = new VoHttpClient();
            var request = new RemoteMatchRequest { TableName = "mine", ServiceName = "serve", RemoteTable = "sky.field", RadiusDegrees = 20 * Arcsec, Mode = RemoteMatchMode.All, BlockSize = 8 };
            var first = mine.SelectRows(Enumerable.Range(0, 8).ToList());
            var e = (await Assert.ThrowsAsync<VoScriptException>(() => new RemoteMatchRunner(new TapService(tap, http), Jobs).RunAsync(first, request, CancellationToken.None)))!;
            Assert.That(e.Message, Does.Match(@"serve: row \d of mine \(RA 150\.\d+, Dec 2\.\d+\) has more partners in 'sky\.field' than the service returns at once \(3 rows\) within 20 arcsec"));
            Assert.That(e.Message, Does.Contain("best for mine"));

            var best = await new RemoteMatchRunner(new TapService(tap, http), Jobs).RunAsync(first, request with { Mode = RemoteMatchMode.BestForTable }, CancellationToken.None);
            Assert.That(best.Splits, Is.GreaterThanOrEqualTo(7), "split down to single rows");
            var expected = SkyMatch.Run(first, field, 20 * Arcsec, MatchMode.BestForA, "mine", "field");
            Assert.That(PairsOf(best.Table), Is.EqualTo(PairsOf(expected)));
            Assert.That(await JobsOnServer(tap), Is.Zero);
        }
        finally
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    [Test]
    public async Task CancellingTheRunDeletesTheJobsOfTheBlocksInFlight()
    {
        var field = Field();
        var mine = Mine(field);
        var (server, store) = await StartAsync(field, uploadBytes: 20_000, maxRec: 100_000);
        try
        {
            var tap = server.TapUrl.ToString().TrimEnd('/');
            using var http = new VoHttpClient();
            using var cts = new CancellationTokenSource();
            var created = 0;
            http.Events += e => { if (e is JobCreated && Interlocked.Increment(ref created) == 2) cts.Cancel(); };
            var runner = new RemoteMatchRunner(new TapService(tap, http), Jobs);
            var request = new RemoteMatchRequest { TableName = "mine", ServiceName = "serve", RemoteTable = "sky.field", RadiusDegrees = 5 * Arcsec, BlockSize = 50, Parallel = 2 };
            await Assert.CatchAsync<OperationCanceledException>(() => runner.RunAsync(mine, request, cts.Token));
            Assert.That(created, Is.LessThan(12), "the blocks stopped");
            Assert.That(await JobsOnServer(tap), Is.Zero, "the jobs in flight were aborted and deleted");
        }
        finally
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    [Test]
    public async Task AnUnknownTableOrColumnIsAClearError()
    {
        var field = Field();
        var (server, store) = await StartAsync(field, uploadBytes: 1_000_000, maxRec: 1000);
        try
        {
            var tap = server.TapUrl.ToString().TrimEnd('/');
            using var http = new VoHttpClient();
            var runner = new RemoteMatchRunner(new TapService(tap, http), Jobs);
            var request = new RemoteMatchRequest { TableName = "mine", ServiceName = "serve", RemoteTable = "sky.feild", RadiusDegrees = 5 * Arcsec };
            var e = (await Assert.ThrowsAsync<VoScriptException>(() => runner.RunAsync(Mine(field), request, CancellationToken.None)))!;
            Assert.That(e.Message, Does.Contain("serve: the service has no table 'sky.feild'").And.Contain("sky.field"));
            e = (await Assert.ThrowsAsync<VoScriptException>(() => runner.RunAsync(Mine(field), request with { RemoteTable = "sky.field", Columns = ["mgg"] }, CancellationToken.None)))!;
            Assert.That(e.Message, Does.Contain("'sky.field' has no column 'mgg'").And.Contain("mag"));
        }
        finally
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}
