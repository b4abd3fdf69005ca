using VoScript.Engine;
namespace VoScript.Hosting.Tests;

public class PlanBuilderTests
{
    [Test]
    public async Task APlanBuiltInCSharpRunsWithoutTheLanguage()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-hosting-");
        try
        {
            var host = new VoScriptHost(new VoScriptHostOptions { WorkingDirectory = dir.FullName }).Register(new LineCatalog());
            var plan = host.NewPlan("csharp")
                .Run("linecat", "line", new Dictionary<string, object> { ["ra"] = 150.0, ["dec"] = 2.2, ["n"] = 5 })
                .Load(Repo.SampleVot, "stars")
                .Cluster(["stars", "line"], 2.0 / 3600, "groups")
                .Save("groups", "groups.vot")
                .Build();

            Assert.That(plan.Steps.Select(s => s.Kind), Is.EqualTo(new[] { "linecat", "load", "cluster", "save" }));
            Assert.That(plan.Steps[2].DependsOn, Is.EquivalentTo(new[] { "s1", "s2" }));
            Assert.That(plan.Steps[0].DependsOn, Is.Empty);
            Assert.That(plan.Steps[1].DependsOn, Is.Empty);

            var result = await host.RunAsync(plan);
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.FirstError);
            var groups = result.Workspace.GetTable("groups");
            Assert.That(groups.RowCount, Is.EqualTo(45));
            Assert.That(File.Exists(Path.Combine(dir.FullName, "groups.vot")), Is.True);

            // the file it wrote reads back as the same table
            var back = await host.RunAsync(host.NewPlan().Load("groups.vot", "g").Build());
            Assert.That(back.Workspace.GetTable("g").RowCount, Is.EqualTo(45));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ReadingATableNoEarlierStepMakesIsAProgrammingError()
    {
        Assert.That(() => new PlanBuilder().Save("nothing", "x.vot"), Throws.ArgumentException.With.Message.Contains("'nothing'"));
    }

    [Test]
    public void AQueryNeedsADeclaredOrHostService()
    {
        Assert.That(() => new PlanBuilder().Query("gaia", "SELECT 1", "t"), Throws.ArgumentException.With.Message.Contains("no service 'gaia'"));
        var host = new VoScriptHost(new VoScriptHostOptions { Services = [new HostService("gaia", ServiceProtocol.Tap, "http://localhost:1/tap")] });
        var plan = host.NewPlan().Query("gaia", "SELECT 1", "t").Build();
        Assert.That(plan.ToString(), Does.Contain("http://localhost:1/tap"));
        Assert.That(() => host.NewPlan().Cone("gaia", 1, 2, 0.1, "c"), Throws.ArgumentException.With.Message.Contains("needs scs"));
    }

    [Test]
    public void HostStepArgumentsAreCheckedWhenTheStepIsAdded()
    {
        var builder = new VoScriptHost().Register(new LineCatalog()).NewPlan();
        Assert.That(() => builder.Run("linecat", "c", new Dictionary<string, object> { ["ra"] = 1.0, ["dec"] = 2.0 }),
            Throws.ArgumentException.With.Message.Contains("needs the argument 'n'"));
        Assert.That(() => builder.Run("linecat", "c", new Dictionary<string, object> { ["ra"] = "x", ["dec"] = 2.0, ["n"] = 1 }),
            Throws.ArgumentException.With.Message.Contains("'ra' takes an angle"));
        Assert.That(() => builder.Run("linecat", null, new Dictionary<string, object> { ["ra"] = 1.0, ["dec"] = 2.0, ["n"] = 1 }),
            Throws.ArgumentException.With.Message.Contains("makes a table"));
        Assert.That(() => new PlanBuilder().Run("linecat", "c", new Dictionary<string, object>()),
            Throws.ArgumentException.With.Message.Contains("NewPlan"));
    }

    [Test]
    public void AStepThatReplacesATableWaitsForTheStepsThatReadTheOldOne()
    {
        var plan = new PlanBuilder().Load("a.vot", "t").Save("t", "copy.vot").Load("b.vot", "t").Build();
        Assert.That(plan.Steps[2].DependsOn, Is.EquivalentTo(new[] { "s1", "s2" }));
    }
}
