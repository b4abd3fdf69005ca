using NUnit.Framework;
using VoScript.Cli.Repl;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Integration.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Repl;

/// <summary>The REPL's session against the DaCHS rig: a query, and Ctrl-C on a running async job.</summary>
[Category("Integration")]
[NonParallelizable]
public class ReplRigTests
{
    private static ReplSession Session(List<OutputLine> output)
    {
        var s = new ReplSession([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) })]);
        s.Output += l => { lock (output) output.Add(l); };
        return s;
    }

    private static string Text(List<OutputLine> output)
    {
        lock (output) return string.Join("\n", output.Select(o => o.Text));
    }

    [SetUp]
    public void SetUp() => DachsRig.RequireUp();

    [Test]
    public async Task QueryEnteredLineByLineMakesATableTheNextEntryShows()
    {
        var output = new List<OutputLine>();
        var s = Session(output);
        await s.SubmitAsync($"service rig = tap \"{DachsRig.TapUrl}\"");
        var q = await s.SubmitAsync("query rig as bright maxrec 5 {\n  SELECT source_id, ra, dec, g_mag FROM cat_a.main ORDER BY g_mag\n}");
        Assert.That(q.Diagnostics, Is.Empty, q.Format());
        Assert.That(s.Workspace.GetTable("bright").RowCount, Is.EqualTo(5), Text(output));
        await s.SubmitAsync("show bright");
        Assert.That(Text(output), Does.Contain("bright: 5 rows, 4 columns").And.Contain("g_mag"));
        Assert.That(s.Statements, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task CtrlCOnAnAwaitedAsyncJobDeletesTheJobOnTheServer()
    {
        var jobsBefore = await DachsRig.JobIds();
        var output = new List<OutputLine>();
        var s = Session(output);
        await s.SubmitAsync($"service rig = tap \"{DachsRig.TapUrl}\"");
        await s.SubmitAsync("""
            query rig async as slow {
              SELECT COUNT(*) FROM cat_a.main AS a, cat_a.main AS b, cat_a.main AS c, cat_a.main AS d
              WHERE a.ra + b.ra + c.ra + d.ra < 0
            }
            """);
        var jobs = new List<Uri>();
        for (var i = 0; i < 150 && !s.Running.Any(r => r.Phase == "EXECUTING"); i++) await Task.Delay(100);
        Assert.That(s.Running.Select(r => r.Phase), Has.Member("EXECUTING"), "the job is seen executing in the workspace pane's list");
        jobs.AddRange(s.Workspace.Jobs.Select(j => j.Url));
        Assert.That(jobs, Is.Not.Empty);

        var wait = s.SubmitAsync("await slow");
        for (var i = 0; i < 50 && !s.Busy; i++) await Task.Delay(20);
        Assert.That(s.CancelForeground(), Is.True, "Ctrl-C");
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        await s.DrainAsync(TimeSpan.FromSeconds(30));

        foreach (var url in jobs) Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(url)), Is.True, $"job {url} was deleted");
        Assert.That((await DachsRig.JobIds()).Except(jobsBefore), Is.Empty);
        Assert.That(Text(output), Does.Contain("cancelled: await slow"));
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { $"service rig = tap \"{DachsRig.TapUrl}\"" }), "neither the query nor the await stays in the session");
        Assert.That(s.Running, Is.Empty);
    }

    [Test]
    public async Task LocalTutorialTypedStatementByStatementGivesTheTablesOfARunAndASessionThatReplays()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vos-repl-tutorial-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "VoScript.sln"))) root = root.Parent!;
            var script = File.ReadAllText(Path.Combine(root.FullName, "scripts", "local", "seds.vos"))
                .Replace("http://localhost:8080/tap", DachsRig.TapUrl.ToString(), StringComparison.Ordinal);
            var parsed = VoScript.Dsl.Parsing.ScriptParser.Parse(script);
            Assert.That(parsed.Diagnostics, Is.Empty);

            var output = new List<OutputLine>();
            var s = new ReplSession([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) }), new ScienceModule(), new VerbsModule()], dir);
            s.Output += l => { lock (output) output.Add(l); };
            foreach (var statement in parsed.Script.Statements)
            {
                var entry = script.Substring(statement.Span.Start, statement.Span.Length);
                var check = await s.SubmitAsync(entry);
                Assert.That(check.HasErrors, Is.False, $"{entry}\n{check.Format()}");
            }
            Assert.That(Text(output), Does.Not.Contain("error"));
            Assert.That(s.Workspace.TableNames, Is.EquivalentTo(new[] { "gdr3", "twomass", "sdss", "objects", "seds", "picked", "per_object", "objects_by_brightness", "chosen", "positions", "spectra" }));
            Assert.That(File.Exists(Path.Combine(dir, "spectra.vot")), Is.True);

            // the session saved and compiled again is the same script
            var compiled = VoScript.Dsl.Compiling.VoScriptCompiler.Compile(s.SessionText(), "session.vos");
            Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
            var replay = new Workspace();
            var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) }), new ScienceModule(), new VerbsModule()]), new ExecutorOptions { WorkingDirectory = dir })
                .RunAsync(compiled.Plan!, replay);
            Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
            foreach (var t in s.Workspace.TableNames)
                Assert.That(replay.GetTable(t).RowCount, Is.EqualTo(s.Workspace.GetTable(t).RowCount), t);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
