using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VoScript.Engine;
using VoScript.Engine.Model;

namespace VoScript.ClusterBench;

/// <summary>
/// Just enough FITS to read the benchmark inputs (the first BINTABLE extension, scalar
/// columns L/B/I/J/K/E/D and A strings) into a <see cref="Table"/>, so that the
/// clustering benchmark reads the very files astropy and STILTS read. Not a general
/// FITS reader: no heap (P/Q) columns, no scaling, no TNULL.
/// </summary>
internal static class FitsTable
{
    private const int Block = 2880;

    public static Table Read(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        // primary HDU
        var primary = ReadHeader(fs);
        SkipData(fs, primary);
        var h = ReadHeader(fs);
        if (Str(h, "XTENSION") is not "BINTABLE") throw new VoScriptException($"{path}: the first extension is not a BINTABLE");
        var rowBytes = Int(h, "NAXIS1");
        var rows = Int(h, "NAXIS2");
        var nf = Int(h, "TFIELDS");
        var data = new byte[(long)rowBytes * rows];
        fs.ReadExactly(data);

        var table = new Table(Path.GetFileNameWithoutExtension(path));
        var offset = 0;
        for (var k = 1; k <= nf; k++)
        {
            var name = Str(h, $"TTYPE{k}") ?? $"col{k}";
            var form = Str(h, $"TFORM{k}") ?? throw new VoScriptException($"{path}: TFORM{k} missing");
            var unit = Str(h, $"TUNIT{k}");
            var i = 0;
            while (i < form.Length && char.IsAsciiDigit(form[i])) i++;
            var repeat = i == 0 ? 1 : int.Parse(form.AsSpan(0, i), CultureInfo.InvariantCulture);
            var code = form[i];
            var width = code switch
            {
                'L' or 'B' or 'A' => 1, 'I' => 2, 'J' or 'E' => 4, 'K' or 'D' or 'C' => 8, 'M' => 16,
                'X' => 0, _ => throw new VoScriptException($"{path}: TFORM {form} is not supported here"),
            } * repeat;
            if (code == 'X') width = (repeat + 7) / 8;
            Column? col = (code, repeat) switch
            {
                ('D', 1) => Scalar(name, DataType.Double, unit, rows, rowBytes, offset, (s) => BinaryPrimitives.ReadDoubleBigEndian(s)),
                ('E', 1) => Scalar(name, DataType.Float, unit, rows, rowBytes, offset, (s) => BinaryPrimitives.ReadSingleBigEndian(s)),
                ('K', 1) => Scalar(name, DataType.Long, unit, rows, rowBytes, offset, (s) => BinaryPrimitives.ReadInt64BigEndian(s)),
                ('J', 1) => Scalar(name, DataType.Int, unit, rows, rowBytes, offset, (s) => BinaryPrimitives.ReadInt32BigEndian(s)),
                ('I', 1) => Scalar(name, DataType.Short, unit, rows, rowBytes, offset, (s) => BinaryPrimitives.ReadInt16BigEndian(s)),
                ('B', 1) => Scalar(name, DataType.UnsignedByte, unit, rows, rowBytes, offset, (s) => s[0]),
                ('L', 1) => Scalar(name, DataType.Boolean, unit, rows, rowBytes, offset, (s) => s[0] == (byte)'T'),
                ('A', _) => Strings(name, rows, rowBytes, offset, repeat),
                _ => null,
            };
            if (col is not null)
            {
                col.Field.Unit = unit;
                table.AddColumn(col);
            }
            offset += width;
            ScalarColumn<T> Scalar<T>(string n, DataType dt, string? u, int count, int stride, int off, Func<ReadOnlySpan<byte>, T> read) where T : unmanaged
            {
                var v = new T[count];
                var span = data.AsSpan();
                for (var r = 0; r < count; r++) v[r] = read(span.Slice(r * stride + off));
                return new ScalarColumn<T>(new Field(n, dt) { Unit = u }, v);
            }
        }
        return table;

        StringColumn Strings(string n, int count, int stride, int off, int len)
        {
            var v = new string?[count];
            for (var r = 0; r < count; r++) v[r] = Encoding.ASCII.GetString(data, r * stride + off, len).TrimEnd(' ', '\0');
            return new StringColumn(new Field(n, DataType.Char, ArraySize.Variable), v);
        }
    }

    private static Dictionary<string, string> ReadHeader(Stream s)
    {
        var h = new Dictionary<string, string>(StringComparer.Ordinal);
        var block = new byte[Block];
        while (true)
        {
            s.ReadExactly(block);
            for (var c = 0; c < Block / 80; c++)
            {
                var card = Encoding.ASCII.GetString(block, c * 80, 80);
                var key = card[..8].Trim();
                if (key == "END") return h;
                if (card.Length > 9 && card[8] == '=')
                {
                    var value = card[10..];
                    if (value.TrimStart().StartsWith('\''))
                    {
                        var t = value.TrimStart();
                        var end = t.IndexOf('\'', 1);
                        while (end > 0 && end + 1 < t.Length && t[end + 1] == '\'') end = t.IndexOf('\'', end + 2);
                        h[key] = (end > 0 ? t[1..end] : t[1..]).Replace("''", "'", StringComparison.Ordinal).TrimEnd();
                    }
                    else
                    {
                        var slash = value.IndexOf('/');
                        h[key] = (slash >= 0 ? value[..slash] : value).Trim();
                    }
                }
            }
        }
    }

    private static void SkipData(Stream s, Dictionary<string, string> h)
    {
        var naxis = Int(h, "NAXIS");
        if (naxis == 0) return;
        long n = Math.Abs(Int(h, "BITPIX")) / 8;
        for (var i = 1; i <= naxis; i++) n *= Int(h, $"NAXIS{i}");
        n += h.TryGetValue("PCOUNT", out var pc) ? long.Parse(pc, CultureInfo.InvariantCulture) : 0;
        s.Seek((n + Block - 1) / Block * Block, SeekOrigin.Current);
    }

    private static string? Str(Dictionary<string, string> h, string key) => h.TryGetValue(key, out var v) ? v : null;

    private static int Int(Dictionary<string, string> h, string key) =>
        h.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : throw new VoScriptException($"FITS header has no {key}");
}
