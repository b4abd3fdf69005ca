using NUnit.Framework;
using VoScript.Engine.Science.Verbs;

namespace VoScript.Engine.Tests.Verbs;

/// <summary>
/// <c>match</c>'s search against a brute-force O(n·m) match on small random catalogues, for every mode: the same
/// pairs, in the same order, with the same separations to the last bit. The catalogues are the awkward ones: crowded
/// fields from 0.1″ to 1°, the poles, RA 0/360 (with RA given below 0 and above 360), duplicated positions and
/// positions on a grid (ties: equal separations), rows without a position, empty tables, tables of unequal sizes.
/// </summary>
public class MatchPropertyTests
{
    private static readonly MatchMode[] Modes = [MatchMode.Best, MatchMode.BestForA, MatchMode.BestForB, MatchMode.All];

    /// <summary>
    /// The pairs as STILTS tmatch2 defines them, by brute force. all: every pair within the angle. best1 (best for A):
    /// for each row of A the nearest row of B (the lower row on a tie). best2: the same for B. best: the nearest
    /// partner for each row of the larger table (A when both are as large), then in order of separation (then of that
    /// row) each pair is kept when neither of its rows was kept or offered before. The separation is computed with the
    /// searching table's position first, as the match computes it. Ordered by A's row, separation, B's row.
    /// </summary>
    private static List<(int A, int B, double Sep)> Brute(double[] raA, double[] decA, double[] raB, double[] decB, double r, MatchMode mode)
    {
        static bool Ok(double ra, double dec) => double.IsFinite(ra) && dec >= -90 && dec <= 90;
        var aFirst = mode switch { MatchMode.BestForB => false, MatchMode.Best => raA.Length >= raB.Length, _ => true };
        // every pair of rows with positions whose Decs differ by at most the angle (and a margin far above rounding;
        // a pair farther apart in Dec is farther apart on the sky), B's rows taken by Dec so that this stays quick
        var byDec = Enumerable.Range(0, raB.Length).Where(j => Ok(raB[j], decB[j])).OrderBy(j => decB[j]).ToArray();
        var decs = byDec.Select(j => decB[j]).ToArray();
        var band = r * (1 + 1e-6) + 1e-12;
        var all = new List<(int A, int B, double Sep)>();
        for (var i = 0; i < raA.Length; i++)
        {
            if (!Ok(raA[i], decA[i])) continue;
            var from = Array.BinarySearch(decs, decA[i] - band);
            for (var k = from < 0 ? ~from : from; k < decs.Length && decs[k] <= decA[i] + band; k++)
            {
                var j = byDec[k];
                var s = aFirst ? SkyMatch.Separation(raA[i], decA[i], raB[j], decB[j]) : SkyMatch.Separation(raB[j], decB[j], raA[i], decA[i]);
                if (s <= r) all.Add((i, j, s));
            }
        }
        IEnumerable<(int A, int B, double Sep)> kept = all;
        var nearestForA = all.GroupBy(p => p.A).Select(g => g.OrderBy(p => p.Sep).ThenBy(p => p.B).First());
        var nearestForB = all.GroupBy(p => p.B).Select(g => g.OrderBy(p => p.Sep).ThenBy(p => p.A).First());
        switch (mode)
        {
            case MatchMode.BestForA: kept = nearestForA; break;
            case MatchMode.BestForB: kept = nearestForB; break;
            case MatchMode.Best:
                var candidates = aFirst ? nearestForA.OrderBy(p => p.Sep).ThenBy(p => p.A) : nearestForB.OrderBy(p => p.Sep).ThenBy(p => p.B);
                var seenA = new HashSet<int>();
                var seenB = new HashSet<int>();
                var list = new List<(int, int, double)>();
                foreach (var p in candidates)
                {
                    var fresh = !seenA.Contains(p.A) && !seenB.Contains(p.B);
                    seenA.Add(p.A);
                    seenB.Add(p.B);
                    if (fresh) list.Add(p);
                }
                kept = list;
                break;
        }
        return kept.OrderBy(p => p.A).ThenBy(p => p.Sep).ThenBy(p => p.B).ToList();
    }

    private static void AssertSame(double[] raA, double[] decA, double[] raB, double[] decB, double r, string what, int minPairs = 1)
    {
        foreach (var mode in Modes)
        {
            var expected = Brute(raA, decA, raB, decB, r, mode);
            var got = SkyMatch.Pairs(raA, decA, raB, decB, r, mode);
            var actual = got.A.Select((a, k) => (a, got.B[k], got.Separation[k])).ToList();
            Assert.That(actual, Is.EqualTo(expected), $"{what}, {mode}, {r * 3600:0.###}″: {actual.Count} pairs, brute force {expected.Count}");
            if (mode == MatchMode.All) Assert.That(expected, Has.Count.GreaterThanOrEqualTo(minPairs), $"{what}: the case must have pairs to test");
        }
    }

    /// <summary>n positions in a box of <paramref name="side"/> degrees (RA side scaled by 1/cos Dec) around (ra0, dec0), Dec clamped to ±90.</summary>
    private static (double[] Ra, double[] Dec) Box(Random rnd, int n, double ra0, double dec0, double side)
    {
        var ra = new double[n];
        var dec = new double[n];
        var widen = 1 / Math.Max(0.01, Math.Cos(dec0 * Math.PI / 180));
        for (var i = 0; i < n; i++)
        {
            dec[i] = Math.Clamp(dec0 + (rnd.NextDouble() - 0.5) * side, -90, 90);
            ra[i] = ra0 + (rnd.NextDouble() - 0.5) * side * widen;
        }
        return (ra, dec);
    }

    [TestCase(0.1)]
    [TestCase(1.5)]
    [TestCase(30.0)]
    [TestCase(3600.0)]
    public void CrowdedFieldsOfEveryAngleAgreeWithBruteForce(double arcsec)
    {
        var r = arcsec / 3600;
        foreach (var (na, nb, seed) in new[] { (700, 500, 1), (500, 700, 2), (600, 600, 3) })
        {
            var rnd = new Random(seed);
            // about two partners within the angle per row
            var side = r * Math.Sqrt(na * Math.PI / 2);
            var (raA, decA) = Box(rnd, na, 150, 2, side);
            var (raB, decB) = Box(rnd, nb, 150, 2, side);
            AssertSame(raA, decA, raB, decB, r, $"field {na}×{nb}", minPairs: 100);
        }
    }

    [TestCase(90.0, 1.5)]
    [TestCase(-90.0, 1.5)]
    [TestCase(89.9, 3600.0)]
    [TestCase(-89.5, 900.0)]
    public void ThePolesAgreeWithBruteForce(double pole, double arcsec)
    {
        var r = arcsec / 3600;
        var rnd = new Random(11);
        // every RA, Dec within a few angles of the pole (at most ±90: at ±90 a quarter of the rows are exactly at the pole)
        (double[], double[]) Cap(int n)
        {
            var ra = new double[n];
            var dec = new double[n];
            for (var i = 0; i < n; i++)
            {
                ra[i] = rnd.NextDouble() * 360;
                dec[i] = Math.Clamp(pole + (rnd.NextDouble() - 0.5) * 8 * r, -90, 90);
            }
            return (ra, dec);
        }
        var (raA, decA) = Cap(600);
        var (raB, decB) = Cap(400);
        AssertSame(raA, decA, raB, decB, r, $"pole {pole}", minPairs: 50);
    }

    [Test]
    public void RaZeroAnd360AgreeWithBruteForce()
    {
        var r = 2.0 / 3600;
        var rnd = new Random(21);
        // a field across RA 0, RA given as 359.99…, 0.00…, and also below 0 and at or above 360
        (double[], double[]) Field(int n)
        {
            var ra = new double[n];
            var dec = new double[n];
            for (var i = 0; i < n; i++)
            {
                var x = (rnd.NextDouble() - 0.5) * 0.05;
                ra[i] = (i % 4) switch { 0 => x, 1 => x + 360, 2 => x < 0 ? x + 360 : x, _ => x >= 0 ? x : x + 360 };
                dec[i] = -20 + (rnd.NextDouble() - 0.5) * 0.05;
            }
            ra[0] = 0;
            ra[1] = 360;
            ra[2] = -1e-300;
            return (ra, dec);
        }
        var (raA, decA) = Field(800);
        var (raB, decB) = Field(700);
        AssertSame(raA, decA, raB, decB, r, "RA 0/360", minPairs: 100);
    }

    [Test]
    public void DuplicatedPositionsAndEqualSeparationsAgreeWithBruteForce()
    {
        var r = 3.0 / 3600;
        var rnd = new Random(31);
        // positions on a grid of 1″ steps (many equal separations), each taken by several rows of both tables
        (double[], double[]) Grid(int n)
        {
            var ra = new double[n];
            var dec = new double[n];
            for (var i = 0; i < n; i++)
            {
                ra[i] = 10 + rnd.Next(12) / 3600.0;
                dec[i] = 5 + rnd.Next(12) / 3600.0;
            }
            return (ra, dec);
        }
        var (raA, decA) = Grid(300);
        var (raB, decB) = Grid(250);
        AssertSame(raA, decA, raB, decB, r, "grid with duplicates", minPairs: 1000);
        // one table the copy of the other: every row has a partner at separation 0, and several
        var (raC, decC) = ((double[])raA.Clone(), (double[])decA.Clone());
        AssertSame(raA, decA, raC, decC, r, "a table and its copy", minPairs: 1000);
    }

    [Test]
    public void RowsWithoutPositionsAndEmptyTablesAgreeWithBruteForce()
    {
        var r = 5.0 / 3600;
        var rnd = new Random(41);
        var (raA, decA) = Box(rnd, 400, 200, -30, 0.02);
        var (raB, decB) = Box(rnd, 300, 200, -30, 0.02);
        for (var i = 0; i + 1 < raA.Length; i += 7) { raA[i] = double.NaN; decA[i + 1] = double.NaN; }
        for (var i = 0; i + 3 < raB.Length; i += 9) { decB[i] = double.NaN; raB[i + 2] = double.PositiveInfinity; decB[i + 3] = 91; }
        AssertSame(raA, decA, raB, decB, r, "rows without positions", minPairs: 50);
        AssertSame([], [], raB, decB, r, "A empty", minPairs: 0);
        AssertSame(raA, decA, [], [], r, "B empty", minPairs: 0);
        AssertSame([], [], [], [], r, "both empty", minPairs: 0);
        double[] nan = [double.NaN, double.NaN];
        AssertSame(nan, nan, raB, decB, r, "A without any position", minPairs: 0);
    }

    [Test]
    public void WideSparseAndLargeFieldsAgreeWithBruteForce()
    {
        // the whole sky at a 1° angle (every zone, both poles, the wrap), and catalogues large enough to be searched in parts
        var rnd = new Random(51);
        (double[], double[]) Sky(int n)
        {
            var ra = new double[n];
            var dec = new double[n];
            for (var i = 0; i < n; i++)
            {
                ra[i] = rnd.NextDouble() * 360;
                dec[i] = Math.Asin(2 * rnd.NextDouble() - 1) * 180 / Math.PI;
            }
            return (ra, dec);
        }
        var (raA, decA) = Sky(3000);
        var (raB, decB) = Sky(2500);
        AssertSame(raA, decA, raB, decB, 1.0, "whole sky", minPairs: 100);
        // more rows than one part of the search and than one core's sort
        var (raC, decC) = Box(rnd, 40000, 300, 60, 0.2);
        var (raD, decD) = Box(rnd, 36000, 300, 60, 0.2);
        AssertSame(raC, decC, raD, decD, 1.0 / 3600, "in parts", minPairs: 100);
    }

    [Test]
    public void TablesWhoseCellKeysAndRowsNeedMoreThan64BitsAgreeWithBruteForce()
    {
        // the whole sky at 0.3″ (2^20 zones, 2^24 RA steps) and 2^18+ rows: the cell key and the row number do not fit
        // in 64 bits together, so the RA steps lose their lowest bit; every row of B is a row of A moved by < 0.2″
        var rnd = new Random(61);
        const int n = 270_000;
        var raA = new double[n]; var decA = new double[n]; var raB = new double[n]; var decB = new double[n];
        for (var i = 0; i < n; i++)
        {
            // a few thousand within 1″ of RA 0 (the search across the wrap), the others anywhere
            raA[i] = i < 3000 ? (360 + (rnd.NextDouble() - 0.5) * 2 / 3600) % 360 : rnd.NextDouble() * 360;
            decA[i] = i < 3000 ? (rnd.NextDouble() - 0.5) * 10 : Math.Asin(2 * rnd.NextDouble() - 1) * 180 / Math.PI;
            decB[i] = Math.Clamp(decA[i] + (rnd.NextDouble() - 0.5) * 0.2 / 3600, -90, 90);
            raB[i] = raA[i] + (rnd.NextDouble() - 0.5) * 0.2 / 3600 / Math.Max(0.01, Math.Cos(decA[i] * Math.PI / 180));
        }
        AssertSame(raA, decA, raB, decB, 0.3 / 3600, "2^18+ rows over the whole sky", minPairs: n);
    }
}
