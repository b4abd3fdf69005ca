using System.Security.Cryptography;
using System.Text.Json;
using NUnit.Framework;
using VoScript.Cli.Commands;
using VoScript.Dsl.Compiling;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Samp;

/// <summary>
/// The language's SAMP statements (send, receive, point) run as .vos scripts through the
/// executor against real peers: the JSAMP and astropy hubs, astropy's client as the
/// receiver (which logs what it fetched) and as the sender.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class SampScriptTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-samp-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static SampHandlerOptions Samp(string lockPath, double replySeconds = 20) => new()
    {
        Client = new SampClientOptions
        {
            LockfilePath = lockPath,
            ReplyTimeout = TimeSpan.FromSeconds(replySeconds),
            WatchInterval = TimeSpan.FromMilliseconds(500),
            ServeGrace = TimeSpan.FromSeconds(2),
        },
    };

    private async Task<(RunSummary Summary, Workspace Workspace, List<ExecutionEvent> Events)> Run(string script, SampHandlerOptions samp,
        ProtocolHandlerOptions? protocols = null, CancellationToken ct = default)
    {
        var compiled = VoScriptCompiler.Compile(script, "samp.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var events = new List<ExecutionEvent>();
        var ws = new Workspace();
        var executor = new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(protocols), new SampModule(samp)]), new ExecutorOptions
        {
            WorkingDirectory = _dir,
            Events = e =>
            {
                lock (events) events.Add(e);
                if (e is StepProgress or StepFailed or StepWarning) TestContext.Progress.WriteLine(e.ToString());
            },
        });
        var summary = await executor.RunAsync(compiled.Plan!, ws, ct);
        return (summary, ws, events);
    }

    /// <summary>A VOTable with a PARAM and an INFO, so that "metadata intact" can be seen.</summary>
    private string WriteStars(int rows)
    {
        var path = Path.Combine(_dir, "stars.vot");
        var tr = string.Concat(Enumerable.Range(0, rows).Select(i =>
            $"<TR><TD>{i + 1}</TD><TD>{10 + i * 0.01:0.00}</TD><TD>{41 + i * 0.01:0.00}</TD><TD>star {i + 1}</TD></TR>"));
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
             <RESOURCE type="results">
              <INFO name="QUERY_STATUS" value="OK"/>
              <TABLE name="stars">
               <PARAM name="epoch" datatype="double" value="2016.0" ucd="time.epoch" unit="yr"/>
               <FIELD name="id" datatype="int" ucd="meta.id;meta.main"/>
               <FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/>
               <FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/>
               <FIELD name="label" datatype="char" arraysize="*"/>
               <DATA><TABLEDATA>{tr}</TABLEDATA></DATA>
              </TABLE>
             </RESOURCE>
            </VOTABLE>
            """);
        return path;
    }

    private static string Sha256(Stream s) => Convert.ToHexStringLower(SHA256.HashData(s));

    private static List<JsonElement> Clients(SampRig rig) =>
        JsonDocument.Parse(rig.Run("/usr/bin/python3", Path.Combine(rig.RigHome, "samptool.py"), "--lockfile", rig.LockPath, "clients"))
            .RootElement.EnumerateArray().ToList();

    [TestCase("jsamp")]
    [TestCase("astropy")]
    public async Task SendDeliversEveryRowWithMetadataAndPointReachesTheReceiver(string impl)
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp(impl);
        var log = rig.ReceiverUp("topcat");
        WriteStars(12);
        var (summary, ws, events) = await Run("""
            load "stars.vot" as stars
            load "stars.vot" as again
            send stars, again to TopCat
            point topcat at 10.6847 deg, 41.269
            """, Samp(lockPath));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());

        var tables = await log.WaitAsync("table.load.votable", 2);
        Assert.That(tables.Select(t => t.GetProperty("params").GetProperty("name").GetString()), Is.EqualTo(new[] { "stars", "again" }));
        foreach (var (t, name) in tables.Zip(new[] { "stars", "again" }))
        {
            var data = t.GetProperty("data");
            Assert.That(data.GetProperty("ok").GetBoolean(), Is.True, t.ToString());
            Assert.That(data.GetProperty("rows").GetInt32(), Is.EqualTo(12));
            Assert.That(data.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "id", "ra", "dec", "label" }));
            Assert.That(t.GetProperty("sender_name").GetString(), Is.EqualTo("voscript"));
            Assert.That(t.GetProperty("lint").GetArrayLength(), Is.Zero, t.ToString());
            // the bytes fetched are the VOTable writer's output for the workspace table: PARAM and INFO included, no lossy copy
            var table = ws.GetTable(name);
            Assert.That(table.Params.Single().Name, Is.EqualTo("epoch"));
            var expected = new MemoryStream();
            VOTableWriter.Write(table, expected);
            expected.Position = 0;
            Assert.That(data.GetProperty("sha256").GetString(), Is.EqualTo(Sha256(expected)), name);
            Assert.That(System.Text.Encoding.UTF8.GetString(expected.ToArray()), Does.Contain("epoch").And.Contain("QUERY_STATUS"));
        }
        var point = (await log.WaitAsync("coord.pointAt.sky")).Single();
        Assert.That(double.Parse(point.GetProperty("params").GetProperty("ra").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(10.6847).Within(1e-9));
        Assert.That(double.Parse(point.GetProperty("params").GetProperty("dec").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(41.269).Within(1e-9));
        Assert.That(point.GetProperty("lint").GetArrayLength(), Is.Zero, point.ToString());

        // one registration for the whole run, and none left after it
        Assert.That(events.OfType<StepProgress>().Count(p => p.Message.StartsWith("registered with the SAMP hub", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(tables.Select(t => t.GetProperty("sender_id").GetString()).Distinct().Count(), Is.EqualTo(1));
        Assert.That(Clients(rig).Select(c => c.GetProperty("name").GetString()), Has.None.EqualTo("voscript"));
    }

    [Test]
    public async Task SendAsSpectraDeliversOneMessagePerRowOfTheRigsObsCoreAccessUrls()
    {
        DachsRig.RequireUp();
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        var log = rig.ReceiverUp("splat");
        var (summary, ws, _) = await Run($$"""
            service rig = tap "{{DachsRig.TapUrl}}"
            query rig as spectra maxrec 4 {
              SELECT access_url, obs_title, access_format FROM ivoa.obscore
              WHERE dataproduct_type = 'spectrum' ORDER BY obs_title
            }
            send spectra to splat as spectra
            """, Samp(lockPath), new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var spectra = ws.GetTable("spectra");
        Assert.That(spectra.RowCount, Is.EqualTo(4));

        var messages = await log.WaitAsync("spectrum.load.ssa-generic", 4);
        Assert.That(messages, Has.Count.EqualTo(4));
        var urls = spectra.FindColumn("access_url")!;
        var titles = spectra.FindColumn("obs_title")!;
        for (var row = 0; row < 4; row++)
        {
            var m = messages[row];
            var ps = m.GetProperty("params");
            Assert.That(ps.GetProperty("url").GetString(), Is.EqualTo(urls.FormatCell(row)));
            Assert.That(ps.GetProperty("name").GetString(), Is.EqualTo(titles.FormatCell(row)));
            Assert.That(ps.GetProperty("meta").EnumerateObject().Select(p => p.Value.GetString()), Has.Member(spectra.FindColumn("access_format")!.FormatCell(row)));
            Assert.That(m.GetProperty("lint").GetArrayLength(), Is.Zero, m.ToString());
            // the receiver fetched the spectrum from the rig and could read it
            Assert.That(m.GetProperty("data").GetProperty("ok").GetBoolean(), Is.True, m.ToString());
        }
    }

    [TestCase("jsamp")]
    [TestCase("astropy")]
    public async Task ReceiveTakesTheTableAstropysClientSends(string impl)
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp(impl);
        var (vot, _) = rig.MakeData(6);
        var run = Run("""
            receive table from "samptool-sender" timeout 60 s as back
            save back to "back.vot"
            print back
            """, Samp(lockPath));
        // the script registers at its receive step: wait for it, then send from astropy
        rig.Run("/usr/bin/python3", Path.Combine(rig.RigHome, "samptool.py"), "--lockfile", lockPath, "wait-client", "voscript", "--timeout", "30");
        var sent = rig.Run("samptool.py", "send", "--mtype", "table.load.votable", "--param", "url", new Uri(vot).AbsoluteUri,
            "--param", "name", "subset", "--target", "voscript", "--mode", "call", "--timeout", "20");
        Assert.That(sent, Does.Contain("samp.ok"));
        var (summary, ws, events) = await run;
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var back = ws.GetTable("back");
        Assert.That(back.RowCount, Is.EqualTo(6));
        Assert.That(back.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
        Assert.That(VOTableReader.ReadFile(Path.Combine(_dir, "back.vot")).RowCount, Is.EqualTo(6));
        Assert.That(events.OfType<StepOutput>().Single().Text, Does.StartWith("back: 6 rows, 5 columns"));
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message), Has.Some.EqualTo("received 'subset' from samptool-sender: 6 rows"));
    }

    [Test]
    public async Task ReceiverAnsweringSampErrorFailsTheSendStepWithItsMessage()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        rig.ReceiverUp("grumpy", "--reply", "error");
        WriteStars(3);
        var (summary, _, _) = await Run("""
            load "stars.vot" as stars
            send stars to grumpy
            print "not reached"
            """, Samp(lockPath));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        var failed = summary.Steps.Single(s => s.Status == StepStatus.Failed);
        Assert.That(failed.Step, Is.InstanceOf<SendStep>());
        Assert.That(failed.Message, Is.EqualTo("grumpy refused table.load.votable: forced error (--reply error)"));
        Assert.That(summary.Steps.Single(s => s.Step is PrintStep).Status, Is.EqualTo(StepStatus.Skipped));
    }

    [Test]
    public async Task ReceiveTimesOutWithAMessageSayingHowToSendATable()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("astropy");
        var t0 = DateTime.UtcNow;
        var (summary, _, _) = await Run("receive table from topcat timeout 2 s as back", Samp(lockPath));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(DateTime.UtcNow - t0, Is.LessThan(TimeSpan.FromSeconds(15)));
        Assert.That(summary.Steps.Single().Message, Does.StartWith("no table arrived from 'topcat' within 2 s").And.Contain("Send Table to"));
    }

    [Test]
    public async Task CancellingARunUnregistersItsSampClient()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        using var cts = new CancellationTokenSource();
        var run = Run("receive table timeout 5 min as never", Samp(lockPath), ct: cts.Token);
        rig.Run("/usr/bin/python3", Path.Combine(rig.RigHome, "samptool.py"), "--lockfile", lockPath, "wait-client", "voscript", "--timeout", "30");
        await cts.CancelAsync();
        var (summary, _, _) = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Cancelled));
        Assert.That(Clients(rig).Select(c => c.GetProperty("name").GetString()), Has.None.EqualTo("voscript"));
    }

    [Test]
    public async Task RunWithoutAHubFailsWithOneClearErrorSayingHowToStartOne()
    {
        WriteStars(2);
        var missing = Path.Combine(_dir, "no-such-lockfile");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var file = Path.Combine(_dir, "nohub.vos");
        File.WriteAllText(file, $"load \"{Path.Combine(_dir, "stars.vot")}\" as stars\nsend stars to topcat\n");
        var code = await RunCommand.RunAsync(file, null, null, false, true, stdout, stderr,
            [new SampModule(Samp(missing))], CancellationToken.None);
        Assert.That(code, Is.EqualTo(1));
        var err = stderr.ToString();
        Assert.That(err, Does.Contain($"nohub.vos:2: error: No SAMP hub is running: there is no lockfile at {missing}."));
        Assert.That(err, Does.Contain("run 'voscript hub' in another terminal"));
        Assert.That(err, Does.Not.Contain("   at "), "no stack trace");
    }
}

/// <summary>scripts/local/samp.vos end to end: the DaCHS rig, TOPCAT under Xvfb, a receiver called splat.</summary>
[Category("Integration")]
[NonParallelizable]
public class LocalSampScriptTests
{
    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
            return dir!.FullName;
        }
    }

    [Test]
    public async Task LocalSampScriptFeedsTopcatAndSplatAndReceivesWhatTopcatBroadcasts()
    {
        DachsRig.RequireUp();
        var dir = Path.Combine(Path.GetTempPath(), "vos-samp-local-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await using var rig = new SampRig();
        try
        {
            rig.HubUp("jsamp");
            rig.TopcatUp();
            var splat = rig.ReceiverUp("splat");
            var text = File.ReadAllText(Path.Combine(RepoRoot, "scripts", "local", "samp.vos"))
                .Replace("http://localhost:8080/tap", DachsRig.TapUrl.ToString(), StringComparison.Ordinal)
                .Replace("timeout 10 min", "timeout 90 s", StringComparison.Ordinal);
            var compiled = VoScriptCompiler.Compile(text, "samp.vos");
            Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
            var ws = new Workspace();
            var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) }), new SampModule(new SampHandlerOptions
                {
                    Client = new SampClientOptions { LockfilePath = rig.LockPath, ReplyTimeout = TimeSpan.FromSeconds(60) },
                })]), new ExecutorOptions
            {
                WorkingDirectory = dir,
                Events = e =>
                {
                    if (e is StepProgress p) TestContext.Progress.WriteLine(p.Message);
                    if (e is StepProgress { Step: ReceiveStep, Phase: "WAITING" }) waiting.TrySetResult();
                },
            }).RunAsync(compiled.Plan!, ws);

            // the script waits in 'receive': a user clicks Broadcast in TOPCAT
            await Task.WhenAny(waiting.Task, run).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.That(waiting.Task.IsCompleted, Is.True, run.IsCompleted ? (await run).ToString() : "the run never reached receive");
            await Task.Delay(1000); // TOPCAT makes the last loaded table current on its GUI thread
            rig.Run("topcat-broadcast.sh");
            var summary = await run.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());

            var spectra = ws.GetTable("spectra");
            Assert.That(spectra.RowCount, Is.GreaterThan(0));
            var messages = await splat.WaitAsync("spectrum.load.ssa-generic", spectra.RowCount);
            Assert.That(messages, Has.Count.EqualTo(spectra.RowCount));
            Assert.That(messages.Select(m => m.GetProperty("params").GetProperty("url").GetString()),
                Is.EqualTo(Enumerable.Range(0, spectra.RowCount).Select(r => spectra.FindColumn("access_url")!.FormatCell(r))));

            // what came back is one of the tables the script sent TOPCAT, every row of it
            var picked = ws.GetTable("picked");
            var sentBack = new[] { ws.GetTable("gdr3"), spectra }
                .SingleOrDefault(t => t.Columns.Select(c => c.Name).SequenceEqual(picked.Columns.Select(c => c.Name)));
            Assert.That(sentBack, Is.Not.Null, "received columns: " + string.Join(", ", picked.Columns.Select(c => c.Name)));
            Assert.That(picked.RowCount, Is.EqualTo(sentBack!.RowCount));
            Assert.That(VOTableReader.ReadFile(Path.Combine(dir, "picked.vot")).RowCount, Is.EqualTo(picked.RowCount));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
