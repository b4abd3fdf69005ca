using NUnit.Framework;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Science.RemoteMatch;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;

namespace VoScript.Engine.Tests.Protocols.RemoteMatch;

/// <summary>The parts of the remote match that need no service: block sizes, cutting and splitting, the ADQL, merging the pairs.</summary>
public class RemoteMatchPlanningTests
{
    [Test]
    public void WithoutLimitsBlocksHaveTapskymatchsDefaultSize()
    {
        var s = BlockPlanner.Size(null, null, null);
        Assert.That(s.Size, Is.EqualTo(5000));
        Assert.That(s.MaxRec, Is.Null);
        Assert.That(s.Reason, Does.Contain("tapskymatch's default"));
    }

    [Test]
    public void AnUploadLimitInRowsOrBytesMakesBlocksSmaller()
    {
        Assert.That(BlockPlanner.Size(null, new TapLimit(null, 1200, "row"), null).Size, Is.EqualTo(1200));
        Assert.That(BlockPlanner.Size(null, new TapLimit(800, null, "row"), null).Size, Is.EqualTo(800));
        // bytes: what is left after the request's own overhead, at most 100 bytes a row
        var bytes = BlockPlanner.Size(null, new TapLimit(null, 20_971, "byte"), null);
        Assert.That(bytes.Size, Is.EqualTo((20_971 - BlockPlanner.UploadOverheadBytes) / BlockPlanner.UploadBytesPerRow));
        Assert.That(bytes.Reason, Does.Contain("20971 bytes"));
        // a generous limit leaves the default
        Assert.That(BlockPlanner.Size(null, new TapLimit(null, 100_000_000, "byte"), null).Size, Is.EqualTo(5000));
    }

    [Test]
    public void TheOutputLimitIsAskedForAndBoundsTheBlock()
    {
        var s = BlockPlanner.Size(null, null, new TapLimit(2000, 300, "row"));
        Assert.That(s.MaxRec, Is.EqualTo(300), "the hard limit is asked for");
        Assert.That(s.Size, Is.EqualTo(300));
        Assert.That(BlockPlanner.Size(null, null, new TapLimit(2000, null, "row")).MaxRec, Is.EqualTo(2000));
        Assert.That(BlockPlanner.Size(null, null, new TapLimit(2000, 5000, "byte")).MaxRec, Is.Null, "an output limit in bytes is no MAXREC");
    }

    [Test]
    public void AnExplicitBlockIsKeptUnlessTheServiceCannotTakeIt()
    {
        Assert.That(BlockPlanner.Size(250, null, new TapLimit(100, 100, "row")).Size, Is.EqualTo(250), "overflows are split, so the output limit does not bound it");
        var capped = BlockPlanner.Size(10_000, new TapLimit(null, 2000, "row"), null);
        Assert.That(capped.Size, Is.EqualTo(2000));
        Assert.That(capped.Reason, Does.Contain("block 10000 was asked"));
        Assert.Throws<VoScriptException>(() => BlockPlanner.Size(0, null, null));
    }

    [Test]
    public void BlocksCoverEveryRowOnceAndSplitIntoHalves()
    {
        var blocks = BlockPlanner.Cut(10, 4);
        Assert.That(blocks, Is.EqualTo(new[] { new UploadBlock(0, 4), new UploadBlock(4, 4), new UploadBlock(8, 2) }));
        Assert.That(BlockPlanner.Cut(0, 4), Is.Empty);
        Assert.That(BlockPlanner.Cut(3, 5000), Is.EqualTo(new[] { new UploadBlock(0, 3) }));
        var (a, b) = new UploadBlock(8, 5).Split();
        Assert.That((a, b), Is.EqualTo((new UploadBlock(8, 2), new UploadBlock(10, 3))));
        Assert.That(a.End, Is.EqualTo(b.Start));
        Assert.Throws<InvalidOperationException>(() => new UploadBlock(3, 1).Split());
    }

    [Test]
    public void TheBlocksAdqlJoinsTheUploadWithinAPaddedCircle()
    {
        var adql = RemoteMatchAdql.Block("gaiadr3.gaia_source", ["source_id", "phot_g_mean_mag"], "ra", "dec", 1.0 / 3600);
        Assert.That(adql, Is.EqualTo(
            "SELECT u.vos_row, t.source_id, t.phot_g_mean_mag, t.ra AS vos_rra, t.dec AS vos_rdec\n" +
            "FROM TAP_UPLOAD.vos_block AS u JOIN gaiadr3.gaia_source AS t\n" +
            "  ON 1=CONTAINS(POINT('ICRS', t.ra, t.dec), CIRCLE('ICRS', u.vos_ra, u.vos_dec, 0.000277778777778))"));
        var all = RemoteMatchAdql.Block("cat_b.main", null, "raj2000", "dej2000", 0.5, nearestOnly: true);
        Assert.That(all, Does.StartWith("SELECT TOP 1 u.vos_row, t.*, t.raj2000 AS vos_rra"));
        Assert.That(all, Does.EndWith("ORDER BY DISTANCE(POINT('ICRS', t.raj2000, t.dej2000), POINT('ICRS', u.vos_ra, u.vos_dec)) ASC"));
        Assert.That(all, Does.Not.Contain("E-"));
    }

    [TestCase("ra", "ra")]
    [TestCase("RAJ2000", "RAJ2000")]
    [TestCase("2MASS", "\"2MASS\"")]
    [TestCase("size", "\"size\"")]
    [TestCase("Distance", "\"Distance\"")]
    [TestCase("a b", "\"a b\"")]
    [TestCase("q\"x", "\"q\"\"x\"")]
    public void ColumnNamesAreDelimitedWhereAdqlNeedsIt(string name, string adql) =>
        Assert.That(RemoteMatchAdql.Identifier(name), Is.EqualTo(adql));

    [Test]
    public void MetadataNamesKeepTheirDelimitersForAdql()
    {
        var t = RemoteTables.Make("cat_b.main", [("\"2MASS\"", "char", null, null, "meta.id;meta.main"), ("\"RAJ2000\"", "double", null, "deg", "pos.eq.ra;meta.main"),
            ("dej2000", "adql:DOUBLE", null, "deg", "pos.eq.dec;meta.main"), ("n", "INTEGER", null, null, null)]);
        Assert.That(t.Fields.Select(f => f.Name), Is.EqualTo(new[] { "2MASS", "RAJ2000", "dej2000", "n" }));
        Assert.That(t.Fields.Select(t.Adql), Is.EqualTo(new[] { "\"2MASS\"", "\"RAJ2000\"", "dej2000", "n" }));
        Assert.That(t.Fields.Select(f => f.DataType), Is.EqualTo(new[] { DataType.Char, DataType.Double, DataType.Double, DataType.Int }));
        Assert.That(t.Named("DEJ2000", "svc").Name, Is.EqualTo("dej2000"));
        var e = Assert.Throws<VoScriptException>(() => t.Named("dej200", "svc"))!;
        Assert.That(e.Message, Does.Contain("'cat_b.main' has no column 'dej200'").And.Contain("dej2000"));
    }

    [Test]
    public void RemotePositionsAreFoundAsClusterFindsThem()
    {
        // UCD1 words (as cat_c of the test rig declares them)
        var ucd1 = RemoteTables.Make("cat_c.main", [("objid", "long", null, null, "ID_MAIN"), ("x", "double", null, "deg", "POS_EQ_RA_MAIN"), ("y", "double", null, "deg", "POS_EQ_DEC_MAIN")]);
        Assert.That(ucd1.PositionColumns(null, null, "svc") is var (ra, dec) && ra.Name == "x" && dec.Name == "y", Is.True);
        // meta.main wins over another pos.eq UCD
        var main = RemoteTables.Make("t", [("ra_err", "double", null, "deg", "pos.eq.ra"), ("dec_err", "double", null, "deg", "pos.eq.dec"),
            ("ra2", "double", null, "deg", "pos.eq.ra;meta.main"), ("dec2", "double", null, "deg", "pos.eq.dec;meta.main")]);
        Assert.That(main.PositionColumns(null, null, "svc").Ra.Name, Is.EqualTo("ra2"));
        // names when there are no UCDs (ObsCore's s_ra/s_dec have UCDs too, but names suffice)
        var names = RemoteTables.Make("ivoa.obscore", [("obs_id", "char", null, null, null), ("s_ra", "double", null, "deg", null), ("s_dec", "double", null, "deg", null)]);
        Assert.That(names.PositionColumns(null, null, "svc").Dec.Name, Is.EqualTo("s_dec"));
        // positions given by the script are checked
        Assert.That(names.PositionColumns("S_RA", "s_dec", "svc").Ra.Name, Is.EqualTo("s_ra"));
        Assert.That(Assert.Throws<VoScriptException>(() => names.PositionColumns("s_raa", "s_dec", "svc"))!.Message, Does.Contain("did you mean 's_ra'"));
        var none = RemoteTables.Make("t", [("a", "double", null, null, null)]);
        Assert.That(Assert.Throws<VoScriptException>(() => none.PositionColumns(null, null, "svc"))!.Message, Does.Contain("positions RA_COLUMN, DEC_COLUMN"));
    }

    private static Table Block(long[] rows, double[] ra, double[] dec, string[] ids)
    {
        var t = new Table("result");
        t.AddColumn(new ScalarColumn<long>(new Field("vos_row", DataType.Long), rows));
        t.AddColumn(new StringColumn(new Field("id", DataType.Char, ArraySize.Variable) { Ucd = "meta.id;meta.main" }, ids));
        t.AddColumn(new ScalarColumn<double>(new Field("vos_rra", DataType.Double) { Unit = "deg" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field("vos_rdec", DataType.Double) { Unit = "deg" }, dec));
        return t;
    }

    private static Table Local()
    {
        var t = new Table("t");
        t.AddColumn(new ScalarColumn<long>(new Field("n", DataType.Long), [10, 11, 12]));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, [10, 20, 30]));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, [0, 0, 0]));
        return t;
    }

    private const double Arcsec = 1.0 / 3600;

    [Test]
    public void PairsAreCutAtTheExactRadiusAndOrderedByRowThenSeparation()
    {
        var t = Local();
        var pairs = new RemotePairs([10, 20, 30], [0, 0, 0], 2 * Arcsec, RemoteMatchMode.All);
        // the second block arrives first: order does not depend on it
        pairs.Add(Block([2, 1], [30, 20], [1.5 * Arcsec, 0.5 * Arcsec], ["c", "b"]), order: 2);
        pairs.Add(Block([0, 0, 0], [10, 10, 10], [1.9 * Arcsec, 0.1 * Arcsec, 2.0001 * Arcsec], ["a2", "a1", "too far"]), order: 0);
        var m = pairs.Build(t, [new Field("id", DataType.Char, ArraySize.Variable)], "t", "svc", "m");
        Assert.That(m.Fields.Select(f => f.Name), Is.EqualTo(new[] { "n", "ra", "dec", "id", "separation" }));
        Assert.That(((StringColumn)m.FindColumn("id")!).Values, Is.EqualTo(new[] { "a1", "a2", "b", "c" }));
        Assert.That(((ScalarColumn<long>)m.FindColumn("n")!).Values, Is.EqualTo(new long[] { 10, 10, 11, 12 }));
        Assert.That(((ScalarColumn<double>)m.FindColumn("separation")!).Values, Is.EqualTo(new[] { 0.1, 1.9, 0.5, 1.5 }).Within(1e-6));
        Assert.That(m.FindColumn("separation")!.Field.Unit, Is.EqualTo("arcsec"));
        Assert.That(m.FindColumn("id")!.Field.Ucd, Is.EqualTo("meta.id"), "the remote side is not the main id any more");
        Assert.That((pairs.Pairs, pairs.UnmatchedRows), Is.EqualTo((4, 0)));
    }

    [Test]
    public void BestForTKeepsTheNearestRemoteRowOfEachRow()
    {
        var pairs = new RemotePairs([10, 20, 30], [0, 0, 0], 2 * Arcsec, RemoteMatchMode.BestForTable);
        pairs.Add(Block([0, 0, 0, 1], [10, 10, 10, 20], [1.9 * Arcsec, 0.1 * Arcsec, 0.3 * Arcsec, 3 * Arcsec], ["a2", "a1", "a3", "b far"]), order: 0);
        var m = pairs.Build(Local(), [new Field("id", DataType.Char, ArraySize.Variable)], "t", "svc");
        Assert.That(((StringColumn)m.FindColumn("id")!).Values, Is.EqualTo(new[] { "a1" }));
        Assert.That((pairs.Pairs, pairs.MatchedRows, pairs.UnmatchedRows), Is.EqualTo((1, 1, 2)));
    }

    [Test]
    public void NamesBothSidesHaveArePrefixedAsTheLocalMatchDoes()
    {
        var pairs = new RemotePairs([10, 20, 30], [0, 0, 0], 2 * Arcsec, RemoteMatchMode.All);
        var block = Block([1], [20], [0], ["b"]);
        block.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg" }, [20]));
        pairs.Add(block, 0);
        var m = pairs.Build(Local(), [new Field("id", DataType.Char, ArraySize.Variable), new Field("ra", DataType.Double)], "t", "gaia");
        Assert.That(m.Fields.Select(f => f.Name), Is.EqualTo(new[] { "n", "t_ra", "dec", "id", "gaia_ra", "separation" }));
        Assert.That(m.FindColumn("separation")!.GetDouble(0), Is.EqualTo(0));
    }

    [Test]
    public void WithoutAnyPairTheColumnsComeFromTheMetadata()
    {
        var pairs = new RemotePairs([10, 20, 30], [0, 0, 0], 2 * Arcsec, RemoteMatchMode.All);
        pairs.Add(Block([], [], [], []), 0);
        var m = pairs.Build(Local(), [new Field("id", DataType.Char, ArraySize.Variable), new Field("mag", DataType.Float) { Unit = "mag" }], "t", "svc");
        Assert.That(m.RowCount, Is.Zero);
        Assert.That(m.Fields.Select(f => f.Name), Is.EqualTo(new[] { "n", "ra", "dec", "id", "mag", "separation" }));
        Assert.That(pairs.UnmatchedRows, Is.EqualTo(3));
    }

    [Test]
    public void ARowNumberThatWasNotUploadedIsAnError()
    {
        var pairs = new RemotePairs([10], [0], 2 * Arcsec, RemoteMatchMode.All);
        Assert.That(Assert.Throws<VoScriptException>(() => pairs.Add(Block([7], [10], [0], ["x"]), 0))!.Message, Does.Contain("row number 7 that was not uploaded"));
    }

    [Test]
    public void TheUploadHoldsRowNumbersAndDegrees()
    {
        var positions = VoScript.Engine.Science.Sky.Positions.Read(Local());
        var u = RemoteMatchRunner.UploadTable(new UploadBlock(1, 2), [0, 2, 1], positions);
        Assert.That(u.Fields.Select(f => f.Name), Is.EqualTo(new[] { "vos_row", "vos_ra", "vos_dec" }));
        Assert.That(((ScalarColumn<long>)u.Columns[0]).Values, Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(((ScalarColumn<double>)u.Columns[1]).Values, Is.EqualTo(new[] { 30.0, 20.0 }));
    }

    [Test]
    public void BlocksAreRepeatedOnlyForFailuresThatRepeatingMayMend()
    {
        var url = new Uri("http://x/tap/async/1");
        Assert.That(RemoteMatchRunner.Repeatable(new ServiceException("no answer", url, null, null) { IsTransient = true }), Is.True);
        Assert.That(RemoteMatchRunner.Repeatable(new ServiceException("503", url, 503, "busy")), Is.True);
        Assert.That(RemoteMatchRunner.Repeatable(new ServiceException("html page", url, 200, "<html>")), Is.True);
        Assert.That(RemoteMatchRunner.Repeatable(new ServiceException("cut", url, 200, null) { IsBodyFailure = true }), Is.True);
        Assert.That(RemoteMatchRunner.Repeatable(new IOException("reset")), Is.True);
        Assert.That(RemoteMatchRunner.Repeatable(new ServiceException("bad query", url, 400, "syntax error")), Is.False);
        Assert.That(RemoteMatchRunner.Repeatable(new TapJobException("ERROR", url, "ERROR", "no such column")), Is.False);
        Assert.That(RemoteMatchRunner.Repeatable(new TapTimeoutException("slow", url, "EXECUTING", TimeSpan.FromSeconds(1))), Is.False);
        Assert.That(RemoteMatchRunner.Repeatable(new VoScriptException("ours")), Is.False);
        Assert.That(RemoteMatchRunner.Repeatable(new OperationCanceledException()), Is.False);
    }

    [Test]
    public void TheLocalMatchAndTheRemotePairsUseOneSeparation() =>
        Assert.That(SkyMatch.Separation(10, 0, 10, 1.0 / 3600) * 3600, Is.EqualTo(1.0).Within(1e-9));
}
