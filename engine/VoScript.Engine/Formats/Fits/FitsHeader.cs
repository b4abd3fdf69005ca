using System.Globalization;
using System.Text;

namespace VoScript.Engine.Formats.Fits;

/// <summary>A malformed or unreadable FITS file: the message says which HDU, keyword or row, and what.</summary>
internal sealed class FitsFormatException(string message) : VoScriptException(message);

/// <summary>One 80-character header card: keyword, value (strings unquoted) and comment.</summary>
internal sealed record FitsCard(string Key, string? Value, bool IsString, string? Comment);

/// <summary>
/// A FITS header: the cards of one HDU up to END, read block by block with a bound on
/// their number, with typed access to values that says which keyword is wrong and why.
/// </summary>
internal sealed class FitsHeader
{
    public const int BlockSize = 2880;
    public const int CardSize = 80;

    /// <summary>Most header blocks read for one HDU (4096 blocks = 147456 cards, about 11 MB).</summary>
    public const int MaxBlocks = 4096;

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public FitsHeader(List<FitsCard> cards, string where)
    {
        Cards = cards;
        Where = where;
        for (var i = 0; i < cards.Count; i++) _index.TryAdd(cards[i].Key, i);
    }

    public List<FitsCard> Cards { get; }

    /// <summary>How messages name this HDU ("HDU 1 (BINTABLE)").</summary>
    public string Where { get; set; }

    public bool Has(string key) => _index.ContainsKey(key);

    public string? GetString(string key) =>
        _index.TryGetValue(key, out var i) ? Cards[i].IsString ? Cards[i].Value : Cards[i].Value?.Trim() : null;

    public long? GetLong(string key)
    {
        if (!_index.TryGetValue(key, out var i) || Cards[i].Value is not { } v) return null;
        if (!Cards[i].IsString && long.TryParse(v.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        throw new FitsFormatException($"{Where}: keyword {key} = {Show(Cards[i])} is not an integer");
    }

    public long RequireLong(string key, long min, long max)
    {
        var v = GetLong(key) ?? throw new FitsFormatException($"{Where}: the required keyword {key} is missing (corrupt or not a FITS file)");
        if (v < min || v > max) throw new FitsFormatException($"{Where}: {key} = {v} is out of range ({min}..{max}; corrupt header?)");
        return v;
    }

    /// <summary>A real value as decimal when it has one (TZERO of 2^63 needs more than a double's 53 bits).</summary>
    public decimal? GetDecimal(string key)
    {
        if (!_index.TryGetValue(key, out var i) || Cards[i].Value is not { } v) return null;
        var t = v.Trim().Replace('D', 'E').Replace('d', 'e');
        if (!Cards[i].IsString && decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (!Cards[i].IsString && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)) return null;
        throw new FitsFormatException($"{Where}: keyword {key} = {Show(Cards[i])} is not a number");
    }

    public double? GetDouble(string key)
    {
        if (!_index.TryGetValue(key, out var i) || Cards[i].Value is not { } v) return null;
        var t = v.Trim().Replace('D', 'E').Replace('d', 'e');
        if (!Cards[i].IsString && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        throw new FitsFormatException($"{Where}: keyword {key} = {Show(Cards[i])} is not a number");
    }

    public bool? GetBool(string key) =>
        _index.TryGetValue(key, out var i) && !Cards[i].IsString ? Cards[i].Value?.Trim() switch { "T" => true, "F" => false, _ => null } : null;

    private static string Show(FitsCard c) => c.IsString ? "'" + c.Value + "'" : c.Value ?? "";

    /// <summary>
    /// Reads the cards of one header, block by block, up to END. Null when the input ends
    /// cleanly before the first block (no more HDUs).
    /// </summary>
    public static FitsHeader? Read(FitsInput input, string where)
    {
        var block = new byte[BlockSize];
        var cards = new List<FitsCard>();
        for (var b = 0; ; b++)
        {
            if (b >= MaxBlocks)
                throw new FitsFormatException($"{where}: no END card in the first {MaxBlocks} header blocks (corrupt header?)");
            if (!input.ReadBlock(block, b == 0, $"the header of {where}")) return null;
            for (var c = 0; c < BlockSize; c += CardSize)
            {
                var card = block.AsSpan(c, CardSize);
                var key = Encoding.ASCII.GetString(card[..8]).TrimEnd();
                if (key == "END") return new FitsHeader(cards, where);
                for (var k = 0; k < CardSize; k++)
                {
                    if (card[k] is >= 0x20 and <= 0x7e) continue;
                    // the first card decides whether this is FITS at all; later ones are repaired (non-ASCII comments are common)
                    if (b == 0 && c == 0)
                        throw new FitsFormatException($"{where}: header card 1 holds a byte 0x{card[k]:x2} that is not printable ASCII (not a FITS header)");
                    card[k] = (byte)'?';
                }
                if (b == 0 && c == 0 && key is not ("SIMPLE" or "XTENSION"))
                    throw new FitsFormatException($"{where}: does not start with SIMPLE or XTENSION (not a FITS HDU; the file may be cut or corrupt)");
                cards.Add(ParseCard(key, Encoding.ASCII.GetString(card)));
            }
        }
    }

    internal static FitsCard ParseCard(string key, string text)
    {
        if (text.Length < 10 || text[8] != '=' || text[9] != ' ' || key is "COMMENT" or "HISTORY" or "" or "CONTINUE")
            return new FitsCard(key, key == "CONTINUE" ? ParseValue(text[8..], out _, out _) : null, key == "CONTINUE", text.Length > 8 ? text[8..].TrimEnd() : null);
        var value = ParseValue(text[10..], out var isString, out var comment);
        return new FitsCard(key, value, isString, comment);
    }

    private static string? ParseValue(string s, out bool isString, out string? comment)
    {
        comment = null;
        isString = false;
        var i = 0;
        while (i < s.Length && s[i] == ' ') i++;
        if (i < s.Length && s[i] == '\'')
        {
            isString = true;
            var sb = new StringBuilder();
            for (i++; i < s.Length; i++)
            {
                if (s[i] == '\'')
                {
                    if (i + 1 < s.Length && s[i + 1] == '\'') { sb.Append('\''); i++; continue; }
                    i++;
                    break;
                }
                sb.Append(s[i]);
            }
            var slash = s.IndexOf('/', Math.Min(i, s.Length));
            if (slash >= 0) comment = s[(slash + 1)..].Trim();
            return sb.ToString().TrimEnd();
        }
        var sl = s.IndexOf('/', i);
        var v = (sl >= 0 ? s[i..sl] : s[i..]).Trim();
        if (sl >= 0) comment = s[(sl + 1)..].Trim();
        return v.Length == 0 ? null : v;
    }

    /// <summary>The string value of <paramref name="key"/> with the CONTINUE long-string convention applied.</summary>
    public string? GetLongString(string key)
    {
        if (!_index.TryGetValue(key, out var i) || !Cards[i].IsString || Cards[i].Value is not { } v) return GetString(key);
        var sb = new StringBuilder(v);
        while (sb.Length > 0 && sb[^1] == '&' && i + 1 < Cards.Count && Cards[i + 1].Key == "CONTINUE" && Cards[i + 1].Value is { } more)
        {
            sb.Length--;
            sb.Append(more);
            i++;
        }
        return sb.ToString();
    }
}

/// <summary>Writes header cards into 2880-byte blocks.</summary>
internal sealed class FitsHeaderWriter
{
    private readonly StringBuilder _sb = new();

    public void Logical(string key, bool v, string? comment = null) => Raw(key, (v ? "T" : "F").PadLeft(20), comment);

    public void Integer(string key, long v, string? comment = null) => Raw(key, v.ToString(CultureInfo.InvariantCulture).PadLeft(20), comment);

    public void Real(string key, double v, string? comment = null) => Raw(key, v.ToString("R", CultureInfo.InvariantCulture).PadLeft(20), comment);

    /// <summary>A string value: non-printable characters become '?', quotes are doubled, at most 68 characters.</summary>
    public void String(string key, string v, string? comment = null)
    {
        var clean = new StringBuilder(v.Length);
        foreach (var ch in v) clean.Append(ch is >= ' ' and <= '~' ? ch : '?');
        var s = clean.ToString().TrimEnd();
        var quoted = s.Replace("'", "''", StringComparison.Ordinal);
        while (quoted.Length > 68)
        {
            s = s[..^1];
            quoted = s.Replace("'", "''", StringComparison.Ordinal);
        }
        Raw(key, "'" + quoted.PadRight(8) + "'", comment);
    }

    public void Comment(string text) => Card(("COMMENT " + text).PadRight(80)[..80]);

    private void Raw(string key, string value, string? comment)
    {
        var card = key.PadRight(8) + "= " + value;
        if (comment is not null && card.Length + 3 < 80) card += " / " + comment;
        Card(card.Length > 80 ? card[..80] : card);
    }

    private void Card(string text) => _sb.Append(text.PadRight(80));

    /// <summary>The cards, END and the blank padding to a whole block, as ASCII bytes.</summary>
    public byte[] ToBytes()
    {
        Card("END");
        var pad = (FitsHeader.BlockSize - _sb.Length % FitsHeader.BlockSize) % FitsHeader.BlockSize;
        _sb.Append(' ', pad);
        return Encoding.ASCII.GetBytes(_sb.ToString());
    }
}

/// <summary>A forward-only FITS input: whole blocks, exact reads and skips, with the position kept for messages.</summary>
internal sealed class FitsInput(Stream stream, string name)
{
    public string Name { get; } = name;
    public long Position { get; private set; }

    /// <summary>The input's length in bytes when known (a file), else null.</summary>
    public long? Size { get; init; }

    /// <summary>Reads one block; false when the input ends cleanly before it and <paramref name="eofOk"/>.</summary>
    public bool ReadBlock(byte[] block, bool eofOk, string what)
    {
        var n = ReadSome(block, 0, block.Length);
        if (n == 0 && eofOk) return false;
        if (n < block.Length) throw Truncated(what);
        return true;
    }

    /// <summary>Fills <paramref name="buffer"/> or says what was cut short.</summary>
    public void ReadExactly(Span<byte> buffer, Func<string> what)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var r = stream.Read(buffer[done..]);
            if (r <= 0) throw Truncated(what());
            done += r;
            Position += r;
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes; a short input is an error unless <paramref name="eofOk"/>.</summary>
    public void Skip(long count, string what, bool eofOk = false)
    {
        var buf = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var r = stream.Read(buf, 0, (int)Math.Min(buf.Length, count));
            if (r <= 0)
            {
                if (eofOk) return;
                throw Truncated(what);
            }
            count -= r;
            Position += r;
        }
    }

    private int ReadSome(byte[] buf, int off, int len)
    {
        var done = 0;
        while (done < len)
        {
            var r = stream.Read(buf, off + done, len - done);
            if (r <= 0) break;
            done += r;
        }
        Position += done;
        return done;
    }

    public FitsFormatException Truncated(string what) =>
        new($"'{Name}' is cut short: the FITS file ends after {Position} bytes, in {what}; the file is truncated (copy or download it again)");

    /// <summary>Bytes up to the next multiple of 2880.</summary>
    public static long Padding(long size) => (FitsHeader.BlockSize - size % FitsHeader.BlockSize) % FitsHeader.BlockSize;
}
