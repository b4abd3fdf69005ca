using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>Accumulates one column while reading; typed, growable, no per-cell boxing.</summary>
public abstract class ColumnBuilder
{
    /// <summary>A builder for <paramref name="field"/> whose wire array size is <paramref name="wire"/>, reporting to <paramref name="warnings"/>.</summary>
    protected ColumnBuilder(Field field, ArraySize wire, IWarningSink warnings)
    {
        Field = field;
        Wire = wire;
        W = warnings;
    }

    /// <summary>The field the column is built for.</summary>
    public Field Field { get; }

    /// <summary>The arraysize that fixes the binary layout (as declared, before repairs).</summary>
    public ArraySize Wire { get; }

    /// <summary>Where problems of cells go.</summary>
    protected IWarningSink W { get; }
    /// <summary>Rows so far.</summary>
    public int Count;
    /// <summary>Null rows so far (made on the first null).</summary>
    protected NullMask? Nulls;

    /// <summary>Marks the current row null.</summary>
    protected void MarkNull() => (Nulls ??= new NullMask(Math.Max(64, Count + 1))).Set(Count);

    /// <summary>A TABLEDATA cell (entities resolved); empty means an empty TD.</summary>
    public abstract void AddText(ReadOnlySpan<byte> text);

    /// <summary>A BINARY/BINARY2 cell; <paramref name="flaggedNull"/> is the BINARY2 null flag.</summary>
    public abstract void AddBinary(BinaryRowReader r, bool flaggedNull, bool binary2);

    /// <summary>The column of the rows so far.</summary>
    public abstract Column Build();

    /// <summary>
    /// The binary layout of this builder's cells for <see cref="ColumnarBinaryDecoder"/>: a fixed number of bytes, or
    /// (<paramref name="elementBytes"/> &gt; 0) a 32-bit count of elements of that many bytes; false when the builder
    /// decodes row by row only.
    /// </summary>
    internal virtual bool BinaryLayout(out int fixedBytes, out int elementBytes)
    {
        fixedBytes = 0;
        elementBytes = 0;
        return false;
    }

    /// <summary>Makes the column's arrays for the <see cref="BinaryBlocks.Rows"/> rows of <paramref name="blocks"/> (column <paramref name="column"/>), before <see cref="DecodeBlock"/> of each block in turn.</summary>
    internal virtual void BeginColumn(BinaryBlocks blocks, int column) => throw new NotSupportedException();

    /// <summary>Appends this column's cells of the rows of <paramref name="blk"/> (each at <paramref name="offset"/> of its segment <paramref name="segment"/>, of <paramref name="segments"/> per row).</summary>
    internal virtual void DecodeBlock(BinaryBlocks.Block blk, int segments, int column, int segment, int offset, bool binary2) =>
        throw new NotSupportedException();

    /// <summary>Appends the rows of <paramref name="other"/> (a builder of the same field and type).</summary>
    public abstract void AppendFrom(ColumnBuilder other);

    /// <summary>Appends the null rows of <paramref name="other"/> after this builder's rows.</summary>
    protected void AppendNulls(ColumnBuilder other)
    {
        if (other.Nulls is not { } m) return;
        for (var i = 0; i < other.Count; i++)
            if (m[i]) (Nulls ??= new NullMask(Count + other.Count)).Set(Count + i);
    }

    /// <summary>Initial row capacity of new builders (from TABLE@nrows when plausible).</summary>
    [ThreadStatic] internal static int CapacityHint;

    /// <summary>The initial capacity, from the expected row count.</summary>
    protected static int InitialRows => CapacityHint > 1024 ? CapacityHint : 1024;

    /// <summary>The builder for a field's datatype and array size.</summary>
    public static ColumnBuilder Create(Field f, ArraySize wire, IWarningSink w)
    {
        var dt = f.DataType;
        var dims = wire.FixedDimensions.Count + (wire.IsVariable ? 1 : 0);
        if (dt.IsText())
            return dims <= 1 ? new StringBuilderColumn(f, wire, w) : new ArrayBuilder<char>(f, wire, w);
        if (wire.IsScalar)
        {
            return dt switch
            {
                DataType.Boolean or DataType.Bit => new ScalarBuilder<bool>(f, wire, w),
                DataType.UnsignedByte => new ScalarBuilder<byte>(f, wire, w),
                DataType.Short => new ScalarBuilder<short>(f, wire, w),
                DataType.Int => new ScalarBuilder<int>(f, wire, w),
                DataType.Long => new ScalarBuilder<long>(f, wire, w),
                DataType.Float => new ScalarBuilder<float>(f, wire, w),
                DataType.Double => new ScalarBuilder<double>(f, wire, w),
                DataType.FloatComplex => new ScalarBuilder<ComplexFloat>(f, wire, w),
                DataType.DoubleComplex => new ScalarBuilder<Complex>(f, wire, w),
                _ => throw new InvalidOperationException(dt.ToString()),
            };
        }
        return dt switch
        {
            DataType.Boolean or DataType.Bit => new ArrayBuilder<bool>(f, wire, w),
            DataType.UnsignedByte => new ArrayBuilder<byte>(f, wire, w),
            DataType.Short => new ArrayBuilder<short>(f, wire, w),
            DataType.Int => new ArrayBuilder<int>(f, wire, w),
            DataType.Long => new ArrayBuilder<long>(f, wire, w),
            DataType.Float => new ArrayBuilder<float>(f, wire, w),
            DataType.Double => new ArrayBuilder<double>(f, wire, w),
            DataType.FloatComplex => new ArrayBuilder<ComplexFloat>(f, wire, w),
            DataType.DoubleComplex => new ArrayBuilder<Complex>(f, wire, w),
            _ => throw new InvalidOperationException(dt.ToString()),
        };
    }

    /// <summary>Bytes of <paramref name="n"/> items of <paramref name="size"/> bytes, refusing lengths no cell can have.</summary>
    protected static int Bytes(int n, int size)
    {
        var b = (long)n * size;
        if (b > Array.MaxLength) throw new CellFormatException($"array length {n} in the binary stream is too large (corrupt data?)");
        return (int)b;
    }

    /// <summary>Parses one element (scalar or array item) from TABLEDATA text; false = null.</summary>
    protected bool ParseOne<T>(ReadOnlySpan<byte> s, out T value) where T : unmanaged
    {
        if (typeof(T) == typeof(ComplexFloat) || typeof(T) == typeof(Complex))
        {
            // "re im" (two numbers separated by whitespace)
            var sp = s.IndexOfAny((byte)' ', (byte)'\t', (byte)'\n');
            if (sp < 0) throw new CellFormatException($"'{ValueParsing.Show(s)}' is not a valid {Field.DataType.VOTableName()} (expected two numbers)");
            var re = ValueParsing.Trim(s[..sp]);
            var im = ValueParsing.Trim(s[(sp + 1)..]);
            if (typeof(T) == typeof(ComplexFloat))
            {
                var okR = ValueParsing.ParseElement<float>(re, DataType.FloatComplex, W, out var r);
                var okI = ValueParsing.ParseElement<float>(im, DataType.FloatComplex, W, out var i);
                var c = new ComplexFloat(okR ? r : float.NaN, okI ? i : float.NaN);
                value = System.Runtime.CompilerServices.Unsafe.As<ComplexFloat, T>(ref c);
                return okR || okI;
            }
            else
            {
                var okR = ValueParsing.ParseElement<double>(re, DataType.DoubleComplex, W, out var r);
                var okI = ValueParsing.ParseElement<double>(im, DataType.DoubleComplex, W, out var i);
                var c = new Complex(okR ? r : double.NaN, okI ? i : double.NaN);
                value = System.Runtime.CompilerServices.Unsafe.As<Complex, T>(ref c);
                return okR || okI;
            }
        }
        return ValueParsing.ParseElement(s, Field.DataType, W, out value);
    }

    /// <summary>The VALUES@null magic value parsed as <typeparamref name="T"/>, if any.</summary>
    protected (bool Has, T Value) ParseNullValue<T>() where T : unmanaged
    {
        var text = Field.Values?.Null;
        if (string.IsNullOrWhiteSpace(text) || Field.DataType.IsText()) return (false, default);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(text.Trim());
            if (ParseOne<T>(bytes, out var v)) return (true, v);
        }
        catch (CellFormatException) { }
        W.Warn(WarningCodes.BadNullValue, $"VALUES null=\"{text}\" of field '{Field.Name}' is not a valid {Field.DataType.VOTableName()}; ignored");
        return (false, default);
    }
}

internal sealed class ScalarBuilder<T> : ColumnBuilder where T : unmanaged, IEquatable<T>
{
    // made at the first row (the columnar decoder makes its own, of the exact size)
    private T[] _values = [];
    private readonly int _initial = InitialRows;
    private readonly bool _hasNull;
    private readonly T _null;
    private readonly int _size;
    private readonly bool _isBit;

    public ScalarBuilder(Field f, ArraySize wire, IWarningSink w) : base(f, wire, w)
    {
        (_hasNull, _null) = ParseNullValue<T>();
        _isBit = f.DataType == DataType.Bit;
        _size = _isBit ? 1 : f.DataType.ByteSize();
    }

    private void Append(T v, bool isNull)
    {
        if (Count == _values.Length) _values = LargeArrays.Grown(_values, Count, Math.Max(_initial, _values.Length * 2));
        if (isNull) MarkNull();
        _values[Count++] = v;
    }

    private bool IsNullValue(T v)
    {
        if (_hasNull && v.Equals(_null)) return true;
        if (typeof(T) == typeof(double)) return double.IsNaN((double)(object)v);
        if (typeof(T) == typeof(float)) return float.IsNaN((float)(object)v);
        return false;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddText(ReadOnlySpan<byte> text)
    {
        var s = ValueParsing.Trim(text);
        if (s.Length == 0) { Append(FillValue(), true); return; }
        if (!ParseOne<T>(s, out var v)) { Append(FillValue(), true); return; }
        Append(v, IsNullValue(v));
    }

    private T FillValue()
    {
        if (_hasNull) return _null;
        if (typeof(T) == typeof(double)) { var d = double.NaN; return System.Runtime.CompilerServices.Unsafe.As<double, T>(ref d); }
        if (typeof(T) == typeof(float)) { var f = float.NaN; return System.Runtime.CompilerServices.Unsafe.As<float, T>(ref f); }
        return default;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddBinary(BinaryRowReader r, bool flaggedNull, bool binary2) => AddCell(r.Take(_size), flaggedNull);

    internal override bool BinaryLayout(out int fixedBytes, out int elementBytes)
    {
        fixedBytes = _size;
        elementBytes = 0;
        return true;
    }

    internal override void BeginColumn(BinaryBlocks blocks, int column)
    {
        _values = LargeArrays.Uninitialized<T>(Math.Max(1, blocks.Rows));
        Count = 0;
        Nulls = null;
    }

    internal override void DecodeBlock(BinaryBlocks.Block blk, int segments, int column, int segment, int offset, bool binary2)
    {
        var flagAt = column >> 3;
        var flagMask = 0x80 >> (column & 7);
        var data = blk.Data;
        var starts = blk.Starts;
        var rows = blk.Rows;
        for (var i = 0; i < rows; i++)
        {
            var at = i * segments;
            var flagged = binary2 && (data[starts[at] + flagAt] & flagMask) != 0;
            AddCell(data.AsSpan(starts[at + segment] + offset, _size), flagged);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void AddCell(ReadOnlySpan<byte> b, bool flaggedNull)
    {
        if (typeof(T) == typeof(bool))
        {
            bool v;
            bool valid;
            // the bit is the MSB; any set bit is accepted (astropy 5 writes 0x08)
            if (_isBit) { v = b[0] != 0; valid = true; }
            else valid = ValueParsing.ReadBinaryBoolean(b[0], out v);
            Append(System.Runtime.CompilerServices.Unsafe.As<bool, T>(ref v), flaggedNull || !valid);
            return;
        }
        var x = ValueParsing.ReadBig<T>(b);
        Append(x, flaggedNull || IsNullValue(x));
    }

    public override Column Build() => new ScalarColumn<T>(Field, LargeArrays.Trimmed(_values, Count), Count, Nulls);

    public override void AppendFrom(ColumnBuilder other)
    {
        var o = (ScalarBuilder<T>)other;
        if (Count + o.Count > _values.Length) _values = LargeArrays.Grown(_values, Count, Math.Max(Count + o.Count, Math.Max(_initial, _values.Length * 2)));
        Array.Copy(o._values, 0, _values, Count, o.Count);
        AppendNulls(o);
        Count += o.Count;
    }
}
