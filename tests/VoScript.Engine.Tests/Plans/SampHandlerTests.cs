using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Plans;

/// <summary>
/// The send/receive/point handlers and the run's shared resources, against our own hub
/// and a second client of ours as the peer (loopback only, no other software).
/// </summary>
[TestFixture]
public class SampHandlerTests
{
    private string _dir = "";
    private string _lock = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vs-samp-handlers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _lock = Path.Combine(_dir, "samp.lock");
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SampHandlerOptions Options => new()
    {
        Client = new SampClientOptions { LockfilePath = _lock, ReplyTimeout = TimeSpan.FromSeconds(5), ServeGrace = TimeSpan.Zero },
        DefaultReceiveTimeout = TimeSpan.FromSeconds(10),
    };

    private Task<SampClient> Peer(string name) =>
        SampClient.ConnectAsync(new SampClientOptions { Name = name, LockfilePath = _lock, ReplyTimeout = TimeSpan.FromSeconds(5), ServeGrace = TimeSpan.Zero });

    private static Table Stars(int rows)
    {
        var t = new Table("stars");
        t.Params.Add(new Param("epoch", DataType.Double, "2016.0") { Unit = "yr" });
        t.AddColumn(new ScalarColumn<int>(new Field("id", DataType.Int), Enumerable.Range(1, rows).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra" }, Enumerable.Range(0, rows).Select(i => 10.0 + i).ToArray()));
        return t;
    }

    private static Plan PlanOf(params PlanStep[] steps) => new([], steps);

    private Executor Executor(List<ExecutionEvent>? events = null) =>
        new Executor(new StepCatalog([new CoreModule(), new SampModule(Options)]), new ExecutorOptions { Events = e => { if (events is not null) lock (events) events.Add(e); } });

    [Test]
    public async Task SendDeliversTheTableWithItsParamsAndTheRunUnregistersAtTheEnd()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await Peer("viewer");
        var ws = new Workspace();
        ws.SetTable("stars", Stars(7));
        var received = peer.ReceiveTableAsync("voscript", TimeSpan.FromSeconds(10));
        var events = new List<ExecutionEvent>();
        var summary = await Executor(events).RunAsync(PlanOf(
            new SendStep { Id = "s1", Tables = ["stars"], Client = "VIEWER" },
            new PointStep { Id = "s2", Client = "all", Ra = 10, Dec = 20, DependsOn = ["s1"] }), ws);

        // the viewer does not subscribe to coord.pointAt.sky: the point step says so
        Assert.That(summary.Steps[0].Status, Is.EqualTo(StepStatus.Succeeded), summary.ToString());
        Assert.That(summary.Steps[1].Message, Does.StartWith("no SAMP client accepts coord.pointAt.sky"));
        var got = await received;
        Assert.That(got.Name, Is.EqualTo("stars"));
        Assert.That(got.Table.RowCount, Is.EqualTo(7));
        Assert.That(got.Table.Params.Single().Name, Is.EqualTo("epoch"));
        Assert.That(got.Table.FindColumn("ra")!.Field.Ucd, Is.EqualTo("pos.eq.ra"));
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message), Has.Some.EqualTo("sent stars (7 rows) to viewer"));
        // unregistered when the run ended: only the viewer (and the hub) are left
        var names = (await peer.GetClientsAsync()).Select(c => c.Name).ToList();
        Assert.That(names, Has.None.EqualTo("voscript"));
    }

    [Test]
    public async Task ReceiveNamesTheTableAPeerSends()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await Peer("topcat");
        var ws = new Workspace();
        var waiting = new TaskCompletionSource();
        var run = new Executor(new StepCatalog([new SampModule(Options)]), new ExecutorOptions { Events = e => { if (e is StepProgress { Phase: "WAITING" }) waiting.TrySetResult(); } })
            .RunAsync(PlanOf(new ReceiveStep { Id = "s1", From = "TopCat", Output = "back", Timeout = TimeSpan.FromSeconds(10) }), ws);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var sent = await peer.SendTableAsync("voscript", Stars(4), "subset");
        Assert.That(sent.Result.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
        var summary = await run;
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(ws.GetTable("back").RowCount, Is.EqualTo(4));
        Assert.That(ws.GetTable("back").Params.Single().Name, Is.EqualTo("epoch"));
    }

    [Test]
    public async Task ReceiveFromSomeoneElseTimesOut()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        var summary = await Executor().RunAsync(
            PlanOf(new ReceiveStep { Id = "s1", From = "topcat", Output = "back", Timeout = TimeSpan.FromMilliseconds(500) }), new Workspace());
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Steps[0].Message, Does.StartWith("no table arrived from 'topcat' within 0.5 s"));
    }

    [Test]
    public async Task SpectraNeedAnAccessUrlColumn()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await Peer("viewer");
        var ws = new Workspace();
        ws.SetTable("stars", Stars(2));
        var summary = await Executor().RunAsync(PlanOf(new SendStep { Id = "s1", Tables = ["stars"], Client = "all", Form = SampSendForm.Image }), ws);
        Assert.That(summary.Steps[0].Message, Does.StartWith("cannot send stars as images: stars has no access-URL column"));
    }

    [TestCase(SampSendForm.Image, "images")]
    [TestCase(SampSendForm.Spectra, "spectra")]
    public async Task SendingNamesTheTableAsTheScriptDoesAndLeavesTheTableAlone(SampSendForm form, string what)
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await Peer("viewer");
        var ws = new Workspace();
        var unnamed = Stars(2);
        unnamed.Name = null;
        var loaded = Stars(2);
        loaded.Name = "file_name";
        ws.SetTable("stars", unnamed);
        ws.SetTable("picked", loaded);
        var summary = await Executor().RunAsync(PlanOf(new SendStep { Id = "s1", Tables = ["stars"], Client = "all", Form = form }), ws);
        Assert.That(summary.Steps[0].Message, Does.StartWith($"cannot send stars as {what}: stars has no access-URL column"));
        Assert.That(unnamed.Name, Is.Null, "the workspace's table is not renamed");
        summary = await Executor().RunAsync(PlanOf(new SendStep { Id = "s1", Tables = ["picked"], Client = "all", Form = form }), ws);
        Assert.That(summary.Steps[0].Message, Does.StartWith($"cannot send picked as {what}: picked has no access-URL column"));
        Assert.That(loaded.Name, Is.EqualTo("file_name"));
    }

    [Test]
    public async Task WithoutAHubTheStepFailsSayingHowToStartOne()
    {
        var ws = new Workspace();
        ws.SetTable("stars", Stars(2));
        var summary = await Executor().RunAsync(PlanOf(new SendStep { Id = "s1", Tables = ["stars"], Client = "topcat" }), ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Steps[0].Message, Does.StartWith($"No SAMP hub is running: there is no lockfile at {_lock}.").And.Contain("voscript hub"));
    }

    private sealed record UseStep : PlanStep
    {
        public bool Fail { get; init; }
        public bool Hang { get; init; }
        public override string Kind => "use";
        public override string Describe() => "use";
    }

    private sealed class Counted : IAsyncDisposable
    {
        public static int Made;
        public int Disposed;
        public Counted() => Interlocked.Increment(ref Made);
        public ValueTask DisposeAsync() { Interlocked.Increment(ref Disposed); return ValueTask.CompletedTask; }
    }

    private sealed class UseHandler(List<Counted> seen) : StepHandler<UseStep>
    {
        public override async Task ExecuteAsync(UseStep u, StepContext context, CancellationToken cancellationToken)
        {
            var c = context.Resources.GetOrAdd("thing", () => new Counted());
            lock (seen) seen.Add(c);
            if (u.Hang) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (u.Fail) throw new VoScriptException("broke");
        }
    }

    [TestCase(false, false, RunStatus.Succeeded)]
    [TestCase(true, false, RunStatus.Failed)]
    [TestCase(false, true, RunStatus.Cancelled)]
    public async Task RunResourcesAreSharedByTheStepsAndDisposedOnceWhenTheRunEnds(bool fail, bool hang, object expected)
    {
        var seen = new List<Counted>();
        using var cts = new CancellationTokenSource();
        var run = new Executor(new StepCatalog([new HandlerModule("test", ("use", new UseHandler(seen)))])).RunAsync(PlanOf(
            new UseStep { Id = "a" }, new UseStep { Id = "b" }, new UseStep { Id = "c", Fail = fail, Hang = hang, DependsOn = ["a", "b"] }),
            new Workspace(), cts.Token);
        if (hang)
        {
            while (true) { lock (seen) if (seen.Count == 3) break; await Task.Delay(10); }
            await cts.CancelAsync();
        }
        var summary = await run;
        Assert.That(summary.Status, Is.EqualTo(expected));
        Assert.That(seen, Has.Count.EqualTo(3));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(1), "one resource for the whole run");
        Assert.That(seen[0].Disposed, Is.EqualTo(1));
    }
}
