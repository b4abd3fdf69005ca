using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using VoScript.Engine.Science.Verbs;

namespace VoScript.Engine.Tests.Verbs;

/// <summary>
/// <c>match</c> against STILTS <c>tmatch2 matcher=sky</c> on generated crowded catalogues: the same pairs,
/// exactly, for every mode (best = find=best, best for A = best1, best for B = best2, all = all), and the
/// same separations to 1e-9 arcsec.
/// </summary>
[Category("Conformance")]
public class MatchConformanceTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void Setup()
    {
        if (Run("stilts", "-version", out _, out _) != 0) Assert.Ignore("stilts is not installed (apt-get install stilts)");
        _dir = Path.Combine(Path.GetTempPath(), "voscript-match-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static int Run(string exe, string args, out string stdout, out string stderr)
    {
        try
        {
            var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var o = p.StandardOutput.ReadToEndAsync();
            stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            stdout = o.Result;
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            stdout = stderr = "";
            return -1;
        }
    }

    /// <summary>A crowded field: <paramref name="n"/> positions in a small box around RA 0 (so the wrap is exercised), ids from 1.</summary>
    private static (double[] Ra, double[] Dec) Field(int n, int seed, double side)
    {
        var rnd = new Random(seed);
        var ra = new double[n];
        var dec = new double[n];
        for (var i = 0; i < n; i++)
        {
            ra[i] = (360 + (rnd.NextDouble() - 0.5) * side) % 360;
            dec[i] = 30 + (rnd.NextDouble() - 0.5) * side;
        }
        return (ra, dec);
    }

    private string WriteCsv(string name, string idColumn, double[] ra, double[] dec)
    {
        var path = Path.Combine(_dir, name + ".csv");
        using var w = new StreamWriter(path);
        w.WriteLine($"{idColumn},ra,dec");
        for (var i = 0; i < ra.Length; i++)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1},{ra[i]:R},{dec[i]:R}"));
        return path;
    }

    // best depends on which table is larger (STILTS takes the nearest partner of each row of the larger one, of
    // table 1 when both have as many rows): all three cases
    [TestCase("best", 6000, 5000)]
    [TestCase("best", 5000, 6000)]
    [TestCase("best", 5000, 5000)]
    [TestCase("best1", 6000, 5000)]
    [TestCase("best2", 6000, 5000)]
    [TestCase("all", 6000, 5000)]
    public void PairsAgreeExactlyWithStilts(string find, int rowsA, int rowsB)
    {
        var mode = find switch { "best" => MatchMode.Best, "best1" => MatchMode.BestForA, "best2" => MatchMode.BestForB, _ => MatchMode.All };
        const double radiusArcsec = 6;
        var (raA, decA) = Field(rowsA, 11, 0.25);
        var (raB, decB) = Field(rowsB, 12, 0.25);
        var a = WriteCsv("a", "aid", raA, decA);
        var b = WriteCsv("b", "bid", raB, decB);
        var outPath = Path.Combine(_dir, $"stilts_{find}_{rowsA}_{rowsB}.csv");
        var args = $"tmatch2 in1=\"{a}\" ifmt1=csv in2=\"{b}\" ifmt2=csv matcher=sky values1=\"ra dec\" values2=\"ra dec\" " +
                   $"params={radiusArcsec.ToString(CultureInfo.InvariantCulture)} find={find} join=1and2 out=\"{outPath}\" ofmt=csv";
        Assert.That(Run("stilts", args, out _, out var err), Is.EqualTo(0), err);
        var expected = new Dictionary<(int, int), double>();
        var lines = File.ReadAllLines(outPath);
        var header = lines[0].Split(',').ToList();
        int ia = header.IndexOf("aid"), ib = header.IndexOf("bid"), isep = header.IndexOf("Separation");
        foreach (var line in lines.Skip(1))
        {
            var p = line.Split(',');
            expected[(int.Parse(p[ia], CultureInfo.InvariantCulture) - 1, int.Parse(p[ib], CultureInfo.InvariantCulture) - 1)] = double.Parse(p[isep], CultureInfo.InvariantCulture);
        }
        Assert.That(expected.Count, Is.GreaterThan(500), "the field must be crowded enough to test the modes");

        var ours = SkyMatch.Pairs(raA, decA, raB, decB, radiusArcsec / 3600, mode);
        var got = ours.A.Select((ia, k) => (ia, ours.B[k])).ToList();
        Assert.That(got.OrderBy(x => x).ToList(), Is.EqualTo(expected.Keys.OrderBy(x => x).ToList()), $"pairs of find={find}");
        for (var k = 0; k < got.Count; k++)
            Assert.That(ours.Separation[k] * 3600, Is.EqualTo(expected[got[k]]).Within(1e-9), $"separation of pair {got[k]}");
        TestContext.Out.WriteLine($"find={find}: {got.Count} pairs, identical to STILTS");
    }
}
