using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Sky;

/// <summary>
/// Our friends-of-friends against astropy's search_around_sky + scipy connected components,
/// on the benchmark generator's data (1e5 rows), generated at test time.
/// </summary>
[Category("Conformance")]
public class ClusteringConformanceTests
{
    private const string Python = "/usr/bin/python3";
    private string _dir = "";

    [OneTimeSetUp]
    public void Generate()
    {
        if (!File.Exists(Python) || Run(Python, "-c \"import astropy, scipy\"", out _) != 0)
            Assert.Ignore("astropy and scipy for /usr/bin/python3 are needed (apt-get install python3-astropy python3-scipy)");
        _dir = Directory.CreateTempSubdirectory("voscript-xm-").FullName;
        var gen = Path.Combine(RepoRoot(), "bench", "scripts", "gen_xmatch.py");
        Assert.That(Run(Python, $"\"{gen}\" \"{_dir}\" 100000", out var output), Is.EqualTo(0), output);
        var fits = Path.Combine(_dir, "xm_100000_concat.fits");
        var csv = Path.Combine(_dir, "xm_100000_concat.csv");
        var script = $"from astropy.table import Table; t = Table.read('{fits}'); t['ra'].info.format = '.17g'; t['dec'].info.format = '.17g'; t['id','ra','dec','cat'].write('{csv}', format='ascii.csv')";
        Assert.That(Run(Python, $"-c \"{script}\"", out output), Is.EqualTo(0), output);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Test]
    public void GroupCountsEqualAstropyAt100000Rows()
    {
        var tables = ReadCsvByCatalog(Path.Combine(_dir, "xm_100000_concat.csv"));
        Assert.That(tables.Sum(t => t.RowCount), Is.EqualTo(100_001).Within(2000));

        var result = Clustering.Run(tables, 1.5 / 3600);
        var ids = (ScalarColumn<long>)result.FindColumn("group_id")!;
        var groups = ids.Values.Distinct().Count();

        var astropy = Path.Combine(RepoRoot(), "bench", "scripts", "xmatch_astropy.py");
        Assert.That(Run(Python, $"\"{astropy}\" \"{Path.Combine(_dir, "xm_100000_concat.fits")}\" 1.5", out var output), Is.EqualTo(0), output);
        var line = output.Split('\n').Single(l => l.StartsWith("GROUPS=", StringComparison.Ordinal));
        var astropyGroups = int.Parse(line["GROUPS=".Length..], CultureInfo.InvariantCulture);

        Assert.That(groups, Is.EqualTo(astropyGroups));
        Assert.That(groups, Is.EqualTo(45_497), "the figure astropy and STILTS agree on (bench README)");
    }

    /// <summary>The concatenated table split back into its three catalogs, as the cluster step sees them.</summary>
    private static List<Table> ReadCsvByCatalog(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToList();
        var result = new List<Table>();
        foreach (var cat in rows.GroupBy(r => r[3]).OrderBy(g => g.Key))
        {
            var t = new Table($"cat{cat.Key}");
            var list = cat.ToList();
            t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, list.Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray()));
            t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, list.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray()));
            t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, list.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray()));
            result.Add(t);
        }
        return result;
    }

    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("VoScript.sln not found above the test directory");
    }

    private static int Run(string exe, string args, out string output)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        output += stderr.Result;
        return p.ExitCode;
    }
}
