using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// Writes one column into BINTABLE rows: its TFORM, width, TNULL and TDIM, the bytes of each
/// cell, and for variable-length arrays the descriptors and the heap.
/// </summary>
internal abstract class FitsColumnEncoder
{
    public required Column Column { get; init; }
    public required string Tform { get; init; }
    public required char Code { get; init; }
    public required int Width { get; init; }
    public long? TNull { get; init; }
    public int[]? Dims { get; init; }
    public int Offset { get; set; }

    /// <summary>Where this column's part of the heap starts.</summary>
    public long HeapBase { get; set; }

    /// <summary>Bytes this column puts on the heap (variable-length arrays only).</summary>
    public virtual long HeapBytes => 0;

    /// <summary>Writes the cells of rows <paramref name="first"/>.. into <paramref name="buf"/> (rows of <paramref name="rowWidth"/> bytes).</summary>
    public abstract void Encode(int first, int count, Span<byte> buf, int rowWidth);

    /// <summary>Whether <see cref="Encode"/> may run on several threads at once for disjoint rows (else it takes the rows in order).</summary>
    public virtual bool Splittable => true;

    public virtual void WriteHeap(Stream s) { }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Put<T>(Span<byte> d, T v) where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) d[0] = (byte)(object)v;
        else if (typeof(T) == typeof(short)) BinaryPrimitives.WriteInt16BigEndian(d, (short)(object)v);
        else if (typeof(T) == typeof(int)) BinaryPrimitives.WriteInt32BigEndian(d, (int)(object)v);
        else if (typeof(T) == typeof(long)) BinaryPrimitives.WriteInt64BigEndian(d, (long)(object)v);
        else if (typeof(T) == typeof(float)) BinaryPrimitives.WriteSingleBigEndian(d, (float)(object)v);
        else if (typeof(T) == typeof(double)) BinaryPrimitives.WriteDoubleBigEndian(d, (double)(object)v);
        else if (typeof(T) == typeof(bool)) d[0] = (bool)(object)v ? (byte)'T' : (byte)'F';
        else if (typeof(T) == typeof(char)) d[0] = (char)(object)v is var c && c is >= ' ' and <= '~' ? (byte)c : (byte)'?';
        else if (typeof(T) == typeof(ComplexFloat))
        {
            var c = (ComplexFloat)(object)v;
            BinaryPrimitives.WriteSingleBigEndian(d, c.Real);
            BinaryPrimitives.WriteSingleBigEndian(d[4..], c.Imaginary);
        }
        else if (typeof(T) == typeof(Complex))
        {
            var c = (Complex)(object)v;
            BinaryPrimitives.WriteDoubleBigEndian(d, c.Real);
            BinaryPrimitives.WriteDoubleBigEndian(d[8..], c.Imaginary);
        }
    }

    /// <summary>The fill of a null element: NaN for floating point, TNULL or 0 for integers, 0 (undefined) for L.</summary>
    internal static void PutNull<T>(Span<byte> d, long? tnull) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) BinaryPrimitives.WriteSingleBigEndian(d, float.NaN);
        else if (typeof(T) == typeof(double)) BinaryPrimitives.WriteDoubleBigEndian(d, double.NaN);
        else if (typeof(T) == typeof(ComplexFloat)) { BinaryPrimitives.WriteSingleBigEndian(d, float.NaN); BinaryPrimitives.WriteSingleBigEndian(d[4..], float.NaN); }
        else if (typeof(T) == typeof(Complex)) { BinaryPrimitives.WriteDoubleBigEndian(d, double.NaN); BinaryPrimitives.WriteDoubleBigEndian(d[8..], double.NaN); }
        else if (typeof(T) == typeof(char)) d[0] = (byte)' ';
        else if (typeof(T) == typeof(byte)) d[0] = (byte)(tnull ?? 0);
        else if (typeof(T) == typeof(short)) BinaryPrimitives.WriteInt16BigEndian(d, (short)(tnull ?? 0));
        else if (typeof(T) == typeof(int)) BinaryPrimitives.WriteInt32BigEndian(d, (int)(tnull ?? 0));
        else if (typeof(T) == typeof(long)) BinaryPrimitives.WriteInt64BigEndian(d, tnull ?? 0);
        else d[0] = 0;
    }

    internal static int SizeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(bool) || typeof(T) == typeof(char) ? 1 : System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}

internal sealed class ScalarEncoder<T> : FitsColumnEncoder where T : unmanaged
{
    public override void Encode(int first, int count, Span<byte> buf, int rowWidth)
    {
        var c = (ScalarColumn<T>)Column;
        var v = c.Values;
        if (Numbers(v.AsSpan(first, count), buf, rowWidth))
        {
            // the null cells after the values: their fill (NaN, TNULL) over whatever value they hold
            if (c.Nulls is { } nulls) PutNulls(nulls, first, count, buf, rowWidth);
            return;
        }
        var bit = Code == 'X';
        for (var r = 0; r < count; r++)
        {
            var d = buf.Slice(r * rowWidth + Offset, Width);
            var row = first + r;
            if (bit) d[0] = (bool)(object)v[row] && !c.IsNull(row) ? (byte)0x80 : (byte)0;
            else if (c.IsNull(row)) PutNull<T>(d, TNull);
            else Put(d, v[row]);
        }
    }

    /// <summary>Numbers big-endian into their place in each row, one loop per type; false for the other types.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool Numbers(ReadOnlySpan<T> values, Span<byte> buf, int rowWidth)
    {
        var n = values.Length;
        if (n == 0) return true;
        if (Code == 'X' || (long)(n - 1) * rowWidth + Offset + Width > buf.Length) return false;
        ref var d = ref System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buf), Offset);
        nint step = rowWidth;
        if (typeof(T) == typeof(double) || typeof(T) == typeof(long))
        {
            var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, long>(values);
            for (var i = 0; i < n; i++) System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref System.Runtime.CompilerServices.Unsafe.Add(ref d, i * step), BinaryPrimitives.ReverseEndianness(x[i]));
            return true;
        }
        if (typeof(T) == typeof(float) || typeof(T) == typeof(int))
        {
            var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, int>(values);
            for (var i = 0; i < n; i++) System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref System.Runtime.CompilerServices.Unsafe.Add(ref d, i * step), BinaryPrimitives.ReverseEndianness(x[i]));
            return true;
        }
        if (typeof(T) == typeof(short))
        {
            var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, short>(values);
            for (var i = 0; i < n; i++) System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref System.Runtime.CompilerServices.Unsafe.Add(ref d, i * step), BinaryPrimitives.ReverseEndianness(x[i]));
            return true;
        }
        if (typeof(T) == typeof(byte))
        {
            var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(values);
            for (var i = 0; i < n; i++) System.Runtime.CompilerServices.Unsafe.Add(ref d, i * step) = x[i];
            return true;
        }
        return false;
    }

    /// <summary>Writes the null fill of every null row among rows <paramref name="first"/>.. (<paramref name="count"/> of them).</summary>
    private void PutNulls(NullMask nulls, int first, int count, Span<byte> buf, int rowWidth)
    {
        var words = nulls.Words;
        var end = first + count;
        for (var w = first >> 6; w < words.Length && w << 6 < end; w++)
        {
            var bits = words[w];
            while (bits != 0)
            {
                var row = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (row < first || row >= end) continue;
                PutNull<T>(buf.Slice((row - first) * rowWidth + Offset, Width), TNull);
            }
        }
    }
}

internal sealed class StringEncoder : FitsColumnEncoder
{
    public override void Encode(int first, int count, Span<byte> buf, int rowWidth)
    {
        var c = (StringColumn)Column;
        if (Utf8)
        {
            // the bytes as they are (valid UTF-8: what encoding the cell's string would give)
            for (var r = 0; r < count; r++)
            {
                var d = buf.Slice(r * rowWidth + Offset, Width);
                var cell = c.Utf8(first + r);
                cell.CopyTo(d);
                d[cell.Length..].Clear();
            }
            return;
        }
        for (var r = 0; r < count; r++)
        {
            var d = buf.Slice(r * rowWidth + Offset, Width);
            d.Clear();
            if (c[first + r] is { } s) Encoding.UTF8.GetBytes(s, d);
        }
    }

    /// <summary>The column holds valid UTF-8 (<see cref="StringColumn.IsUtf8"/>): cells are copied, not made into strings and encoded again.</summary>
    public bool Utf8 { get; init; }

    /// <summary>Whether the cells of <paramref name="c"/> are held as valid UTF-8 (then copied as they are).</summary>
    public static bool ValidUtf8(StringColumn c)
    {
        if (!c.IsUtf8) return false;
        if (c.IsAscii) return true;
        for (var i = 0; i < c.Count; i++)
            if (!System.Text.Unicode.Utf8.IsValid(c.Utf8(i))) return false;
        return true;
    }

    /// <summary>The longest cell in UTF-8 bytes (at least 1: FITS has no 0A strings everyone reads).</summary>
    public static int MaxBytes(StringColumn c)
    {
        var max = 1;
        if (ValidUtf8(c))
        {
            for (var i = 0; i < c.Count; i++) max = Math.Max(max, c.Utf8(i).Length);
            return max;
        }
        for (var i = 0; i < c.Count; i++)
            if (c[i] is { } s) max = Math.Max(max, s.Length <= 64 && IsAscii(s) ? s.Length : Encoding.UTF8.GetByteCount(s));
        return max;
    }

    private static bool IsAscii(string s)
    {
        foreach (var ch in s) if (ch >= 0x80) return false;
        return true;
    }
}

internal sealed class FixedArrayEncoder<T> : FitsColumnEncoder where T : unmanaged
{
    public required int Repeat { get; init; }

    public override void Encode(int first, int count, Span<byte> buf, int rowWidth)
    {
        var c = (ArrayColumn<T>)Column;
        var size = SizeOf<T>();
        for (var r = 0; r < count; r++)
        {
            var d = buf.Slice(r * rowWidth + Offset, Width);
            var row = first + r;
            var cell = c.IsNull(row) ? [] : c[row];
            if (Code == 'X') { PackBits(cell, Repeat, d); continue; }
            var elementNulls = c.ElementNulls is not null && !c.IsNull(row);
            for (var i = 0; i < Repeat; i++)
            {
                var e = d.Slice(i * size, size);
                // a null element: TNULL for integers, 0 (undefined) for L; floats hold their NaN already
                if (i < cell.Length && !(elementNulls && c.IsElementNull(row, i))) Put(e, cell[i]);
                else PutNull<T>(e, TNull);
            }
        }
    }

    internal static void PackBits(ReadOnlySpan<T> cell, int n, Span<byte> d)
    {
        d.Clear();
        for (var i = 0; i < n && i < cell.Length; i++)
            if ((bool)(object)cell[i]) d[i >> 3] |= (byte)(0x80 >> (i & 7));
    }
}

internal sealed class VarArrayEncoder<T> : FitsColumnEncoder where T : unmanaged
{
    private long _next;

    /// <summary>The descriptors point at the heap in row order: the rows are taken in order.</summary>
    public override bool Splittable => false;

    /// <summary>Q (64-bit) descriptors instead of P.</summary>
    public required bool Wide { get; init; }

    private int CellBytes(int n) => Code == 'X' ? (n + 7) / 8 : n * SizeOf<T>();

    public override long HeapBytes
    {
        get
        {
            var c = (ArrayColumn<T>)Column;
            long total = 0;
            for (var r = 0; r < c.Count; r++) if (!c.IsNull(r)) total += CellBytes(c[r].Length);
            return total;
        }
    }

    public override void Encode(int first, int count, Span<byte> buf, int rowWidth)
    {
        var c = (ArrayColumn<T>)Column;
        for (var r = 0; r < count; r++)
        {
            var d = buf.Slice(r * rowWidth + Offset, Width);
            var n = c.IsNull(first + r) ? 0 : c[first + r].Length;
            var at = HeapBase + _next;
            if (Wide) { BinaryPrimitives.WriteInt64BigEndian(d, n); BinaryPrimitives.WriteInt64BigEndian(d[8..], at); }
            else { BinaryPrimitives.WriteInt32BigEndian(d, n); BinaryPrimitives.WriteInt32BigEndian(d[4..], (int)at); }
            _next += CellBytes(n);
        }
    }

    public override void WriteHeap(Stream s)
    {
        var c = (ArrayColumn<T>)Column;
        var size = SizeOf<T>();
        var buf = new byte[1 << 16];
        var used = 0;
        for (var r = 0; r < c.Count; r++)
        {
            if (c.IsNull(r)) continue;
            var cell = c[r];
            var bytes = CellBytes(cell.Length);
            if (bytes > buf.Length) Array.Resize(ref buf, bytes);
            if (used + bytes > buf.Length) { s.Write(buf, 0, used); used = 0; }
            var d = buf.AsSpan(used, bytes);
            if (Code == 'X') FixedArrayEncoder<T>.PackBits(cell, cell.Length, d);
            else
            {
                var elementNulls = c.ElementNulls is not null;
                for (var i = 0; i < cell.Length; i++)
                {
                    if (elementNulls && c.IsElementNull(r, i)) PutNull<T>(d.Slice(i * size, size), TNull);
                    else Put(d.Slice(i * size, size), cell[i]);
                }
            }
            used += bytes;
        }
        s.Write(buf, 0, used);
    }
}

/// <summary>Chooses a TNULL for an integer column with nulls: the declared null, else a value no cell uses.</summary>
internal static class NullChoice
{
    public static long? For<T>(ScalarColumn<T> c, long min, long max) where T : unmanaged
    {
        if (c.NullCount == 0) return null;
        var candidates = new List<long>();
        if (c.Field.Values?.Null is { } text && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var declared)
            && declared >= min && declared <= max) candidates.Add(declared);
        if (typeof(T) == typeof(byte)) candidates.AddRange([255, 0]);
        else candidates.AddRange([min, max, min + 1, max - 1]);
        foreach (var cand in candidates)
            if (!Used(c, cand)) return cand;
        // dense small types: look for any value no cell uses
        if (max - min <= ushort.MaxValue)
        {
            var used = new bool[max - min + 1];
            for (var i = 0; i < c.Count; i++) if (!c.IsNull(i)) used[ToLong(c.Values[i]) - min] = true;
            for (var i = 0; i < used.Length; i++) if (!used[i]) return min + i;
        }
        return null;
    }

    /// <summary>
    /// The TNULL of an integer array column whose elements can be null, or of a fixed-size one with null cells (a null
    /// cell is written as TNULL in every element: FITS has no other way to say it): the declared null when no element
    /// uses it as a value, else a value no element uses; null when nothing is null. A variable-length null cell is an
    /// empty array and needs none.
    /// </summary>
    public static long? For<T>(ArrayColumn<T> c, long min, long max) where T : unmanaged
    {
        if (c.ElementNulls is null && (c.Field.ArraySize.IsVariable || c.NullCount == 0)) return null;
        var candidates = new List<long>();
        if (c.Field.Values?.Null is { } text && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var declared)
            && declared >= min && declared <= max) candidates.Add(declared);
        if (typeof(T) == typeof(byte)) candidates.AddRange([255, 0]);
        else candidates.AddRange([min, max, min + 1, max - 1]);
        var used = new HashSet<long>();
        for (var r = 0; r < c.Count; r++)
        {
            if (c.IsNull(r)) continue;
            var cell = c[r];
            for (var i = 0; i < cell.Length; i++)
                if (!c.IsElementNull(r, i)) used.Add(ToLong(cell[i]));
        }
        foreach (var cand in candidates)
            if (!used.Contains(cand)) return cand;
        for (var v = min; v <= max; v++)
            if (!used.Contains(v)) return v;
        return null;
    }

    private static bool Used<T>(ScalarColumn<T> c, long v) where T : unmanaged
    {
        var vals = c.Values;
        for (var i = 0; i < vals.Length; i++) if (ToLong(vals[i]) == v && !c.IsNull(i)) return true;
        return false;
    }

    private static long ToLong<T>(T v) where T : unmanaged =>
        typeof(T) == typeof(byte) ? (byte)(object)v
        : typeof(T) == typeof(short) ? (short)(object)v
        : typeof(T) == typeof(int) ? (int)(object)v
        : (long)(object)v;
}
