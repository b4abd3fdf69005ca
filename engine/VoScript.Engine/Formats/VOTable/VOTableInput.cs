using System.Text;

using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// The byte source of a VOTable document. Metadata is served to an XmlReader through
/// <see cref="MetadataStream"/>, which stops right after the start tag of every
/// TABLEDATA or STREAM element; the data that follows is then scanned directly from
/// the buffer (<see cref="TableDataScanner"/>, <see cref="InlineTextStream"/>), and a
/// new XmlReader resumes after it. The buffer is bounded: it only grows to hold one
/// cell. Everything is UTF-8 here: other encodings are transcoded on entry.
/// </summary>
internal sealed class VOTableInput
{
    private readonly Stream _src;
    internal byte[] Buf = new byte[1 << 16];
    internal int Pos;
    internal int End;
    private bool _eof;

    // Line accounting: the line number at Buf[0] and the absolute offset where that line starts.
    private long _discarded;
    private int _lineAt0 = 1;
    private long _lineStartAt0;

    public VOTableInput(Stream src)
    {
        _src = NormalizeEncoding(src);
    }

    /// <summary>An input over bytes already in memory (a TABLEDATA chunk), positioned at <paramref name="line"/>:<paramref name="column"/> of the document.</summary>
    public VOTableInput(byte[] data, int length, int line, int column)
    {
        _src = Stream.Null;
        Buf = data;
        End = length;
        _eof = true;
        _lineAt0 = line;
        _lineStartAt0 = -(column - 1);
    }

    public bool AtEof => Pos >= End && _eof;

    /// <summary>Makes at least <paramref name="n"/> bytes available from Pos; false at end of input.</summary>
    public bool Ensure(int n)
    {
        while (End - Pos < n)
        {
            if (_eof) return false;
            Fill(n);
        }
        return true;
    }

    /// <summary>Reads more bytes (at least one, unless at end of input).</summary>
    public bool FillMore()
    {
        if (_eof) return false;
        var before = End - Pos;
        Fill(before + 1);
        return End - Pos > before;
    }

    private void Fill(int need)
    {
        if (Pos > 0 && (Pos >= Buf.Length / 2 || Buf.Length - End < 4096))
        {
            var gone = Buf.AsSpan(0, Pos);
            var lastNl = gone.LastIndexOf((byte)'\n');
            if (lastNl >= 0)
            {
                _lineAt0 += gone.Count((byte)'\n');
                _lineStartAt0 = _discarded + lastNl + 1;
            }
            var keep = End - Pos;
            Buffer.BlockCopy(Buf, Pos, Buf, 0, keep);
            _discarded += Pos;
            End = keep;
            Pos = 0;
        }
        if (Buf.Length - Pos < need || Buf.Length - End < 1024)
        {
            var size = Math.Max(Buf.Length * 2, need + 4096);
            Array.Resize(ref Buf, size);
        }
        var n = _src.Read(Buf, End, Buf.Length - End);
        if (n <= 0) _eof = true;
        else End += n;
    }

    /// <summary>1-based line and column of buffer position <paramref name="at"/> (column in bytes).</summary>
    public (int Line, int Column) PositionOf(int at)
    {
        at = Math.Clamp(at, 0, End);
        var span = Buf.AsSpan(0, at);
        var last = span.LastIndexOf((byte)'\n');
        var line = _lineAt0 + span.Count((byte)'\n');
        var col = last >= 0 ? at - last : (int)(_discarded + at - _lineStartAt0) + 1;
        return (line, col);
    }

    public (int Line, int Column) Position => PositionOf(Pos);

    // ---------------------------------------------------------------- encoding

    private static Stream NormalizeEncoding(Stream src)
    {
        var head = new byte[1024];
        var n = 0;
        while (n < head.Length)
        {
            var r = src.Read(head, n, head.Length - n);
            if (r <= 0) break;
            n += r;
        }
        var start = 0;
        Encoding? from = null;
        if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) start = 3;
        else if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) { from = Encoding.Unicode; start = 2; }
        else if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) { from = Encoding.BigEndianUnicode; start = 2; }
        else if (n >= 4 && head[0] == 0x3C && head[1] == 0 && head[2] == 0x3F && head[3] == 0) from = Encoding.Unicode;
        else if (n >= 4 && head[0] == 0 && head[1] == 0x3C && head[2] == 0 && head[3] == 0x3F) from = Encoding.BigEndianUnicode;
        else
        {
            var declared = DeclaredEncoding(head.AsSpan(0, n));
            if (declared is not null)
            {
                var d = declared.ToLowerInvariant();
                if (d is not ("utf-8" or "utf8" or "us-ascii" or "ascii"))
                {
                    // an unknown name, or one .NET refuses (UTF-7 is disabled): read the bytes as Latin-1, leniently
                    try { from = Encoding.GetEncoding(d); }
                    catch (Exception e) when (e is ArgumentException or NotSupportedException) { from = Encoding.Latin1; }
                    if (from.CodePage == Encoding.UTF8.CodePage) from = null;
                }
            }
        }
        Stream s = new PrefixedStream(head, start, n - start, src);
        if (from is not null) s = Encoding.CreateTranscodingStream(s, from, Encoding.UTF8, leaveOpen: true);
        return s;
    }

    private static string? DeclaredEncoding(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("<?xml"u8)) return null;
        var end = head.IndexOf("?>"u8);
        if (end < 0) return null;
        var decl = Encoding.ASCII.GetString(head[..end]);
        var i = decl.IndexOf("encoding", StringComparison.Ordinal);
        if (i < 0) return null;
        var q = decl.IndexOfAny(['"', '\''], i);
        if (q < 0) return null;
        var q2 = decl.IndexOf(decl[q], q + 1);
        return q2 < 0 ? null : decl[(q + 1)..q2].Trim();
    }
}

/// <summary>
/// Serves the document to an XmlReader, stopping after the start tag of a TABLEDATA
/// or STREAM element (so that its content can be scanned directly). After
/// <see cref="Resume"/> it serves a synthetic prefix (the open elements) first.
/// </summary>
internal sealed class MetadataStream : ReadOnlyStream
{
    private readonly VOTableInput _in;
    private byte[] _prefix = [];
    private int _prefixPos;

    private enum S { Text, Lt, Name, Tag, TagQuote, Comment, CData, Pi, Bang }
    private S _state = S.Text;
    private byte _quote;
    private readonly byte[] _name = new byte[64];
    private int _nameLen;
    private bool _nameOverflow;
    private bool _watch;     // this tag is TABLEDATA or STREAM
    private byte _prevInTag;
    private int _match;      // progress in a terminator ("-->", "]]>", "?>")
    private int _bangLen;

    public MetadataStream(VOTableInput input) => _in = input;

    /// <summary>Where a <c>&lt;!D…</c> declaration (DOCTYPE) was seen, for the error message.</summary>
    public (int Line, int Column)? DoctypeAt { get; private set; }

    /// <summary>True when stopped after a TABLEDATA/STREAM start tag.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Local name of the element whose start tag caused the stop.</summary>
    public string StoppedAt { get; private set; } = "";

    /// <summary>Continue serving, beginning with <paramref name="prefix"/> (UTF-8).</summary>
    public void Resume(byte[] prefix)
    {
        Stopped = false;
        _prefix = prefix;
        _prefixPos = 0;
        _state = S.Text;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_prefixPos < _prefix.Length)
        {
            var n = Math.Min(count, _prefix.Length - _prefixPos);
            Buffer.BlockCopy(_prefix, _prefixPos, buffer, offset, n);
            _prefixPos += n;
            return n;
        }
        if (Stopped || count == 0) return 0;
        if (_in.Pos >= _in.End && !_in.FillMore()) return 0;
        var buf = _in.Buf;
        var start = _in.Pos;
        var end = Math.Min(_in.End, start + count);
        var i = start;
        for (; i < end; i++)
        {
            var b = buf[i];
            switch (_state)
            {
                case S.Text:
                    if (b == '<') _state = S.Lt;
                    break;
                case S.Lt:
                    if (b == '!') { _state = S.Bang; _bangLen = 0; }
                    else if (b == '?') { _state = S.Pi; _match = 0; }
                    else if (b == '/') { _state = S.Tag; _watch = false; _prevInTag = b; }
                    else { _state = S.Name; _nameLen = 0; _nameOverflow = false; AddName(b); }
                    break;
                case S.Name:
                    if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'>' or (byte)'/')
                    {
                        _watch = !_nameOverflow && IsWatched(_name.AsSpan(0, _nameLen));
                        _state = S.Tag;
                        _prevInTag = b;
                        if (b == '>') { _state = S.Text; if (_watch) { Stop(); i++; goto done; } }
                    }
                    else AddName(b);
                    break;
                case S.Tag:
                    if (b is (byte)'"' or (byte)'\'') { _quote = b; _state = S.TagQuote; }
                    else if (b == '>')
                    {
                        _state = S.Text;
                        if (_watch && _prevInTag != '/') { Stop(); i++; goto done; }
                    }
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) _prevInTag = b;
                    break;
                case S.TagQuote:
                    if (b == _quote) { _state = S.Tag; _prevInTag = b; }
                    break;
                case S.Bang:
                    // "<!--" comment, "<![CDATA[", or a declaration (DOCTYPE: the XmlReader rejects it).
                    _bangLen++;
                    if (_bangLen == 1 && b == 'D' && DoctypeAt is null) DoctypeAt = _in.PositionOf(Math.Max(0, i - 2));
                    if (_bangLen == 1 && b == '-') break;
                    if (_bangLen == 2 && b == '-') { _state = S.Comment; _match = 0; break; }
                    if (_bangLen == 1 && b == '[') { _state = S.CData; _match = 0; break; }
                    _state = S.Tag; _watch = false; _prevInTag = b;
                    if (b == '>') _state = S.Text;
                    break;
                case S.Comment:
                    if (b == '-') _match = Math.Min(_match + 1, 2);
                    else if (b == '>' && _match == 2) _state = S.Text;
                    else _match = 0;
                    break;
                case S.CData:
                    if (b == ']') _match = Math.Min(_match + 1, 2);
                    else if (b == '>' && _match == 2) _state = S.Text;
                    else _match = 0;
                    break;
                case S.Pi:
                    if (b == '?') _match = 1;
                    else if (b == '>' && _match == 1) _state = S.Text;
                    else _match = 0;
                    break;
            }
        }
    done:
        var served = i - start;
        Buffer.BlockCopy(buf, start, buffer, offset, served);
        _in.Pos = i;
        return served;
    }

    private void AddName(byte b)
    {
        if (_nameLen < _name.Length) _name[_nameLen++] = b;
        else _nameOverflow = true;
    }

    private bool IsWatched(ReadOnlySpan<byte> name)
    {
        var colon = name.IndexOf((byte)':');
        if (colon >= 0) name = name[(colon + 1)..];
        if (name.SequenceEqual("TABLEDATA"u8)) { StoppedAt = "TABLEDATA"; return true; }
        if (name.SequenceEqual("STREAM"u8)) { StoppedAt = "STREAM"; return true; }
        return false;
    }

    private void Stop() => Stopped = true;

}

/// <summary>
/// The raw text of an inline STREAM: input bytes up to (not including) the next
/// <c>&lt;</c>. Base64 never contains <c>&lt;</c> or <c>&amp;</c>; anything else is
/// reported by the base64 decoder.
/// </summary>
internal sealed class InlineTextStream(VOTableInput input) : ReadOnlyStream
{
    public bool Ended { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Ended || count == 0) return 0;
        if (input.Pos >= input.End && !input.FillMore()) { Ended = true; return 0; }
        var avail = Math.Min(count, input.End - input.Pos);
        var span = input.Buf.AsSpan(input.Pos, avail);
        var lt = span.IndexOfAny((byte)'<', (byte)'&');
        if (lt == 0) { Ended = true; return 0; }
        var n = lt < 0 ? avail : lt;
        span[..n].CopyTo(buffer.AsSpan(offset));
        input.Pos += n;
        return n;
    }

}

/// <summary>
/// Decodes base64 text (whitespace ignored) from an inner stream in bounded chunks,
/// using the vectorised <see cref="System.Buffers.Text.Base64"/> decoder.
/// </summary>
internal sealed class Base64DecodeStream(Stream inner) : ReadOnlyStream
{
    private readonly byte[] _text = new byte[1 << 16];
    private int _textLen;     // undecoded, whitespace-free characters at the start of _text
    private readonly byte[] _out = new byte[(1 << 16) / 4 * 3 + 3];
    private int _outPos, _outLen;
    private bool _innerDone;
    private bool _final;
    private long _charsSeen;

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_outPos >= _outLen)
        {
            if (_final) return 0;
            Decode();
        }
        var n = Math.Min(count, _outLen - _outPos);
        Buffer.BlockCopy(_out, _outPos, buffer, offset, n);
        _outPos += n;
        return n;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Decode()
    {
        _outPos = _outLen = 0;
        if (!_innerDone)
        {
            var r = inner.Read(_text, _textLen, _text.Length - _textLen);
            if (r <= 0) _innerDone = true;
            else _textLen += StripWhitespace(_text.AsSpan(_textLen, r));
        }
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(_text.AsSpan(0, _textLen), _out, out var used, out var written, isFinalBlock: _innerDone);
        _outLen = written;
        if (status == System.Buffers.OperationStatus.InvalidData && !_innerDone && _text.AsSpan(used, _textLen - used).IndexOf((byte)'=') is >= 0 and < 4)
        {
            // padding: the end of the base64 data; decode the last group as final
            var st2 = System.Buffers.Text.Base64.DecodeFromUtf8(_text.AsSpan(used, _textLen - used), _out.AsSpan(written), out var used2, out var written2, isFinalBlock: true);
            if (st2 == System.Buffers.OperationStatus.Done)
            {
                _outLen += written2;
                _charsSeen += used + used2;
                _textLen = 0;
                var rest = new byte[4096];
                int r;
                while ((r = inner.Read(rest, 0, rest.Length)) > 0)
                    if (rest.AsSpan(0, r).IndexOfAnyExcept(" \r\n\t"u8) >= 0)
                        throw new FormatException($"base64 text continues after its '=' padding (after {_charsSeen} characters)");
                _innerDone = true;
                _final = true;
                return;
            }
        }
        if (status == System.Buffers.OperationStatus.InvalidData || (_innerDone && status != System.Buffers.OperationStatus.Done))
        {
            var bad = _textLen > used ? (char)_text[used] : ' ';
            var group = _text.AsSpan(used, Math.Min(4, _textLen - used));
            var what = _innerDone && status == System.Buffers.OperationStatus.NeedMoreData
                ? "the base64 text ends with an incomplete group (truncated?)"
                : group.IndexOf((byte)'=') >= 0 && used + 4 < _textLen
                    ? $"base64 text continues after its '=' padding (after {_charsSeen + used + 4} characters)"
                : group.IndexOf((byte)'=') >= 0
                    ? $"invalid base64 group '{Encoding.ASCII.GetString(group)}' after {_charsSeen + used} base64 characters"
                    : $"invalid base64 character '{bad}' after {_charsSeen + used} base64 characters";
            throw new FormatException(what);
        }
        _charsSeen += used;
        Buffer.BlockCopy(_text, used, _text, 0, _textLen - used);
        _textLen -= used;
        if (_innerDone) _final = true;
    }

    private static int StripWhitespace(Span<byte> s)
    {
        var ws = s.IndexOfAny(" \r\n\t"u8);
        if (ws < 0) return s.Length;
        var w = ws;
        for (var i = ws + 1; i < s.Length; i++)
        {
            var b = s[i];
            if (b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t') continue;
            s[w++] = b;
        }
        return w;
    }

}
