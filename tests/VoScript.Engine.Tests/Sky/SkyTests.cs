using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;

namespace VoScript.Engine.Tests.Sky;

public class PositionTests
{
    [TestCase("10 00 28.6", 10.0079444444)]
    [TestCase("10:00:28.6", 10.0079444444)]
    [TestCase("10h00m28.6s", 10.0079444444)]
    [TestCase("-00 30 00", -0.5)]
    [TestCase("+02d12m00s", 2.2)]
    [TestCase("12 30", 12.5)]
    public void SexagesimalTextIsParsed(string text, double expected)
    {
        Assert.That(Angles.TryParseSexagesimal(text, out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected).Within(1e-9));
    }

    [TestCase("150.5")]
    [TestCase("10 61 00")]
    [TestCase("abc")]
    [TestCase("")]
    public void NonSexagesimalTextIsRefused(string text) =>
        Assert.That(Angles.TryParseSexagesimal(text, out _), Is.False);

    [Test]
    public void MainUcdsWinOverOtherPositionColumns()
    {
        var t = new Table("t");
        t.AddColumn(RigCatalogs.D("ra_other", "deg", "pos.eq.ra", 1));
        t.AddColumn(RigCatalogs.D("dec_other", "deg", "pos.eq.dec", 1));
        t.AddColumn(RigCatalogs.D("alpha", "deg", "POS.EQ.RA;META.MAIN", 2));
        t.AddColumn(RigCatalogs.D("delta", "deg", "pos.eq.dec;meta.main", 3));
        var p = Positions.Find(t)!;
        Assert.That((p.Ra.Name, p.Dec.Name, p.Match), Is.EqualTo(("alpha", "delta", PositionMatch.MainUcd)));
        Assert.That(t.Warnings.Count, Is.EqualTo(0));
    }

    [Test]
    public void Ucd1PositionWordsAreRecognisedWithoutRepair()
    {
        var t = RigCatalogs.CatC();
        var p = Positions.Find(t)!;
        Assert.That((p.Ra.Name, p.Dec.Name, p.Match), Is.EqualTo(("ra", "dec", PositionMatch.MainUcd)));
    }

    [Test]
    public void PositionsByNameAreTakenWithAWarningNamingTheColumns()
    {
        var t = new Table("noucd");
        t.AddColumn(RigCatalogs.D("RAJ2000", "deg", null, 10));
        t.AddColumn(RigCatalogs.D("DEJ2000", "deg", null, 20));
        var p = Positions.Find(t)!;
        Assert.That(p.Match, Is.EqualTo(PositionMatch.Name));
        Assert.That(t.Warnings.All.Single().Message,
            Is.EqualTo("no pos.eq.ra/pos.eq.dec UCDs: took 'RAJ2000' as RA and 'DEJ2000' as Dec by their names"));
    }

    [Test]
    public void AngleUnitsAreHonoured()
    {
        var t = new Table("units");
        t.AddColumn(RigCatalogs.D("ra", "rad", "pos.eq.ra;meta.main", Math.PI));
        t.AddColumn(RigCatalogs.D("dec", "arcsec", "pos.eq.dec;meta.main", -3600));
        var p = Positions.Read(t);
        Assert.That(p.Ra[0], Is.EqualTo(180).Within(1e-12));
        Assert.That(p.Dec[0], Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void SexagesimalStringPositionsAreReadAsHoursAndDegrees()
    {
        var t = new Table("s");
        t.AddColumn(RigCatalogs.S("ra", null, null, "10 00 00", null));
        t.AddColumn(RigCatalogs.S("dec", null, null, "-02 12 00", "1.0"));
        var p = Positions.Read(t);
        Assert.That(p.Ra[0], Is.EqualTo(150));
        Assert.That(p.Dec[0], Is.EqualTo(-2.2).Within(1e-12));
        Assert.That(double.IsNaN(p.Ra[1]), Is.True);
    }

    [Test]
    public void MissingPositionsAreAClearError()
    {
        var t = new Table("nopos");
        t.AddColumn(RigCatalogs.D("x", null, null, 1));
        Assert.That(() => Positions.Read(t), Throws.InstanceOf<VoScriptException>().With.Message.EqualTo(
            "table 'nopos' has no position columns: give RA/Dec the UCDs pos.eq.ra;meta.main and pos.eq.dec;meta.main, or name them ra and dec"));
    }
}

public class FriendsOfFriendsTests
{
    private const double Arcsec = 1.0 / 3600;

    [Test]
    public void PointsCloserThanTheAngleAreFriendsAndChainsJoin()
    {
        // A-B 1", B-C 1", A-C 2": one group at 1.5"; D 10" away alone.
        double[] ra = [10, 10 + 1 * Arcsec, 10 + 2 * Arcsec, 10 + 10 * Arcsec];
        double[] dec = [0, 0, 0, 0];
        var r = FriendsOfFriends.Run(ra, dec, 1.5 * Arcsec);
        Assert.That(r.GroupCount, Is.EqualTo(2));
        Assert.That(r.GroupOf, Is.EqualTo(new[] { 0, 0, 0, 1 }));
        Assert.That(r.Sizes, Is.EqualTo(new[] { 3, 1 }));
    }

    [Test]
    public void PointsJustBeyondTheAngleStayApart()
    {
        double[] ra = [10, 10];
        double[] dec = [20, 20 + 1.51 * Arcsec];
        Assert.That(FriendsOfFriends.Run(ra, dec, 1.5 * Arcsec).GroupCount, Is.EqualTo(2));
        dec[1] = 20 + 1.49 * Arcsec;
        Assert.That(FriendsOfFriends.Run(ra, dec, 1.5 * Arcsec).GroupCount, Is.EqualTo(1));
    }

    [Test]
    public void FriendsAcrossRaZeroAreFound()
    {
        double[] ra = [359.99995, 0.00005, 180];
        double[] dec = [0, 0, 0];
        var r = FriendsOfFriends.Run(ra, dec, 1 * Arcsec);
        Assert.That(r.GroupOf, Is.EqualTo(new[] { 0, 0, 1 }), "0.36\" apart across RA 0");
    }

    [Test]
    public void FriendsAtThePoleAreFoundWhateverTheirRa()
    {
        // At Dec 89.9999 (0.36" from the pole), RA 0 and RA 180 are 0.72" apart.
        double[] ra = [0, 180, 90, 45];
        double[] dec = [89.9999, 89.9999, 90, 89.99];
        var r = FriendsOfFriends.Run(ra, dec, 1 * Arcsec);
        Assert.That(r.GroupOf, Is.EqualTo(new[] { 0, 0, 0, 1 }));
    }

    [Test]
    public void RowsWithoutPositionBelongToNoGroup()
    {
        var r = FriendsOfFriends.Run([1, double.NaN, 1, double.PositiveInfinity, 1], [1, 1, 1, 1, 95], Arcsec);
        Assert.That(r.GroupOf, Is.EqualTo(new[] { 0, -1, 0, -1, -1 }));
    }

    [TestCase(0.0, 2000, 3.0)]
    [TestCase(89.95, 2000, 3.0)]
    [TestCase(-89.99, 1500, 5.0)]
    [TestCase(45.0, 3000, 0.5)]
    public void GroupsEqualBruteForceOnClusteredRandomData(double dec0, int n, double linkArcsec)
    {
        var rng = new Random(42 + n);
        var ra = new double[n];
        var dec = new double[n];
        for (var i = 0; i < n; i++)
        {
            // a small field straddling RA 0, with clumps
            var clump = rng.Next(n / 3);
            var cra = (clump * 0.7) % 0.05 - 0.025;
            var cdec = dec0 + ((clump * 0.37) % 0.04 - 0.02) * (dec0 > 0 ? -1 : 1);
            ra[i] = cra + (rng.NextDouble() - 0.5) * 8 * Arcsec / Math.Max(0.01, Math.Cos(cdec * Math.PI / 180));
            if (ra[i] < 0) ra[i] += 360;
            dec[i] = Math.Clamp(cdec + (rng.NextDouble() - 0.5) * 8 * Arcsec, -90, 90);
        }
        var link = linkArcsec * Arcsec;
        var fast = FriendsOfFriends.Run(ra, dec, link);

        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                if (Angles.Separation(ra[i], dec[i], ra[j], dec[j]) <= link) parent[Find(i)] = Find(j);
        var brute = Enumerable.Range(0, n).Select(Find).Distinct().Count();
        Assert.That(fast.GroupCount, Is.EqualTo(brute));
        Assert.That(fast.GroupCount, Is.LessThan(n), "the data must contain real groups");
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < Math.Min(n, i + 50); j++)
                Assert.That(fast.GroupOf[i] == fast.GroupOf[j], Is.EqualTo(Find(i) == Find(j)));
    }

    [TestCase(0.0, 2.0)]       // a field at RA 0: the major axis is y or z
    [TestCase(150.0, 1.5)]     // the benchmark's field
    [TestCase(89.9, 1.0)]      // near the pole (Dec 89.6–89.8): x and y spread alike
    public void LinkingInSeveralPartsGivesExactlyTheGroupsOfOne(double ra0, double linkArcsec)
    {
        // dense clumps and chains crossing every slab, so that the seams between parts carry real links
        var rng = new Random(7);
        var n = 60_000;
        var ra = new double[n];
        var dec = new double[n];
        for (var i = 0; i < n; i++)
        {
            var dec0 = ra0 == 89.9 ? 89.7 : 2.0;
            var centre = rng.Next(n / 4);
            var cdec = dec0 + (centre % 200) * 4 * Arcsec - 0.1;
            var cra = ra0 + (centre / 200) * 4 * Arcsec / Math.Cos(cdec * Math.PI / 180);
            ra[i] = (cra + (rng.NextDouble() - 0.5) * 5 * Arcsec / Math.Cos(cdec * Math.PI / 180) + 360) % 360;
            dec[i] = Math.Min(90, cdec + (rng.NextDouble() - 0.5) * 5 * Arcsec);
            if (i % 1000 == 0) ra[i] = double.NaN;
        }
        var one = FriendsOfFriends.Run(ra, dec, linkArcsec * Arcsec, 1, CancellationToken.None);
        Assert.That(one.GroupCount, Is.LessThan(n * 3 / 4).And.GreaterThan(100), "the data must hold real groups");
        foreach (var parts in new[] { 2, 3, 7 })
        {
            var many = FriendsOfFriends.Run(ra, dec, linkArcsec * Arcsec, parts, CancellationToken.None);
            Assert.That(many.GroupOf, Is.EqualTo(one.GroupOf), $"{parts} parts");
            Assert.That(many.Sizes, Is.EqualTo(one.Sizes), $"{parts} parts");
            Assert.That(many.MeanRa, Is.EqualTo(one.MeanRa), $"{parts} parts");
            Assert.That(many.MeanDec, Is.EqualTo(one.MeanDec), $"{parts} parts");
        }
    }
}

public class ClusteringTests
{
    private static Table[] RepairedRigTables()
    {
        Table[] t = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        foreach (var x in t) Repairs.Apply(x);
        return t;
    }

    [Test]
    public void ThreeRigCatalogsGiveOneGroupPerObject()
    {
        var c = Clustering.Run(RepairedRigTables(), 1.5 / 3600, "objects");
        Assert.That(c.RowCount, Is.EqualTo(9));
        Assert.That(c.FindColumn("group_id")!.GetValue(0), Is.EqualTo(1L));
        var groups = Enumerable.Range(0, 9).Select(i => (long)c.FindColumn("group_id")!.GetValue(i)!).ToArray();
        Assert.That(groups, Is.EqualTo(new long[] { 1, 1, 1, 2, 2, 2, 3, 3, 3 }));
        Assert.That(Enumerable.Range(0, 9).Select(i => c.FindColumn("group_size")!.GetDouble(i)), Is.All.EqualTo(3));
        Assert.That(Enumerable.Range(0, 3).Select(i => c.FindColumn("source_table")!.GetValue(i)), Is.EqualTo(new[] { "cat_a", "cat_b", "cat_c" }));
        Assert.That(c.FindColumn("group_ra")!.GetDouble(3), Is.EqualTo(RigCatalogs.TrueRa[1]).Within(0.3 / 3600));
        Assert.That(c.FindColumn("group_ra")!.Field.Ucd, Is.EqualTo("pos.eq.ra;meta.main"));
    }

    [Test]
    public void ColumnsAreMergedByNameTypeAndUnitAndClashesArePrefixed()
    {
        var c = Clustering.Run(RepairedRigTables(), 1.5 / 3600);
        var names = c.Columns.Select(x => x.Name).ToList();
        Assert.That(names.Take(5), Is.EqualTo(new[] { "group_id", "group_size", "group_ra", "group_dec", "source_table" }));
        // cat_a ra/dec (double deg) and cat_c ra/dec (double deg) are one column each
        Assert.That(names.Count(n => n == "ra"), Is.EqualTo(1));
        Assert.That(c.FindColumn("ra")!.IsNull(1), Is.True, "the cat_b row has no 'ra'");
        Assert.That(c.FindColumn("ra")!.GetDouble(2), Is.Not.NaN);
        Assert.That(c.FindColumn("ra")!.Field.Ucd, Is.EqualTo("pos.eq.ra"), "meta.main moves to the group position");
        Assert.That(names, Does.Contain("Jmag").And.Contain("source_id").And.Contain("objid").And.Contain("2MASS"));
        Assert.That(c.FindColumn("objid")!.GetValue(2), Is.EqualTo(1237651000000000001L), "longs above 2^53 stay exact");
    }

    [Test]
    public void SameNameWithAnotherTypeIsKeptApartUnderTheTableName()
    {
        var a = new Table("a");
        a.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 10));
        a.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 10));
        a.AddColumn(RigCatalogs.D("flag", null, null, 1));
        var b = new Table("b");
        b.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 10));
        b.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 10));
        b.AddColumn(RigCatalogs.S("flag", null, null, "x"));
        var c = Clustering.Run([a, b], 1.0 / 3600);
        Assert.That(c.Columns.Select(x => x.Name), Is.EqualTo(new[] { "group_id", "group_size", "group_ra", "group_dec", "source_table", "ra", "dec", "a_flag", "b_flag" }));
        Assert.That(c.Warnings.All.Single(w => w.Code == "cluster-column-renamed").Message,
            Is.EqualTo("columns with the same name but another type or unit were kept apart: flag → a_flag, flag → b_flag"));
    }

    [Test]
    public void ArrayColumnsOfSeveralTablesAreMerged()
    {
        Table T(string name, double ra, double[] spec)
        {
            var t = new Table(name);
            t.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", ra));
            t.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 0));
            t.AddColumn(new ArrayColumn<double>(new Field("spec", DataType.Double, ArraySize.Variable), spec, [0, spec.Length], 1));
            return t;
        }
        var c = Clustering.Run([T("a", 1, [1, 2, 3]), T("b", 50, [4])], 1.0 / 3600);
        var spec = (ArrayColumn<double>)c.FindColumn("spec")!;
        Assert.That(spec[0].ToArray(), Is.EqualTo(new double[] { 1, 2, 3 }));
        Assert.That(spec[1].ToArray(), Is.EqualTo(new double[] { 4 }));
    }

    [Test]
    public void SourceTableNamesEveryRowAndTheGroupCountIsTheLargestId()
    {
        var a = new Table("nébuleuse");
        a.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 10, 20));
        a.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 10, 20));
        var b = new Table("b");
        b.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 20, 30, double.NaN));
        b.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 20, 30, 5));
        b.AddColumn(RigCatalogs.D("mag", "mag", "phot.mag", 1, 2, 3));
        var c = Clustering.Run([a, b], 1.0 / 3600);
        var src = c.FindColumn("source_table")!;
        // groups: (a0), (a1, b0), (b1); b2 has no position and comes last
        Assert.That(Enumerable.Range(0, 5).Select(i => src.GetValue(i)), Is.EqualTo(new[] { "nébuleuse", "nébuleuse", "b", "b", "b" }));
        Assert.That(src.Field.DataType, Is.EqualTo(DataType.UnicodeChar));
        Assert.That(Clustering.GroupCount(c), Is.EqualTo(3));
        var mag = c.FindColumn("mag")!;
        Assert.That(Enumerable.Range(0, 5).Select(mag.IsNull), Is.EqualTo(new[] { true, true, false, false, false }));
        Assert.That(mag.GetDouble(2), Is.EqualTo(1));
        Assert.That(mag.GetDouble(4), Is.EqualTo(3));
    }

    [Test]
    public void EmptyTablesGiveAnEmptyResultWithAllColumns()
    {
        var a = new Table("empty");
        a.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg" }, []));
        a.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg" }, []));
        var c = Clustering.Run([a], 1.0 / 3600);
        Assert.That(c.RowCount, Is.EqualTo(0));
        Assert.That(c.Columns.Select(x => x.Name), Is.EqualTo(new[] { "group_id", "group_size", "group_ra", "group_dec", "source_table", "ra", "dec" }));
    }

    [Test]
    public void ClusteringCanBeCancelled()
    {
        var n = 200_000;
        var rng = new Random(1);
        var ra = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var dec = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => FriendsOfFriends.Run(ra, dec, 1.0 / 3600, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void BadLinkingAngleIsAClearError() =>
        Assert.That(() => FriendsOfFriends.Run([1.0], [1.0], -1), Throws.InstanceOf<VoScriptException>()
            .With.Message.EqualTo("the linking angle must be between 0 and 180 degrees, not -1"));

    [Test]
    public void GroupMeanPositionIsRightAcrossRaZero()
    {
        var a = new Table("a");
        a.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 359.9999, 0.0001));
        a.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 0, 0));
        var c = Clustering.Run([a], 1.0 / 3600);
        var mean = c.FindColumn("group_ra")!.GetDouble(0);
        Assert.That(Math.Min(mean, 360 - mean), Is.LessThan(1e-9));
    }
}
