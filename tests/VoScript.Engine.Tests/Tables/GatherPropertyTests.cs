using System.Numerics;
using System.Text;
using CsCheck;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using static VoScript.Engine.Tests.Formats.FitsTestSupport;

namespace VoScript.Engine.Tests.Tables;

/// <summary>
/// Gathering columns by row lists (<see cref="VerbColumns.Take"/> with -1 for a missing row, and <see cref="Column.Select"/>)
/// against a naive gather, cell by cell, for every column kind with nulls, null array elements, UTF-8 and string text,
/// at sizes below and above the blocks the fast gather splits over cores.
/// </summary>
public class GatherPropertyTests
{
    private const int Kinds = 14;

    /// <summary>A column of kind <paramref name="kind"/> with <paramref name="n"/> random rows, some null.</summary>
    internal static Column MakeColumn(int kind, int n, int seed)
    {
        var rnd = new Random(seed);
        NullMask? Nulls()
        {
            if (rnd.Next(3) == 0) return null;
            var m = new NullMask(n);
            for (var i = 0; i < n; i++) if (rnd.Next(4) == 0) m.Set(i);
            return m;
        }
        T[] Fill<T>(int count, Func<T> f) { var a = new T[count]; for (var i = 0; i < count; i++) a[i] = f(); return a; }
        ScalarColumn<T> S<T>(DataType t, Func<T> f) where T : unmanaged => new(new Field("c", t), Fill(n, f), Nulls());
        string?[] Words() => Fill(n, () => rnd.Next(5) == 0 ? null : new[] { "a", "", "Ångström", "longer text", "√2" }[rnd.Next(5)]);
        switch (kind)
        {
            case 0: return S(DataType.Boolean, () => rnd.Next(2) == 0);
            case 1: return S(DataType.UnsignedByte, () => (byte)rnd.Next(256));
            case 2: return S(DataType.Short, () => (short)rnd.Next(-300, 300));
            case 3: return S(DataType.Int, () => rnd.Next());
            case 4: return S(DataType.Long, () => rnd.NextInt64());
            case 5: return S(DataType.Float, () => rnd.Next(9) == 0 ? float.NaN : (float)rnd.NextDouble());
            case 6: return S(DataType.Double, () => rnd.NextDouble());
            case 7: return S(DataType.FloatComplex, () => new ComplexFloat((float)rnd.NextDouble(), 1));
            case 8: return S(DataType.DoubleComplex, () => new Complex(rnd.NextDouble(), -1));
            case 9: return new StringColumn(new Field("c", DataType.UnicodeChar, ArraySize.Variable), Words());
            case 10:
                {
                    var words = Words();
                    var bytes = new List<byte>();
                    var offsets = new int[n + 1];
                    var nulls = new NullMask(n);
                    for (var i = 0; i < n; i++)
                    {
                        if (words[i] is { } w) bytes.AddRange(Encoding.UTF8.GetBytes(w));
                        else
                        {
                            nulls.Set(i);
                            if (rnd.Next(2) == 0) bytes.AddRange("junk"u8.ToArray()); // a null cell's bytes are not its text
                        }
                        offsets[i + 1] = bytes.Count;
                    }
                    return new StringColumn(new Field("c", DataType.UnicodeChar, ArraySize.Variable), bytes.ToArray(), offsets, n, nulls);
                }
            case 11:
                {
                    var elements = new NullMask(3 * n);
                    for (var i = 0; i < 3 * n; i++) if (rnd.Next(5) == 0) elements.Set(i);
                    return new ArrayColumn<int>(new Field("c", DataType.Int, ArraySize.Fixed(3)), Fill(3 * n, () => rnd.Next(100)),
                        Enumerable.Range(0, n + 1).Select(i => 3 * i).ToArray(), n, Nulls(), elements);
                }
            case 12:
                {
                    var offsets = new int[n + 1];
                    for (var i = 0; i < n; i++) offsets[i + 1] = offsets[i] + rnd.Next(4);
                    return new ArrayColumn<double>(new Field("c", DataType.Double, ArraySize.Variable), Fill(offsets[n], () => rnd.NextDouble()), offsets, n, Nulls());
                }
            default:
                {
                    // a string column whose null cells were set after it was made (its strings stay)
                    var c = new StringColumn(new Field("c", DataType.Char, ArraySize.Variable), Fill(n, () => "x" + rnd.Next(9)));
                    for (var i = 0; i < n; i++) if (rnd.Next(4) == 0) c.SetNull(i);
                    return c;
                }
        }
    }

    private static int[] RowList(int n, int count, int seed, bool missing)
    {
        var rnd = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => n == 0 || missing && rnd.Next(6) == 0 ? -1 : rnd.Next(n)).ToArray();
    }

    /// <summary>The naive gather's cell: null, or the source cell's canonical text.</summary>
    private static string Naive(Column c, int row) => row < 0 || c.IsNull(row) ? "NULL" : Canon(c, row);

    private static void Check(Column c, int[] rows, Column taken, Field field)
    {
        Assert.That(taken.Count, Is.EqualTo(rows.Length));
        Assert.That(taken.GetType(), Is.EqualTo(c.GetType()));
        Assert.That(taken.Field, Is.SameAs(field));
        for (var i = 0; i < rows.Length; i++)
        {
            var got = taken.IsNull(i) ? "NULL" : Canon(taken, i);
            if (got != Naive(c, rows[i])) Assert.Fail($"row {i} (source row {rows[i]}): {got}, expected {Naive(c, rows[i])}");
        }
        Assert.That(taken.NullCount, Is.EqualTo(rows.Count(r => r < 0 || c.IsNull(r))));
    }

    [Test]
    public void TakeAndSelectEqualANaiveGatherForEveryColumnKind()
    {
        Gen.Select(Gen.Int[0, Kinds - 1], Gen.Int[0, 200], Gen.Int[0, 300], Gen.Int, Gen.Bool).Sample((kind, n, count, seed, missing) =>
        {
            var c = MakeColumn(kind, n, seed);
            var rows = RowList(n, count, seed + 1, missing);
            var field = new Field("taken", c.Field.DataType, c.Field.ArraySize);
            Check(c, rows, VerbColumns.Take(c, rows, field), field);
            if (!rows.Contains(-1))
            {
                Check(c, rows, c.Select(rows, field), field);
                Check(c, rows, c.Select(rows.ToList(), field), field); // the list path (not an array)
            }
        }, iter: 1500);
    }

    [Test]
    public void LargeGathersSplitOverCoresEqualTheNaiveOne()
    {
        const int n = 150_000;
        for (var kind = 0; kind < Kinds; kind++)
        {
            var c = MakeColumn(kind, n, kind);
            foreach (var missing in new[] { false, true })
            {
                var rows = RowList(n, 3 * ColumnGather.Block + 17, kind + 100, missing);
                var field = new Field("taken", c.Field.DataType, c.Field.ArraySize);
                Check(c, rows, VerbColumns.Take(c, rows, field), field);
            }
        }
    }
}
