using NUnit.Framework;
using SkiaSharp;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Engine.Tests.Plans;

/// <summary>
/// The science steps run by the executor on the rig-like catalogs (three objects, each in both
/// tables), loaded from files so that the repairs run on arrival.
/// </summary>
[TestFixture]
public class ScienceHandlerTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("voscript-science-").FullName;
        VOTableWriter.WriteFile(RigCatalogs.CatB(), Path.Combine(_dir, "b.vot"));
        VOTableWriter.WriteFile(RigCatalogs.CatC(), Path.Combine(_dir, "c.vot"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static PlanStep[] Steps(params PlanStep[] more) =>
    [
        new LoadStep { Id = "s1", Path = "b.vot", Output = "twomass" },
        new LoadStep { Id = "s2", Path = "c.vot", Output = "sdss" },
        new ClusterStep { Id = "s3", Tables = ["twomass", "sdss"], LinkDegrees = 1.5 / 3600, Output = "objects", DependsOn = ["s1", "s2"] },
        new SedStep { Id = "s4", Table = "objects", Output = "seds", DependsOn = ["s3"] },
        .. more,
    ];

    private async Task<(RunSummary Summary, Workspace Workspace)> Run(Func<ObjectView, Choice>? ask, params PlanStep[] steps)
    {
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), new ScienceModule(new Engine.Runtime.Modules.ScienceHandlerOptions { Ask = ask })]), new ExecutorOptions { WorkingDirectory = _dir })
            .RunAsync(new Plan([], steps), ws);
        return (summary, ws);
    }

    private static IEnumerable<string> Column(Table t, string name) =>
        Enumerable.Range(0, t.RowCount).Select(i => t.FindColumn(name)!.FormatCell(i));

    [Test]
    public async Task ClusterGroupsRowsOfBothTablesAndNamesThemAsTheScriptDoes()
    {
        var (summary, ws) = await Run(null, Steps());
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var objects = ws.GetTable("objects");
        Assert.That(objects.RowCount, Is.EqualTo(6));
        Assert.That(Column(objects, "group_id").Distinct().Count(), Is.EqualTo(3));
        Assert.That(Column(objects, "group_size").Distinct(), Is.EqualTo(new[] { "2" }));
        // the files call their tables cat_b and cat_c; the script calls them twomass and sdss
        Assert.That(Column(objects, "source_table").Distinct().Order(), Is.EqualTo(new[] { "sdss", "twomass" }));
    }

    [Test]
    public async Task SedHasOneRowPerMeasuredBandAfterTheRepairsOnArrival()
    {
        var (summary, ws) = await Run(null, Steps());
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        // 2MASS: J 3, H 3, K 2 (one null); SDSS: u 2 and z 2 (one -9999 each, nulled on arrival), g r i 3 each
        var seds = ws.GetTable("seds");
        Assert.That(seds.RowCount, Is.EqualTo(8 + 13));
        Assert.That(seds.Columns.Select(c => c.Field.Name).Take(3), Is.EqualTo(new[] { "object_id", "ra", "dec" }));
        Assert.That(Enumerable.Range(0, seds.RowCount).Select(i => seds.FindColumn("mag")!.GetDouble(i)).Max(), Is.LessThan(30), "no sentinel left");
    }

    [Test]
    public async Task RepairWarningsAreReportedOncePerTableInTheSummary()
    {
        var (summary, _) = await Run(null, Steps(new SelectStep { Id = "s5", Table = "seds", Condition = Expr.Col("mag") < 30, Output = "all", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var units = summary.Warnings.Where(w => w.Contains("magnitude units set to mag", StringComparison.Ordinal)).ToList();
        Assert.That(units, Has.Count.EqualTo(1));
        Assert.That(units[0], Does.StartWith("twomass: "));
        Assert.That(summary.Warnings.Count(w => w.Contains("UCD1 words replaced", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(summary.Warnings.Count(w => w.Contains("sentinel values set to null", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task SelectWhereKeepsTheObjectsWithEnoughPointsInOneCatalog()
    {
        var condition = Expr.Count(Expr.Eq(Expr.Col("source_table"), "twomass")) >= 3;
        var (summary, ws) = await Run(null, Steps(new SelectStep { Id = "s5", Table = "seds", Condition = condition, Output = "picked", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var picked = ws.GetTable("picked");
        // objects 1 and 2 have J, H and K; object 3 has no K. Their rows: 3 + 5 (ugriz) and 3 + 4 (u was -9999)
        Assert.That(Column(picked, "object_id").Distinct().Count(), Is.EqualTo(2));
        Assert.That(picked.RowCount, Is.EqualTo(15));
        Assert.That(picked.Name, Is.EqualTo("picked"));
    }

    [Test]
    public async Task PlotWritesANonBlankPngOfTheSeds()
    {
        var (summary, _) = await Run(null, Steps(new PlotStep { Id = "s5", Table = "seds", Path = "seds.png", Title = "three objects", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        using var bmp = SKBitmap.Decode(Path.Combine(_dir, "seds.png"));
        Assert.That(bmp, Is.Not.Null);
        var ink = 0;
        for (var y = 0; y < bmp.Height; y += 2)
            for (var x = 0; x < bmp.Width; x += 2)
                if (bmp.GetPixel(x, y) is var c && (c.Red < 200 || c.Green < 200 || c.Blue < 200)) ink++;
        Assert.That(ink, Is.GreaterThan(1000));
    }

    [Test]
    public async Task PlotToAnUnknownExtensionFailsTheStepWithAClearMessage()
    {
        var (summary, _) = await Run(null, Steps(new PlotStep { Id = "s5", Table = "seds", Path = "seds.jpg", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Failures.Single().Message, Does.Contain(".png or .svg"));
    }

    [Test]
    public async Task SelectInteractivelyWithoutTerminalFailsAndSuggestsSelectWhere()
    {
        var (summary, ws) = await Run(null, Steps(new SelectInteractivelyStep { Id = "s5", Table = "seds", Output = "kept", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Failures.Single().Message, Does.Contain("needs a terminal").And.Contain("select T where"));
        Assert.That(ws.TryGetTable("kept", out _), Is.False);
    }

    [Test]
    public async Task SelectInteractivelyKeepsTheObjectsAnsweredYesUntilQuit()
    {
        var asked = new List<string>();
        Choice Ask(ObjectView v)
        {
            asked.Add(v.ObjectId);
            Assert.That(v.Title, Does.StartWith("object " + v.ObjectId));
            Assert.That(v.IsSed, Is.True);
            Assert.That(v.Rows.Select(r => v.Table.FindColumn("object_id")!.FormatCell(r)), Is.All.EqualTo(v.ObjectId), "the object's rows of the table");
            return v.Index switch { 0 => Choice.Skip, 1 => Choice.Keep, _ => Choice.Quit };
        }
        var (summary, ws) = await Run(Ask, Steps(new SelectInteractivelyStep { Id = "s5", Table = "seds", Output = "kept", DependsOn = ["s4"] }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(asked, Has.Count.EqualTo(3));
        var kept = ws.GetTable("kept");
        Assert.That(Column(kept, "object_id").Distinct(), Is.EqualTo(new[] { asked[1] }));
        Assert.That(kept.RowCount, Is.EqualTo(Column(ws.GetTable("seds"), "object_id").Count(id => id == asked[1])));
    }
}
