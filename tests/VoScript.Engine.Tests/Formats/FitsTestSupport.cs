using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Formats;

/// <summary>Builds FITS files byte by byte (any header, any data) and prints cells canonically for comparisons.</summary>
internal static class FitsTestSupport
{
    /// <summary>A header of the given cards ("KEY = value" or raw 80-character text), END, padded to 2880.</summary>
    public static byte[] Header(params string[] cards)
    {
        var sb = new StringBuilder();
        foreach (var c in cards)
        {
            var eq = c.IndexOf('=');
            var card = eq > 0 && eq <= 8 ? c[..eq].Trim().PadRight(8) + "= " + c[(eq + 1)..].Trim().PadLeft(20) : c;
            sb.Append(card.PadRight(80)[..80]);
        }
        sb.Append("END".PadRight(80));
        while (sb.Length % 2880 != 0) sb.Append(' ');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public static byte[] Padded(byte[] data)
    {
        var n = (data.Length + 2879) / 2880 * 2880;
        var b = new byte[n];
        data.CopyTo(b, 0);
        return b;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] EmptyPrimary() => Header("SIMPLE = T", "BITPIX = 8", "NAXIS = 0", "EXTEND = T");

    /// <summary>A one-column BINTABLE HDU with the given extra keywords and big-endian rows.</summary>
    public static byte[] BinTable(string tform, int rowWidth, byte[] rows, int nrows, int pcount = 0, params string[] extra)
    {
        var cards = new List<string>
        {
            "XTENSION= 'BINTABLE'", "BITPIX = 8", "NAXIS = 2", $"NAXIS1 = {rowWidth}", $"NAXIS2 = {nrows}",
            $"PCOUNT = {pcount}", "GCOUNT = 1", "TFIELDS = 1", "TTYPE1 = 'x'", $"TFORM1 = '{tform}'",
        };
        cards.AddRange(extra);
        return Concat(Header([.. cards]), Padded(rows));
    }

    public static byte[] Be16(params short[] v) => v.SelectMany(x => { var b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, x); return b; }).ToArray();
    public static byte[] Be32(params int[] v) => v.SelectMany(x => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, x); return b; }).ToArray();
    public static byte[] Be64(params long[] v) => v.SelectMany(x => { var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, x); return b; }).ToArray();

    /// <summary>A cell as canonical text: null/NaN/empty → "null"; arrays and complex numbers as [a,b].</summary>
    public static string Canon(Column c, int r)
    {
        if (c.IsNull(r)) return "null";
        var v = c.GetValue(r);
        if (v is char[] chars && c.Field.ArraySize.FixedDimensions is [var len, _, ..] && len > 0)
            return "[" + string.Join(",", chars.Chunk(len).Select(x => new string(x).TrimEnd() is { Length: > 0 } s ? s : "null")) + "]";
        var parts = new List<string>();
        Flatten(v, parts);
        if (v is Array or ComplexFloat or Complex) return parts.Count == 0 ? "null" : "[" + string.Join(",", parts) + "]";
        return parts.Single();
    }

    private static void Flatten(object? v, List<string> into)
    {
        switch (v)
        {
            case null: into.Add("null"); break;
            case string s: into.Add(s.Length == 0 ? "null" : s); break;
            case bool b: into.Add(b ? "true" : "false"); break;
            case float f: into.Add(Num(f)); break;
            case double d: into.Add(Num(d)); break;
            case ComplexFloat z: into.Add(Num(z.Real)); into.Add(Num(z.Imaginary)); break;
            case Complex z: into.Add(Num(z.Real)); into.Add(Num(z.Imaginary)); break;
            case char[] chars: into.Add(new string(chars)); break;
            case Array a: foreach (var x in a) Flatten(x, into); break;
            default: into.Add(Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)); break;
        }
    }

    public static string Num(double d) => double.IsNaN(d) ? "null" : d == 0 ? "0" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A JSON cell (astropy_fits.py dump) as canonical text.</summary>
    public static string FromJson(System.Text.Json.JsonElement e)
    {
        switch (e.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Null: return "null";
            case System.Text.Json.JsonValueKind.True: return "true";
            case System.Text.Json.JsonValueKind.False: return "false";
            case System.Text.Json.JsonValueKind.Number:
                var raw = e.GetRawText();
                return raw.Contains('.') || raw.Contains('e') || raw.Contains('E') ? Num(e.GetDouble()) : raw;
            case System.Text.Json.JsonValueKind.String: return e.GetString() is { Length: > 0 } s ? s : "null";
            case System.Text.Json.JsonValueKind.Array:
                var parts = new List<string>();
                void Walk(System.Text.Json.JsonElement x)
                {
                    if (x.ValueKind == System.Text.Json.JsonValueKind.Array) foreach (var y in x.EnumerateArray()) Walk(y);
                    else parts.Add(FromJson(x));
                }
                Walk(e);
                return parts.Count == 0 ? "null" : "[" + string.Join(",", parts) + "]";
        }
        return e.GetRawText();
    }
}
