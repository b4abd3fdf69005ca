using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>A sort key: a column, ascending unless <paramref name="Descending"/>.</summary>
public sealed record SortKey(string Column, bool Descending = false);

/// <summary>
/// <c>sort T by COL [desc], … as NAME</c>, <c>top N of T [by COL [desc], …] as NAME</c> and
/// <c>distinct T by COL, … as NAME</c>. Sorting is stable and puts nulls (and NaN) last, also with
/// <c>desc</c>; numbers compare by value (integers exactly), texts ordinally, false before true.
/// It sorts typed keys (one primitive sort per key, from the last key to the first), never cells as objects.
/// </summary>
public static class Sorting
{
    /// <summary>The columns are the input's; the problems are unknown or unsortable key columns.</summary>
    public static VerbSchema SortSchema(IReadOnlyList<Field> input, IReadOnlyList<SortKey> keys, string table = "the table", int firstItem = 0)
    {
        var problems = new List<VerbProblem>();
        for (var k = 0; k < keys.Count; k++)
        {
            var i = VerbColumns.Find(input, keys[k].Column);
            if (i < 0) problems.Add(VerbColumns.Unknown(keys[k].Column, input, table, firstItem + k));
            else if (!Sortable(input[i]))
                problems.Add(new VerbProblem(VerbProblemKind.Mismatch, $"column '{input[i].Name}' holds {(input[i].ArraySize.IsScalar ? "complex numbers" : "arrays")}, which have no order")
                { Subject = keys[k].Column, Item = firstItem + k });
        }
        return new VerbSchema(input, problems);
    }

    private static bool Sortable(Field f) => f.IsString || (f.ArraySize.IsScalar && f.DataType is not (DataType.FloatComplex or DataType.DoubleComplex));

    /// <summary>The rows of <paramref name="t"/> sorted by <paramref name="keys"/>.</summary>
    public static Table Sort(Table t, IReadOnlyList<SortKey> keys, string? name = null)
    {
        SortSchema(VerbColumns.FieldsOf(t), keys, t.Name ?? "the table").OrThrow("sort");
        return Rows(t, Order(t, keys), name);
    }

    /// <summary>The first <paramref name="n"/> rows of <paramref name="t"/>, after sorting by <paramref name="keys"/> if any.</summary>
    public static Table Top(Table t, long n, IReadOnlyList<SortKey>? keys = null, string? name = null)
    {
        if (n < 0) throw new VoScriptException($"top needs a count of 0 or more rows, not {n}");
        keys ??= [];
        SortSchema(VerbColumns.FieldsOf(t), keys, t.Name ?? "the table").OrThrow("top");
        var order = keys.Count == 0 ? ColumnVerbs.Identity(t.RowCount) : Order(t, keys);
        var take = (int)Math.Min(n, order.Length);
        return Rows(t, order[..take], name);
    }

    /// <summary>The columns are the input's; the problems are unknown key columns.</summary>
    public static VerbSchema DistinctSchema(IReadOnlyList<Field> input, IReadOnlyList<string> keys, string table = "the table")
    {
        var problems = new List<VerbProblem>();
        for (var k = 0; k < keys.Count; k++)
            if (VerbColumns.Find(input, keys[k]) < 0) problems.Add(VerbColumns.Unknown(keys[k], input, table, k));
        return new VerbSchema(input, problems);
    }

    /// <summary>The first row of each distinct key (nulls are one key), in input order.</summary>
    public static Table Distinct(Table t, IReadOnlyList<string> keys, string? name = null)
    {
        var input = VerbColumns.FieldsOf(t);
        DistinctSchema(input, keys, t.Name ?? "the table").OrThrow("distinct");
        var g = Grouping.Build(keys.Select(k => t.Columns[VerbColumns.Find(input, k)]).ToList(), t.RowCount);
        return Rows(t, g.FirstRow, name);
    }

    private static Table Rows(Table t, int[] rows, string? name)
    {
        var r = t.SelectRows(rows);
        r.Name = name ?? t.Name;
        r.Warnings.AddRange(t.Warnings);
        return r;
    }

    /// <summary>The stable order of the rows of <paramref name="t"/> by <paramref name="keys"/>: least significant key first, each pass stable.</summary>
    public static int[] Order(Table t, IReadOnlyList<SortKey> keys)
    {
        var input = VerbColumns.FieldsOf(t);
        var perm = ColumnVerbs.Identity(t.RowCount);
        for (var k = keys.Count - 1; k >= 0; k--)
            perm = StableBy(t.Columns[VerbColumns.Find(input, keys[k].Column)], perm, keys[k].Descending);
        return perm;
    }

    /// <summary>
    /// <paramref name="perm"/> reordered stably by the column's values (nulls last in their present order).
    /// Numbers become order-preserving unsigned keys sorted with the positions; equal runs are then put
    /// back in position order, which makes the primitive (unstable) sort stable.
    /// </summary>
    private static int[] StableBy(Column c, int[] perm, bool desc)
    {
        var n = perm.Length;
        var nonNull = new int[n];
        var nulls = new List<int>();
        var m = 0;
        if (c is ScalarColumn<double> or ScalarColumn<float>)
        {
            foreach (var r in perm) if (c.IsNull(r) || double.IsNaN(c.GetDouble(r))) nulls.Add(r); else nonNull[m++] = r;
        }
        else foreach (var r in perm) if (c.IsNull(r)) nulls.Add(r); else nonNull[m++] = r;

        var pos = ColumnVerbs.Identity(m);
        if (c is StringColumn s)
        {
            var keys = new string[m];
            for (var i = 0; i < m; i++) keys[i] = s.Values[nonNull[i]]!;
            IComparer<string> cmp = desc ? Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)) : StringComparer.Ordinal;
            Array.Sort(keys, pos, cmp);
            var start = 0;
            for (var i = 1; i <= m; i++)
                if (i == m || !string.Equals(keys[i], keys[start], StringComparison.Ordinal))
                {
                    if (i - start > 1) Array.Sort(pos, start, i - start);
                    start = i;
                }
        }
        else
        {
            var keys = new ulong[m];
            switch (c)
            {
                case ScalarColumn<double> d:
                    for (var i = 0; i < m; i++) keys[i] = DoubleKey(d.Values[nonNull[i]]);
                    break;
                case ScalarColumn<float> f:
                    for (var i = 0; i < m; i++) keys[i] = DoubleKey(f.Values[nonNull[i]]);
                    break;
                case ScalarColumn<long> or ScalarColumn<int> or ScalarColumn<short> or ScalarColumn<byte> or ScalarColumn<bool>:
                    {
                        var v = Grouping.Longs(c);
                        for (var i = 0; i < m; i++) keys[i] = (ulong)v[nonNull[i]] ^ 0x8000_0000_0000_0000UL;
                        break;
                    }
                default:
                    for (var i = 0; i < m; i++) keys[i] = DoubleKey(c.GetDouble(nonNull[i]));
                    break;
            }
            if (desc) for (var i = 0; i < m; i++) keys[i] = ~keys[i];
            Array.Sort(keys, pos);
            var start = 0;
            for (var i = 1; i <= m; i++)
                if (i == m || keys[i] != keys[start])
                {
                    if (i - start > 1) Array.Sort(pos, start, i - start);
                    start = i;
                }
        }
        var result = new int[n];
        for (var i = 0; i < m; i++) result[i] = nonNull[pos[i]];
        nulls.CopyTo(result, m);
        return result;
    }

    /// <summary>An unsigned key in the order of the doubles (-0 = 0).</summary>
    private static ulong DoubleKey(double v)
    {
        if (v == 0) v = 0;
        var bits = (ulong)BitConverter.DoubleToInt64Bits(v);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }
}
