using CsCheck;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using static VoScript.Engine.Tests.Verbs.TableBuilder;

namespace VoScript.Engine.Tests.Verbs;

/// <summary>Properties of the verbs on random tables (CsCheck): they must hold for every input, not just the examples.</summary>
public class VerbPropertyTests
{
    // few distinct keys, so that ties (stability) and nulls are frequent
    private static readonly string?[] Words = [null, "a", "b", "B", "ab", ""];
    private static readonly Gen<double?> Key = Gen.Int[-4, 3].Select(i => i == -4 ? null : (double?)(i * 0.5));
    private static readonly Gen<string?> Word = Gen.Int[0, Words.Length - 1].Select(i => Words[i]);
    private static readonly Gen<(double?[] K, string?[] W)> Rows = Gen.Int[0, 60].SelectMany(n => Gen.Select(Key.Array[n], Word.Array[n]));

    private static Table T((double?[] K, string?[] W) r) =>
        Make("t", D("k", r.K), S("w", r.W), L("row", Enumerable.Range(0, r.K.Length).Select(i => (long?)i).ToArray()));

    private static long[] RowIds(Table t) => Cells(t, "row").Select(x => (long)x!).ToArray();

    [Test]
    public void SortIsAStableSortWithNullsLastInBothDirections()
    {
        Rows.Sample(r =>
        {
            var t = T(r);
            var idx = Enumerable.Range(0, r.K.Length).ToArray();
            foreach (var desc in new[] { false, true })
            {
                var expected = idx.OrderBy(i => r.K[i] is null ? 1 : 0)
                    .ThenBy(i => desc ? -(r.K[i] ?? 0) : r.K[i] ?? 0)
                    .Select(i => (long)i).ToArray();
                Assert.That(RowIds(Sorting.Sort(t, [new SortKey("k", desc)])), Is.EqualTo(expected));
            }
            // two keys: text descending (ordinal), then number ascending
            var two = idx.OrderBy(i => r.W[i] is null ? 1 : 0).ThenByDescending(i => r.W[i] ?? "", StringComparer.Ordinal)
                .ThenBy(i => r.K[i] is null ? 1 : 0).ThenBy(i => r.K[i] ?? 0).Select(i => (long)i).ToArray();
            Assert.That(RowIds(Sorting.Sort(t, [new SortKey("w", true), new SortKey("k")])), Is.EqualTo(two));
        }, iter: 300);
    }

    [Test]
    public void DistinctKeepsTheFirstRowOfEveryKeyInInputOrder()
    {
        Rows.Sample(r =>
        {
            var expected = Enumerable.Range(0, r.K.Length).GroupBy(i => (r.K[i], r.W[i])).Select(g => (long)g.First()).ToArray();
            Assert.That(RowIds(Sorting.Distinct(T(r), ["k", "w"])), Is.EqualTo(expected));
        }, iter: 300);
    }

    [Test]
    public void StackKeepsEveryRowAndKeepRestoresTheInputs()
    {
        Gen.Select(Rows, Rows).Sample((a, b) =>
        {
            var ta = T(a);
            var tb = Make("u", S("w", b.W), D("extra", b.K));
            var s = Stack.Run([("t", ta), ("u", tb)]);
            Assert.That(s.RowCount, Is.EqualTo(ta.RowCount + tb.RowCount));
            Assert.That(Names(s), Is.EqualTo(new[] { "k", "w", "row", "extra" }));
            var back = ColumnVerbs.Keep(Sorting.Top(s, ta.RowCount), ["k", "w", "row"]);
            Assert.That(Cells(back, "k"), Is.EqualTo(Cells(ta, "k")));
            Assert.That(Cells(back, "w"), Is.EqualTo(Cells(ta, "w")));
            Assert.That(Cells(s, "row").Skip(ta.RowCount), Is.All.Null, "rows of u have no 'row'");
            Assert.That(Cells(s, "w").Skip(ta.RowCount), Is.EqualTo(b.W));
        }, iter: 200);
    }

    [Test]
    public void GroupCountsAddUpAndKeysAreDistinct()
    {
        Rows.Sample(r =>
        {
            var g = GroupVerb.Run(T(r), ["w"], [new Aggregation("n", VoScript.Engine.Science.Selection.Expr.Count()), new Aggregation("s", VoScript.Engine.Science.Selection.Expr.Fn("sum", VoScript.Engine.Science.Selection.Expr.Col("k")))]);
            Assert.That(Cells(g, "n").Sum(x => (long)x!), Is.EqualTo(r.K.Length));
            Assert.That(Cells(g, "w").Distinct().Count(), Is.EqualTo(g.RowCount));
            for (var i = 0; i < g.RowCount; i++)
            {
                var w = (string?)Cells(g, "w")[i];
                var ks = Enumerable.Range(0, r.K.Length).Where(j => r.W[j] == w && r.K[j] is not null).Select(j => r.K[j]!.Value).ToList();
                Assert.That(Cells(g, "s")[i], Is.EqualTo(ks.Count == 0 ? null : ks.Sum()));
            }
        }, iter: 200);
    }
}
