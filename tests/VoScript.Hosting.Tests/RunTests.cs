using VoScript.Engine;
namespace VoScript.Hosting.Tests;

public class RunTests
{
    [Test]
    public async Task ARunReportsStartProgressCompletionAndTheTablesItMakes()
    {
        var host = new VoScriptHost();
        var events = new EventLog();
        var text = $"load \"{Repo.SampleVot}\" as stars\nselect stars where g_mag < 16 as bright\n";
        var compiled = host.Compile(host.Parse(text, "events.vos"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());

        var result = await host.RunAsync(compiled.Plan!, events);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.FirstError);
        var log = events.Events;
        var s1 = log.Where(e => e.StepId == "s1").Select(e => e.GetType().Name).ToList();
        Assert.That(s1.First(), Is.EqualTo(nameof(StepStartedEvent)));
        Assert.That(s1, Does.Contain(nameof(StepCompletedEvent)).And.Contain(nameof(TableProducedEvent)));
        Assert.That(s1.IndexOf(nameof(StepCompletedEvent)), Is.LessThan(s1.IndexOf(nameof(TableProducedEvent))));
        var produced = log.OfType<TableProducedEvent>().ToDictionary(e => e.Name);
        Assert.That(produced["stars"].Rows, Is.EqualTo(40));
        Assert.That(produced["stars"].Columns, Is.EqualTo(8));
        var bright = result.Workspace.GetTable("bright");
        Assert.That(produced["bright"].Rows, Is.EqualTo(bright.RowCount));
        Assert.That(bright.RowCount, Is.InRange(1, 39));
        Assert.That(result.Workspace.TableNames, Is.EqualTo(new[] { "stars", "bright" }));
        Assert.That(result.Steps.Select(s => s.Outcome), Is.All.EqualTo(StepOutcome.Succeeded));
    }

    [Test]
    public async Task AFailedStepIsInTheResultNotThrownAndLaterStepsAreSkipped()
    {
        var host = new VoScriptHost();
        var events = new EventLog();
        var plan = host.NewPlan().Load(Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid() + ".vot"), "t").Save("t", "x.vot").Build();
        var result = await host.RunAsync(plan, events);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Failed));
        Assert.That(result.Steps.Select(s => s.Outcome), Is.EqualTo(new[] { StepOutcome.Failed, StepOutcome.Skipped }));
        Assert.That(result.FirstError, Does.Contain("no-such-file"));
        Assert.That(events.Events.OfType<StepFailedEvent>().Single().StepId, Is.EqualTo("s1"));
        Assert.That(events.Events.OfType<StepSkippedEvent>().Single().StepId, Is.EqualTo("s2"));
    }

    [Test]
    public async Task CancellingTheTokenStopsTheRunAndKeepsEarlierResults()
    {
        var wait = new WaitForever();
        var host = new VoScriptHost().Register(wait);
        var compiled = host.Compile(host.Parse($"load \"{Repo.SampleVot}\" as stars\nrun waitforever\nsave stars to \"never.vot\"\n"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        using var cts = new CancellationTokenSource();
        var run = host.RunAsync(compiled.Plan!, null, cts.Token);
        await wait.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled));
        Assert.That(result.Steps.Select(s => s.Outcome), Is.EqualTo(new[] { StepOutcome.Succeeded, StepOutcome.Cancelled, StepOutcome.Skipped }));
        Assert.That(result.Workspace.GetTable("stars").RowCount, Is.EqualTo(40));
    }

    [Test]
    public async Task ARunLongerThanTheHostsTimeoutEndsAsTimedOut()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { Timeout = TimeSpan.FromMilliseconds(300) }).Register(new WaitForever());
        var plan = host.NewPlan().Run("waitforever", null, new Dictionary<string, object>()).Build();
        var result = await host.RunAsync(plan).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
        Assert.That(result.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)));
    }

    [Test]
    public async Task ATableLongerThanMaxRowsFailsItsStep()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { MaxRows = 10 });
        var plan = host.NewPlan().Load(Repo.SampleVot, "stars").Build();
        var result = await host.RunAsync(plan);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Failed));
        Assert.That(result.FirstError, Does.Contain("40 rows, more than this host allows (10)"));
    }

    [Test]
    public async Task MaxRowsBecomesTheMaxrecOfQueriesThatAskForMoreOrNone()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { MaxRows = 100, Services = [new HostService("t", ServiceProtocol.Tap, "http://127.0.0.1:9/tap")] });
        var compiled = host.Compile(host.Parse("query t as a { SELECT * FROM x }\nquery t as b maxrec 5 { SELECT * FROM x }\n"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        var events = new EventLog();
        // nothing listens on port 9: the steps fail, but their descriptions show the MAXREC each was given
        var result = await host.RunAsync(compiled.Plan!, events);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Failed));
        var started = events.Events.OfType<StepStartedEvent>().Select(e => e.Step).ToList();
        Assert.That(started.Any(s => s.Contains("as a maxrec 100")), Is.True, string.Join("\n", started));
    }

    [Test]
    public async Task ParametersAndLetsCanBeReadFromTheWorkspace()
    {
        var host = new VoScriptHost();
        var compiled = host.Compile(host.Parse("param radius = 6 arcmin\nlet name = \"M31\"\n"));
        var result = await host.RunAsync(compiled.Plan!);
        Assert.That(result.Workspace.GetNumber("radius"), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(result.Workspace.GetValueText("name"), Is.EqualTo("M31"));
        Assert.That(result.Workspace.ValueNames, Is.EquivalentTo(new[] { "radius", "name" }));
    }

    [Test]
    public void PlansWithStepsTheHostCannotRunAreRefusedBeforeAnythingRuns()
    {
        var withStep = new VoScriptHost().Register(new LineCatalog());
        var plan = withStep.NewPlan().Run("linecat", "c", new Dictionary<string, object> { ["ra"] = 1.0, ["dec"] = 2.0, ["n"] = 3 }).Build();
        Assert.That(async () => await new VoScriptHost().RunAsync(plan), Throws.InstanceOf<VoScript.Engine.VoScriptException>().With.Message.Contains("linecat"));
    }

    [Test]
    public void OptionsOutOfRangeAreRefused()
    {
        Assert.That(() => new VoScriptHost(new VoScriptHostOptions { MaxParallelism = 0 }), Throws.ArgumentException);
        Assert.That(() => new VoScriptHost(new VoScriptHostOptions { Timeout = TimeSpan.Zero }), Throws.ArgumentException);
        Assert.That(() => new VoScriptHost(new VoScriptHostOptions { MaxRows = 0 }), Throws.ArgumentException);
        Assert.That(() => new VoScriptHost(new VoScriptHostOptions { Services = [new HostService("x", ServiceProtocol.Tap, "ftp://a")] }), Throws.ArgumentException);
    }
}
