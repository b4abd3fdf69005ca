using System.Text;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Scans a TABLEDATA body (after its start tag, up to and including its end tag)
/// directly from the input buffer. It accepts exactly: whitespace, comments,
/// <c>&lt;TR&gt;</c> (attributes ignored), <c>&lt;TD&gt;</c>…<c>&lt;/TD&gt;</c>,
/// <c>&lt;TD/&gt;</c>, the five predefined entities, character references and CDATA
/// sections in cells. The XmlReader has already refused any DTD, so no other
/// entity can exist.
/// </summary>
internal sealed class TableDataScanner
{
    private readonly VOTableInput _in;
    private readonly ColumnBuilder[] _cols;
    private readonly int _maxCell;
    private readonly CancellationToken _ct;
    private byte[] _scratch = new byte[256];
    private int _scratchLen;
    private readonly byte[] _rune = new byte[4];
    private long _row; // 0-based current row
    private readonly long _maxRows;

    /// <summary>
    /// A scanner that starts counting at <paramref name="firstRow"/> and stops with an error as soon as a row past
    /// <paramref name="maxRows"/> (<see cref="ReaderLimits.MaxRows"/>) has been read, while the data streams in.
    /// </summary>
    public TableDataScanner(VOTableInput input, ColumnBuilder[] cols, int maxCell, CancellationToken ct, long firstRow = 0, long maxRows = long.MaxValue)
    {
        _row = firstRow;
        _maxRows = maxRows;
        _in = input;
        _cols = cols;
        _maxCell = maxCell;
        _ct = ct;
    }

    public long Rows => _row;

    private enum Tag { TrOpen, TrEmpty, TdOpen, TdEmpty, TrClose, TdClose, TableDataClose }

    private VOTableFormatException Error(string message, int? col = null)
    {
        var (line, column) = _in.Position;
        if (col is { } c)
        {
            var name = _cols[c].Field.Name;
            return new VOTableFormatException($"line {line}, column {column} (row {_row + 1}, field '{name}'): {message}", line, column, _row + 1, name);
        }
        return new VOTableFormatException($"line {line}, column {column}: {message}", line, column, _row + 1);
    }

    private VOTableFormatException RowLimit()
    {
        var (line, column) = _in.Position;
        return new VOTableFormatException(
            $"line {line}, column {column} (row {_row}): the table has more rows than the limit of {_maxRows} (ReaderLimits.MaxRows)", line, column, _row);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        var ncols = _cols.Length;
        while (true)
        {
            var c = FastRow();
            if (c == RowDone) { _row++; goto next; }
            if (c < 0)
            {
                var t = NextTag(inRow: false);
                if (t == Tag.TableDataClose) return;
                if (t == Tag.TrEmpty)
                {
                    if (ncols > 0) throw Error($"row {_row + 1} is empty, expected {ncols} cells");
                    _row++;
                    if (_row > _maxRows) throw RowLimit();
                    continue;
                }
                if (t != Tag.TrOpen) throw Error("expected <TR> or </TABLEDATA>");
                c = 0;
            }
            SlowRowFrom(c);
            _row++;
        next:
            if (_row > _maxRows) throw RowLimit();
            if ((_row & 0xFFFF) == 0) _ct.ThrowIfCancellationRequested();
        }
    }

    private const uint TdOpen = '<' | ('T' << 8) | ('D' << 16) | ((uint)'>' << 24);
    private const uint TdCloseStart = '<' | ('/' << 8) | ('T' << 16) | ((uint)'D' << 24);
    private const uint TdEmptyStart = '<' | ('T' << 8) | ('D' << 16) | ((uint)'/' << 24);
    private const uint TrOpen = '<' | ('T' << 8) | ('R' << 16) | ((uint)'>' << 24);
    private const uint TrCloseStart = '<' | ('/' << 8) | ('T' << 16) | ((uint)'R' << 24);

    /// <summary>
    /// Reads a whole row of plain markup (<c>&lt;TR&gt;&lt;TD&gt;…&lt;/TD&gt;…&lt;/TR&gt;</c>, no entities)
    /// straight from the buffer. Returns <see cref="RowDone"/> when the row was read, -1
    /// when nothing was consumed, otherwise the cell where the general path must
    /// continue (Pos is there).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int FastRow()
    {
        var ncols = _cols.Length;
        int rowEnd;
        var rowHasCr = false;
        while (true)
        {
            var window = _in.Buf.AsSpan(_in.Pos, _in.End - _in.Pos);
            rowEnd = window.IndexOf("</TR>"u8);
            if (rowEnd >= 0)
            {
                // entities, comments, CDATA (and a harmless '!' in text) go the general way
                if (window[..rowEnd].IndexOfAny((byte)'&', (byte)'!') >= 0) return -1;
                rowHasCr = window[..rowEnd].IndexOf((byte)'\r') >= 0;
                rowEnd += _in.Pos;
                break;
            }
            if (window.Length > (1 << 20) || !_in.FillMore()) return -1;
        }
        var buf = _in.Buf;
        var q = _in.Pos;
        while (buf[q] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') q++;
        if (q + 4 > rowEnd || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(q)) != TrOpen) return -1;
        q += 4;
        for (var c = 0; c < ncols; c++)
        {
            while (buf[q] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') q++;
            if (q + 4 <= rowEnd && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(q)) == TdOpen)
            {
                var start = q + 4;
                var lt = buf.AsSpan(start, rowEnd - start).IndexOf((byte)'<');
                if (lt < 0) { _in.Pos = q; return c; }
                lt += start;
                if (lt + 5 > rowEnd + 5 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(lt)) != TdCloseStart || buf[lt + 4] != '>'
                    || lt - start > _maxCell || (rowHasCr && buf.AsSpan(start, lt - start).IndexOf((byte)'\r') >= 0))
                {
                    _in.Pos = q;
                    return c;
                }
                _in.Pos = start; // for error positions
                Add(c, buf.AsSpan(start, lt - start));
                q = lt + 5;
            }
            else if (q + 5 <= rowEnd && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(q)) == TdEmptyStart && buf[q + 4] == '>')
            {
                _in.Pos = q;
                Add(c, []);
                q += 5;
            }
            else
            {
                _in.Pos = q;
                return c;
            }
        }
        while (buf[q] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') q++;
        // anything but </TR> after the last cell (an extra cell, …) is left to the general path
        if (q != rowEnd) { _in.Pos = q; return ncols; }
        _in.Pos = rowEnd + 5;
        return RowDone;
    }

    private const int RowDone = int.MaxValue;

    private void SlowRowFrom(int c)
    {
        var ncols = _cols.Length;
        while (true)
        {
            var t = NextTag(inRow: true);
            if (t == Tag.TrClose) break;
            if (t == Tag.TdEmpty)
            {
                if (c >= ncols) throw Error($"row {_row + 1} has more cells than the {ncols} fields");
                Add(c, []);
                c++;
                continue;
            }
            if (t != Tag.TdOpen) throw Error("expected <TD> or </TR>");
            if (c >= ncols) throw Error($"row {_row + 1} has more cells than the {ncols} fields");
            ReadCell(c);
            c++;
        }
        if (c != ncols) throw Error($"row {_row + 1} has {c} cells, expected {ncols}");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Add(int c, ReadOnlySpan<byte> text)
    {
        try { _cols[c].AddText(text); }
        catch (CellFormatException e) { throw Error(e.Message, c); }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void SkipWs()
    {
        while (true)
        {
            var buf = _in.Buf;
            var p = _in.Pos;
            var end = _in.End;
            while (p < end && buf[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') p++;
            _in.Pos = p;
            if (p < end || !_in.FillMore()) return;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Tag NextTag(bool inRow)
    {
        // fast path: the plain tags most writers produce
        var p0 = _in.Pos;
        var b0 = _in.Buf;
        while (p0 < _in.End && b0[p0] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') p0++;
        if (_in.End - p0 >= 5 && b0[p0] == '<')
        {
            var c1 = b0[p0 + 1];
            var c2 = b0[p0 + 2];
            if (c1 == 'T' && b0[p0 + 3] == '>')
            {
                if (c2 == 'D') { _in.Pos = p0 + 4; return Tag.TdOpen; }
                if (c2 == 'R') { _in.Pos = p0 + 4; return Tag.TrOpen; }
            }
            else if (c1 == '/' && c2 == 'T' && b0[p0 + 4] == '>')
            {
                var c3 = b0[p0 + 3];
                if (c3 == 'R') { _in.Pos = p0 + 5; return Tag.TrClose; }
                if (c3 == 'D') { _in.Pos = p0 + 5; return Tag.TdClose; }
            }
        }
        _in.Pos = p0;
        while (true)
        {
            SkipWs();
            if (!_in.Ensure(2))
                throw Error(inRow ? "the document ends inside a TR (truncated?)" : "the document ends inside TABLEDATA (truncated?)");
            var buf = _in.Buf;
            var p = _in.Pos;
            if (buf[p] != '<') throw Error($"unexpected text '{ValueParsing.Show(buf.AsSpan(p, Math.Min(20, _in.End - p)))}' between cells");
            if (buf[p + 1] == '!')
            {
                if (_in.Ensure(4) && _in.Buf.AsSpan(_in.Pos, 4).SequenceEqual("<!--"u8)) { SkipComment(); continue; }
                throw Error("unexpected markup (only comments are allowed between cells)");
            }
            // find '>'
            var gt = FindByte((byte)'>', _in.Pos, 4096, "a tag");
            buf = _in.Buf;
            p = _in.Pos;
            var tag = buf.AsSpan(p + 1, gt - p - 1);
            _in.Pos = gt + 1;
            var close = tag.Length > 0 && tag[0] == '/';
            if (close) tag = tag[1..];
            var empty = !close && tag.Length > 0 && tag[^1] == '/';
            if (empty) tag = tag[..^1];
            var nameEnd = tag.IndexOfAny(" \t\n\r"u8);
            var name = nameEnd < 0 ? tag : tag[..nameEnd];
            if (close && nameEnd >= 0 && !ValueParsing.Trim(tag[nameEnd..]).IsEmpty) throw Error("malformed end tag");
            var colon = name.IndexOf((byte)':');
            if (colon >= 0) name = name[(colon + 1)..];
            if (name.SequenceEqual("TR"u8)) return close ? Tag.TrClose : empty ? Tag.TrEmpty : Tag.TrOpen;
            if (name.SequenceEqual("TD"u8)) return close ? Tag.TdClose : empty ? Tag.TdEmpty : Tag.TdOpen;
            if (close && name.SequenceEqual("TABLEDATA"u8)) return Tag.TableDataClose;
            _in.Pos = p;
            throw Error($"unexpected <{(close ? "/" : "")}{Encoding.UTF8.GetString(name)}> in TABLEDATA (expected {(inRow ? "TD" : "TR")})");
        }
    }

    /// <summary>Index in Buf of the next <paramref name="b"/> at or after <paramref name="from"/>, refilling; Pos is kept.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int FindByte(byte b, int from, int limit, string what)
    {
        var searched = from - _in.Pos;
        while (true)
        {
            var i = _in.Buf.AsSpan(_in.Pos + searched, _in.End - _in.Pos - searched).IndexOf(b);
            if (i >= 0) return _in.Pos + searched + i;
            searched = _in.End - _in.Pos;
            if (searched > limit)
                throw Error(what == "a cell" ? $"a cell is longer than the limit of {limit} bytes (ReaderLimits.MaxCellLength)" : $"{what} is longer than {limit} bytes");
            if (!_in.FillMore()) throw Error($"the document ends inside {what} (truncated?)");
        }
    }

    private void SkipComment()
    {
        var searched = 4;
        while (true)
        {
            var span = _in.Buf.AsSpan(_in.Pos + searched, _in.End - _in.Pos - searched);
            var i = span.IndexOf("-->"u8);
            if (i >= 0) { _in.Pos += searched + i + 3; return; }
            searched = Math.Max(4, _in.End - _in.Pos - 2);
            if (!_in.FillMore()) throw Error("the document ends inside a comment (truncated?)");
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ReadCell(int c)
    {
        var lt = FindByte((byte)'<', _in.Pos, _maxCell, "a cell");
        if (lt - _in.Pos > _maxCell)
            throw Error($"a cell is longer than the limit of {_maxCell} bytes (ReaderLimits.MaxCellLength)", c);
        var buf = _in.Buf;
        var content = buf.AsSpan(_in.Pos, lt - _in.Pos);
        // fast path: plain text followed by </TD>
        if (content.IndexOfAny((byte)'&', (byte)'\r') < 0 && _in.End - lt >= 5 && buf.AsSpan(lt, 5).SequenceEqual("</TD>"u8))
        {
            Add(c, content);
            _in.Pos = lt + 5;
            return;
        }
        _scratchLen = 0;
        while (true)
        {
            lt = FindByte((byte)'<', _in.Pos, _maxCell, "a cell");
            AppendDecoded(_in.Buf.AsSpan(_in.Pos, lt - _in.Pos));
            if (_scratchLen > _maxCell)
                throw Error($"a cell is longer than the limit of {_maxCell} bytes (ReaderLimits.MaxCellLength)", c);
            _in.Pos = lt;
            if (!_in.Ensure(9)) { _in.Ensure(2); }
            var rest = _in.Buf.AsSpan(_in.Pos, _in.End - _in.Pos);
            if (rest.StartsWith("<![CDATA["u8))
            {
                _in.Pos += 9;
                var end = FindSeq("]]>"u8, c);
                AppendRaw(_in.Buf.AsSpan(_in.Pos, end - _in.Pos));
                _in.Pos = end + 3;
                continue;
            }
            if (rest.StartsWith("<!--"u8)) { SkipComment(); continue; }
            var t = NextTag(inRow: true);
            if (t != Tag.TdClose) throw Error("expected </TD>", c);
            Add(c, _scratch.AsSpan(0, _scratchLen));
            return;
        }
    }

    private int FindSeq(ReadOnlySpan<byte> seq, int c)
    {
        var searched = 0;
        while (true)
        {
            var span = _in.Buf.AsSpan(_in.Pos + searched, _in.End - _in.Pos - searched);
            var i = span.IndexOf(seq);
            if (i >= 0) return _in.Pos + searched + i;
            searched = Math.Max(0, _in.End - _in.Pos - seq.Length + 1);
            if (searched > _maxCell) throw Error($"a cell is longer than the limit of {_maxCell} bytes (ReaderLimits.MaxCellLength)", c);
            if (!_in.FillMore()) throw Error("the document ends inside a CDATA section (truncated?)", c);
        }
    }

    private void AppendRaw(ReadOnlySpan<byte> s)
    {
        if (_scratchLen + s.Length > _scratch.Length) Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLen + s.Length));
        s.CopyTo(_scratch.AsSpan(_scratchLen));
        _scratchLen += s.Length;
    }

    private void AppendDecoded(ReadOnlySpan<byte> s)
    {
        // XML end-of-line handling: CR LF and a lone CR in character data are LF
        var cr = s.IndexOf((byte)'\r');
        if (cr >= 0)
        {
            AppendDecodedNoCr(s[..cr]);
            AppendRaw("\n"u8);
            var rest = s[(cr + 1)..];
            if (rest.Length > 0 && rest[0] == '\n') rest = rest[1..];
            AppendDecoded(rest);
            return;
        }
        AppendDecodedNoCr(s);
    }

    private void AppendDecodedNoCr(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0)
        {
            var amp = s.IndexOf((byte)'&');
            if (amp < 0) { AppendRaw(s); return; }
            AppendRaw(s[..amp]);
            s = s[(amp + 1)..];
            var semi = s.IndexOf((byte)';');
            if (semi < 0 || semi > 12) throw Error("'&' must start an entity such as &amp; (unterminated entity reference)");
            var name = s[..semi];
            s = s[(semi + 1)..];
            if (name.SequenceEqual("lt"u8)) AppendRaw("<"u8);
            else if (name.SequenceEqual("gt"u8)) AppendRaw(">"u8);
            else if (name.SequenceEqual("amp"u8)) AppendRaw("&"u8);
            else if (name.SequenceEqual("quot"u8)) AppendRaw("\""u8);
            else if (name.SequenceEqual("apos"u8)) AppendRaw("'"u8);
            else if (name.Length > 1 && name[0] == '#')
            {
                var hex = name[1] is (byte)'x';
                var digits = Encoding.ASCII.GetString(name[(hex ? 2 : 1)..]);
                if (!int.TryParse(digits, hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var cp) || cp is 0 or > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                    throw Error($"invalid character reference &{Encoding.ASCII.GetString(name)};");
                var n = new Rune(cp).EncodeToUtf8(_rune);
                AppendRaw(_rune.AsSpan(0, n));
            }
            else throw Error($"unknown entity &{ValueParsing.Show(name)}; (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)");
        }
    }
}
