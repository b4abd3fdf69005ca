using System.Globalization;
using System.Numerics;

namespace VoScript.Engine.Model;

/// <summary>
/// Count, nulls, minimum, maximum and mean of one column. Numeric columns are summarised
/// over their values (array columns over their elements, without null cells and null elements); NaN counts as null. Text columns
/// report the lexically first and last value and no mean.
/// </summary>
public sealed record ColumnStatistics(string Name, int Rows, int Nulls, double? Min, double? Max, double? Mean, string? MinText = null, string? MaxText = null)
{
    /// <summary>Non-null cells.</summary>
    public int Count => Rows - Nulls;

    /// <summary>Statistics of every column of <paramref name="table"/>.</summary>
    public static IReadOnlyList<ColumnStatistics> Of(Table table)
    {
        var result = new ColumnStatistics[table.ColumnCount];
        Parallel.For(0, table.ColumnCount, i => result[i] = Of(table.Columns[i]));
        return result;
    }

    /// <summary>Statistics of <paramref name="column"/>.</summary>
    public static ColumnStatistics Of(Column column) => column switch
    {
        ScalarColumn<double> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<float> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<long> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<int> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<short> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<byte> c => Numeric(c.Name, c.Values, c.Nulls),
        ScalarColumn<bool> c => Booleans(c),
        StringColumn c => Text(c),
        ArrayColumn<double> c => Elements(c),
        ArrayColumn<float> c => Elements(c),
        ArrayColumn<long> c => Elements(c),
        ArrayColumn<int> c => Elements(c),
        ArrayColumn<short> c => Elements(c),
        ArrayColumn<byte> c => Elements(c),
        _ => new ColumnStatistics(column.Name, column.Count, column.NullCount, null, null, null),
    };

    private static ColumnStatistics Numeric<T>(string name, T[] values, NullMask? nulls) where T : unmanaged, INumber<T>
    {
        T min = default, max = default;
        double sum = 0;
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls is not null && nulls[i]) continue;
            var t = values[i];
            if (T.IsNaN(t)) continue;
            if (n == 0 || t < min) min = t;
            if (n == 0 || t > max) max = t;
            sum += double.CreateTruncating(t);
            n++;
        }
        // Min and max keep their own type's text (a long id stays exact, a float prints as written).
        return n == 0
            ? new ColumnStatistics(name, values.Length, values.Length, null, null, null)
            : new ColumnStatistics(name, values.Length, values.Length - n, double.CreateTruncating(min), double.CreateTruncating(max), sum / n,
                min.ToString(null, CultureInfo.InvariantCulture), max.ToString(null, CultureInfo.InvariantCulture));
    }

    /// <summary>An array column over its elements: those of null cells and null elements (VALUES null, NaN) are not values.</summary>
    private static ColumnStatistics Elements<T>(ArrayColumn<T> c) where T : unmanaged, INumber<T>
    {
        NullMask? skip = c.ElementNulls;
        if (c.NullCount > 0)
        {
            var total = c.Offsets[c.Count];
            var m = new NullMask(Math.Max(1, total));
            for (var r = 0; r < c.Count; r++)
                for (var i = c.Offsets[r]; i < c.Offsets[r + 1]; i++)
                    if (c.IsNull(r) || skip is not null && skip[i]) m.Set(i);
            skip = m;
        }
        var s = Numeric(c.Name, c.Data.Length == c.Offsets[c.Count] ? c.Data : c.Data[..c.Offsets[c.Count]], skip);
        return s with { Rows = c.Count, Nulls = c.NullCount };
    }

    private static ColumnStatistics Booleans(ScalarColumn<bool> c)
    {
        var n = 0;
        var trues = 0;
        for (var i = 0; i < c.Count; i++)
        {
            if (c.IsNull(i)) continue;
            n++;
            if (c.Values[i]) trues++;
        }
        return n == 0
            ? new ColumnStatistics(c.Name, c.Count, c.Count, null, null, null)
            : new ColumnStatistics(c.Name, c.Count, c.Count - n, trues == n ? 1 : 0, trues > 0 ? 1 : 0, (double)trues / n);
    }

    private static ColumnStatistics Text(StringColumn c)
    {
        if (c.IsUtf8 && c.IsAscii) return AsciiText(c);
        string? min = null, max = null;
        var n = 0;
        foreach (var v in c.Values)
        {
            if (v is null) continue;
            n++;
            if (min is null || string.CompareOrdinal(v, min) < 0) min = v;
            if (max is null || string.CompareOrdinal(v, max) > 0) max = v;
        }
        return new ColumnStatistics(c.Name, c.Count, c.Count - n, null, null, null, min, max);
    }

    /// <summary>The same for ASCII text held as UTF-8: byte order is ordinal order, and only min and max become strings.</summary>
    private static ColumnStatistics AsciiText(StringColumn c)
    {
        int min = -1, max = -1, n = 0;
        for (var i = 0; i < c.Count; i++)
        {
            if (c.IsNull(i)) continue;
            n++;
            var v = c.Utf8(i);
            if (min < 0 || v.SequenceCompareTo(c.Utf8(min)) < 0) min = i;
            if (max < 0 || v.SequenceCompareTo(c.Utf8(max)) > 0) max = i;
        }
        return new ColumnStatistics(c.Name, c.Count, c.Count - n, null, null, null,
            min < 0 ? null : c[min], max < 0 ? null : c[max]);
    }
}
