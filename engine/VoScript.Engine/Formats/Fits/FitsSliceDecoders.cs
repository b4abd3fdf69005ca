using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// Decoders of fixed-width cells (scalars and fixed arrays of B I J K E D L, and one-dimensional A text) that write
/// straight into the column's final storage, sized before each chunk by <see cref="FitsColumnDecoder.Reserve"/>: a
/// chunk's rows can then be split into slices decoded on several cores at once (each slice starts at a multiple of 64
/// rows, so no two threads touch one word of a null mask). Big-endian values are read with a byte swap per element
/// straight from the row bytes, into the column's type (no wider intermediate array, no second pass).
/// </summary>
internal abstract class SliceDecoder<T>(FitsColumnSpec spec) : FitsColumnDecoder(spec, 0) where T : unmanaged
{
    /// <summary>Rows to make room for at the first <see cref="Reserve"/>: all of them when the file is known to hold them.</summary>
    public int InitialCapacity { get; init; }

    protected T[] Data = [];
    private int _capacity;

    /// <summary>Elements per row.</summary>
    protected int Per => IsScalar ? 1 : (int)Spec.Repeat;

    /// <summary>Whether cells can be null (then the masks are kept sized with the storage).</summary>
    protected abstract bool CanBeNull { get; }

    public override bool Splittable => true;

    public override void Reserve(int rows)
    {
        if (rows <= _capacity) return;
        var size = Math.Max(Math.Max(rows, InitialCapacity), (long)_capacity * 2);
        if (ExpectedRows >= rows) size = Math.Min(size, ExpectedRows); // grow to the rows announced at most: no copy at the end
        if (size * Per > Array.MaxLength)
            throw new FitsFormatException($"column {Spec.Number} '{Spec.Name}' holds more than {Array.MaxLength} elements, more than one column can hold");
        Data = LargeArrays.Grown(Data, _capacity * Per, (int)size * Per);
        _capacity = (int)size;
        if (!CanBeNull) return;
        if (IsScalar) (Nulls ??= new NullMask(_capacity)).EnsureCapacity(_capacity);
        else if (MarksElementNulls) (ElementNulls ??= new NullMask(_capacity * Per)).EnsureCapacity(_capacity * Per);
    }

    /// <summary>Whether null elements of array cells are marked (integers with TNULL, logicals), not only null rows.</summary>
    protected virtual bool MarksElementNulls => false;

    public override void DecodeSlice(ReadOnlySpan<byte> chunk, int rowWidth, int from, int count, int firstRow)
    {
        if (count == 0) return;
        var per = Per;
        var rows = chunk.Slice(from * rowWidth, count * rowWidth);
        if (IsScalar)
        {
            Convert(rows[Spec.Offset..], rowWidth, count, Data.AsSpan(firstRow, count), Nulls, firstRow);
            return;
        }
        if (per == 0) return;
        var size = Spec.Width / per;
        var elementNulls = MarksElementNulls ? ElementNulls : null;
        for (var r = 0; r < count; r++)
        {
            var at = (firstRow + r) * per;
            Convert(rows.Slice(r * rowWidth + Spec.Offset, Spec.Width), size, per, Data.AsSpan(at, per), elementNulls, at);
        }
    }

    /// <summary>
    /// Decodes <paramref name="count"/> elements, element i at <c>src[i * stride]</c>, into <paramref name="dst"/>; null
    /// ones are set in <paramref name="nulls"/> (when given) at <paramref name="nullAt"/> + i.
    /// </summary>
    protected abstract void Convert(ReadOnlySpan<byte> src, int stride, int count, Span<T> dst, NullMask? nulls, int nullAt);

    /// <summary>Checks once that <paramref name="count"/> elements of <paramref name="size"/> bytes at stride fit in <paramref name="src"/>.</summary>
    protected static ref byte Start(ReadOnlySpan<byte> src, int stride, int count, int size, int dstLength)
    {
        if (count > dstLength || (long)(count - 1) * stride + size > src.Length) throw new ArgumentOutOfRangeException(nameof(count));
        return ref MemoryMarshal.GetReference(src);
    }

    protected NullMask? KeptNulls(NullMask? m, int count) => m is not null && m.Count(count) > 0 ? m : null;

    protected T[] Trimmed(int rows) => LargeArrays.Trimmed(Data, rows * Per);

    protected Column Make(DataType type, T[] data, string? nullText = null)
    {
        Nulls = KeptNulls(Nulls, Rows);
        ElementNulls = KeptNulls(ElementNulls, Rows * Per);
        var f = Spec.ToField(type, Size());
        if (nullText is not null) f.Values = new FieldValues { Null = nullText };
        if (IsScalar) return new ScalarColumn<T>(f, data, Rows, Nulls);
        var offsets = new int[Rows + 1];
        for (var r = 1; r <= Rows; r++) offsets[r] = offsets[r - 1] + Per;
        return new ArrayColumn<T>(f, data, offsets, Rows, Nulls, ElementNulls);
    }
}

/// <summary>Reads one big-endian integer of a BINTABLE type as a long.</summary>
internal interface IRawInteger
{
    static abstract int Size { get; }
    static abstract long Read(ref byte p);
}

internal readonly struct RawB : IRawInteger
{
    public static int Size => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static long Read(ref byte p) => p;
}

internal readonly struct RawI : IRawInteger
{
    public static int Size => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static long Read(ref byte p) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<short>(ref p));
}

internal readonly struct RawJ : IRawInteger
{
    public static int Size => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static long Read(ref byte p) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<int>(ref p));
}

internal readonly struct RawK : IRawInteger
{
    public static int Size => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static long Read(ref byte p) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<long>(ref p));
}

/// <summary>
/// B I J K cells into the type their range needs after TZERO (byte, short, int, long), or doubles when TSCAL/TZERO
/// scale them (TNULL cells NaN); TNULL marks null cells and null array elements.
/// </summary>
internal sealed class SliceIntegerDecoder<T>(FitsColumnSpec spec, DataType type, long zero, string? nullText) : SliceDecoder<T>(spec)
    where T : unmanaged, INumberBase<T>
{
    protected override bool CanBeNull => Spec.TNull is not null;
    // doubles hold a null element as NaN, as float columns do
    protected override bool MarksElementNulls => typeof(T) != typeof(double);

    protected override void Convert(ReadOnlySpan<byte> src, int stride, int count, Span<T> dst, NullMask? nulls, int nullAt)
    {
        switch (Spec.Code)
        {
            case 'B': Run<RawB>(src, stride, count, dst, nulls, nullAt); break;
            case 'I': Run<RawI>(src, stride, count, dst, nulls, nullAt); break;
            case 'J': Run<RawJ>(src, stride, count, dst, nulls, nullAt); break;
            default: Run<RawK>(src, stride, count, dst, nulls, nullAt); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run<TRaw>(ReadOnlySpan<byte> src, int stride, int count, Span<T> dst, NullMask? nulls, int nullAt) where TRaw : IRawInteger
    {
        ref var p = ref Start(src, stride, count, TRaw.Size, dst.Length);
        ref var d = ref MemoryMarshal.GetReference(dst);
        nint step = stride;
        if (typeof(T) == typeof(double))
        {
            var scale = Spec.Scale;
            var z = Spec.ZeroDouble != 0 ? Spec.ZeroDouble : (double)Spec.Zero;
            var hasNull = Spec.TNull is not null;
            var tn = Spec.TNull ?? 0;
            for (var i = 0; i < count; i++)
            {
                var raw = TRaw.Read(ref Unsafe.Add(ref p, i * step));
                if (hasNull && raw == tn)
                {
                    Unsafe.Add(ref d, i) = T.CreateTruncating(double.NaN);
                    nulls?.Set(nullAt + i);
                }
                else Unsafe.Add(ref d, i) = T.CreateTruncating(raw * scale + z);
            }
            return;
        }
        if (Spec.TNull is { } tnull)
        {
            for (var i = 0; i < count; i++)
            {
                var raw = TRaw.Read(ref Unsafe.Add(ref p, i * step));
                Unsafe.Add(ref d, i) = T.CreateTruncating(raw + zero);
                if (raw == tnull) nulls?.Set(nullAt + i);
            }
            return;
        }
        for (var i = 0; i < count; i++) Unsafe.Add(ref d, i) = T.CreateTruncating(TRaw.Read(ref Unsafe.Add(ref p, i * step)) + zero);
    }

    public override Column Build(Table table) => Make(type, Trimmed(Rows), nullText);
}

/// <summary>E and D cells as float or double (doubles when TSCAL/TZERO scale them); a NaN scalar is a null cell.</summary>
internal sealed class SliceFloatDecoder<T>(FitsColumnSpec spec) : SliceDecoder<T>(spec) where T : unmanaged
{
    protected override bool CanBeNull => IsScalar;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Convert(ReadOnlySpan<byte> src, int stride, int count, Span<T> dst, NullMask? nulls, int nullAt)
    {
        var single = Spec.Code == 'E';
        ref var p = ref Start(src, stride, count, single ? 4 : 8, dst.Length);
        nint step = stride;
        if (typeof(T) == typeof(float))
        {
            ref var d = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(dst));
            for (var i = 0; i < count; i++)
            {
                var v = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p, i * step))));
                Unsafe.Add(ref d, i) = v;
                if (float.IsNaN(v)) nulls?.Set(nullAt + i);
            }
            return;
        }
        ref var dd = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(dst));
        var scaled = Spec.IsScaled;
        var scale = Spec.Scale;
        var zero = Spec.ZeroDouble != 0 ? Spec.ZeroDouble : (double)Spec.Zero;
        for (var i = 0; i < count; i++)
        {
            ref var at = ref Unsafe.Add(ref p, i * step);
            double v = single
                ? BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<int>(ref at)))
                : BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<long>(ref at)));
            if (double.IsNaN(v)) nulls?.Set(nullAt + i);
            Unsafe.Add(ref dd, i) = scaled ? v * scale + zero : v;
        }
    }

    public override Column Build(Table table) =>
        Make(typeof(T) == typeof(float) ? DataType.Float : DataType.Double, Trimmed(Rows));
}

/// <summary>L cells: T (or t, or 1) is true, 0 is null (undefined), anything else false.</summary>
internal sealed class SliceLogicalDecoder(FitsColumnSpec spec) : SliceDecoder<bool>(spec)
{
    protected override bool CanBeNull => true;
    protected override bool MarksElementNulls => true;

    protected override void Convert(ReadOnlySpan<byte> src, int stride, int count, Span<bool> dst, NullMask? nulls, int nullAt)
    {
        Start(src, stride, count, 1, dst.Length);
        for (var i = 0; i < count; i++)
        {
            var b = src[i * stride];
            dst[i] = b is (byte)'T' or (byte)'t' or 1;
            if (b == 0) nulls?.Set(nullAt + i);
        }
    }

    public override Column Build(Table table) => Make(DataType.Boolean, Trimmed(Rows));
}

/// <summary>
/// One-dimensional A cells as one UTF-8 buffer with offsets (no string per cell): a NUL ends the text, trailing
/// blanks go, an empty cell is null; bytes beyond ASCII are UTF-8 when they are valid UTF-8, else Latin-1 (as STILTS
/// writes), converted to UTF-8.
/// </summary>
internal sealed class SliceTextDecoder(FitsColumnSpec spec) : FitsColumnDecoder(spec, 0)
{
    /// <summary>Rows to make room for at the first <see cref="Reserve"/>: all of them when the file is known to hold them.</summary>
    public int InitialCapacity { get; init; }

    private byte[] _bytes = [];
    private int[] _lengths = [0];
    private int _capacity;
    private int Width => (int)Spec.Repeat;

    public override bool Splittable => true;

    public override void Reserve(int rows)
    {
        if (rows <= _capacity) return;
        var size = Math.Max(Math.Max(rows, InitialCapacity), (long)_capacity * 2);
        if (ExpectedRows >= rows) size = Math.Min(size, ExpectedRows);
        if (size * Width > Array.MaxLength)
            throw new FitsFormatException($"column {Spec.Number} '{Spec.Name}' holds more than {Array.MaxLength} bytes of text, more than one column can hold");
        _bytes = LargeArrays.Grown(_bytes, _capacity * Width, (int)size * Width);
        _lengths = LargeArrays.Grown(_lengths, _capacity + 1, (int)size + 1);
        _lengths[0] = 0;
        _capacity = (int)size;
        (Nulls ??= new NullMask(_capacity)).EnsureCapacity(_capacity);
    }

    public override void DecodeSlice(ReadOnlySpan<byte> chunk, int rowWidth, int from, int count, int firstRow)
    {
        var w = Width;
        var nulls = Nulls!;
        for (var r = 0; r < count; r++)
        {
            var cell = chunk.Slice((from + r) * rowWidth + Spec.Offset, w);
            var cut = cell.IndexOf((byte)0);
            var s = cut >= 0 ? cell[..cut] : cell;
            var end = s.TrimEnd((byte)' ').Length;
            s[..end].CopyTo(_bytes.AsSpan((firstRow + r) * w, end));
            _lengths[firstRow + r + 1] = end;
            if (end == 0) nulls.Set(firstRow + r);
        }
    }

    public override Column Build(Table table)
    {
        // cells sit at row × width; moved together (left only, in place), lengths become offsets
        var w = Width;
        var offsets = _lengths.Length == Rows + 1 ? _lengths : LargeArrays.Trimmed(_lengths, Rows + 1);
        var at = 0;
        for (var r = 0; r < Rows; r++)
        {
            var len = offsets[r + 1];
            if (at != r * w && len > 0) Buffer.BlockCopy(_bytes, r * w, _bytes, at, len);
            offsets[r] = at;
            at += len;
        }
        offsets[0] = 0;
        offsets[Rows] = at;
        var bytes = _bytes;
        if (!Ascii.IsValid(bytes.AsSpan(0, at))) (bytes, at) = Latin1Cells(bytes, offsets);
        // a buffer much larger than its text (long fixed cells of short text) is copied to its size
        if (bytes.Length > 2L * at + 4096) bytes = LargeArrays.Trimmed(bytes, at);
        var nulls = Nulls is { } m && m.Count(Rows) > 0 ? m : null;
        return new StringColumn(Spec.ToField(DataType.Char, Size(text: true)), bytes, offsets, Rows, nulls);
    }

    /// <summary>The cells that are not valid UTF-8 read as Latin-1 and encoded as UTF-8 (a new buffer when any is).</summary>
    private (byte[] Bytes, int Length) Latin1Cells(byte[] bytes, int[] offsets)
    {
        var any = false;
        for (var r = 0; r < Rows && !any; r++)
            any = !System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(offsets[r], offsets[r + 1] - offsets[r]));
        if (!any) return (bytes, offsets[Rows]);
        var output = new List<byte>(offsets[Rows] * 2);
        var start = 0;
        for (var r = 0; r < Rows; r++)
        {
            var cell = bytes.AsSpan(offsets[r], offsets[r + 1] - offsets[r]);
            offsets[r] = start;
            if (System.Text.Unicode.Utf8.IsValid(cell)) output.AddRange(cell);
            else output.AddRange(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(cell)));
            start = output.Count;
        }
        offsets[Rows] = start;
        return (output.ToArray(), start);
    }
}

/// <summary>Chooses the decoder of a column: the sliced ones for fixed-width cells they handle, else the general ones.</summary>
internal static class FitsDecoders
{
    private const decimal Unsigned64Zero = 9223372036854775808m;

    public static FitsColumnDecoder Create(FitsColumnSpec s, int capacity)
    {
        if (s.IsVariable) return FitsColumnDecoder.Create(s, capacity);
        switch (s.Code)
        {
            case 'B' or 'I' or 'J' or 'K':
                return Integer(s, capacity) ?? FitsColumnDecoder.Create(s, capacity);
            case 'E' or 'D':
                return s.Code == 'E' && !s.IsScaled ? new SliceFloatDecoder<float>(s) { InitialCapacity = capacity } : new SliceFloatDecoder<double>(s) { InitialCapacity = capacity };
            case 'L':
                return new SliceLogicalDecoder(s) { InitialCapacity = capacity };
            case 'A' when s.Dims is not { Length: > 1 }:
                return new SliceTextDecoder(s) { InitialCapacity = capacity };
            default:
                return FitsColumnDecoder.Create(s, capacity);
        }
    }

    /// <summary>The integer decoder for the type the values need after TZERO (as <see cref="IntegerDecoder"/> builds it); null for unsigned 64-bit (decided by the values).</summary>
    private static FitsColumnDecoder? Integer(FitsColumnSpec s, int capacity)
    {
        var scaled = s.Scale != 1 || s.ZeroDouble != 0 || decimal.Truncate(s.Zero) != s.Zero;
        if (!scaled && s.Code == 'K' && s.Zero == Unsigned64Zero) return null;
        if (!scaled && s.Code != 'K' || s.Zero == 0 && !scaled)
        {
            var (lo, hi) = IntegerDecoder.Range(s.Code);
            lo += s.Zero; hi += s.Zero;
            if (lo >= long.MinValue && hi <= long.MaxValue)
            {
                var z = (long)s.Zero;
                var nullText = s.TNull is { } tn ? (tn + z).ToString(CultureInfo.InvariantCulture) : null;
                if (s.Code == 'B' && z == 0) return new SliceIntegerDecoder<byte>(s, DataType.UnsignedByte, z, nullText) { InitialCapacity = capacity };
                if (lo >= short.MinValue && hi <= short.MaxValue) return new SliceIntegerDecoder<short>(s, DataType.Short, z, nullText) { InitialCapacity = capacity };
                if (lo >= int.MinValue && hi <= int.MaxValue) return new SliceIntegerDecoder<int>(s, DataType.Int, z, nullText) { InitialCapacity = capacity };
                return new SliceIntegerDecoder<long>(s, DataType.Long, z, nullText) { InitialCapacity = capacity };
            }
        }
        // a real scale or offset: physical values are doubles, TNULL cells NaN
        return new SliceIntegerDecoder<double>(s, DataType.Double, 0, null) { InitialCapacity = capacity };
    }
}
