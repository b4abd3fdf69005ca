using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>Accumulates an array column (fixed or variable arraysize) in one flat buffer with row offsets.</summary>
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
