using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Selection;

/// <summary>
/// Rows sorted into groups of equal keys: the group of each row (0, 1, … in order of first
/// appearance), the first row of each group, and on demand the rows of each group in order.
/// Keys compare by value: numbers by value (integers exactly, -0 = 0), strings ordinally, and all nulls are one key (as SQL GROUP BY).
/// </summary>
internal sealed class Grouping
{
    private int[]? _order;
    private int[]? _offsets;

    private Grouping(int[] groupOf, int count, int[] firstRow)
    {
        GroupOf = groupOf;
        Count = count;
        FirstRow = firstRow;
    }

    /// <summary>The group of each row.</summary>
    public int[] GroupOf { get; }

    /// <summary>The number of groups.</summary>
    public int Count { get; }

    /// <summary>The first row of each group (ascending).</summary>
    public int[] FirstRow { get; }

    /// <summary>The rows ordered by group, then by row (a counting sort).</summary>
    public int[] Order => _order ?? Sort().Order;

    /// <summary>Group g's rows are <c>Order[Offsets[g]..Offsets[g+1]]</c>.</summary>
    public int[] Offsets => _offsets ?? Sort().Offsets;

    private (int[] Order, int[] Offsets) Sort()
    {
        var offsets = new int[Count + 1];
        foreach (var g in GroupOf) offsets[g + 1]++;
        for (var g = 0; g < Count; g++) offsets[g + 1] += offsets[g];
        var next = (int[])offsets.Clone();
        var order = new int[GroupOf.Length];
        for (var i = 0; i < GroupOf.Length; i++) order[next[GroupOf[i]]++] = i;
        _order = order;
        _offsets = offsets;
        return (order, offsets);
    }

    /// <summary>The groups of <paramref name="rows"/> rows by the values of <paramref name="keys"/> (one group of all rows when there are no keys).</summary>
    public static Grouping Build(IReadOnlyList<Column> keys, int rows)
    {
        if (keys.Count == 0)
            return new Grouping(new int[rows], rows == 0 ? 0 : 1, rows == 0 ? [] : [0]);
        var (ids, count) = DenseIds(keys[0]);
        for (var k = 1; k < keys.Count; k++)
        {
            var (next, _) = DenseIds(keys[k]);
            var combined = new Dictionary<long, int>();
            for (var i = 0; i < rows; i++)
            {
                var key = ((long)ids[i] << 32) | (uint)next[i];
                if (!combined.TryGetValue(key, out var g)) combined[key] = g = combined.Count;
                ids[i] = g;
            }
            count = combined.Count;
        }
        var first = new int[count];
        Array.Fill(first, -1);
        for (var i = 0; i < rows; i++) if (first[ids[i]] < 0) first[ids[i]] = i;
        return new Grouping(ids, count, first);
    }

    /// <summary>Dense ids of a column's values in order of first appearance (null is one value).</summary>
    private static (int[] Ids, int Count) DenseIds(Column c)
    {
        var n = c.Count;
        var ids = new int[n];
        var nullId = -1;
        var next = 0;
        switch (c)
        {
            case StringColumn s:
                {
                    var d = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < n; i++)
                    {
                        var v = s[i];
                        if (v is null) { if (nullId < 0) nullId = next++; ids[i] = nullId; continue; }
                        if (!d.TryGetValue(v, out var id)) d[v] = id = next++;
                        ids[i] = id;
                    }
                    return (ids, next);
                }
            case ScalarColumn<double> or ScalarColumn<float>:
                {
                    var d = new Dictionary<long, int>();
                    for (var i = 0; i < n; i++)
                    {
                        var v = c.GetDouble(i);
                        if (double.IsNaN(v)) { if (nullId < 0) nullId = next++; ids[i] = nullId; continue; }
                        var bits = BitConverter.DoubleToInt64Bits(v == 0 ? 0.0 : v);
                        if (!d.TryGetValue(bits, out var id)) d[bits] = id = next++;
                        ids[i] = id;
                    }
                    return (ids, next);
                }
            case ScalarColumn<long> or ScalarColumn<int> or ScalarColumn<short> or ScalarColumn<byte> or ScalarColumn<bool>:
                {
                    var values = Longs(c);
                    var d = new Dictionary<long, int>();
                    for (var i = 0; i < n; i++)
                    {
                        if (c.IsNull(i)) { if (nullId < 0) nullId = next++; ids[i] = nullId; continue; }
                        if (!d.TryGetValue(values[i], out var id)) d[values[i]] = id = next++;
                        ids[i] = id;
                    }
                    return (ids, next);
                }
            default:
                {
                    var d = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < n; i++)
                    {
                        if (c.IsNull(i)) { if (nullId < 0) nullId = next++; ids[i] = nullId; continue; }
                        var v = c.FormatCell(i);
                        if (!d.TryGetValue(v, out var id)) d[v] = id = next++;
                        ids[i] = id;
                    }
                    return (ids, next);
                }
        }
    }

    /// <summary>The values of an integer or boolean column as longs (fill values where null).</summary>
    internal static long[] Longs(Column c)
    {
        switch (c)
        {
            case ScalarColumn<long> l: return l.Values;
            case ScalarColumn<int> x: { var r = new long[x.Count]; for (var i = 0; i < r.Length; i++) r[i] = x.Values[i]; return r; }
            case ScalarColumn<short> x: { var r = new long[x.Count]; for (var i = 0; i < r.Length; i++) r[i] = x.Values[i]; return r; }
            case ScalarColumn<byte> x: { var r = new long[x.Count]; for (var i = 0; i < r.Length; i++) r[i] = x.Values[i]; return r; }
            case ScalarColumn<bool> x: { var r = new long[x.Count]; for (var i = 0; i < r.Length; i++) r[i] = x.Values[i] ? 1 : 0; return r; }
            default: throw new ArgumentException($"column '{c.Name}' is not an integer column");
        }
    }
}
