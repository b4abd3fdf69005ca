using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Bounded reader of decoded BINARY/BINARY2 bytes. <see cref="Take"/> returns a span
/// valid until the next call.
/// </summary>
public sealed class BinaryRowReader(Stream source, int maxCell)
{
    private byte[] _buf = new byte[1 << 16];
    private int _pos;
    private int _end;
    private bool _eof;

    /// <summary>Bytes taken so far (a row that takes none is an error: the stream could never end).</summary>
    public long Taken;

    /// <summary>The next <paramref name="n"/> bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Take(int n)
    {
        if (_end - _pos < n || n > maxCell) Fill(n);
        var s = _buf.AsSpan(_pos, n);
        _pos += n;
        Taken += n;
        return s;
    }

    /// <summary>A variable-length array's element count (a 32-bit big-endian integer).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int ReadCount()
    {
        var c = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        if (c < 0) throw new CellFormatException($"negative array length {c} in the binary stream");
        return c;
    }

    /// <summary>True when the stream has no more bytes (checked at a row boundary).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool AtEnd()
    {
        if (_pos < _end) return false;
        if (_eof) return true;
        _pos = _end = 0;
        while (_end == 0)
        {
            var r = source.Read(_buf, 0, _buf.Length);
            if (r <= 0) { _eof = true; return true; }
            _end = r;
        }
        return false;
    }

    private void Fill(int n)
    {
        if (n > maxCell)
            throw new CellFormatException($"a cell of {n} bytes is larger than the limit of {maxCell} bytes (ReaderLimits.MaxCellLength)");
        var have = _end - _pos;
        if (_pos > 0) { Buffer.BlockCopy(_buf, _pos, _buf, 0, have); _pos = 0; _end = have; }
        if (_buf.Length < n) Array.Resize(ref _buf, Math.Max(n, _buf.Length * 2));
        while (_end < n)
        {
            var r = _eof ? 0 : source.Read(_buf, _end, _buf.Length - _end);
            if (r <= 0)
            {
                _eof = true;
                throw new CellFormatException("the binary data ends in the middle of a row (truncated stream)");
            }
            _end += r;
        }
    }
}

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
    private T[] _values = new T[InitialRows];
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
        if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
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
    public override void AddBinary(BinaryRowReader r, bool flaggedNull, bool binary2)
    {
        var b = r.Take(_size);
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

    public override Column Build() => new ScalarColumn<T>(Field, _values, Count, Nulls);

    public override void AppendFrom(ColumnBuilder other)
    {
        var o = (ScalarBuilder<T>)other;
        if (Count + o.Count > _values.Length) Array.Resize(ref _values, Math.Max(Count + o.Count, _values.Length * 2));
        Array.Copy(o._values, 0, _values, Count, o.Count);
        AppendNulls(o);
        Count += o.Count;
    }
}

/// <summary>Strings as one UTF-8 buffer with row offsets: no string object per cell.</summary>
internal sealed class StringBuilderColumn : ColumnBuilder
{
    private byte[] _bytes = new byte[Math.Min(InitialRows, 1 << 20) * 8];
    private int[] _offsets = new int[InitialRows + 1];
    private int _total;
    private readonly bool _unicode;
    private readonly byte[]? _null;

    public StringBuilderColumn(Field f, ArraySize wire, IWarningSink w) : base(f, wire, w)
    {
        _unicode = f.DataType == DataType.UnicodeChar;
        if (f.Values?.Null is { Length: > 0 } n) _null = Encoding.UTF8.GetBytes(n);
    }

    private void AppendNull()
    {
        MarkNull();
        EndRow();
    }

    private void EndRow()
    {
        if (Count + 1 >= _offsets.Length) Array.Resize(ref _offsets, _offsets.Length * 2);
        _offsets[++Count] = _total;
    }

    private Span<byte> Room(int n)
    {
        if ((long)_total + n > Array.MaxLength)
            throw new CellFormatException($"the text of column '{Field.Name}' is larger than 2 GB");
        if (_total + n > _bytes.Length) Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max((long)_bytes.Length * 2, _total + n)));
        return _bytes.AsSpan(_total, n);
    }

    /// <summary>A cell given as UTF-8 (a sentinel equal to VALUES null is a null cell).</summary>
    private void AppendUtf8(ReadOnlySpan<byte> s)
    {
        if (_null is not null && s.SequenceEqual(_null)) { AppendNull(); return; }
        s.CopyTo(Room(s.Length));
        _total += s.Length;
        EndRow();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddText(ReadOnlySpan<byte> text)
    {
        if (text.Length == 0) { AppendNull(); return; }
        if (System.Text.Unicode.Utf8.IsValid(text)) AppendUtf8(text);
        else AppendUtf8(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(text))); // invalid bytes become U+FFFD
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddBinary(BinaryRowReader r, bool flaggedNull, bool binary2)
    {
        int n;
        var variable = Wire.IsVariable;
        if (variable) n = r.ReadCount();
        else n = Wire.IsScalar ? 1 : Wire.FixedElementCount;
        var bytes = r.Take(_unicode ? Bytes(n, 2) : n);
        if (flaggedNull || (variable && n == 0 && !binary2)) { AppendNull(); return; }
        if (_unicode)
        {
            var chars = bytes.Length / 2;
            var end = 0;
            while (end < chars && (bytes[2 * end] | bytes[2 * end + 1]) != 0) end++;
            if (!variable && end == 0 && !binary2) { AppendNull(); return; }
            AppendUtf8(Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(bytes[..(2 * end)])));
            return;
        }
        var z = bytes.IndexOf((byte)0);
        if (z >= 0) bytes = bytes[..z];
        if (!variable && bytes.Length == 0 && !binary2) { AppendNull(); return; }
        // char is ASCII; other bytes are read as UTF-8 when they are valid UTF-8, else as Latin-1
        if (Ascii.IsValid(bytes) || System.Text.Unicode.Utf8.IsValid(bytes)) AppendUtf8(bytes);
        else AppendUtf8(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)));
    }

    public override Column Build() => new StringColumn(Field, _bytes, _offsets, Count, Nulls);

    public override void AppendFrom(ColumnBuilder other)
    {
        var o = (StringBuilderColumn)other;
        var room = Room(o._total);
        o._bytes.AsSpan(0, o._total).CopyTo(room);
        if (Count + o.Count + 1 > _offsets.Length) Array.Resize(ref _offsets, Math.Max(Count + o.Count + 1, _offsets.Length * 2));
        for (var i = 1; i <= o.Count; i++) _offsets[Count + i] = _total + o._offsets[i];
        _total += o._total;
        AppendNulls(o);
        Count += o.Count;
    }
}

internal sealed class ArrayBuilder<T> : ColumnBuilder where T : unmanaged
{
    private T[] _data = new T[4096];
    private int[] _offsets = new int[InitialRows + 1];
    private int _total;
    private readonly int _fixed;       // element count when fixed, else the slice size of a variable size (1 for "*")
    private readonly bool _variable;
    private readonly bool _isBit;
    private readonly bool _isChar;
    private readonly int _size;
    private readonly int? _maxElements;
    private readonly bool _hasNull;   // integer arrays: VALUES null marks single null elements
    private readonly T _null;
    private readonly bool _markPadding;
    private NullMask? _elementNulls;

    public ArrayBuilder(Field f, ArraySize wire, IWarningSink w) : base(f, wire, w)
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(byte))
            (_hasNull, _null) = ParseNullValue<T>();
        // padding elements of booleans and integers are missing values (floats are padded with NaN)
        _markPadding = typeof(T) == typeof(bool) && f.DataType != DataType.Bit || typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(byte);
        _variable = wire.IsVariable;
        _fixed = wire.FixedElementCount;
        _isBit = f.DataType == DataType.Bit;
        _isChar = f.DataType.IsText();
        _size = f.DataType.ByteSize();
        if (_variable && wire.MaxLast is { } m) _maxElements = (int)Math.Min(int.MaxValue, (long)m * _fixed);
    }

    private void Ensure(int more)
    {
        var need = (long)_total + more;
        if (need > Array.MaxLength) throw new CellFormatException("too many array elements in this column");
        if (need > _data.Length) Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(need, _data.Length * 2L)));
    }

    private void EndRow(bool isNull)
    {
        if (isNull) MarkNull();
        Count++;
        if (Count + 1 > _offsets.Length) Array.Resize(ref _offsets, _offsets.Length * 2);
        _offsets[Count] = _total;
    }

    private void Add(T v)
    {
        if (_total == _data.Length) Ensure(1);
        _data[_total++] = v;
    }

    /// <summary>Marks the element just added null.</summary>
    private void MarkElementNull() => (_elementNulls ??= new NullMask(Math.Max(64, _total))).Set(_total - 1);

    private bool IsNullElement(T v) => _hasNull && EqualityComparer<T>.Default.Equals(v, _null);

    /// <summary>A fill value for a missing element, marked null when the type has no NaN.</summary>
    private void AddMissing()
    {
        Add(_hasNull ? _null : Fill());
        MarkElementNull();
    }

    private static T Fill()
    {
        if (typeof(T) == typeof(double)) { var d = double.NaN; return System.Runtime.CompilerServices.Unsafe.As<double, T>(ref d); }
        if (typeof(T) == typeof(float)) { var f = float.NaN; return System.Runtime.CompilerServices.Unsafe.As<float, T>(ref f); }
        if (typeof(T) == typeof(ComplexFloat)) { var c = new ComplexFloat(float.NaN, float.NaN); return System.Runtime.CompilerServices.Unsafe.As<ComplexFloat, T>(ref c); }
        if (typeof(T) == typeof(Complex)) { var c = new Complex(double.NaN, double.NaN); return System.Runtime.CompilerServices.Unsafe.As<Complex, T>(ref c); }
        return default;
    }

    /// <summary>Pads or truncates the current row to the declared shape.</summary>
    private void Shape(int start)
    {
        var n = _total - start;
        if (!_variable)
        {
            if (n == _fixed) return;
            W.Warn(WarningCodes.ArrayLength, $"field '{Field.Name}' declares {_fixed} elements per cell; a cell with {n} was padded or truncated");
            if (n > _fixed) { _total = start + _fixed; ClearElementNulls(_total, start + n); }
            else { Ensure(_fixed - n); while (_total < start + _fixed) Pad(); }
            return;
        }
        if (_fixed > 1 && n % _fixed != 0)
        {
            W.Warn(WarningCodes.ArrayLength, $"field '{Field.Name}' needs a multiple of {_fixed} elements per cell; a cell with {n} was padded");
            var pad = _fixed - n % _fixed;
            Ensure(pad);
            for (var i = 0; i < pad; i++) Pad();
        }
    }

    private void Pad()
    {
        if (_markPadding) AddMissing();
        else _data[_total++] = Fill();
    }

    private void ClearElementNulls(int from, int to)
    {
        if (_elementNulls is not { } m) return;
        for (var i = from; i < to; i++) m.Clear(i);
    }

    private void NullRow()
    {
        if (!_variable) { Ensure(_fixed); for (var i = 0; i < _fixed; i++) _data[_total++] = Fill(); }
        EndRow(true);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddText(ReadOnlySpan<byte> text)
    {
        if (_isChar)
        {
            if (text.Length == 0) { NullRow(); return; }
            var start = _total;
            var str = Encoding.UTF8.GetString(text);
            Ensure(str.Length);
            foreach (var ch in str) { var c = ch; _data[_total++] = System.Runtime.CompilerServices.Unsafe.As<char, T>(ref c); }
            if (!_variable && _total - start < _fixed)
            {
                Ensure(_fixed - (_total - start));
                while (_total - start < _fixed) { var z = '\0'; _data[_total++] = System.Runtime.CompilerServices.Unsafe.As<char, T>(ref z); }
            }
            else Shape(start);
            EndRow(false);
            return;
        }
        var s = ValueParsing.Trim(text);
        if (s.Length == 0) { NullRow(); return; }
        var begin = _total;
        if (_isBit)
        {
            foreach (var b in s)
            {
                if (ValueParsing.IsWs(b)) continue;
                if (b is not ((byte)'0' or (byte)'1')) throw new CellFormatException($"'{ValueParsing.Show(s)}' is not a valid bit array (expected 0 and 1)");
                var v = b == '1';
                Add(System.Runtime.CompilerServices.Unsafe.As<bool, T>(ref v));
            }
            Shape(begin);
            EndRow(false);
            return;
        }
        var pair = typeof(T) == typeof(ComplexFloat) || typeof(T) == typeof(Complex);
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && ValueParsing.IsWs(s[i])) i++;
            if (i >= s.Length) break;
            var j = i;
            while (j < s.Length && !ValueParsing.IsWs(s[j])) j++;
            if (pair)
            {
                // a complex element is two numbers
                while (j < s.Length && ValueParsing.IsWs(s[j])) j++;
                while (j < s.Length && !ValueParsing.IsWs(s[j])) j++;
            }
            var tok = s[i..j];
            if (typeof(T) == typeof(bool) && tok.Length > 1 && !ValueParsing.TryParseBoolean(tok, out _, out _))
            {
                foreach (var ch in tok) AddElement(new ReadOnlySpan<byte>(in ch));
            }
            else AddElement(tok);
            i = j;
        }
        Shape(begin);
        EndRow(false);
    }

    private void AddElement(ReadOnlySpan<byte> tok)
    {
        if (!ParseOne<T>(tok, out var v))
        {
            if (typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(ComplexFloat) || typeof(T) == typeof(Complex)) Add(Fill());
            else AddMissing();
            return;
        }
        Add(v);
        if (IsNullElement(v)) MarkElementNull();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void AddBinary(BinaryRowReader r, bool flaggedNull, bool binary2)
    {
        int n;
        if (_variable)
        {
            n = r.ReadCount();
            if (_maxElements is { } max && n > max && n > 0)
                W.Warn(WarningCodes.ArrayLength, $"field '{Field.Name}' allows at most {max} elements; a cell has {n}");
        }
        else n = _fixed;
        if (_isBit)
        {
            var bytes = r.Take((n + 7) / 8);
            Ensure(n);
            for (var i = 0; i < n; i++)
            {
                var v = (bytes[i >> 3] & (0x80 >> (i & 7))) != 0;
                _data[_total++] = System.Runtime.CompilerServices.Unsafe.As<bool, T>(ref v);
            }
        }
        else if (typeof(T) == typeof(bool))
        {
            var bytes = r.Take(n);
            Ensure(n);
            for (var i = 0; i < n; i++)
            {
                var valid = ValueParsing.ReadBinaryBoolean(bytes[i], out var v);
                _data[_total++] = System.Runtime.CompilerServices.Unsafe.As<bool, T>(ref v);
                if (!valid) MarkElementNull();
            }
        }
        else if (typeof(T) == typeof(char))
        {
            var unicode = Field.DataType == DataType.UnicodeChar;
            var bytes = r.Take(unicode ? Bytes(n, 2) : n);
            Ensure(n);
            for (var i = 0; i < n; i++)
            {
                var c = unicode ? (char)BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]) : (char)bytes[i];
                _data[_total++] = System.Runtime.CompilerServices.Unsafe.As<char, T>(ref c);
            }
        }
        else
        {
            var bytes = r.Take(Bytes(n, _size));
            Ensure(n);
            for (var i = 0; i < n; i++)
            {
                _data[_total++] = ValueParsing.ReadBig<T>(bytes[(i * _size)..]);
                if (_hasNull && IsNullElement(_data[_total - 1])) MarkElementNull();
            }
        }
        var isNull = flaggedNull || (_variable && n == 0 && !binary2);
        EndRow(isNull);
    }

    public override Column Build() => new ArrayColumn<T>(Field, _data, _offsets, Count, Nulls, _elementNulls);

    public override void AppendFrom(ColumnBuilder other)
    {
        var o = (ArrayBuilder<T>)other;
        Ensure(o._total);
        Array.Copy(o._data, 0, _data, _total, o._total);
        if (o._elementNulls is { } em)
            for (var i = 0; i < o._total; i++)
                if (em[i]) (_elementNulls ??= new NullMask(_total + o._total)).Set(_total + i);
        if (Count + o.Count + 1 > _offsets.Length) Array.Resize(ref _offsets, Math.Max(Count + o.Count + 1, _offsets.Length * 2));
        for (var i = 1; i <= o.Count; i++) _offsets[Count + i] = _total + o._offsets[i];
        _total += o._total;
        AppendNulls(o);
        Count += o.Count;
    }
}
