using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// Decodes one BINTABLE column, a chunk of rows at a time, into typed storage: scalars,
/// fixed arrays (TDIM) and variable-length arrays (P/Q descriptors resolved against the heap).
/// </summary>
internal abstract class FitsColumnDecoder
{
    protected FitsColumnDecoder(FitsColumnSpec spec, int capacity)
    {
        Spec = spec;
        Capacity = Math.Max(16, capacity);
        IsScalar = !spec.IsVariable && spec.Repeat == 1 && spec.Dims is null;
        if (spec.IsVariable) { _varCount = new long[Capacity]; _varOffset = new long[Capacity]; }
        if (!IsScalar) Offsets = new int[Capacity + 1];
    }

    public FitsColumnSpec Spec { get; }
    protected int Capacity { get; }
    protected bool IsScalar { get; }
    /// <summary>Rows decoded (set by the reader for <see cref="Splittable"/> decoders, counted by the others).</summary>
    public int Rows { get; set; }

    /// <summary>
    /// Whether <see cref="DecodeSlice"/> may be called from several threads at once for disjoint row ranges, after
    /// <see cref="Reserve"/> made room for the chunk's rows (else <see cref="DecodeRows"/> takes each chunk in order).
    /// </summary>
    public virtual bool Splittable => false;

    /// <summary>Makes room for <paramref name="rows"/> rows in all; called before each chunk, on one thread.</summary>
    public virtual void Reserve(int rows) { }

    /// <summary>Decodes <paramref name="count"/> rows of <paramref name="chunk"/> from its row <paramref name="from"/> into rows <paramref name="firstRow"/>.. of the column.</summary>
    public virtual void DecodeSlice(ReadOnlySpan<byte> chunk, int rowWidth, int from, int count, int firstRow) =>
        throw new NotSupportedException();
    protected NullMask? Nulls;
    protected int[]? Offsets;
    private long[]? _varCount, _varOffset;
    private int _descRows;

    protected void MarkNull(int row) => (Nulls ??= new NullMask(Math.Max(64, row + 1))).Set(row);

    /// <summary>Null elements of array cells (TNULL of an integer array, 0 of a logical one), indexed like the flat data.</summary>
    protected NullMask? ElementNulls;

    protected void MarkElementNull(int index) => (ElementNulls ??= new NullMask(Math.Max(64, index + 1))).Set(index);

    public static FitsColumnDecoder Create(FitsColumnSpec s, int capacity) => s.Code switch
    {
        'B' or 'I' or 'J' or 'K' => new IntegerDecoder(s, capacity),
        'E' or 'D' => new FloatDecoder(s, capacity),
        'C' or 'M' => new ComplexDecoder(s, capacity),
        'L' => new LogicalDecoder(s, capacity),
        'X' => new BitDecoder(s, capacity),
        _ => new TextDecoder(s, capacity),
    };

    /// <summary>Decodes column cells of <paramref name="count"/> rows of <paramref name="rowWidth"/> bytes each.</summary>
    public void DecodeRows(ReadOnlySpan<byte> chunk, int rowWidth, int count)
    {
        var off = Spec.Offset;
        var w = Spec.Width;
        if (Spec.IsVariable)
        {
            for (var r = 0; r < count; r++)
            {
                var cell = chunk.Slice(r * rowWidth + off, w);
                long n = 0, o = 0;
                if (Spec.Repeat > 0)
                {
                    if (Spec.Descriptor == 'P') { n = BinaryPrimitives.ReadInt32BigEndian(cell); o = BinaryPrimitives.ReadInt32BigEndian(cell[4..]); }
                    else { n = BinaryPrimitives.ReadInt64BigEndian(cell); o = BinaryPrimitives.ReadInt64BigEndian(cell[8..]); }
                }
                if (_descRows == _varCount!.Length)
                {
                    Array.Resize(ref _varCount, _varCount.Length * 2);
                    Array.Resize(ref _varOffset, _varCount.Length);
                }
                _varCount[_descRows] = n;
                _varOffset![_descRows++] = o;
            }
            return;
        }
        if (IsScalar && DecodeScalars(chunk, rowWidth, count)) return;
        var elements = (int)Spec.Repeat;
        for (var r = 0; r < count; r++) AddCell(chunk.Slice(r * rowWidth + off, w), elements);
    }

    /// <summary>Decodes the scalar cells of <paramref name="count"/> rows in one loop, when this decoder can; false when not.</summary>
    protected virtual bool DecodeScalars(ReadOnlySpan<byte> chunk, int rowWidth, int count) => false;

    /// <summary>Rows the header announces (NAXIS2): storage grows up to that size and no further than needed.</summary>
    public long ExpectedRows { get; set; }

    /// <summary>Resolves the variable-length cells against the heap; a descriptor outside it is an error.</summary>
    public void ResolveHeap(ReadOnlySpan<byte> heap, string where, int maxElements = int.MaxValue)
    {
        if (!Spec.IsVariable) return;
        var size = Spec.Code == 'X' ? 0 : FitsColumnSpec.ElementSize(Spec.Code);
        for (var r = 0; r < _descRows; r++)
        {
            var n = _varCount![r];
            var o = _varOffset![r];
            var bytes = Spec.Code == 'X' ? (n + 7) / 8 : n * size;
            if (n < 0 || o < 0 || n > int.MaxValue || bytes > heap.Length || o > heap.Length - bytes)
                throw new FitsFormatException($"{where}: row {r + 1}, column {Spec.Number} '{Spec.Name}': the variable-length array descriptor ({n} elements at heap offset {o}) points outside the heap of {heap.Length} bytes (corrupt file?)");
            if (n > maxElements)
                throw new FitsFormatException($"{where}: row {r + 1}, column {Spec.Number} '{Spec.Name}': a variable-length array of {n} elements, more than the limit of {maxElements} (ReaderLimits.MaxArrayElements)");
            AddCell(heap.Slice((int)o, (int)bytes), (int)n);
        }
    }

    /// <summary>Appends one row of <paramref name="n"/> elements.</summary>
    protected virtual void AddCell(ReadOnlySpan<byte> raw, int n) => throw new NotSupportedException();

    /// <summary>The column; warnings (such as a lossy conversion) go to <paramref name="table"/>.</summary>
    public abstract Column Build(Table table);

    /// <summary>Records where row <see cref="Rows"/> starts in the flat storage and counts it.</summary>
    protected void EndRow(int dataLength)
    {
        if (Offsets is null) { Rows++; return; }
        if (Rows + 1 >= Offsets.Length) Array.Resize(ref Offsets, Offsets.Length * 2);
        Rows++;
        Offsets[Rows] = dataLength;
        if (Spec.IsVariable && dataLength == Offsets[Rows - 1]) MarkNull(Rows - 1);
    }

    protected ArraySize Size(bool text = false)
    {
        if (Spec.IsVariable) return ArraySize.Variable;
        if (text && (Spec.Dims is null || Spec.Dims.Length <= 1)) return ArraySize.Fixed((int)Spec.Repeat);
        if (IsScalar) return ArraySize.Scalar;
        return ArraySize.Fixed(Spec.Dims ?? [(int)Spec.Repeat]);
    }

    protected Column Make<T>(DataType type, T[] data, int length, string? nullText = null) where T : unmanaged
    {
        var f = Spec.ToField(type, Size());
        if (nullText is not null) f.Values = new FieldValues { Null = nullText };
        return IsScalar
            ? new ScalarColumn<T>(f, data, Rows, Nulls)
            : new ArrayColumn<T>(f, length == data.Length ? data : data[..length], Offsets!, Rows, Nulls, ElementNulls);
    }
}

/// <summary>Typed, growable flat storage for a decoder.</summary>
internal abstract class FitsDecoder<T>(FitsColumnSpec spec, int capacity) : FitsColumnDecoder(spec, capacity)
{
    protected T[] Data = new T[Math.Max(16, capacity) * (int)Math.Clamp(spec.IsVariable ? 1 : spec.Repeat, 1, 64)];
    protected int Length;

    protected Span<T> Grow(int n)
    {
        if ((long)Length + n > Array.MaxLength)
            throw new FitsFormatException($"column {Spec.Number} '{Spec.Name}' holds more than {Array.MaxLength} elements, more than one column can hold");
        if (Length + n > Data.Length)
        {
            var size = Math.Max(Length + n, (long)Data.Length * 2);
            // while the rows read stay within what the header announces, grow to that size at most (no copy at the end)
            var expected = IsScalar ? ExpectedRows : 0;
            if (Length + n <= expected) size = Math.Min(size, expected);
            Array.Resize(ref Data, (int)Math.Min(Array.MaxLength, size));
        }
        var s = Data.AsSpan(Length, n);
        Length += n;
        return s;
    }
}

internal sealed class IntegerDecoder(FitsColumnSpec spec, int capacity) : FitsDecoder<long>(spec, capacity)
{
    private const decimal Unsigned64Zero = 9223372036854775808m;

    protected override bool DecodeScalars(ReadOnlySpan<byte> chunk, int rowWidth, int count)
    {
        var d = Grow(count);
        var off = Spec.Offset;
        switch (Spec.Code)
        {
            case 'B': for (var r = 0; r < count; r++) d[r] = chunk[r * rowWidth + off]; break;
            case 'I': for (var r = 0; r < count; r++) d[r] = BinaryPrimitives.ReadInt16BigEndian(chunk[(r * rowWidth + off)..]); break;
            case 'J': for (var r = 0; r < count; r++) d[r] = BinaryPrimitives.ReadInt32BigEndian(chunk[(r * rowWidth + off)..]); break;
            default: for (var r = 0; r < count; r++) d[r] = BinaryPrimitives.ReadInt64BigEndian(chunk[(r * rowWidth + off)..]); break;
        }
        if (Spec.TNull is { } tn)
            for (var r = 0; r < count; r++) if (d[r] == tn) MarkNull(Rows + r);
        Rows += count;
        return true;
    }

    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        var d = Grow(n);
        switch (Spec.Code)
        {
            case 'B': for (var i = 0; i < n; i++) d[i] = raw[i]; break;
            case 'I': for (var i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadInt16BigEndian(raw[(2 * i)..]); break;
            case 'J': for (var i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadInt32BigEndian(raw[(4 * i)..]); break;
            default: for (var i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadInt64BigEndian(raw[(8 * i)..]); break;
        }
        if (Spec.TNull is { } tn)
        {
            if (IsScalar) { if (d[0] == tn) MarkNull(Rows); }
            else for (var i = 0; i < n; i++) if (d[i] == tn) MarkElementNull(Length - n + i);
        }
        EndRow(Length);
    }

    /// <summary>The range of the raw values of a B, I, J or K cell.</summary>
    internal static (decimal Lo, decimal Hi) Range(char code) => code switch
    {
        'B' => (0m, 255m),
        'I' => (short.MinValue, short.MaxValue),
        'J' => (int.MinValue, (decimal)int.MaxValue),
        _ => (long.MinValue, (decimal)long.MaxValue),
    };

    public override Column Build(Table table)
    {
        var (lo, hi) = Range(Spec.Code);
        var scaled = Spec.Scale != 1 || Spec.ZeroDouble != 0 || decimal.Truncate(Spec.Zero) != Spec.Zero;
        if (!scaled && Spec.Code == 'K' && Spec.Zero == Unsigned64Zero) return Unsigned64(table);
        if (!scaled && Spec.Code != 'K' || Spec.Zero == 0 && !scaled)
        {
            lo += Spec.Zero; hi += Spec.Zero;
            var z = lo >= long.MinValue && hi <= long.MaxValue ? (long)Spec.Zero : 0;
            var nullText = Spec.TNull is { } tn ? (tn + z).ToString(CultureInfo.InvariantCulture) : null;
            if (Spec.Code == 'B' && Spec.Zero == 0) return Make(DataType.UnsignedByte, Narrow(b => (byte)b), Length, nullText);
            if (lo >= short.MinValue && hi <= short.MaxValue) return Make(DataType.Short, Narrow(v => (short)(v + z)), Length, nullText);
            if (lo >= int.MinValue && hi <= int.MaxValue) return Make(DataType.Int, Narrow(v => (int)(v + z)), Length, nullText);
            if (lo >= long.MinValue && hi <= long.MaxValue)
            {
                if (z != 0) for (var i = 0; i < Length; i++) Data[i] += z;
                return Make(DataType.Long, Data, Length, nullText);
            }
        }
        // a real scale or offset: physical values are doubles, TNULL cells NaN
        var zero = Spec.ZeroDouble != 0 ? Spec.ZeroDouble : (double)Spec.Zero;
        var dbl = new double[Length];
        for (var i = 0; i < Length; i++) dbl[i] = Spec.TNull is { } t && Data[i] == t ? double.NaN : Data[i] * Spec.Scale + zero;
        ElementNulls = null; // doubles: a null element is NaN, as for float columns
        return Make(DataType.Double, dbl, Length);
    }

    private TOut[] Narrow<TOut>(Func<long, TOut> f)
    {
        var a = new TOut[Length];
        for (var i = 0; i < a.Length; i++) a[i] = f(Data[i]);
        return a;
    }

    /// <summary>TZERO = 2^63 on K: unsigned 64-bit values, kept as long while they fit, else doubles (with a warning).</summary>
    private Column Unsigned64(Table table)
    {
        var fits = true;
        for (var i = 0; i < Length; i++)
        {
            var nul = Spec.TNull is { } t && Data[i] == t;
            if (!nul && Data[i] >= 0) { fits = false; break; } // raw ≥ 0 means value ≥ 2^63
        }
        string? nullText = Spec.TNull is { } tn ? ((ulong)tn ^ 0x8000000000000000UL).ToString(CultureInfo.InvariantCulture) : null;
        if (fits)
        {
            for (var i = 0; i < Length; i++) Data[i] ^= long.MinValue;
            return Make(DataType.Long, Data, Length, fits && nullText is not null && ulong.Parse(nullText, CultureInfo.InvariantCulture) <= long.MaxValue ? nullText : null);
        }
        table.Warnings.Add("FITS-UNSIGNED-64", $"column '{Spec.Name}' holds unsigned 64-bit integers above 9223372036854775807; they are read as double (about 16 significant digits)");
        var d = new double[Length];
        for (var i = 0; i < Length; i++) d[i] = (ulong)(Data[i] ^ long.MinValue);
        if (Spec.TNull is { } tnull)
            for (var i = 0; i < Length; i++) if (Data[i] == tnull) d[i] = double.NaN;
        ElementNulls = null; // doubles: a null element is NaN, as for float columns
        return Make(DataType.Double, d, Length);
    }
}

internal sealed class FloatDecoder(FitsColumnSpec spec, int capacity) : FitsDecoder<double>(spec, capacity)
{
    protected override bool DecodeScalars(ReadOnlySpan<byte> chunk, int rowWidth, int count)
    {
        var d = Grow(count);
        var off = Spec.Offset;
        if (Spec.Code == 'E') for (var r = 0; r < count; r++) d[r] = BinaryPrimitives.ReadSingleBigEndian(chunk[(r * rowWidth + off)..]);
        else for (var r = 0; r < count; r++) d[r] = BinaryPrimitives.ReadDoubleBigEndian(chunk[(r * rowWidth + off)..]);
        for (var r = 0; r < count; r++) if (double.IsNaN(d[r])) MarkNull(Rows + r);
        Rows += count;
        return true;
    }

    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        var d = Grow(n);
        if (Spec.Code == 'E') for (var i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadSingleBigEndian(raw[(4 * i)..]);
        else for (var i = 0; i < n; i++) d[i] = BinaryPrimitives.ReadDoubleBigEndian(raw[(8 * i)..]);
        if (IsScalar && double.IsNaN(d[0])) MarkNull(Rows);
        EndRow(Length);
    }

    public override Column Build(Table table)
    {
        if (Spec.IsScaled)
        {
            var zero = Spec.ZeroDouble != 0 ? Spec.ZeroDouble : (double)Spec.Zero;
            for (var i = 0; i < Length; i++) Data[i] = Data[i] * Spec.Scale + zero;
            return Make(DataType.Double, Data, Length);
        }
        if (Spec.Code == 'D') return Make(DataType.Double, Data, Length);
        var f = new float[Length];
        for (var i = 0; i < f.Length; i++) f[i] = (float)Data[i];
        return Make(DataType.Float, f, Length);
    }
}

internal sealed class ComplexDecoder(FitsColumnSpec spec, int capacity) : FitsDecoder<Complex>(spec, capacity)
{
    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        var d = Grow(n);
        if (Spec.Code == 'C')
            for (var i = 0; i < n; i++) d[i] = new Complex(BinaryPrimitives.ReadSingleBigEndian(raw[(8 * i)..]), BinaryPrimitives.ReadSingleBigEndian(raw[(8 * i + 4)..]));
        else
            for (var i = 0; i < n; i++) d[i] = new Complex(BinaryPrimitives.ReadDoubleBigEndian(raw[(16 * i)..]), BinaryPrimitives.ReadDoubleBigEndian(raw[(16 * i + 8)..]));
        if (IsScalar && double.IsNaN(d[0].Real) && double.IsNaN(d[0].Imaginary)) MarkNull(Rows);
        EndRow(Length);
    }

    public override Column Build(Table table)
    {
        if (Spec.Code == 'M') return Make(DataType.DoubleComplex, Data, Length);
        var f = new ComplexFloat[Length];
        for (var i = 0; i < f.Length; i++) f[i] = new ComplexFloat((float)Data[i].Real, (float)Data[i].Imaginary);
        return Make(DataType.FloatComplex, f, Length);
    }
}

internal sealed class LogicalDecoder(FitsColumnSpec spec, int capacity) : FitsDecoder<bool>(spec, capacity)
{
    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        var d = Grow(n);
        for (var i = 0; i < n; i++) d[i] = raw[i] is (byte)'T' or (byte)'t' or 1;
        if (IsScalar) { if (raw[0] == 0) MarkNull(Rows); }
        else for (var i = 0; i < n; i++) if (raw[i] == 0) MarkElementNull(Length - n + i);
        EndRow(Length);
    }

    public override Column Build(Table table) => Make(DataType.Boolean, Data, Length);
}

internal sealed class BitDecoder(FitsColumnSpec spec, int capacity) : FitsDecoder<bool>(spec, capacity)
{
    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        var d = Grow(n);
        for (var i = 0; i < n; i++) d[i] = (raw[i >> 3] & (0x80 >> (i & 7))) != 0;
        EndRow(Length);
    }

    public override Column Build(Table table) => Make(DataType.Bit, Data, Length);
}

/// <summary>A columns: one string per cell (trailing blanks and NULs dropped, empty = null), or a char array for 2-d TDIM.</summary>
internal sealed class TextDecoder : FitsDecoder<char>
{
    private string?[] _strings;
    private readonly bool _asStrings;

    public TextDecoder(FitsColumnSpec spec, int capacity) : base(spec, spec.Dims is { Length: > 1 } ? capacity : 0)
    {
        _asStrings = spec.Dims is not { Length: > 1 };
        _strings = new string?[_asStrings ? Math.Max(16, capacity) : 0];
    }

    protected override void AddCell(ReadOnlySpan<byte> raw, int n)
    {
        if (_asStrings)
        {
            var cut = raw[..n].IndexOf((byte)0);
            var s = cut >= 0 ? raw[..cut] : raw[..n];
            var end = s.Length;
            while (end > 0 && s[end - 1] == (byte)' ') end--;
            if (Rows == _strings.Length) Array.Resize(ref _strings, _strings.Length * 2);
            if (end == 0) MarkNull(Rows);
            else _strings[Rows] = Ascii(s[..end]);
            Rows++;
            return;
        }
        var d = Grow(n);
        for (var i = 0; i < n; i++) d[i] = raw[i] == 0 ? ' ' : (char)raw[i];
        EndRow(Length);
    }

    /// <summary>ASCII as FITS says; beyond it UTF-8 (as astropy and VoScript write) or else Latin-1 (as STILTS writes).</summary>
    private static string Ascii(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
            if (b >= 0x80) return System.Text.Unicode.Utf8.IsValid(s) ? Encoding.UTF8.GetString(s) : Encoding.Latin1.GetString(s);
        return Encoding.ASCII.GetString(s);
    }

    public override Column Build(Table table)
    {
        if (!_asStrings) return Make(DataType.Char, Data, Length);
        return new StringColumn(Spec.ToField(DataType.Char, Size(text: true)), _strings, Rows, Nulls);
    }
}
