using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VoScript.Engine.Model;

/// <summary>
/// Gathers a column's cells by a list of row numbers into a new column (sort, top, distinct, join, match, stack,
/// select and cluster all come here through <see cref="Column.Select"/> or VerbColumns.Take): one typed loop per
/// column kind, no boxing, storage not zeroed first (GC.AllocateUninitializedArray), null masks built a 64-row word at a time, text copied as UTF-8
/// bytes. A row of -1 (when <c>missing</c> is allowed) gives a null cell. Large lists are split into blocks of whole
/// 64-row words taken on all cores.
/// </summary>
internal static class ColumnGather
{
    /// <summary>Rows per block when a gather is split over cores (a multiple of 64).</summary>
    internal const int Block = 1 << 16;

    /// <summary>Runs <paramref name="body"/> over [0, <paramref name="n"/>) in blocks of <see cref="Block"/> rows, on all cores when there are several.</summary>
    private static void Blocks(int n, Action<int, int> body)
    {
        var blocks = (n + Block - 1) / Block;
        if (blocks <= 1 || Environment.ProcessorCount == 1) { body(0, n); return; }
        Parallel.For(0, blocks, b => body(b * Block, Math.Min(n, (b + 1) * Block)));
    }

    /// <summary>The scalars of <paramref name="c"/> at <paramref name="rows"/>.</summary>
    public static ScalarColumn<T> Scalars<T>(ScalarColumn<T> c, int[] rows, Field field, bool missing) where T : unmanaged
    {
        var n = rows.Length;
        var src = c.Values;
        var v = GC.AllocateUninitializedArray<T>(n);
        var srcNulls = c.Nulls;
        var words = srcNulls is not null || missing ? new ulong[(n + 63) >> 6] : null;
        var anyNull = 0;
        Blocks(n, (from, to) =>
        {
            var hasNull = Values(src, rows, v, from, to, missing);
            if (words is not null && NullWords(srcNulls, rows, words, from, to, missing)) Volatile.Write(ref anyNull, 1);
            if (hasNull) Volatile.Write(ref anyNull, 1);
        });
        return new ScalarColumn<T>(field, v, anyNull != 0 ? NullMask.FromWords(words!) : null);
    }

    /// <summary>Copies the values; a row of -1 gives the default value. True when such a row was met.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Values<T>(T[] src, int[] rows, T[] dst, int from, int to, bool missing) where T : unmanaged
    {
        if (!missing)
        {
            for (var i = from; i < to; i++) dst[i] = src[rows[i]];
            return false;
        }
        var any = false;
        for (var i = from; i < to; i++)
        {
            var r = rows[i];
            if (r < 0) { dst[i] = default; any = true; }
            else dst[i] = src[r];
        }
        return any;
    }

    /// <summary>Sets the null bits of rows [from, to) (whole words; <paramref name="from"/> is a multiple of 64); true when any is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NullWords(NullMask? srcNulls, int[] rows, ulong[] words, int from, int to, bool missing)
    {
        var src = srcNulls is null ? default : srcNulls.Words;
        var any = 0UL;
        for (var w = from >> 6; w << 6 < to; w++)
        {
            var bits = 0UL;
            var end = Math.Min(to, (w + 1) << 6);
            for (var i = w << 6; i < end; i++)
            {
                var r = rows[i];
                var isNull = r < 0 ? missing : (uint)(r >> 6) < (uint)src.Length && (src[r >> 6] & (1UL << (r & 63))) != 0;
                if (isNull) bits |= 1UL << (i & 63);
            }
            words[w] = bits;
            any |= bits;
        }
        return any != 0;
    }

    /// <summary>The null mask of <paramref name="rows"/> (-1 null when <paramref name="missing"/>), or null when none is null.</summary>
    public static NullMask? Nulls(NullMask? srcNulls, int[] rows, bool missing)
    {
        if (srcNulls is null && !missing) return null;
        var words = new ulong[(rows.Length + 63) >> 6];
        var any = 0;
        Blocks(rows.Length, (from, to) => { if (NullWords(srcNulls, rows, words, from, to, missing)) Volatile.Write(ref any, 1); });
        return any != 0 ? NullMask.FromWords(words) : null;
    }

    /// <summary>The text of <paramref name="c"/> at <paramref name="rows"/>: UTF-8 bytes when it holds them, else the same strings.</summary>
    public static StringColumn Strings(StringColumn c, int[] rows, Field field, bool missing)
    {
        var n = rows.Length;
        if (!c.IsUtf8 || c.HasStrings)
        {
            var v = new string?[n];
            for (var i = 0; i < n; i++) v[i] = rows[i] < 0 && missing ? null : c[rows[i]];
            return new StringColumn(field, v);
        }
        var nulls = Nulls(c.Nulls, rows, missing);
        var (bytes, srcOffsets) = c.Utf8Storage;
        var offsets = new int[n + 1];
        long total = 0;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            if (r >= 0 && (nulls is null || !nulls[i])) total += srcOffsets[r + 1] - srcOffsets[r];
            if (total > Array.MaxLength) throw new VoScriptException($"column '{c.Name}': the selected text is too large for one buffer");
            offsets[i + 1] = (int)total;
        }
        var dst = GC.AllocateUninitializedArray<byte>((int)total);
        Blocks(n, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                var len = offsets[i + 1] - offsets[i];
                if (len > 0) Buffer.BlockCopy(bytes, srcOffsets[rows[i]], dst, offsets[i], len);
            }
        });
        return new StringColumn(field, dst, offsets, n, nulls);
    }

    /// <summary>The array cells of <paramref name="c"/> at <paramref name="rows"/>, with their null elements.</summary>
    public static ArrayColumn<T> Arrays<T>(ArrayColumn<T> c, int[] rows, Field field, bool missing) where T : unmanaged
    {
        var n = rows.Length;
        var offsets = new int[n + 1];
        long total = 0;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            if (r >= 0) total += c.Offsets[r + 1] - c.Offsets[r];
            if (total > Array.MaxLength) throw new VoScriptException($"column '{c.Name}': the selected arrays are too large for one column");
            offsets[i + 1] = (int)total;
        }
        var data = GC.AllocateUninitializedArray<T>((int)total);
        NullMask? elementNulls = null;
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            if (r < 0) continue;
            c[r].CopyTo(data.AsSpan(offsets[i]));
            c.CopyElementNulls(r, ref elementNulls, offsets[i]);
        }
        return new ArrayColumn<T>(field, data, offsets, n, Nulls(c.Nulls, rows, missing), elementNulls);
    }

    /// <summary>Scalar columns of one storage type, one after the other (<c>stack</c>).</summary>
    public static ScalarColumn<T> ConcatScalars<T>(IReadOnlyList<Column> pieces, Field field, int total) where T : unmanaged
    {
        var v = new T[total];
        NullMask? nulls = null;
        var at = 0;
        foreach (ScalarColumn<T> c in pieces)
        {
            c.Values.AsSpan(0, c.Count).CopyTo(v.AsSpan(at));
            if (c.Nulls is not null) for (var i = 0; i < c.Count; i++) if (c.IsNull(i)) (nulls ??= new NullMask(total)).Set(at + i);
            at += c.Count;
        }
        return new ScalarColumn<T>(field, v, nulls);
    }

    /// <summary>Array columns of one storage type, one after the other (<c>stack</c>), with their null elements.</summary>
    public static ArrayColumn<T> ConcatArrays<T>(IReadOnlyList<Column> pieces, Field field, int total) where T : unmanaged
    {
        var offsets = new int[total + 1];
        long elements = 0;
        var at = 0;
        foreach (ArrayColumn<T> c in pieces)
        {
            for (var i = 0; i < c.Count; i++)
            {
                offsets[at + i] = (int)elements;
                elements += c.Offsets[i + 1] - c.Offsets[i];
                if (elements > Array.MaxLength) throw new VoScriptException($"column '{c.Name}': the stacked arrays are too large for one column");
            }
            at += c.Count;
        }
        offsets[total] = (int)elements;
        var data = GC.AllocateUninitializedArray<T>((int)elements);
        NullMask? nulls = null;
        NullMask? elementNulls = null;
        at = 0;
        foreach (ArrayColumn<T> c in pieces)
        {
            for (var i = 0; i < c.Count; i++)
            {
                c[i].CopyTo(data.AsSpan(offsets[at + i]));
                if (c.IsNull(i)) (nulls ??= new NullMask(total)).Set(at + i);
                if (c.ElementNulls is { } m)
                    for (var e = c.Offsets[i]; e < c.Offsets[i + 1]; e++)
                        if (m[e]) (elementNulls ??= new NullMask((int)elements)).Set(offsets[at + i] + e - c.Offsets[i]);
            }
            at += c.Count;
        }
        return new ArrayColumn<T>(field, data, offsets, total, nulls, elementNulls);
    }
}
