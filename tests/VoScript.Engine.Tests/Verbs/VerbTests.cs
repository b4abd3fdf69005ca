using NUnit.Framework;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using static VoScript.Engine.Science.Selection.Expr;
using static VoScript.Engine.Tests.Verbs.TableBuilder;

namespace VoScript.Engine.Tests.Verbs;

public class VerbTests
{
    private static Table Seds() => Make("seds",
        L("object_id", 1, 1, 2, 2, 2, 3),
        D("ra", "deg", "pos.eq.ra;meta.main", 359.9, 0.1, 10, 10, 10, 20),
        D("dec", "deg", "pos.eq.dec;meta.main", 0, 0, 5, 5, 5, -5),
        S("band", "J", "K", "J", "H", "K", null),
        D("mag", "mag", "phot.mag", 12, 11, null, 14, 13, 9));

    private static void AssertSchemaMatches(VerbSchema schema, Table actual) =>
        Assert.That(schema.Fields.Select(f => (f.Name, f.DataType, f.Unit, f.Ucd)), Is.EqualTo(actual.Fields.Select(f => (f.Name, f.DataType, f.Unit, f.Ucd))));

    [Test]
    public void KeepDropAndRename()
    {
        var t = Seds();
        var kept = ColumnVerbs.Keep(t, ["mag", "object_id"], "k");
        Assert.That(Names(kept), Is.EqualTo(new[] { "mag", "object_id" }));
        Assert.That(kept.RowCount, Is.EqualTo(6));
        Assert.That(Names(ColumnVerbs.Drop(t, ["RA", "dec"])), Is.EqualTo(new[] { "object_id", "band", "mag" }));
        var r = ColumnVerbs.Rename(t, [("mag", "jmag"), ("band", "filter")]);
        Assert.That(Names(r), Is.EqualTo(new[] { "object_id", "ra", "dec", "filter", "jmag" }));
        Assert.That(r.FindColumn("jmag")!.Field.Unit, Is.EqualTo("mag"));
        Assert.That(Names(ColumnVerbs.Rename(t, [("ra", "dec"), ("dec", "ra")])), Is.EqualTo(new[] { "object_id", "dec", "ra", "band", "mag" }), "renames happen at once");
    }

    [Test]
    public void ColumnVerbProblemsNameTheColumnAndSuggest()
    {
        var f = Seds().Fields.ToList();
        var p = ColumnVerbs.KeepSchema(f, ["mga"], "seds").Problems.Single();
        Assert.That(p.Kind, Is.EqualTo(VerbProblemKind.UnknownColumn));
        Assert.That(p.Message, Is.EqualTo("'seds' has no column 'mga' (did you mean 'mag'?)"));
        var clash = ColumnVerbs.RenameSchema(f, [("mag", "band")], "seds").Problems.Single();
        Assert.That(clash.Kind, Is.EqualTo(VerbProblemKind.NameClash));
        Assert.That(clash.Message, Does.Contain("'band' already has that name"));
        Assert.That(() => ColumnVerbs.Drop(Seds(), ["nope"]), Throws.InstanceOf<VoScriptException>().With.Message.StartsWith("'seds' has no column 'nope'"));
    }

    [Test]
    public void DeriveAddsTypedColumnsWithUnitsAndSeesEarlierOnes()
    {
        var t = Seds();
        List<Derivation> defs =
        [
            new("flux", Fn("mag_to_jy", Col("mag"), "2MASS J")),
            new("mjy", Col("flux") * 1000, Unit: "mJy", Ucd: "phot.flux.density"),
            new("bright", Col("mag") < 12),
            new("label", Fn("concat", Col("band"), ":", Col("object_id"))),
            new("id2", Col("object_id")),
            new("sep", Fn("separation", Col("ra"), Col("dec"), 0.0, 0.0), Unit: "arcsec"),
        ];
        var schema = Derive.Schema(t.Fields.ToList(), defs);
        Assert.That(schema.Ok, Is.True, string.Join("; ", schema.Problems.Select(p => p.Message)));
        var r = Derive.Run(t, defs, "d");
        AssertSchemaMatches(schema, r);
        Assert.That(r.FindColumn("flux")!.Field.Unit, Is.EqualTo("Jy"));
        Assert.That(r.FindColumn("bright")!.Field.DataType, Is.EqualTo(DataType.Boolean));
        Assert.That(Cells(r, "bright"), Is.EqualTo(new object?[] { false, true, null, false, false, true }));
        Assert.That(Cells(r, "label")[0], Is.EqualTo("J:1"));
        Assert.That(r.FindColumn("id2")!.Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That((double)Cells(r, "sep")[0]!, Is.EqualTo(360).Within(1e-6), "0.1 deg from the origin, converted to arcsec");
        Assert.That(r.FindColumn("mjy")!.IsNull(2), Is.True);
    }

    [Test]
    public void DeriveNameClashAndBadExpressionsAreProblems()
    {
        var f = Seds().Fields.ToList();
        var clash = Derive.Schema(f, [new("mag", Col("mag") + 1)]).Problems.Single();
        Assert.That(clash.Kind, Is.EqualTo(VerbProblemKind.NameClash));
        var unknown = Derive.Schema(f, [new("x", Col("magg") + 1)]).Problems.Single();
        Assert.That(unknown.Kind, Is.EqualTo(VerbProblemKind.UnknownColumn));
        Assert.That(unknown.Subject, Is.EqualTo("magg"));
        var unit = Derive.Schema(f, [new("x", Col("mag") + Quantity(1, "arcsec"))]).Problems.Single();
        Assert.That(unit.Kind, Is.EqualTo(VerbProblemKind.Mismatch));
        var wrongUnit = Derive.Schema(f, [new("x", Col("mag"), Unit: "Jy")]).Problems.Single();
        Assert.That(wrongUnit.Message, Does.Contain("cannot be given as Jy"));
    }

    [Test]
    public void SortIsStableWithNullsLastAlsoDescending()
    {
        var t = Seds();
        var asc = Sorting.Sort(t, [new SortKey("mag")]);
        Assert.That(Cells(asc, "mag"), Is.EqualTo(new object?[] { 9.0, 11.0, 12.0, 13.0, 14.0, null }));
        var desc = Sorting.Sort(t, [new SortKey("mag", true)]);
        Assert.That(Cells(desc, "mag"), Is.EqualTo(new object?[] { 14.0, 13.0, 12.0, 11.0, 9.0, null }));
        var byBand = Sorting.Sort(t, [new SortKey("band", true), new SortKey("object_id")]);
        Assert.That(Cells(byBand, "band"), Is.EqualTo(new object?[] { "K", "K", "J", "J", "H", null }));
        Assert.That(Cells(byBand, "object_id"), Is.EqualTo(new object?[] { 1L, 2L, 1L, 2L, 2L, 3L }));
    }

    [Test]
    public void TopTakesTheFirstRowsAndRejectsNegativeCounts()
    {
        var t = Seds();
        Assert.That(Cells(Sorting.Top(t, 2, [new SortKey("mag")]), "mag"), Is.EqualTo(new object?[] { 9.0, 11.0 }));
        Assert.That(Sorting.Top(t, 100).RowCount, Is.EqualTo(6));
        Assert.That(Sorting.Top(t, 0).RowCount, Is.EqualTo(0));
        Assert.That(() => Sorting.Top(t, -1), Throws.InstanceOf<VoScriptException>().With.Message.Contains("not -1"));
    }

    [Test]
    public void DistinctKeepsTheFirstRowOfEachKey()
    {
        var d = Sorting.Distinct(Seds(), ["object_id"]);
        Assert.That(Cells(d, "object_id"), Is.EqualTo(new object?[] { 1L, 2L, 3L }));
        Assert.That(Cells(d, "band"), Is.EqualTo(new object?[] { "J", "J", null }));
        Assert.That(Sorting.Distinct(Seds(), ["band"]).RowCount, Is.EqualTo(4), "J, K, H and null");
    }

    [Test]
    public void GroupComputesAggregatesPerKey()
    {
        var t = Seds();
        List<Aggregation> aggs =
        [
            new("n", Count()),
            new("n_bright", Count(Col("mag") < 13.5)),
            new("mean_mag", Fn("mean", Col("mag"))),
            new("median_mag", Fn("median", Col("mag"))),
            new("std_mag", Fn("std", Col("mag"))),
            new("span", Fn("max", Col("mag")) - Fn("min", Col("mag"))),
            new("first_band", Fn("first", Col("band"))),
            new("pos", Fn("mean_position", Col("ra"), Col("dec"))),
            new("total", Fn("sum", Col("mag"))),
        ];
        var schema = GroupVerb.Schema(t.Fields.ToList(), ["object_id"], aggs);
        Assert.That(schema.Ok, Is.True, string.Join("; ", schema.Problems.Select(p => p.Message)));
        var g = GroupVerb.Run(t, ["object_id"], aggs, "g");
        AssertSchemaMatches(schema, g);
        Assert.That(Cells(g, "object_id"), Is.EqualTo(new object?[] { 1L, 2L, 3L }));
        Assert.That(Cells(g, "n"), Is.EqualTo(new object?[] { 2L, 3L, 1L }));
        Assert.That(Cells(g, "n_bright"), Is.EqualTo(new object?[] { 2L, 1L, 1L }));
        Assert.That(Cells(g, "mean_mag"), Is.EqualTo(new object?[] { 11.5, 13.5, 9.0 }));
        Assert.That(Cells(g, "median_mag"), Is.EqualTo(new object?[] { 11.5, 13.5, 9.0 }));
        Assert.That((double)Cells(g, "std_mag")[0]!, Is.EqualTo(Math.Sqrt(0.5)).Within(1e-12));
        Assert.That(Cells(g, "std_mag")[2], Is.Null, "one value has no sample deviation");
        Assert.That(Cells(g, "span"), Is.EqualTo(new object?[] { 1.0, 1.0, 0.0 }));
        Assert.That(Cells(g, "first_band"), Is.EqualTo(new object?[] { "J", "J", null }));
        Assert.That(g.FindColumn("mean_mag")!.Field.Unit, Is.EqualTo("mag"));
        var ra0 = (double)Cells(g, "pos_ra")[0]!;
        Assert.That(Math.Min(ra0, 360 - ra0), Is.LessThan(1e-9), "RA 359.9 and 0.1 average to 0, not 180");
        Assert.That(g.FindColumn("pos_ra")!.Field.Ucd, Is.EqualTo("pos.eq.ra;meta.main"));
    }

    [Test]
    public void GroupProblems()
    {
        var f = Seds().Fields.ToList();
        var bare = GroupVerb.Schema(f, ["object_id"], [new("m", Col("mag"))]).Problems.Single();
        Assert.That(bare.Message, Does.Contain("'mag' is not a key of the group"));
        var nested = GroupVerb.Schema(f, ["object_id"], [new("m", Fn("sum", Fn("mean", Col("mag"))))]).Problems.Single();
        Assert.That(nested.Message, Does.StartWith("aggregates cannot be nested"));
        var clash = GroupVerb.Schema(f, ["object_id"], [new("object_id", Count())]).Problems.Single();
        Assert.That(clash.Kind, Is.EqualTo(VerbProblemKind.NameClash));
        var text = GroupVerb.Schema(f, ["object_id"], [new("m", Fn("mean", Col("band")))]).Problems.Single();
        Assert.That(text.Kind, Is.EqualTo(VerbProblemKind.Mismatch));
    }

    [Test]
    public void JoinInnerAndLeftWithClashingNames()
    {
        var a = Make("a", L("id", 1, 2, 3, null), D("mag", 10, 11, 12, 13));
        var b = Make("b", L("id", 3, 1, 1), D("mag", 20, 21, 22), S("note", "x", "y", "z"));
        var inner = Join.Run(a, b, "id", "id", false, "a", "b");
        Assert.That(Names(inner), Is.EqualTo(new[] { "id", "a_mag", "b_mag", "note" }));
        Assert.That(Cells(inner, "id"), Is.EqualTo(new object?[] { 1L, 1L, 3L }));
        Assert.That(Cells(inner, "b_mag"), Is.EqualTo(new object?[] { 21.0, 22.0, 20.0 }));
        var left = Join.Run(a, b, "id", "id", true, "a", "b");
        Assert.That(Cells(left, "id"), Is.EqualTo(new object?[] { 1L, 1L, 2L, 3L, null }));
        Assert.That(Cells(left, "note"), Is.EqualTo(new object?[] { "y", "z", null, "x", null }));
        var c = Make("c", S("key", "1", "2"));
        var p = Join.Schema(a.Fields.ToList(), c.Fields.ToList(), "id", "key", "a", "c").Problems.Single();
        Assert.That(p.Kind, Is.EqualTo(VerbProblemKind.Mismatch));
        Assert.That(p.Message, Does.Contain("a.id is a number (long) but c.key is a text (char)"));
        var ints = Make("i", I("n", 2, 3));
        Assert.That(Join.Run(a, ints, "id", "n", false, "a", "i").RowCount, Is.EqualTo(2), "int and long keys compare by value");
    }

    [Test]
    public void JoinOnAKeyThatRepeatsInBothTablesStopsBeforeItOutgrowsMemory()
    {
        // 2,000 rows with one key on each side make 4,000,000 rows; with 64 MB to spend (a third of them fits) the join says
        // so before it allocates anything, naming the repeated key; with the memory of the machine it makes them all
        var a = Make("a", L("id", Enumerable.Repeat<long?>(7, 2000).ToArray()), D("x", Enumerable.Repeat<double?>(1.0, 2000).ToArray()));
        var b = Make("b", L("id", Enumerable.Repeat<long?>(7, 2000).ToArray()), D("y", Enumerable.Repeat<double?>(2.0, 2000).ToArray()));
        ResultSize.MemoryForTests.Value = 64L << 20;
        try
        {
            var e = Assert.Throws<VoScriptException>(() => Join.Run(a, b, "id", "id", false, "a", "b"))!;
            Assert.That(e.Message, Does.Contain("would make 4,000,000 rows"));
            Assert.That(e.Message, Does.Contain("b.id = 7 is in 2,000 of its rows"));
            Assert.That(e.Message, Does.Contain("distinct b by id"));
        }
        finally { ResultSize.MemoryForTests.Value = null; }
        Assert.That(Join.Run(a, b, "id", "id", false, "a", "b").RowCount, Is.EqualTo(4_000_000));
    }

    [Test]
    public void MatchAllWithAnAngleThatPairsEverythingStopsBeforeItOutgrowsMemory()
    {
        // 3,000 × 3,000 positions within a degree of each other: 9,000,000 pairs with 'all' and a 10° angle; with 64 MB to spend
        // the search stops early, saying how far it got; best is not affected (one pair per row)
        var rnd = new Random(5);
        Column Pos(string name, string ucd, double centre) => D(name, "deg", ucd, Enumerable.Range(0, 3000).Select(_ => (double?)(centre + rnd.NextDouble())).ToArray());
        var a = Make("a", Pos("ra", "pos.eq.ra;meta.main", 150), Pos("dec", "pos.eq.dec;meta.main", 2));
        var b = Make("b", Pos("ra", "pos.eq.ra;meta.main", 150), Pos("dec", "pos.eq.dec;meta.main", 2));
        ResultSize.MemoryForTests.Value = 64L << 20;
        try
        {
            var e = Assert.Throws<VoScriptException>(() => SkyMatch.Run(a, b, 10, MatchMode.All, "a", "b"))!;
            Assert.That(e.Message, Does.StartWith("match a, b within 36000 arcsec all: more than "));
            Assert.That(e.Message, Does.Contain("use a smaller angle"));
            Assert.That(SkyMatch.Run(a, b, 10, MatchMode.BestForA, "a", "b").RowCount, Is.EqualTo(3000), "one pair per row of a");
        }
        finally { ResultSize.MemoryForTests.Value = null; }
        Assert.That(SkyMatch.Run(a, b, 10, MatchMode.All, "a", "b").RowCount, Is.EqualTo(9_000_000));
    }

    [Test]
    public void GroupSumsOfWholeNumbersAreExactAndMeanPositionsOfOppositePointsAreNull()
    {
        var t = Make("t", L("key", 1, 1, 2, 3, 3), L("id", 9007199254740993, 1, 5, 7, 1),
            D("ra", "deg", "pos.eq.ra;meta.main", 10, 190, -10, 0, 0), D("dec", "deg", "pos.eq.dec;meta.main", 20, -20, 2.5, 0, 0));
        var g = GroupVerb.Run(t, ["key"], [new Aggregation("s", new Call("sum", [new ColumnRef("id")])), new Aggregation("p", new Call("mean_position", [new ColumnRef("ra"), new ColumnRef("dec")]))], "g");
        Assert.That(g.FindColumn("s")!.Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That(Cells(g, "s").Take(2), Is.EqualTo(new object?[] { 9007199254740994L, 5L }), "exact above 2^53");
        Assert.That(Cells(g, "p_ra"), Is.EqualTo(new object?[] { null, 350.0, 0.0 }), "opposite points have no mean; one point is its own (RA in 0–360)");
        Assert.That(Cells(g, "p_dec"), Is.EqualTo(new object?[] { null, 2.5, 0.0 }));
        var big = Make("big", L("key", 1, 1), L("id", long.MaxValue, 1));
        var e = Assert.Throws<VoScriptException>(() => GroupVerb.Run(big, ["key"], [new Aggregation("s", new Call("sum", [new ColumnRef("id")]))], "g"))!;
        Assert.That(e.Message, Does.Contain("does not fit in a 64-bit integer"));
    }

    [Test]
    public void StackMatchesColumnsByNameWidensAndConverts()
    {
        var a = Make("a", I("n", 1, 2), D("sep", "arcsec", null, 1.0, 2.0), S("name", "x", "y"));
        var b = Make("b", L("N", 3), D("sep", "arcmin", null, 1.0), D("extra", 5.0));
        var s = Stack.Run([("a", a), ("b", b)], "s");
        Assert.That(Names(s), Is.EqualTo(new[] { "n", "sep", "name", "extra" }));
        Assert.That(s.FindColumn("n")!.Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That(Cells(s, "n"), Is.EqualTo(new object?[] { 1L, 2L, 3L }));
        Assert.That(Cells(s, "sep"), Is.EqualTo(new object?[] { 1.0, 2.0, 60.0 }), "arcmin converted to the first table's arcsec");
        Assert.That(Cells(s, "name"), Is.EqualTo(new object?[] { "x", "y", null }));
        Assert.That(Cells(s, "extra"), Is.EqualTo(new object?[] { null, null, 5.0 }));
        var c = Make("c", S("sep", "far"));
        var p = Stack.Schema([("a", a.Fields.ToList()), ("c", c.Fields.ToList())]).Problems.Single();
        Assert.That(p.Message, Does.StartWith("column 'sep' is number (double) in arcsec in a but text (char) in c"));
        var m = Make("m", D("sep", "mag", null, 1.0));
        Assert.That(Stack.Schema([("a", a.Fields.ToList()), ("m", m.Fields.ToList())]).Problems.Single().Message, Does.Contain("the units do not mix"));
    }

    [Test]
    public void StackKeepsArraysWithTheirNullElementsAndColumnsOfOneType()
    {
        static Column Arrays(int[] data, int[] offsets, NullMask? nulls, NullMask? elementNulls) =>
            new ArrayColumn<int>(new Field("flux", DataType.Int, ArraySize.Variable), data, offsets, offsets.Length - 1, nulls, elementNulls);
        var elementNullsA = new NullMask(3);
        elementNullsA.Set(1);
        var a = Make("a", Arrays([1, 2, 3], [0, 2, 3], null, elementNullsA), I("n", 1, 2), B("ok", true, false));
        var nullsB = new NullMask(2);
        nullsB.Set(0);
        var elementNullsB = new NullMask(2);
        elementNullsB.Set(0);
        var b = Make("b", Arrays([9, 4, 5], [0, 1, 3], nullsB, elementNullsB), I("n", 3, 4), B("ok", false, true));
        var s = Stack.Run([("a", a), ("b", b)], "s");
        var flux = (ArrayColumn<int>)s.FindColumn("flux")!;
        Assert.That(Enumerable.Range(0, 4).Select(r => flux[r].ToArray()), Is.EqualTo(new[] { new[] { 1, 2 }, [3], [9], [4, 5] }));
        Assert.That(Enumerable.Range(0, 4).Select(flux.IsNull), Is.EqualTo(new[] { false, false, true, false }));
        Assert.That(flux.IsElementNull(0, 1), Is.True, "a's second element of row 0");
        Assert.That(flux.IsElementNull(2, 0), Is.True, "b's first element of row 0");
        Assert.That(new[] { flux.IsElementNull(0, 0), flux.IsElementNull(1, 0), flux.IsElementNull(3, 0), flux.IsElementNull(3, 1) }, Has.All.False);
        Assert.That(s.FindColumn("n"), Is.InstanceOf<ScalarColumn<int>>());
        Assert.That(Cells(s, "n"), Is.EqualTo(new object?[] { 1, 2, 3, 4 }));
        Assert.That(Cells(s, "ok"), Is.EqualTo(new object?[] { true, false, false, true }));
    }

    [Test]
    public void MatchNamesClashesAndNeedsPositions()
    {
        var a = Make("a", L("id", 1, 2), D("ra", "deg", "pos.eq.ra;meta.main", 10, 20), D("dec", "deg", "pos.eq.dec;meta.main", 0, 0));
        var b = Make("b", L("id", 7, 8, 9), D("RAJ2000", "deg", "pos.eq.ra;meta.main", 10.0002, 20.0, 10.0),
            D("DEJ2000", "deg", "pos.eq.dec;meta.main", 0, 0.0005, 0.0001));
        var m = SkyMatch.Run(a, b, 1.0 / 3600, MatchMode.All, "a", "b");
        Assert.That(Names(m), Is.EqualTo(new[] { "a_id", "ra", "dec", "b_id", "RAJ2000", "DEJ2000", "separation" }));
        Assert.That(Cells(m, "a_id"), Is.EqualTo(new object?[] { 1L, 1L }));
        Assert.That(Cells(m, "b_id"), Is.EqualTo(new object?[] { 9L, 7L }), "ordered by separation within a row of A");
        Assert.That((double)Cells(m, "separation")[0]!, Is.EqualTo(0.36).Within(1e-6));
        Assert.That(m.FindColumn("RAJ2000")!.Field.Ucd, Is.EqualTo("pos.eq.ra"), "B's position is no longer the main one");
        var best = SkyMatch.Run(a, b, 1.0 / 3600, MatchMode.Best, "a", "b");
        Assert.That(Cells(best, "b_id"), Is.EqualTo(new object?[] { 9L }));
        var within2 = SkyMatch.Run(a, b, 2.0 / 3600, MatchMode.BestForB, "a", "b");
        Assert.That(Cells(within2, "b_id"), Is.EqualTo(new object?[] { 9L, 7L, 8L }), "every row of B once, in the order of A's rows");
        var noPos = Make("n", L("id", 1));
        var p = SkyMatch.Schema(a.Fields.ToList(), noPos.Fields.ToList(), "a", "n").Problems.Single();
        Assert.That(p.Message, Does.StartWith("'n' has no position columns"));
    }

    [Test]
    public void BestKeepsTheClosestOfTheRowsOfAThatChoseARowOfB()
    {
        // A0 is 1" from B0; A1 is 0.5" from B0 and 1.5" from B1: both rows of A choose B0 as nearest, and
        // (A1,B0) is the closer, so A0 stays unmatched (STILTS find=best; B1 is not offered to A1 again).
        double[] raA = [0, 1.5 / 3600], decA = [0, 0];
        double[] raB = [1.0 / 3600, 3.0 / 3600], decB = [0, 0];
        var p = SkyMatch.Pairs(raA, decA, raB, decB, 1.6 / 3600, MatchMode.Best);
        Assert.That(p.A.Zip(p.B), Is.EqualTo(new[] { (1, 0) }));
        var best1 = SkyMatch.Pairs(raA, decA, raB, decB, 1.6 / 3600, MatchMode.BestForA);
        Assert.That(best1.A.Zip(best1.B), Is.EqualTo(new[] { (0, 0), (1, 0) }));
    }

    [Test]
    public void MatchFindsPairsAcrossRaZeroAndNearThePole()
    {
        double[] raA = [359.99995, 45, 0], decA = [0, 89.9999, -90];
        double[] raB = [0.00005, 225, 180], decB = [0, 89.9999, -89.99995];
        var p = SkyMatch.Pairs(raA, decA, raB, decB, 1.0 / 3600, MatchMode.All);
        Assert.That(p.A.Zip(p.B), Is.EqualTo(new[] { (0, 0), (1, 1), (2, 2) }));
    }

    [Test]
    public void MatchAgreesWithABruteForceSearch()
    {
        var rnd = new Random(7);
        const int n = 3000;
        double[] R(int k, Func<double> f) => Enumerable.Range(0, k).Select(_ => f()).ToArray();
        var raA = R(n, () => 10 + rnd.NextDouble()); var decA = R(n, () => rnd.NextDouble());
        var raB = R(n, () => 10 + rnd.NextDouble()); var decB = R(n, () => rnd.NextDouble());
        var r = 20.0 / 3600;
        var expected = new List<(int, int)>();
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) if (SkyMatch.Separation(raA[i], decA[i], raB[j], decB[j]) <= r) expected.Add((i, j));
        var p = SkyMatch.Pairs(raA, decA, raB, decB, r, MatchMode.All);
        Assert.That(p.A.Zip(p.B).OrderBy(x => x).ToList(), Is.EqualTo(expected));
    }
}
