using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>Strings as one UTF-8 buffer with row offsets: no string object per cell.</summary>
internal sealed class StringBuilderColumn : ColumnBuilder
{
    // made at the first row (the columnar decoder makes its own, of the exact size)
    private byte[] _bytes = [];
    private int[] _offsets = [0];
    private readonly int _initial = InitialRows;
    private int _total;
    private readonly bool _unicode;
    private readonly byte[]? _null;

    public StringBuilderColumn(Field f, ArraySize wire, IWarningSink w) : base(f, wire, w)
    {
        _unicode = f.DataType == DataType.UnicodeChar;
        if (f.Values?.Null is { Length: > 0 } n) _null = Encoding.UTF8.GetBytes(n);
    }

    private static int[] NewOffsets(int n)
    {
        var o = LargeArrays.Uninitialized<int>(n);
        o[0] = 0;
        return o;
    }

    private void AppendNull()
    {
        MarkNull();
        EndRow();
    }

    private void EndRow()
    {
        if (Count + 1 >= _offsets.Length) _offsets = LargeArrays.Grown(_offsets, Count + 1, Math.Max(_initial + 1, _offsets.Length * 2));
        _offsets[++Count] = _total;
    }

    private Span<byte> Room(int n)
    {
        if ((long)_total + n > Array.MaxLength)
            throw new CellFormatException($"the text of column '{Field.Name}' is larger than 2 GB");
        if (_total + n > _bytes.Length)
            _bytes = LargeArrays.Grown(_bytes, _total, (int)Math.Min(Array.MaxLength, Math.Max(Math.Max((long)_bytes.Length * 2, _total + n), Math.Min(_initial, 1 << 20) * 8L)));
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
        AddCell(r.Take(_unicode ? Bytes(n, 2) : n), flaggedNull, variable, binary2);
    }

    internal override bool BinaryLayout(out int fixedBytes, out int elementBytes)
    {
        fixedBytes = 0;
        elementBytes = 0;
        if (Wire.IsVariable)
        {
            if (Wire.FixedDimensions.Count > 0) return false;
            fixedBytes = 4;
            elementBytes = _unicode ? 2 : 1;
            return true;
        }
        long n;
        try { n = Wire.IsScalar ? 1 : Wire.FixedElementCount; }
        catch (OverflowException) { return false; }
        n *= _unicode ? 2 : 1;
        if (n > int.MaxValue) return false;
        fixedBytes = (int)n;
        return true;
    }

    internal override void BeginColumn(BinaryBlocks blocks, int column)
    {
        BinaryLayout(out var fixedBytes, out _);
        var rows = blocks.Rows;
        var text = Wire.IsVariable ? blocks.VariableBytes[column] : (long)fixedBytes * rows;
        _bytes = LargeArrays.Uninitialized<byte>((int)Math.Clamp(text, 16, Array.MaxLength));
        _offsets = NewOffsets(rows + 1);
        _total = 0;
        Count = 0;
        Nulls = null;
    }

    internal override void DecodeBlock(BinaryBlocks.Block blk, int segments, int column, int segment, int offset, bool binary2)
    {
        var variable = Wire.IsVariable;
        BinaryLayout(out var fixedBytes, out _);
        var flagAt = column >> 3;
        var flagMask = 0x80 >> (column & 7);
        var unit = _unicode ? 2 : 1;
        var data = blk.Data;
        var starts = blk.Starts;
        var n = blk.Rows;
        for (var i = 0; i < n; i++)
        {
            var at = i * segments;
            var flagged = binary2 && (data[starts[at] + flagAt] & flagMask) != 0;
            var cell = starts[at + segment] + offset;
            ReadOnlySpan<byte> bytes = variable
                ? data.AsSpan(cell + 4, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(cell, 4)) * unit)
                : data.AsSpan(cell, fixedBytes);
            AddCell(bytes, flagged, variable, binary2);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void AddCell(ReadOnlySpan<byte> bytes, bool flaggedNull, bool variable, bool binary2)
    {
        var n = _unicode ? bytes.Length / 2 : bytes.Length;
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
        if (Count + o.Count + 1 > _offsets.Length) _offsets = LargeArrays.Grown(_offsets, Count + 1, Math.Max(Count + o.Count + 1, Math.Max(_initial + 1, _offsets.Length * 2)));
        for (var i = 1; i <= o.Count; i++) _offsets[Count + i] = _total + o._offsets[i];
        _total += o._total;
        AppendNulls(o);
        Count += o.Count;
    }
}
