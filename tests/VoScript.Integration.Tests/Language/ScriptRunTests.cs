using NUnit.Framework;
using VoScript.Dsl.Compiling;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// The scripts of scripts/local, compiled and run against the DaCHS rig and, where the
/// script needs only TAP, against <c>voscript serve</c> of the sample field (see <see cref="TapServers"/>).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ScriptRunTests
{
    private string _dir = "";

    private static string RepoRoot => TapServers.RepoRoot;

    /// <summary>The rig's URL in place of localhost:8080 when VOSCRIPT_DACHS_URL points elsewhere.</summary>
    private static string Script(string name) =>
        File.ReadAllText(Path.Combine(RepoRoot, "scripts", "local", name)).Replace("http://localhost:8080/tap", DachsRig.TapUrl.ToString(), StringComparison.Ordinal);

    private static ProtocolHandlerOptions Fast => new() { MinPollInterval = TimeSpan.FromMilliseconds(300) };

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-run-" + Guid.NewGuid().ToString("N")));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static async Task<long> Count(string adql, Uri? tap = null)
    {
        using var http = DachsRig.Client();
        var r = await new TapService(tap ?? DachsRig.TapUrl, http).QueryAsync(new TapQuery(adql));
        return (long)r.Table.Columns[0].GetDouble(0);
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task LocalTutorialRunsItsThreeQueriesInParallelAndWritesItsTables(string server)
    {
        var tap = TapServers.Url(server);
        var jobsBefore = await DachsRig.JobIds(tap);
        var compiled = VoScriptCompiler.Compile(File.ReadAllText(Path.Combine(RepoRoot, "scripts", "local", "seds.vos")), "seds.vos", TapServers.Params(server));
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var events = new List<ExecutionEvent>();
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast), new ScienceModule(), new VerbsModule()]), new ExecutorOptions { WorkingDirectory = _dir, Events = events.Add }).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());

        // each table holds what a direct count on the server says is in the field
        const string cone = "CIRCLE('ICRS', 150, 2.2, 0.1)";
        Assert.That(ws.GetTable("gdr3").RowCount, Is.EqualTo(await Count($"SELECT COUNT(*) FROM cat_a.main WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), {cone})", tap)));
        Assert.That(ws.GetTable("twomass").RowCount, Is.EqualTo(await Count($"SELECT COUNT(*) FROM cat_b.main WHERE 1 = CONTAINS(POINT('ICRS', RAJ2000, DEJ2000), {cone})", tap)));
        Assert.That(ws.GetTable("sdss").RowCount, Is.EqualTo(await Count($"SELECT COUNT(*) FROM cat_c.main WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), {cone})", tap)));
        // the whole field is in the cone: the counts are the rig's truth
        Assert.That(new[] { ws.GetTable("gdr3").RowCount, ws.GetTable("twomass").RowCount, ws.GetTable("sdss").RowCount }, Is.EqualTo(new[] { 271, 259, 285 }));
        Assert.That(ws.GetTable("gdr3").RowCount, Is.GreaterThan(0));
        Assert.That(ws.GetTable("spectra").RowCount, Is.GreaterThan(0));

        // the three async queries overlapped: all started before any finished
        var queries = compiled.Plan!.Steps.OfType<QueryStep>().Where(q => q.Output is "gdr3" or "twomass" or "sdss").Select(q => q.Id).ToHashSet();
        var lastStart = events.FindLastIndex(e => e is StepStarted s && queries.Contains(s.Step.Id));
        var firstEnd = events.FindIndex(e => e is StepCompleted c && queries.Contains(c.Step.Id));
        Assert.That(lastStart, Is.LessThan(firstEnd));

        foreach (var name in new[] { "gdr3", "twomass", "sdss", "spectra" })
            Assert.That(VOTableReader.ReadFile(Path.Combine(_dir, name + ".vot")).RowCount, Is.EqualTo(ws.GetTable(name).RowCount), name);
        Assert.That(summary.Jobs, Is.Empty);
        Assert.That((await DachsRig.JobIds(tap)).Except(jobsBefore), Is.Empty, "no job left on the server");
    }

    // DaCHS only: the rig's RegTAP tables (voscript serve has no registry)
    [Test]
    public async Task FindServicesThenQueryEachCollectsSpectraFromTheRegistry()
    {
        DachsRig.RequireUp();
        var compiled = VoScriptCompiler.Compile(Script("find-spectra.vos"), "find-spectra.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast)]), new ExecutorOptions { WorkingDirectory = _dir }).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(ws.GetTable("archives").RowCount, Is.GreaterThanOrEqualTo(1));
        var spectra = ws.GetTable("spectra");
        Assert.That(spectra.Columns[0].Name, Is.EqualTo("service"));
        Assert.That(spectra.RowCount, Is.EqualTo(await Count(
            "SELECT COUNT(*) FROM ivoa.obscore WHERE dataproduct_type = 'spectrum' AND 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 150, 2.2, 0.1))")
            * DistinctEndpoints(ws.GetTable("archives"))), "each distinct access URL is asked once (records sharing one are merged)");
    }

    private static int DistinctEndpoints(VoScript.Engine.Model.Table archives)
    {
        var url = archives.FindColumn("access_url")!;
        return Enumerable.Range(0, archives.RowCount).Select(i => url.FormatCell(i).TrimEnd('/').ToLowerInvariant()).Distinct().Count();
    }

    // DaCHS only: Simple Cone Search is not part of voscript serve
    [Test]
    public async Task ConeSearchFindsWhatTheSameCutInTapFinds()
    {
        DachsRig.RequireUp();
        var compiled = VoScriptCompiler.Compile(Script("cone.vos").Replace("http://localhost:8080", DachsRig.Origin.ToString().TrimEnd('/'), StringComparison.Ordinal), "cone.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast)]), new ExecutorOptions { WorkingDirectory = _dir }).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var cone = ws.GetTable("gaia_near");
        var tap = ws.GetTable("gaia_tap");
        Assert.That(tap.RowCount, Is.GreaterThan(0));
        var ids = (IEnumerable<string>)Enumerable.Range(0, tap.RowCount).Select(r => tap.Columns[0].FormatCell(r)).Order();
        Assert.That(Enumerable.Range(0, cone.RowCount).Select(r => cone.FindColumn("source_id")!.FormatCell(r)).Order(), Is.EqualTo(ids));
        Assert.That(ws.GetTable("twomass_near").RowCount, Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(_dir, "gaia_near.csv")), Is.True);
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task QueryEachWithOnErrorContinueKeepsTheServicesThatAnswered(string server)
    {
        // a plan built in C#, with a service set given by the host: the server and a port where nothing listens
        var tap = TapServers.Url(server);
        var set = new Table("set");
        set.AddColumn(new StringColumn(new Field("short_name", DataType.Char, ArraySize.Variable), ["rig", "dead"]));
        set.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable), [tap.ToString(), "http://127.0.0.1:9/tap"]));
        var ws = new Workspace();
        ws.SetTable("set", set);
        QueryEachStep Step(bool continueOnError) => new()
        {
            Id = "s1", ServiceSet = "set", Output = "rows", Adql = "SELECT TOP 5 source_id FROM cat_a.main", ContinueOnServiceError = continueOnError,
        };
        var options = new ProtocolHandlerOptions { Http = new() { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(100) } };

        var kept = await new Executor(new StepCatalog([.. StepModules.Protocols(options)])).RunAsync(new Plan([], [Step(true)]), ws);
        Assert.That(kept.Status, Is.EqualTo(RunStatus.Succeeded), kept.ToString());
        Assert.That(ws.GetTable("rows").RowCount, Is.EqualTo(5));
        Assert.That(kept.Warnings, Has.Count.EqualTo(1).And.Some.StartsWith("s1: dead: "));

        var other = new Workspace();
        other.SetTable("set", set);
        var failed = await new Executor(new StepCatalog([.. StepModules.Protocols(options)])).RunAsync(new Plan([], [Step(false)]), other);
        Assert.That(failed.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(failed.Steps[0].Message, Does.StartWith("1 of 2 services failed (add 'on error continue' to keep the others): dead: "));
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task CancelledRunKeepsFinishedTablesAndLeavesNoJobOnTheServer(string server)
    {
        var tap = TapServers.Url(server);
        var jobsBefore = await DachsRig.JobIds(tap);
        var text = $$"""
            service rig = tap "{{tap}}"
            query rig as quick { SELECT TOP 3 source_id FROM cat_a.main }
            query rig async as slow {
              SELECT COUNT(*) FROM cat_a.main AS a, cat_a.main AS b, cat_a.main AS c, cat_a.main AS d
              WHERE a.ra + b.ra + c.ra + d.ra < 0
            }
            await slow
            """;
        var compiled = VoScriptCompiler.Compile(text, "cancel.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        using var cts = new CancellationTokenSource();
        var quickDone = false;
        var executing = false;
        var jobUrls = new List<Uri>();
        var ws = new Workspace();
        var options = new ExecutorOptions
        {
            Events = e =>
            {
                if (e is StepCompleted { Step: QueryStep { Output: "quick" } }) quickDone = true;
                if (e is StepProgress { Phase: "EXECUTING" })
                {
                    executing = true;
                    jobUrls.AddRange(ws.Jobs.Select(j => j.Url));
                }
                if (quickDone && executing) cts.Cancel();
            },
        };
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast)]), options).RunAsync(compiled.Plan!, ws, cts.Token);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Cancelled), summary.ToString());
        Assert.That(summary.Tables.Select(t => (t.Name, t.Rows)), Is.EqualTo(new[] { ("quick", 3) }));
        Assert.That(jobUrls, Is.Not.Empty, "the slow job was seen executing");
        foreach (var url in jobUrls.Distinct())
            Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(url), tap), Is.True, $"job {url} was deleted");
        Assert.That((await DachsRig.JobIds(tap)).Except(jobsBefore), Is.Empty);
    }
}
