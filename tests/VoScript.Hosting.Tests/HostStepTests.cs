using VoScript.Engine;

namespace VoScript.Hosting.Tests;

public class HostStepTests
{
    private static VoScriptHost Host() => new VoScriptHost().Register(new LineCatalog()).Register(new CountRows());

    [Test]
    public async Task AScriptRunsTheHostsOwnCatalogSourceWithItsArguments()
    {
        var host = Host();
        var compiled = host.Compile(host.Parse("run linecat ra = 10 deg, dec = -5 deg, n = 4, step = 36 arcsec, label = \"L\" as cat\n", "host.vos"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        var result = await host.RunAsync(compiled.Plan!);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.FirstError);
        var cat = result.Workspace.GetTable("cat");
        Assert.That(cat.RowCount, Is.EqualTo(4));
        var ra = (VoScript.Engine.Model.ScalarColumn<double>)cat.Columns[0];
        Assert.That(ra.Values, Is.EqualTo(new[] { 10.0, 10.01, 10.02, 10.03 }).Within(1e-12));
        Assert.That(((VoScript.Engine.Model.StringColumn)cat.Columns[2]).Values[3], Is.EqualTo("L-3"));
    }

    [Test]
    public async Task ATableArgumentMakesTheStepWaitForTheTableAndReadIt()
    {
        var host = Host();
        var events = new EventLog();
        var compiled = host.Compile(host.Parse("run linecat ra = 1 deg, dec = 2 deg, n = 7 as cat\nrun countrows table = cat\n"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        Assert.That(compiled.Plan!.Steps[1].DependsOn, Does.Contain(compiled.Plan.Steps[0].Id));
        var result = await host.RunAsync(compiled.Plan, events);
        Assert.That(result.Succeeded, Is.True, result.FirstError);
        Assert.That(events.Events.OfType<OutputEvent>().Single().Text, Is.EqualTo("rows: 7"));
        Assert.That(result.Warnings, Is.EqualTo(new[] { "s2: counted without looking at nulls" }));
    }

    [TestCase("run linekat ra = 1 deg, dec = 2 deg, n = 3 as c\n", "VOS0701", "did you mean 'linecat'")]
    [TestCase("run linecat ra = 1 deg, dek = 2 deg, n = 3 as c\n", "VOS0702", "did you mean 'dec'")]
    [TestCase("run linecat ra = 1, dec = 2 deg, n = 3 as c\n", "VOS0702", "takes an angle")]
    [TestCase("run linecat ra = 1 deg, n = 3 as c\n", "VOS0702", "needs 'dec = …'")]
    [TestCase("run linecat ra = 1 deg, dec = 2 deg, n = 3\n", "VOS0702", "end the statement with 'as NAME'")]
    [TestCase("run linecat ra = 1 deg, dec = 2 deg, n = 3, label = 5 as c\n", "VOS0702", "takes a string")]
    [TestCase("run countrows table = 5\n", "VOS0702", "takes a table name")]
    [TestCase("run countrows table = nosuch\n", "VOS0101", "nosuch")]
    [TestCase("run linecat ra = 1 deg, dec = 2 deg, n = 3, n = 4 as c\n", "VOS0702", "given twice")]
    public void ArgumentsAreCheckedAgainstTheDeclaredParametersBeforeAnythingRuns(string text, string code, string message)
    {
        var compiled = Host().Compile(ParsedScript.Parse(text));
        Assert.That(compiled.Plan, Is.Null);
        var d = compiled.Diagnostics.First(x => x.IsError);
        Assert.That(d.Code, Is.EqualTo(code), d.ToString());
        Assert.That(d.Message, Does.Contain(message));
    }

    [Test]
    public void WithoutRegisteredStepsRunIsAnErrorThatSaysWhy()
    {
        var compiled = new VoScriptHost().Compile(ParsedScript.Parse("run linecat n = 1 as c\n"));
        Assert.That(compiled.Diagnostics.Single().Message, Does.Contain("registers none"));
    }

    [TestCase("query")]
    [TestCase("load")]
    [TestCase("run")]
    [TestCase("two words")]
    [TestCase("")]
    public void RegisteringABuiltInOrMalformedKindIsRefused(string kind)
    {
        Assert.That(() => new VoScriptHost().Register(new Renamed(kind)), Throws.ArgumentException);
    }

    [Test]
    public void RegisteringTheSameKindTwiceIsRefused()
    {
        var host = new VoScriptHost().Register(new LineCatalog());
        Assert.That(() => host.Register(new LineCatalog()), Throws.ArgumentException.With.Message.Contains("already taken"));
    }

    private sealed class Renamed(string kind) : IHostStep
    {
        public string Kind => kind;
        public IReadOnlyList<HostParameter> Parameters { get; } = [];
        public bool ProducesTable => false;
        public Task<VoScript.Engine.Model.Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken) =>
            Task.FromResult<VoScript.Engine.Model.Table?>(null);
    }
}
