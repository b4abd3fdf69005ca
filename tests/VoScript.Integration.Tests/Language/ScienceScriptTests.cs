using NUnit.Framework;
using SkiaSharp;
using VoScript.Dsl.Compiling;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// scripts/local/seds.vos end to end against the DaCHS rig and against <c>voscript serve</c>
/// of scripts/data/field: three catalogs, cluster, sed, plot, select … where, save, and the
/// ObsCore query with the picked objects. Checked against the rig's truth
/// (scripts/data/field/truth: 234 objects in all three catalogs, 43 of their spectra).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ScienceScriptTests
{
    private string _dir = "";

    private static string RepoRoot => TapServers.RepoRoot;

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-science-" + Guid.NewGuid().ToString("N")));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static readonly string[] Photometry = ["g_mag", "bp_mag", "rp_mag", "Jmag", "Hmag", "Kmag", "u", "g", "r", "i", "z"];

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task LocalTutorialFindsTheRigObjectsInAllThreeCatalogsAndPlotsTheirSeds(string server)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "scripts", "local", "seds.vos"));
        var compiled = VoScriptCompiler.Compile(text, "seds.vos", TapServers.Params(server));
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { MinPollInterval = TimeSpan.FromMilliseconds(300) }), new ScienceModule(), new VerbsModule()]), new ExecutorOptions { WorkingDirectory = _dir }).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());

        // groups: every input row is in the cluster table; 234 groups hold rows of all three catalogs (rig truth)
        var objects = ws.GetTable("objects");
        Assert.That(objects.RowCount, Is.EqualTo(ws.GetTable("gdr3").RowCount + ws.GetTable("twomass").RowCount + ws.GetTable("sdss").RowCount));
        var gid = objects.FindColumn("group_id")!;
        var src = objects.FindColumn("source_table")!;
        var catalogsOf = Enumerable.Range(0, objects.RowCount).GroupBy(i => gid.FormatCell(i))
            .ToDictionary(g => g.Key, g => g.Select(i => src.FormatCell(i)).Distinct().Count());
        Assert.That(catalogsOf.Count(kv => kv.Value == 3), Is.EqualTo(Truth.ObjectsInAllThree));
        Assert.That(catalogsOf.Count, Is.InRange(300, 305), "300 true objects and 5 artifacts, some of which may join an object");

        // SED rows: one per real magnitude (not null, not a -9999 sentinel) in the three catalogs
        var expected = 0;
        foreach (var name in new[] { "gdr3", "twomass", "sdss" })
        {
            var t = ws.GetTable(name);
            foreach (var c in t.Columns.Where(c => Photometry.Contains(c.Name)))
                for (var i = 0; i < t.RowCount; i++)
                    if (!c.IsNull(i) && Math.Abs(c.GetDouble(i)) < 99) expected++;
        }
        var seds = ws.GetTable("seds");
        Assert.That(seds.RowCount, Is.EqualTo(expected));

        // picked: the objects seen in all three catalogs, with all their SED rows
        var picked = ws.GetTable("picked");
        var pickedIds = Enumerable.Range(0, picked.RowCount).Select(i => picked.FindColumn("object_id")!.FormatCell(i)).ToHashSet();
        Assert.That(pickedIds, Has.Count.EqualTo(Truth.ObjectsInAllThree));
        Assert.That(picked.RowCount, Is.EqualTo(Enumerable.Range(0, seds.RowCount).Count(i => pickedIds.Contains(seds.FindColumn("object_id")!.FormatCell(i)))));
        Assert.That(VOTableReader.ReadFile(Path.Combine(_dir, "picked.vot")).RowCount, Is.EqualTo(picked.RowCount));

        // spectra: one row for each spectrum of a picked object, and each file downloads from the service
        var spectra = ws.GetTable("spectra");
        Assert.That(spectra.RowCount, Is.EqualTo(Truth.SpectraOfObjectsInAllThree));
        await Truth.AssertSpectraDownload(spectra, TapServers.Url(server));

        // the plot: a real, non-blank PNG
        var png = Path.Combine(_dir, "seds.png");
        Assert.That(File.Exists(png), Is.True);
        using var bmp = SKBitmap.Decode(png);
        Assert.That(bmp, Is.Not.Null);
        var ink = 0;
        var colours = new HashSet<uint>();
        for (var y = 0; y < bmp.Height; y += 2)
            for (var x = 0; x < bmp.Width; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
                colours.Add((uint)c);
            }
        Assert.That(ink / (bmp.Width * bmp.Height / 4.0), Is.GreaterThan(0.02));
        Assert.That(colours, Has.Count.GreaterThan(10), "coloured series, not just black on white");

        // the rig's quirks were repaired on arrival, each reported once
        Assert.That(summary.Warnings.Count(w => w.Contains("magnitude units set to mag", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(summary.Warnings.Count(w => w.StartsWith("sdss: UCD1 words replaced", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(summary.Warnings.Count(w => w.StartsWith("sdss: sentinel values set to null", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
