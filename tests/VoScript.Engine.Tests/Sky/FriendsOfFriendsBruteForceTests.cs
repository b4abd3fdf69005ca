using NUnit.Framework;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;

namespace VoScript.Engine.Tests.Sky;

/// <summary>
/// Friends-of-friends against the definition, pair by pair, on small random fields with the awkward places and data of
/// real catalogues: the poles, RA 0/360, the whole sky, exact duplicates, chains of friends much longer than the linking
/// angle, rows without a position, linking angles from 0.1" to 1°. Every group, its number (in order of its first
/// row), size and mean position must be the brute force's, and the same for any number of parts.
/// </summary>
public class FriendsOfFriendsBruteForceTests
{
    private const double Arcsec = 1.0 / 3600;

    //        field centre      spread (links)  link (")  rows
    [TestCase(150.0, 2.0, 150.0, 1.5, 2000, TestName = "the benchmark's field")]
    [TestCase(0.0, 0.0, 150.0, 1.5, 2000, TestName = "across RA 0 at the equator")]
    [TestCase(0.0, 89.9997, 150.0, 1.0, 2000, TestName = "over the north pole")]
    [TestCase(123.0, -89.99999, 120.0, 0.1, 1500, TestName = "at the south pole, 0.1 arcsec")]
    [TestCase(359.99, 45.0, 150.0, 60.0, 2000, TestName = "one arcminute across RA 0")]
    [TestCase(10.0, 60.0, 120.0, 3600.0, 1500, TestName = "one degree, a field of 120 degrees")]
    [TestCase(0.0, 0.0, -1.0, 1.0, 3000, TestName = "the whole sky, 1 arcsec (key and row do not share a word)")]
    [TestCase(0.0, 0.0, -1.0, 0.1, 2000, TestName = "the whole sky, 0.1 arcsec")]
    public void GroupsAreThoseOfTheDefinition(double ra0, double dec0, double spreadLinks, double linkArcsec, int n)
    {
        var (ra, dec) = Field(new Random(n + (int)linkArcsec), ra0, dec0, spreadLinks * linkArcsec * Arcsec, linkArcsec * Arcsec, n);
        var expected = BruteForce(ra, dec, linkArcsec * Arcsec);
        Assert.That(expected.Sizes.Length, Is.LessThan(n * 9 / 10).And.GreaterThan(n / 10), "the field must hold groups and loners");
        Assert.That(expected.Sizes.Max(), Is.GreaterThan(10), "the field must hold long chains");

        var one = FriendsOfFriends.Run(ra, dec, linkArcsec * Arcsec, 1, CancellationToken.None);
        Assert.That(one.GroupOf, Is.EqualTo(expected.GroupOf));
        Assert.That(one.Sizes, Is.EqualTo(expected.Sizes));
        for (var g = 0; g < expected.Sizes.Length; g++)
        {
            Assert.That(Angles.Separation(one.MeanRa[g], one.MeanDec[g], expected.MeanRa[g], expected.MeanDec[g]), Is.LessThan(1e-9 * Arcsec), $"group {g}");
            Assert.That(one.MeanRa[g], Is.GreaterThanOrEqualTo(0).And.LessThan(360));
        }
        foreach (var parts in new[] { 2, 3 })
        {
            var many = FriendsOfFriends.Run(ra, dec, linkArcsec * Arcsec, parts, CancellationToken.None);
            Assert.That(many.GroupOf, Is.EqualTo(one.GroupOf), $"{parts} parts");
            Assert.That(many.Sizes, Is.EqualTo(one.Sizes), $"{parts} parts");
            Assert.That(many.MeanRa, Is.EqualTo(one.MeanRa), $"{parts} parts");
            Assert.That(many.MeanDec, Is.EqualTo(one.MeanDec), $"{parts} parts");
        }
    }

    [Test]
    public void OneRowAndNoRows()
    {
        var one = FriendsOfFriends.Run([12.5], [-30], Arcsec);
        Assert.That(one.GroupOf, Is.EqualTo(new[] { 0 }));
        Assert.That(one.Sizes, Is.EqualTo(new[] { 1 }));
        Assert.That(one.MeanRa[0], Is.EqualTo(12.5).Within(1e-12));
        Assert.That(one.MeanDec[0], Is.EqualTo(-30).Within(1e-12));
        var none = FriendsOfFriends.Run([], [], Arcsec);
        Assert.That(none.GroupCount, Is.Zero);
        var nulls = FriendsOfFriends.Run([double.NaN, 1], [0, double.NaN], Arcsec);
        Assert.That(nulls.GroupOf, Is.EqualTo(new[] { -1, -1 }));
        Assert.That(nulls.GroupCount, Is.Zero);
    }

    [Test]
    public void PositionsOnTheAxesGiveExactMeans()
    {
        // quarter turns are reduced exactly: the pole's unit vector is (0, 0, 1), RA 90 at the equator (0, 1, 0)
        var r = FriendsOfFriends.Run([0, 90, 180, 270, 33], [90, 0, 0, 0, -90], Arcsec);
        Assert.That(r.MeanDec[0], Is.EqualTo(90));
        Assert.That(r.MeanRa[1], Is.EqualTo(90));
        Assert.That(r.MeanDec[1], Is.EqualTo(0));
        Assert.That(r.MeanRa[2], Is.EqualTo(180));
        Assert.That(r.MeanRa[3], Is.EqualTo(270));
        Assert.That(r.MeanDec[4], Is.EqualTo(-90));
    }

    [Test]
    public void SineAndCosineOfDegreesAreRightToTheLastPlaces()
    {
        var rng = new Random(3);
        var worst = 0.0;
        for (var i = 0; i < 300_000; i++)
        {
            var angle = (i % 3) switch { 0 => rng.NextDouble() * 360, 1 => (rng.NextDouble() - 0.5) * 1440, _ => 90 * rng.Next(-9, 9) + (rng.NextDouble() - 0.5) * 1e-6 };
            var (s, c) = FriendsOfFriends.SinCosDegrees(angle);
            // reference: Math on the exactly reduced angle (the error of Math.SinCos(angle * π/180) itself grows with the angle)
            var q = Math.Round(angle / 90);
            var (rs, rc) = Math.SinCos((angle - 90 * q) * Math.PI / 180);
            var k = (int)(((long)q % 4 + 4) % 4);
            var (es, ec) = k switch { 0 => (rs, rc), 1 => (rc, -rs), 2 => (-rs, -rc), _ => (-rc, rs) };
            worst = Math.Max(worst, Math.Max(Math.Abs(s - es), Math.Abs(c - ec)));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(2.3e-16), "within about one unit in the last place of 1");

        Assert.That(new[] { 0.0, 90, 180, -270, 360, -90 }.Select(FriendsOfFriends.SinCosDegrees),
            Is.EqualTo(new[] { (0.0, 1.0), (1, 0), (0, -1), (1, 0), (0, 1), (-1, 0) }), "quarter turns are exact");
        // large angles are reduced exactly too: 1e15° is 280° past whole turns
        var (e280s, e280c) = Math.SinCos(280 * Math.PI / 180);
        Assert.That(FriendsOfFriends.SinCosDegrees(1e15).Sin, Is.EqualTo(e280s).Within(1e-15));
        Assert.That(FriendsOfFriends.SinCosDegrees(1e15).Cos, Is.EqualTo(e280c).Within(1e-15));
        Assert.That(FriendsOfFriends.SinCosDegrees(-1e15).Sin, Is.EqualTo(-e280s).Within(1e-15));
        Assert.That(FriendsOfFriends.SinCosDegrees(750).Sin, Is.EqualTo(0.5).Within(2e-16));
        Assert.That(FriendsOfFriends.SinCosDegrees(1e13 + 30).Sin, Is.EqualTo(Math.Sin((1e13 % 360 + 30) * Math.PI / 180)).Within(1e-15));
    }

    /// <summary>
    /// Clumps (a few points within about the linking angle of a centre), exact duplicates, chains of friends 0.8 linking
    /// angles apart running 15–40 angles long, and rows without a position; centres within <paramref name="spread"/> of
    /// (ra0, dec0) on the tangent plane (or over the whole sky when it is negative).
    /// </summary>
    private static (double[] Ra, double[] Dec) Field(Random rng, double ra0, double dec0, double spread, double link, int n)
    {
        var ra = new double[n];
        var dec = new double[n];
        var i = 0;
        while (i < n)
        {
            var (cra, cdec) = spread < 0
                ? (rng.NextDouble() * 360, Math.Asin(2 * rng.NextDouble() - 1) * 180 / Math.PI)
                : Offset(ra0, dec0, (rng.NextDouble() - 0.5) * spread, (rng.NextDouble() - 0.5) * spread);
            var kind = rng.Next(10);
            if (kind == 0 && i + 40 < n)
            {
                // a chain: each point 0.8 angles from the last, in a slowly turning direction
                var length = rng.Next(15, 40);
                var angle = rng.NextDouble() * 2 * Math.PI;
                for (var k = 0; k < length; k++, i++)
                {
                    ra[i] = cra; dec[i] = cdec;
                    angle += (rng.NextDouble() - 0.5) * 0.5;
                    (cra, cdec) = Offset(cra, cdec, 0.8 * link * Math.Cos(angle), 0.8 * link * Math.Sin(angle));
                }
                continue;
            }
            var size = kind switch { < 4 => 1, < 7 => 2, < 9 => 3, _ => 5 };
            for (var k = 0; k < size && i < n; k++, i++)
                (ra[i], dec[i]) = k == 1 && kind == 8
                    ? (ra[i - 1], dec[i - 1]) // an exact duplicate
                    : Offset(cra, cdec, (rng.NextDouble() - 0.5) * 1.2 * link, (rng.NextDouble() - 0.5) * 1.2 * link);
        }
        // shuffle, so that groups' rows are scattered, and take some positions away
        for (var k = n - 1; k > 0; k--)
        {
            var j = rng.Next(k + 1);
            (ra[k], ra[j]) = (ra[j], ra[k]);
            (dec[k], dec[j]) = (dec[j], dec[k]);
        }
        for (var k = 0; k < n; k += 97)
            switch (k % 3)
            {
                case 0: ra[k] = double.NaN; break;
                case 1: dec[k] = double.NaN; break;
                default: ra[k] = double.PositiveInfinity; break;
            }
        return (ra, dec);
    }

    /// <summary>The point <paramref name="east"/> and <paramref name="north"/> degrees from (ra, dec) on the tangent plane, RA in [0, 360).</summary>
    private static (double Ra, double Dec) Offset(double ra, double dec, double east, double north)
    {
        const double r = Math.PI / 180;
        double a = ra * r, d = dec * r;
        // the centre and the east and north unit vectors there
        double cx = Math.Cos(d) * Math.Cos(a), cy = Math.Cos(d) * Math.Sin(a), cz = Math.Sin(d);
        double ex = -Math.Sin(a), ey = Math.Cos(a), ez = 0;
        double nx = -Math.Sin(d) * Math.Cos(a), ny = -Math.Sin(d) * Math.Sin(a), nz = Math.Cos(d);
        double x = cx + east * r * ex + north * r * nx, y = cy + east * r * ey + north * r * ny, z = cz + east * r * ez + north * r * nz;
        var ra2 = Math.Atan2(y, x) / r;
        return (ra2 < 0 ? ra2 + 360 : ra2, Math.Atan2(z, Math.Sqrt(x * x + y * y)) / r);
    }

    private sealed record Expected(int[] GroupOf, int[] Sizes, double[] MeanRa, double[] MeanDec);

    /// <summary>Every pair tested; groups numbered in order of their first row; means of the unit vectors.</summary>
    private static Expected BruteForce(double[] ra, double[] dec, double link)
    {
        var n = ra.Length;
        bool Has(int i) => double.IsFinite(ra[i]) && Math.Abs(dec[i]) <= 90;
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }
        for (var i = 0; i < n; i++)
            if (Has(i))
                for (var j = i + 1; j < n; j++)
                    if (Has(j) && Angles.Separation(ra[i], dec[i], ra[j], dec[j]) <= link) parent[Find(i)] = Find(j);
        var number = new Dictionary<int, int>();
        var groupOf = new int[n];
        var sums = new List<double[]>();
        for (var i = 0; i < n; i++)
        {
            if (!Has(i)) { groupOf[i] = -1; continue; }
            if (!number.TryGetValue(Find(i), out var g))
            {
                number[Find(i)] = g = number.Count;
                sums.Add(new double[4]);
            }
            groupOf[i] = g;
            var (sa, ca) = Math.SinCos(ra[i] * Math.PI / 180);
            var (sd, cd) = Math.SinCos(dec[i] * Math.PI / 180);
            sums[g][0] += cd * ca; sums[g][1] += cd * sa; sums[g][2] += sd; sums[g][3]++;
        }
        var meanRa = sums.Select(s => (Math.Atan2(s[1], s[0]) * 180 / Math.PI + 360) % 360).ToArray();
        var meanDec = sums.Select(s => Math.Atan2(s[2], Math.Sqrt(s[0] * s[0] + s[1] * s[1])) * 180 / Math.PI).ToArray();
        return new Expected(groupOf, sums.Select(s => (int)s[3]).ToArray(), meanRa, meanDec);
    }
}
