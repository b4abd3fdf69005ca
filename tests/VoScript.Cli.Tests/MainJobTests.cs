using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Tests;

/// <summary>
/// The README's first command, <c>bash scripts/main-job.sh</c>, end to end: voscript serve of
/// scripts/data/field, the tutorial workflow against it, the server stopped. Checked against
/// the field's truth (scripts/data/field/truth): 234 objects in all three catalogues.
/// </summary>
[NonParallelizable]
public partial class MainJobTests
{
    private static string TruthDir => Repo.PathOf(Path.Combine("scripts", "data", "field", "truth"));

    [Test]
    public void MainJobRunsTheTutorialAgainstServeInUnderAMinuteAndFindsTheTruth()
    {
        var build = Repo.Shell("./voscript --version", 900);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Err);

        var outDir = Path.Combine(Path.GetTempPath(), "vos-main-job-" + Guid.NewGuid().ToString("N"));
        try
        {
            var clock = Stopwatch.StartNew();
            var r = Repo.Shell($"MAIN_JOB_OUT='{outDir}' bash scripts/main-job.sh", 300);
            clock.Stop();
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)), "the main job after the build");
            Assert.That(r.Err, Does.Not.Contain("   at "), "no stack trace");

            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TruthDir, "manifest.json"))).RootElement;
            int Rows(string table) => manifest.GetProperty("rows").GetProperty(table).GetInt32();
            Assert.That(VOTableReader.ReadFile(Path.Combine(outDir, "gdr3.vot")).RowCount, Is.EqualTo(Rows("cat_a.main")));
            Assert.That(VOTableReader.ReadFile(Path.Combine(outDir, "twomass.vot")).RowCount, Is.EqualTo(Rows("cat_b.main")));
            Assert.That(VOTableReader.ReadFile(Path.Combine(outDir, "sdss.vot")).RowCount, Is.EqualTo(Rows("cat_c.main")));

            // picked: the objects seen in all three catalogues
            var picked = VOTableReader.ReadFile(Path.Combine(outDir, "picked.vot"));
            var ids = picked.FindColumn("object_id")!;
            var objects = Enumerable.Range(0, picked.RowCount).Select(i => ids.FormatCell(i)).ToHashSet();
            Assert.That(objects, Has.Count.EqualTo(manifest.GetProperty("true_objects_in").GetProperty("all_three").GetInt32()));
            Assert.That(objects, Has.Count.EqualTo(234));

            // spectra: one per spectrum of such an object, with URLs of the served process
            var spectra = VOTableReader.ReadFile(Path.Combine(outDir, "spectra.vot"));
            Assert.That(spectra.RowCount, Is.EqualTo(SpectraOfObjectsInAllThree()));
            var tap = ServedUrl().Match(r.Err);
            Assert.That(tap.Success, Is.True, r.Err);
            var origin = new Uri(tap.Groups[1].Value).GetLeftPart(UriPartial.Authority);
            var urls = spectra.FindColumn("access_url")!;
            Assert.That(Enumerable.Range(0, spectra.RowCount).Select(i => urls.FormatCell(i)), Has.All.StartWith(origin + "/files/"));

            var png = File.ReadAllBytes(Path.Combine(outDir, "seds.png"));
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.That(png, Has.Length.GreaterThan(10_000));

            // the server was stopped on the way out: nothing listens on its port any more
            var port = new Uri(tap.Groups[1].Value).Port;
            using var probe = new TcpClient();
            Assert.That(() => probe.Connect("127.0.0.1", port), Throws.InstanceOf<SocketException>());
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
        }
    }

    /// <summary>Spectra whose object is in all three catalogues, from objects.csv and spectra.csv.</summary>
    private static int SpectraOfObjectsInAllThree()
    {
        static List<Dictionary<string, string>> Csv(string name)
        {
            var lines = File.ReadAllLines(Path.Combine(TruthDir, name));
            var header = lines[0].Split(',');
            return lines.Skip(1).Where(l => l.Length > 0).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        }
        var inAll = Csv("objects.csv").Where(o => o["cat_a_source_id"] != "" && o["cat_b_2mass"] != "" && o["cat_c_objid"] != "")
            .Select(o => o["tid"]).ToHashSet();
        return Csv("spectra.csv").Count(s => inAll.Contains(s["tid"]));
    }

    [GeneratedRegex(@"## voscript serve of scripts/data/field: (\S+)")]
    private static partial Regex ServedUrl();
}
