using System.Globalization;
using System.Text;

namespace VoScript.Engine.Model;

/// <summary>
/// A column of strings (char or unicodeChar with at most one dimension). It holds either
/// .NET strings or, as the readers make it, one UTF-8 buffer with row offsets: then a
/// string is made only when a cell is asked for as a string, and <see cref="Utf8"/> gives
/// the bytes without making one.
/// </summary>
public sealed class StringColumn : Column
{
    private string?[]? _values;
    private readonly byte[]? _utf8;
    private readonly int[]? _offsets;
    private readonly int _count;
    private int _ascii; // 0 unknown, 1 all ASCII, 2 not

    /// <summary>A column of the first <paramref name="count"/> strings; null strings are null cells.</summary>
    public StringColumn(Field field, string?[] values, int count, NullMask? nulls = null) : base(field, nulls)
    {
        if (count > values.Length) throw new ArgumentOutOfRangeException(nameof(count));
        if (values.Length != count) Array.Resize(ref values, count);
        _values = values;
        _count = count;
        for (var i = 0; i < values.Length; i++)
            if (values[i] is null) SetNull(i);
    }

    /// <summary>A column of all the strings; null strings are null cells.</summary>
    public StringColumn(Field field, string?[] values) : this(field, values, values.Length) { }

    /// <summary>
    /// A column of <paramref name="count"/> cells held as UTF-8: row r is
    /// <c>utf8[offsets[r]..offsets[r + 1]]</c> (<paramref name="offsets"/> has at least
    /// count + 1 entries, ascending); null cells are those of <paramref name="nulls"/>.
    /// The arrays are used as they are, not copied.
    /// </summary>
    public StringColumn(Field field, byte[] utf8, int[] offsets, int count, NullMask? nulls = null) : base(field, nulls)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentNullException.ThrowIfNull(offsets);
        if (count < 0 || offsets.Length < count + 1) throw new ArgumentOutOfRangeException(nameof(count));
        if (offsets[0] < 0 || offsets[count] > utf8.Length) throw new ArgumentOutOfRangeException(nameof(offsets));
        _utf8 = utf8;
        _offsets = offsets;
        _count = count;
    }

    /// <summary>The strings, one per row (null for a null cell). For a UTF-8 column they are all made at the first call.</summary>
    public string?[] Values
    {
        get
        {
            if (_values is { } v) return v;
            var made = new string?[_count];
            for (var i = 0; i < made.Length; i++) made[i] = this[i];
            return Interlocked.CompareExchange(ref _values, made, null) ?? made;
        }
    }

    /// <summary>True when the cells are held as UTF-8 (see <see cref="Utf8"/>).</summary>
    public bool IsUtf8 => _utf8 is not null;

    /// <summary>The UTF-8 bytes of the cell at <paramref name="row"/> (empty for a null cell); for a column of strings they are encoded anew.</summary>
    public ReadOnlySpan<byte> Utf8(int row)
    {
        if (IsNull(row)) return default;
        if (_utf8 is not null) return _utf8.AsSpan(_offsets![row], _offsets[row + 1] - _offsets[row]);
        return _values![row] is { } s ? Encoding.UTF8.GetBytes(s) : default;
    }

    /// <summary>True when every cell is ASCII (computed once).</summary>
    public bool IsAscii
    {
        get
        {
            if (_ascii == 0)
            {
                var ascii = true;
                if (_utf8 is not null) ascii = Ascii.IsValid(_utf8.AsSpan(_offsets![0], _offsets[_count] - _offsets[0]));
                else
                    foreach (var s in _values!)
                        if (s is not null && !Ascii.IsValid(s)) { ascii = false; break; }
                _ascii = ascii ? 1 : 2;
            }
            return _ascii == 1;
        }
    }

    /// <inheritdoc/>
    public override int Count => _count;
    /// <inheritdoc/>
    public override Type ElementType => typeof(string);

    /// <summary>The string at <paramref name="row"/>.</summary>
    public string? this[int row]
    {
        get
        {
            if (IsNull(row)) return null;
            if (_values is { } v) return v[row];
            if ((uint)row >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(row));
            var o = _offsets!;
            return Encoding.UTF8.GetString(_utf8!, o[row], o[row + 1] - o[row]);
        }
    }

    /// <inheritdoc/>
    public override object? GetValue(int row) => this[row];

    /// <inheritdoc/>
    public override string FormatCell(int row) => this[row] ?? "";

    /// <inheritdoc/>
    public override double GetDouble(int row)
    {
        if (IsNull(row)) return double.NaN;
        if (_utf8 is not null)
            return double.TryParse(Utf8(row), NumberStyles.Float, CultureInfo.InvariantCulture, out var u) ? u : double.NaN;
        return this[row] is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    /// <summary>Whether the strings have been made (or the column was made of strings).</summary>
    internal bool HasStrings => _values is not null;

    /// <summary>The UTF-8 buffer and row offsets of a UTF-8 column.</summary>
    internal (byte[] Bytes, int[] Offsets) Utf8Storage => (_utf8 ?? throw new InvalidOperationException("not a UTF-8 column"), _offsets!);

    internal override Column Gather(int[] rows, Field field, bool missing) => ColumnGather.Strings(this, rows, field, missing);

    /// <inheritdoc/>
    public override Column Select(IReadOnlyList<int> rows, Field? field = null)
    {
        if (rows is int[] list) return ColumnGather.Strings(this, list, field ?? Field, missing: false);
        if (_utf8 is null || _values is not null)
        {
            var v = new string?[rows.Count];
            for (var i = 0; i < v.Length; i++) v[i] = this[rows[i]];
            return new StringColumn(field ?? Field, v);
        }
        long total = 0;
        for (var i = 0; i < rows.Count; i++) total += Utf8(rows[i]).Length;
        if (total > Array.MaxLength) throw new VoScriptException($"column '{Name}': the selected text is too large for one buffer");
        var bytes = new byte[total];
        var offsets = new int[rows.Count + 1];
        var at = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var cell = Utf8(rows[i]);
            cell.CopyTo(bytes.AsSpan(at));
            at += cell.Length;
            offsets[i + 1] = at;
        }
        return new StringColumn(field ?? Field, bytes, offsets, rows.Count, SelectNulls(rows));
    }
}
