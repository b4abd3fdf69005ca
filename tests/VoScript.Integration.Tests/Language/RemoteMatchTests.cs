using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using VoScript.Dsl.Compiling;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Science.RemoteMatch;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Hosting;
using VoScript.Integration.Tests.Protocols;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// <c>match T with SERVICE table …</c> (issue #20) against real services: the DaCHS rig (cat_a against cat_b, cat_c and
/// ivoa.obscore) and a <c>voscript serve</c> process with a big table and a small upload limit (many blocks, overflow
/// splits). The pairs must equal a local <c>match</c> of the downloaded table and STILTS <c>tapskymatch</c>; faults in
/// the middle of a run end in the full result or one clear error; no job is left on a server.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public partial class RemoteMatchTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-rmatch-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static ProtocolHandlerOptions Fast => new() { MinPollInterval = TimeSpan.FromMilliseconds(100) };

    private async Task<(RunSummary Summary, Workspace Ws, List<ExecutionEvent> Events)> RunAsync(string script)
    {
        var compiled = VoScriptCompiler.Compile(script, "rmatch.vos");
        Assert.That(compiled.Diagnostics.Where(d => d.IsError), Is.Empty, compiled.FormatDiagnostics());
        var ws = new Workspace();
        var events = new List<ExecutionEvent>();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast), new ScienceModule(), new VerbsModule()]),
            new ExecutorOptions { WorkingDirectory = _dir, Events = e => { lock (events) events.Add(e); } }).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(summary.Jobs, Is.Empty, "no job handle left");
        return (summary, ws, events);
    }

    /// <summary>(T's key, the remote key, separation in arcsec to 1e-9) of each row, in the table's order.</summary>
    private static List<(string, string, double)> Pairs(Table m, string tKey, string remoteKey) =>
        Enumerable.Range(0, m.RowCount).Select(i => (m.FindColumn(tKey)!.FormatCell(i), m.FindColumn(remoteKey)!.FormatCell(i),
            Math.Round(m.FindColumn("separation")!.GetDouble(i), 9))).ToList();

    private static string DocExample()
    {
        var text = File.ReadAllText(Path.Combine(TapServers.RepoRoot, "docs", "language.md"));
        var m = VosBlock().Matches(text).Select(x => x.Groups[1].Value).Single(b => b.Contains("match stars with rig table", StringComparison.Ordinal));
        return m.Replace("http://localhost:8080/tap", DachsRig.TapUrl.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("```vos\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex VosBlock();

    [Test]
    public async Task TheLanguageReferenceExampleRunsOnTheRigAndGivesThePairsOfALocalMatch()
    {
        DachsRig.RequireUp();
        var before = await DachsRig.JobIds();
        var script = DocExample() + """
            query rig as b maxrec 100000 { SELECT * FROM cat_b.main }
            query rig as c maxrec 100000 { SELECT objid, r, ra, dec FROM cat_c.main }
            query rig as oc maxrec 100000 { SELECT obs_id, s_ra, s_dec FROM ivoa.obscore }
            match stars, b within 2 arcsec best for stars as nearest_local
            match stars, c within 3 arcsec all as every_pair_local
            match stars with rig table "ivoa.obscore" columns obs_id within 1 arcmin all block 120 as spectra
            match stars, oc within 1 arcmin all as spectra_local
            """;
        var (summary, ws, events) = await RunAsync(script);
        var nearest = ws.GetTable("nearest");
        Assert.That(nearest.Fields.Select(f => f.Name), Is.EqualTo(new[] { "source_id", "ra", "dec", "g_mag", "2MASS", "jmag", "kmag", "separation" }).IgnoreCase);
        Assert.That(nearest.RowCount, Is.GreaterThan(200));
        Assert.That(Pairs(nearest, "source_id", "2MASS"), Is.EqualTo(Pairs(ws.GetTable("nearest_local"), "source_id", "2MASS")));
        // cat_c declares its positions with UCD1 words (POS_EQ_RA_MAIN): found as cluster finds them
        var all = ws.GetTable("every_pair");
        Assert.That(all.RowCount, Is.GreaterThan(200));
        Assert.That(Pairs(all, "source_id", "objid"), Is.EqualTo(Pairs(ws.GetTable("every_pair_local"), "source_id", "objid")));
        // ObsCore: s_ra, s_dec
        Assert.That(ws.GetTable("spectra").RowCount, Is.GreaterThan(0));
        Assert.That(Pairs(ws.GetTable("spectra"), "source_id", "obs_id"), Is.EqualTo(Pairs(ws.GetTable("spectra_local"), "source_id", "obs_id")));
        // progress per block, and the rows without a partner in the summary
        var progress = events.OfType<StepProgress>().Select(p => p.Message).ToList();
        Assert.That(progress, Has.Some.Match(@"^rig: blocks 3/3, \d+ pairs, \d+ rows of stars unmatched$"), "the 271 stars in blocks of 100");
        Assert.That(summary.ToString(), Does.Match(@"warning: nearest: \d+ of 271 rows of stars have no partner within 2 arcsec in cat_b.main on rig"));
        Assert.That(File.Exists(Path.Combine(_dir, "nearest.vot")), Is.True);
        Assert.That((await DachsRig.JobIds()).Except(before), Is.Empty, "no job left on the server");
    }

    private static async Task<Table> Stilts(string input, string tapUrl, string table, string ra, string dec, double radiusArcsec, string find, int block, string output)
    {
        if (!File.Exists("/usr/bin/stilts")) Assert.Ignore("stilts is not installed (tests/run-all.sh installs it)");
        var (code, _, err) = await ServeProcess.RunAsync("/usr/bin/stilts", ["tapskymatch", "in=" + input, "inlon=ra", "inlat=dec", "tapurl=" + tapUrl, "taptable=" + table,
            "taplon=" + ra, "taplat=" + dec, "sr=" + (radiusArcsec / 3600).ToString("R", CultureInfo.InvariantCulture), "find=" + find,
            "blocksize=" + block.ToString(CultureInfo.InvariantCulture), "out=" + output], 900);
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Not.Contain("truncated"), "tapskymatch's blocks must not overflow, or its pairs are incomplete");
        return VOTableReader.ReadFile(output);
    }

    private static List<(string, string)> KeyPairs(Table m, string a, string b) =>
        Enumerable.Range(0, m.RowCount).Select(i => (m.FindColumn(a)!.FormatCell(i), m.FindColumn(b)!.FormatCell(i))).Order().ToList();

    [Test]
    public async Task ThePairsAreThoseOfStiltsTapskymatchOnTheRig()
    {
        DachsRig.RequireUp();
        var script = $$"""
            service rig = tap "{{DachsRig.TapUrl}}"
            query rig as stars { SELECT source_id, ra, dec FROM cat_a.main }
            match stars with rig table "cat_b.main" columns "2MASS" within 2 arcsec block 100 as best
            match stars with rig table "cat_c.main" columns objid within 3 arcsec all block 100 as all_pairs
            save stars to "stars.vot"
            """;
        var (_, ws, _) = await RunAsync(script);
        var input = Path.Combine(_dir, "stars.vot");
        var best = await Stilts(input, DachsRig.TapUrl.ToString(), "cat_b.main", "raj2000", "dej2000", 2, "best", 100, Path.Combine(_dir, "st_best.vot"));
        Assert.That(KeyPairs(ws.GetTable("best"), "source_id", "2MASS"), Is.EqualTo(KeyPairs(best, "source_id", "2MASS")));
        var all = await Stilts(input, DachsRig.TapUrl.ToString(), "cat_c.main", "ra", "dec", 3, "all", 100, Path.Combine(_dir, "st_all.vot"));
        Assert.That(KeyPairs(ws.GetTable("all_pairs"), "source_id", "objid"), Is.EqualTo(KeyPairs(all, "source_id", "objid")));
    }

    /// <summary>200,000 stars in a 0.4° square (about five within 4″ of a point) as a BINARY2 VOTable, and 3,000 positions near some of them.</summary>
    private static (string Field, string Mine) WriteBigField(string dir)
    {
        var rnd = new Random(20261207);
        const int n = 200_000, m = 3000;
        var ra = Enumerable.Range(0, n).Select(_ => 150 + rnd.NextDouble() * 0.4).ToArray();
        var dec = Enumerable.Range(0, n).Select(_ => 2 + rnd.NextDouble() * 0.4).ToArray();
        var t = new Table("big");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, Enumerable.Range(1, n).Select(i => (long)i).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, dec));
        t.AddColumn(new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag", Ucd = "phot.mag;em.opt.V" }, Enumerable.Range(0, n).Select(_ => (float)(12 + rnd.NextDouble() * 8)).ToArray()));
        var field = Path.Combine(dir, "big.vot");
        VOTableWriter.WriteFile(t, field, new VOTableWriteOptions { Serialization = VOTableSerialization.Binary2 });
        var mine = new Table("mine");
        var pick = Enumerable.Range(0, m).Select(_ => rnd.Next(n)).ToArray();
        mine.AddColumn(new ScalarColumn<long>(new Field("lid", DataType.Long), Enumerable.Range(0, m).Select(i => (long)i).ToArray()));
        mine.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, pick.Select(k => ra[k] + (rnd.NextDouble() - 0.5) / 3600).ToArray()));
        mine.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, pick.Select(k => dec[k] + (rnd.NextDouble() - 0.5) / 3600).ToArray()));
        var minePath = Path.Combine(dir, "mine.vot");
        VOTableWriter.WriteFile(mine, minePath, new VOTableWriteOptions { Serialization = VOTableSerialization.TableData });
        return (field, minePath);
    }

    [Test]
    public async Task OnServeWithASmallUploadLimitManyBlocksAndSplitsGiveThePairsOfALocalMatchAndOfTapskymatch()
    {
        var (field, mine) = WriteBigField(_dir);
        // 0.02 MB of upload: blocks of 127 rows; at most 250 rows a result: blocks overflow and are split
        await using var serve = await ServeProcess.StartAsync(["--table", field + "=sky.big", "--upload-limit", "0.02", "--max-rows", "250"]);
        var tap = new Uri(serve.TapUrl);
        var script = $$"""
            service s = tap "{{serve.TapUrl}}"
            load "{{mine}}" as mine
            load "{{field}}" as big
            match mine with s table "sky.big" columns id, mag within 4 arcsec all parallel 3 as pairs
            match mine with s table "sky.big" columns id within 4 arcsec as nearest
            match mine, big within 4 arcsec all as pairs_local
            match mine, big within 4 arcsec best for mine as nearest_local
            """;
        var (summary, ws, events) = await RunAsync(script);
        Assert.That(Pairs(ws.GetTable("pairs"), "lid", "id"), Is.EqualTo(Pairs(ws.GetTable("pairs_local"), "lid", "id")));
        Assert.That(Pairs(ws.GetTable("nearest"), "lid", "id"), Is.EqualTo(Pairs(ws.GetTable("nearest_local"), "lid", "id")));
        var done = events.OfType<StepProgress>().Select(p => p.Message).Where(m => m.StartsWith("pairs: ", StringComparison.Ordinal)).Last();
        var numbers = Regex.Match(done, @"from (\d+) blocks of up to (\d+) rows \((\d+) split\)");
        Assert.That(numbers.Success, Is.True, done);
        Assert.That(numbers.Groups[2].Value, Is.EqualTo("127"), "the block size from the declared upload limit");
        Assert.That(int.Parse(numbers.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(24), "many blocks");
        Assert.That(int.Parse(numbers.Groups[3].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0), "overflowing blocks were split");
        Assert.That(await DachsRig.JobIds(tap), Is.Empty, "no job left on the server");

        // tapskymatch at a block size whose results do not overflow (it would truncate them with a warning)
        var st = await Stilts(mine, serve.TapUrl, "sky.big", "ra", "dec", 4, "all", 20, Path.Combine(_dir, "st.vot"));
        Assert.That(KeyPairs(ws.GetTable("pairs"), "lid", "id"), Is.EqualTo(KeyPairs(st, "lid", "id")));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded));
    }

    // ------------------------------------------------------------------ faults, through FaultProxy in front of the rig

    private static async Task<Table> RigStars()
    {
        using var http = DachsRig.Client();
        var r = await new TapService(DachsRig.TapUrl, http).QueryAsync(new TapQuery("SELECT source_id, ra, dec FROM cat_a.main ORDER BY source_id"));
        return r.Table;
    }

    private static RemoteMatchRequest Request => new()
    {
        TableName = "stars", ServiceName = "rig", RemoteTable = "cat_b.main", Columns = ["2MASS"], RadiusDegrees = 2.0 / 3600, Mode = RemoteMatchMode.All, BlockSize = 60, Parallel = 2,
    };

    private static AsyncJobOptions Jobs => new() { Timeout = TimeSpan.FromMinutes(3), MinPollInterval = TimeSpan.FromMilliseconds(200), MaxPollInterval = TimeSpan.FromSeconds(2) };

    private static VoHttpOptions Http => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(200), RetryAfterCap = TimeSpan.FromSeconds(2), AttemptTimeout = TimeSpan.FromSeconds(20),
        ReadIdleTimeout = TimeSpan.FromSeconds(20), MaxRetries = 3,
    };

    private async Task<(Table? Result, Exception? Error, List<ProtocolEvent> Events)> RunThroughProxy(Func<ProxyRequest, FaultAction> rule)
    {
        await using var proxy = new FaultProxy(DachsRig.TapUrl);
        var events = new List<ProtocolEvent>();
        using var http = DachsRig.Client(events, Http);
        var tap = new TapService(new Uri(proxy.Through(DachsRig.TapUrl.ToString())), http) { SyncAttemptTimeout = TimeSpan.FromSeconds(20) };
        proxy.Rule = rule;
        try
        {
            var r = await new RemoteMatchRunner(tap, Jobs).RunAsync(await RigStars(), Request, CancellationToken.None);
            return (r.Table, null, events);
        }
        catch (VoScriptException e)
        {
            return (null, e, events);
        }
    }

    private static async Task AssertNoJobLeft(List<ProtocolEvent> events)
    {
        var created = events.OfType<JobCreated>().ToList();
        Assert.That(created, Is.Not.Empty);
        foreach (var c in created)
            Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(c.JobUrl)), Is.True, $"job {c.JobUrl} was left on the server");
    }

    private static bool IsJobPath(ProxyRequest r) => JobPath().IsMatch(r.Path);

    [GeneratedRegex(@"/async/[^/]+$")]
    private static partial Regex JobPath();

    [Test]
    public async Task FaultsInTheMiddleOfARunEndInTheFullResult()
    {
        DachsRig.RequireUp();
        var (clean, error, cleanEvents) = await RunThroughProxy(_ => FaultAction.Forward);
        Assert.That(error, Is.Null, error?.Message);
        await AssertNoJobLeft(cleanEvents);

        // a 503 on the third job's creation, a reset on a poll, an HTML page instead of the second result, a result cut in half
        var html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
        var (faulty, error2, events) = await RunThroughProxy(r =>
            r.Method == "POST" && r.Path.EndsWith("/async", StringComparison.Ordinal) && r.Nth == 3 ? FaultAction.Respond(503, "busy", "text/plain")
            : r.Method == "GET" && IsJobPath(r) && r.Nth == 4 ? FaultAction.Reset
            : r.Method == "GET" && r.Path.Contains("/results/", StringComparison.Ordinal) && r.Nth == 2 ? FaultAction.Respond(200, html, "text/html")
            : r.Method == "GET" && r.Path.Contains("/results/", StringComparison.Ordinal) && r.Nth == 4 ? FaultAction.CutBody
            : FaultAction.Forward);
        Assert.That(error2, Is.Null, error2?.Message);
        Assert.That(Pairs(faulty!, "source_id", "2MASS"), Is.EqualTo(Pairs(clean!, "source_id", "2MASS")), "the full, correct result");
        Assert.That(events.OfType<ProtocolNotice>().Select(n => n.Message), Has.Some.Contains("running it again").Or.Some.Contains("again"));
        await AssertNoJobLeft(events);
    }

    [Test]
    public async Task AFaultThatLastsEndsInOneClearErrorAndNoJobIsLeft()
    {
        DachsRig.RequireUp();
        // from the third block on, every result is an HTML error page
        var html = "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1><p>proxy failure</p></body></html>";
        var results = 0;
        var (result, error, events) = await RunThroughProxy(r =>
            r.Method == "GET" && r.Path.Contains("/results/", StringComparison.Ordinal) && Interlocked.Increment(ref results) > 2 ? FaultAction.Respond(200, html, "text/html")
            : FaultAction.Forward);
        Assert.That(result, Is.Null);
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("HTML"), error.Message);
        Assert.That(error.Message, Does.Not.Contain("   at "), "no stack trace");
        await AssertNoJobLeft(events);
    }
}
