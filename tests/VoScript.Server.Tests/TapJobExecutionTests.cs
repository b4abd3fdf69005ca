using System.Xml.Linq;
using VoScript.Engine.Model;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary>
/// The job manager when queries take time: a store wrapper that holds every query of the
/// table <c>data.slow</c> until it is cancelled (the real store answers everything else).
/// </summary>
public class TapJobExecutionTests
{
    private sealed class SlowQueries(ITableStore inner) : ITableStore
    {
        public int Started;
        public IReadOnlyList<StoredTable> Tables => inner.Tables;
        public Task LoadAsync(string schema, string name, Table table, CancellationToken ct = default) => inner.LoadAsync(schema, name, table, ct);

        public async Task<QueryResult> ExecuteAsync(string adql, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken ct = default)
        {
            if (adql.Contains("data.slow", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Started);
                await Task.Delay(Timeout.Infinite, ct);
            }
            return await inner.ExecuteAsync(adql, uploads, maxRecords, ct);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static readonly XNamespace Uws = TapTestServer.Uws;

    private static async Task<(TapServer Server, SlowQueries Store, HttpClient Http)> StartAsync(TapServiceOptions o)
    {
        var store = new SlowQueries(TapTestServer.NewStore());
        var server = await TapServer.StartAsync(store, o);
        await ServeSetup.LoadAsync(server, store, [(new ServedFile("s.vot", "data", "slow"), TapTestServer.Stars()), (new ServedFile("t.vot", "data", "stars"), TapTestServer.Stars())], null, CancellationToken.None);
        return (server, store, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }));
    }

    private static async Task<string> RunJobAsync(HttpClient http, TapServer server, string query)
    {
        using var r = await http.PostAsync(server.TapUrl + "/async", new FormUrlEncodedContent([new("LANG", "ADQL"), new("QUERY", query), new("PHASE", "RUN")]));
        return r.Headers.Location!.ToString();
    }

    private static async Task<string> WaitForPhaseAsync(HttpClient http, string job, string phase)
    {
        for (var i = 0; i < 100; i++)
        {
            var p = await http.GetStringAsync(job + "/phase");
            if (p == phase) return p;
            await Task.Delay(50);
        }
        return await http.GetStringAsync(job + "/phase");
    }

    [Test]
    public async Task AbortStopsAnExecutingQuery()
    {
        var (server, store, http) = await StartAsync(new TapServiceOptions { Port = 0 });
        await using var _ = server;
        using var __ = http;
        var job = await RunJobAsync(http, server, "SELECT * FROM data.slow");
        Assert.That(await WaitForPhaseAsync(http, job, "EXECUTING"), Is.EqualTo("EXECUTING"));
        using (await http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "ABORT")]))) { }
        Assert.That(await WaitForPhaseAsync(http, job, "ABORTED"), Is.EqualTo("ABORTED"));
        var doc = XDocument.Parse(await http.GetStringAsync(job));
        Assert.That(doc.Root!.Element(Uws + "endTime")!.Value, Is.Not.Empty);
    }

    [Test]
    public async Task AQueryLongerThanItsExecutionDurationEndsInError()
    {
        var (server, _, http) = await StartAsync(new TapServiceOptions { Port = 0, DefaultExecutionDuration = TimeSpan.FromSeconds(1) });
        await using var _s = server;
        using var __ = http;
        var job = await RunJobAsync(http, server, "SELECT * FROM data.slow");
        Assert.That(await WaitForPhaseAsync(http, job, "ERROR"), Is.EqualTo("ERROR"));
        var doc = XDocument.Parse(await http.GetStringAsync(job));
        Assert.That(doc.Root!.Element(Uws + "errorSummary")!.Element(Uws + "message")!.Value,
            Does.StartWith("the query ran longer than its execution duration of 1 s and was stopped"));
    }

    [Test]
    public async Task JobsBeyondTheConcurrencyLimitWaitQueued()
    {
        var (server, store, http) = await StartAsync(new TapServiceOptions { Port = 0, MaxConcurrentJobs = 1 });
        await using var _s = server;
        using var __ = http;
        var slow = await RunJobAsync(http, server, "SELECT * FROM data.slow");
        Assert.That(await WaitForPhaseAsync(http, slow, "EXECUTING"), Is.EqualTo("EXECUTING"));
        var next = await RunJobAsync(http, server, "SELECT TOP 1 * FROM data.stars");
        await Task.Delay(200);
        Assert.That(await http.GetStringAsync(next + "/phase"), Is.EqualTo("QUEUED"));
        using (await http.DeleteAsync(slow)) { }
        Assert.That(await WaitForPhaseAsync(http, next, "COMPLETED"), Is.EqualTo("COMPLETED"));
        Assert.That(store.Started, Is.EqualTo(1));
    }

    [Test]
    public async Task ByDefaultFourJobsExecuteAtOnce()
    {
        var (server, store, http) = await StartAsync(new TapServiceOptions { Port = 0 });
        await using var _s = server;
        using var __ = http;
        var jobs = new List<string>();
        for (var i = 0; i < 4; i++) jobs.Add(await RunJobAsync(http, server, "SELECT * FROM data.slow"));
        foreach (var job in jobs) Assert.That(await WaitForPhaseAsync(http, job, "EXECUTING"), Is.EqualTo("EXECUTING"));
        Assert.That(store.Started, Is.EqualTo(4));
    }

    [Test]
    public async Task ASyncQueryLongerThanTheLimitIsRefusedWith408()
    {
        var (server, _, http) = await StartAsync(new TapServiceOptions { Port = 0, DefaultExecutionDuration = TimeSpan.FromSeconds(1) });
        await using var _s = server;
        using var __ = http;
        using var r = await http.PostAsync(server.TapUrl + "/sync", new FormUrlEncodedContent([new("LANG", "ADQL"), new("QUERY", "SELECT * FROM data.slow")]));
        Assert.That((int)r.StatusCode, Is.EqualTo(408));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content,
            Is.EqualTo("the query ran longer than 1 s and was stopped; run it as an async job with a longer EXECUTIONDURATION"));
    }

    [Test]
    public async Task StoppingTheServiceDeletesItsJobs()
    {
        var (server, _, http) = await StartAsync(new TapServiceOptions { Port = 0 });
        using var __ = http;
        var slow = await RunJobAsync(http, server, "SELECT * FROM data.slow");
        await WaitForPhaseAsync(http, slow, "EXECUTING");
        Assert.That(server.Jobs.Count, Is.EqualTo(1));
        await server.DisposeAsync();
        Assert.That(server.Jobs.Count, Is.EqualTo(0));
    }
}
