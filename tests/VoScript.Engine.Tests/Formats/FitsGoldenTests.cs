using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Model;
using static VoScript.Engine.Tests.Formats.FitsTestSupport;

namespace VoScript.Engine.Tests.Formats;

/// <summary>
/// The FITS codec must keep what it reads and writes exactly: every column kind (L X B I J K A E D C M, fixed and
/// variable arrays, TDIM, TNULL, TSCAL/TZERO, unsigned), at sizes around the reader's and writer's chunk and slice
/// boundaries, with random raw bytes. data/fits-golden.txt holds a SHA-256 per case: of the bytes the writer makes
/// from a table, and of a canonical dump (types, metadata, nulls, every cell, or the error message) of what the reader
/// makes of a file. The hashes were taken with the codec of commit b52aae5, before the reader and writer were
/// rewritten for speed; a change to them is a change of the files VoScript writes or of what it reads, and needs a reason.
/// To see what changed: VOSCRIPT_GOLDEN_DUMP=DIR writes each case's dump (or file) to DIR;
/// VOSCRIPT_GOLDEN_WRITE=1 rewrites the hashes.
/// </summary>
[TestFixture]
public class FitsGoldenTests
{
    private static string GoldenPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "fits-golden.txt");

    private static Dictionary<string, string> Golden() =>
        File.ReadAllLines(GoldenPath).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ', 2)).ToDictionary(p => p[1], p => p[0]);

    [Test]
    public void WriterAndReaderKeepEveryCaseExactly()
    {
        var actual = new List<(string Name, string Hash)>();
        var dumpDir = Environment.GetEnvironmentVariable("VOSCRIPT_GOLDEN_DUMP");
        if (dumpDir is not null) Directory.CreateDirectory(dumpDir);
        foreach (var (name, table) in WriteCases())
        {
            var ms = new MemoryStream();
            FitsWriter.Write(table, ms);
            var bytes = ms.ToArray();
            actual.Add(("write " + name, Hash(bytes)));
            if (dumpDir is not null) File.WriteAllBytes(Path.Combine(dumpDir, "write-" + name + ".fits"), bytes);
            // what is written reads back as it was read before
            var dump = Dump(bytes);
            actual.Add(("reread " + name, Hash(Encoding.UTF8.GetBytes(dump))));
            if (dumpDir is not null) File.WriteAllText(Path.Combine(dumpDir, "reread-" + name + ".txt"), dump);
        }
        foreach (var (name, bytes) in ReadCases())
        {
            var dump = Dump(bytes);
            actual.Add(("read " + name, Hash(Encoding.UTF8.GetBytes(dump))));
            if (dumpDir is not null) File.WriteAllText(Path.Combine(dumpDir, "read-" + name + ".txt"), dump);
        }
        if (Environment.GetEnvironmentVariable("VOSCRIPT_GOLDEN_WRITE") == "1")
        {
            var src = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "data", "fits-golden.txt");
            File.WriteAllLines(src, new[] { "# SHA-256 of FitsGoldenTests' cases (see there); taken with the FITS codec of commit b52aae5" }
                .Concat(actual.Select(a => a.Hash + " " + a.Name)));
            Assert.Inconclusive("golden hashes rewritten");
        }
        var golden = Golden();
        var wrong = actual.Where(a => !golden.TryGetValue(a.Name, out var h) || h != a.Hash).Select(a => a.Name).ToList();
        Assert.That(actual.Select(a => a.Name), Is.EquivalentTo(golden.Keys), "the cases are those of the golden file");
        Assert.That(wrong, Is.Empty, "cases whose bytes or reading changed (VOSCRIPT_GOLDEN_DUMP=DIR shows them)");
    }

    [Test]
    public void ReadingThroughGzipGivesWhatReadingTheFileGives()
    {
        // a gzip stream has no length: the reader cannot size the columns from the file and grows them as rows come
        var cases = WriteCases().Where(c => c.Table.RowCount is 0 or 1000 or 40_001).Select(c =>
        {
            var ms = new MemoryStream();
            FitsWriter.Write(c.Table, ms);
            return (c.Name, Bytes: ms.ToArray());
        }).Concat(ReadCases().Where(c => c.Name.StartsWith("wide-", StringComparison.Ordinal) || c.Name.EndsWith("-70001", StringComparison.Ordinal)));
        foreach (var (name, bytes) in cases)
        {
            var gz = new MemoryStream();
            using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(bytes);
            gz.Position = 0;
            Assert.That(Dump(gz, "case.fits.gz"), Is.EqualTo(Dump(bytes)), name);
        }
    }

    [Test]
    public void AnIntegerOffsetBeyondLongGivesDoublesNotACrash()
    {
        // TZERO = 1e20 fits a decimal but not a long: the values need doubles (it was an OverflowException)
        foreach (var tform in new[] { "J", "PJ(2)" })
        {
            var rows = tform == "J" ? Be32(1, -2) : Be32(1, 0, 1, 4);
            var heap = tform == "J" ? [] : Be32(1, -2);
            var t = TableFiles.Read(new MemoryStream(Concat(EmptyPrimary(), BinTable(tform, tform == "J" ? 4 : 8, [.. rows, .. heap], 2, heap.Length, "TZERO1 = 100000000000000000000"))), "z.fits");
            var c = t.Columns[0];
            Assert.That(c.Field.DataType, Is.EqualTo(DataType.Double), tform);
            Assert.That(c.GetValue(0) is double d ? d : ((double[])c.GetValue(0)!)[0], Is.EqualTo(1e20 + 1), tform);
        }
    }

    private static string Hash(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    /// <summary>What the reader makes of <paramref name="bytes"/>: every type, metadata item, null and cell, or the error.</summary>
    internal static string Dump(byte[] bytes) => Dump(new MemoryStream(bytes), "case.fits");

    private static string Dump(Stream stream, string name)
    {
        Table t;
        try { t = TableFiles.Read(stream, name); }
        catch (VoScriptException e) { return "error: " + e.Message; }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"table {t.Name} rows {t.RowCount} declared {t.DeclaredRows}\n");
        foreach (var w in t.Warnings.All) sb.Append(CultureInfo.InvariantCulture, $"warning {w.Code}: {w.Message}\n");
        foreach (var c in t.Columns)
        {
            var f = c.Field;
            sb.Append(CultureInfo.InvariantCulture,
                $"column {f.Name} {c.GetType().Name} {c.ElementType.Name} {f.DataType} [{f.ArraySize}] unit={f.Unit} ucd={f.Ucd} null={f.Values?.Null} width={f.Width} precision={f.Precision} desc={f.Description} count={c.Count} nulls={c.NullCount}\n");
            for (var r = 0; r < c.Count; r++)
                sb.Append(c.IsNull(r) ? "N " : "  ").Append(Canon(c, r)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Tables to write: the model's every column kind, and random tables of many sizes.</summary>
    internal static IEnumerable<(string Name, Table Table)> WriteCases()
    {
        yield return ("all-kinds", FitsCodecTests.AllKinds());
        foreach (var n in new[] { 0, 1, 63, 64, 65, 1000, 40_001 })
        {
            yield return ($"random-{n}", RandomTable(n, 11 + n, utf8Strings: false));
            yield return ($"random-utf8-{n}", RandomTable(n, 11 + n, utf8Strings: true));
        }
    }

    /// <summary>A table of every scalar and array kind with random values and nulls.</summary>
    internal static Table RandomTable(int n, int seed, bool utf8Strings)
    {
        var rnd = new Random(seed);
        NullMask? Nulls(int every)
        {
            if (every == 0) return null;
            var m = new NullMask(n);
            for (var i = 0; i < n; i++) if (rnd.Next(every) == 0) m.Set(i);
            return m;
        }
        T[] Fill<T>(int count, Func<T> f) { var a = new T[count]; for (var i = 0; i < count; i++) a[i] = f(); return a; }
        int[] Fixed(int per) => Enumerable.Range(0, n + 1).Select(i => i * per).ToArray();
        int[] Varying(out int total)
        {
            var o = new int[n + 1];
            for (var i = 0; i < n; i++) o[i + 1] = o[i] + rnd.Next(4);
            total = o[n];
            return o;
        }
        var t = new Table("random");
        t.AddColumn(new ScalarColumn<bool>(new Field("flag", DataType.Boolean), Fill(n, () => rnd.Next(2) == 0), Nulls(7)));
        t.AddColumn(new ScalarColumn<bool>(new Field("bit", DataType.Bit), Fill(n, () => rnd.Next(2) == 0)));
        t.AddColumn(new ScalarColumn<byte>(new Field("ub", DataType.UnsignedByte), Fill(n, () => (byte)rnd.Next(255)), Nulls(5)));
        t.AddColumn(new ScalarColumn<byte>(new Field("ub_full", DataType.UnsignedByte), Fill(n, () => (byte)rnd.Next(256))));
        t.AddColumn(new ScalarColumn<short>(new Field("s", DataType.Short) { Values = new FieldValues { Null = "-99" } }, Fill(n, () => (short)rnd.Next(-1000, 1000)), Nulls(9)));
        t.AddColumn(new ScalarColumn<int>(new Field("i", DataType.Int) { Unit = "count", Ucd = "meta.number" }, Fill(n, () => rnd.Next(int.MinValue, int.MaxValue)), Nulls(4)));
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main", Description = "source id" }, Fill(n, () => rnd.NextInt64())));
        t.AddColumn(new ScalarColumn<long>(new Field("l_null", DataType.Long), Fill(n, () => rnd.NextInt64(-5, 5)), Nulls(3)));
        t.AddColumn(new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag", Width = "6", Precision = "2" }, Fill(n, () => rnd.Next(50) == 0 ? float.NaN : (float)(rnd.NextDouble() * 30 - 5)), Nulls(6)));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, Fill(n, () => rnd.NextDouble() * 360), Nulls(10)));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, Fill(n, () => rnd.NextDouble() * 180 - 90)));
        t.AddColumn(new ScalarColumn<ComplexFloat>(new Field("cf", DataType.FloatComplex), Fill(n, () => new ComplexFloat((float)rnd.NextDouble(), (float)rnd.NextDouble())), Nulls(8)));
        t.AddColumn(new ScalarColumn<Complex>(new Field("cd", DataType.DoubleComplex), Fill(n, () => new Complex(rnd.NextDouble(), -rnd.NextDouble())), Nulls(8)));
        string[] words = ["alpha", "beta", "O'Brien", "a longer name with spaces", "x", "Ångström", "√2", "  lead"];
        var names = Fill(n, () => rnd.Next(6) == 0 ? null : words[rnd.Next(words.Length)]);
        var ascii = Fill(n, () => rnd.Next(6) == 0 ? null : words[rnd.Next(5)]);
        if (utf8Strings)
        {
            t.AddColumn(Utf8Column(new Field("name", DataType.UnicodeChar, ArraySize.Variable), names));
            t.AddColumn(Utf8Column(new Field("code", DataType.Char, ArraySize.Fixed(30)), ascii));
        }
        else
        {
            t.AddColumn(new StringColumn(new Field("name", DataType.UnicodeChar, ArraySize.Variable), names));
            t.AddColumn(new StringColumn(new Field("code", DataType.Char, ArraySize.Fixed(30)), ascii));
        }
        t.AddColumn(new ArrayColumn<float>(new Field("vec", DataType.Float, ArraySize.Fixed(3)), Fill(3 * n, () => (float)rnd.NextDouble()), Fixed(3), n));
        t.AddColumn(new ArrayColumn<int>(new Field("mat", DataType.Int, ArraySize.Fixed(3, 2)), Fill(6 * n, () => rnd.Next()), Fixed(6), n, Nulls(11)));
        var sh = Fill(2 * n, () => (short)rnd.Next(-5, 5));
        var shNulls = new NullMask(2 * n);
        for (var i = 0; i < 2 * n; i++) if (rnd.Next(5) == 0) shNulls.Set(i);
        t.AddColumn(new ArrayColumn<short>(new Field("pair", DataType.Short, ArraySize.Fixed(2)), sh, Fixed(2), n, null, shNulls));
        var vo = Varying(out var vt);
        t.AddColumn(new ArrayColumn<double>(new Field("spec", DataType.Double, ArraySize.Variable), Fill(vt, () => rnd.NextDouble()), vo, n, Nulls(5)));
        var vo2 = Varying(out var vt2);
        t.AddColumn(new ArrayColumn<long>(new Field("vl", DataType.Long, ArraySize.Variable), Fill(vt2, () => rnd.NextInt64()), vo2, n));
        t.AddColumn(new ArrayColumn<bool>(new Field("bits", DataType.Bit, ArraySize.Fixed(10)), Fill(10 * n, () => rnd.Next(2) == 0), Fixed(10), n));
        t.AddColumn(new ArrayColumn<bool>(new Field("flags", DataType.Boolean, ArraySize.Fixed(2)), Fill(2 * n, () => rnd.Next(2) == 0), Fixed(2), n));
        t.AddColumn(new ArrayColumn<char>(new Field("codes", DataType.Char, ArraySize.Fixed(2, 3)), Fill(6 * n, () => (char)rnd.Next('a', 'z' + 1)), Fixed(6), n));
        t.AddColumn(new ArrayColumn<byte>(new Field("ubv", DataType.UnsignedByte, ArraySize.Fixed(4)), Fill(4 * n, () => (byte)rnd.Next(256)), Fixed(4), n));
        return t;
    }

    private static StringColumn Utf8Column(Field f, string?[] values)
    {
        var bytes = new List<byte>();
        var offsets = new int[values.Length + 1];
        var nulls = new NullMask(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } s) bytes.AddRange(Encoding.UTF8.GetBytes(s));
            else nulls.Set(i);
            offsets[i + 1] = bytes.Count;
        }
        return new StringColumn(f, bytes.ToArray(), offsets, values.Length, nulls);
    }

    /// <summary>FITS files made byte by byte: every TFORM with random raw bytes, TNULL, TSCAL/TZERO, lying and cut files.</summary>
    internal static IEnumerable<(string Name, byte[] Bytes)> ReadCases()
    {
        (string Tform, string[] Extra)[] columns =
        [
            ("L", []), ("3L", []), ("X", []), ("13X", []), ("B", []), ("B", ["TNULL{0} = 7"]), ("B", ["TZERO{0} = -128"]),
            ("I", []), ("I", ["TNULL{0} = -32768"]), ("I", ["TZERO{0} = 32768", "TNULL{0} = 0"]), ("I", ["TSCAL{0} = 0.25", "TZERO{0} = 3.5", "TNULL{0} = 5"]),
            ("J", ["TNULL{0} = 1"]), ("J", ["TZERO{0} = 2147483648"]), ("J", ["TZERO{0} = 10"]), ("2J", ["TNULL{0} = 3"]),
            ("K", []), ("K", ["TNULL{0} = 2"]), ("K", ["TZERO{0} = 9223372036854775808"]), ("K", ["TZERO{0} = 5"]), ("K", ["TSCAL{0} = 2.0"]),
            ("E", []), ("E", ["TSCAL{0} = 2.0", "TZERO{0} = 1.0"]), ("4E", []), ("D", []), ("D", ["TZERO{0} = 0.5"]), ("2D", ["TDIM{0} = '(2,1)'"]),
            ("C", []), ("2M", []), ("1A", []), ("8A", []), ("6A", ["TDIM{0} = '(3,2)'"]), ("6I", ["TDIM{0} = '(3,2)'", "TNULL{0} = 9"]),
            ("0J", []), ("3B", ["TNULL{0} = 0"]), ("PJ(4)", []), ("QD(3)", []), ("PB(5)", ["TNULL{0} = 3"]), ("PL(2)", []), ("PE(3)", []), ("PX(9)", []),
        ];
        foreach (var (tform, extra) in columns)
            foreach (var n in new[] { 0, 3, 200, 70_001 })
            {
                if (n == 70_001 && tform is not ("I" or "K" or "E" or "D" or "8A" or "PJ(4)" or "3L" or "13X" or "2J")) continue;
                yield return ($"{tform}{string.Concat(extra.Select(e => ";" + e.Replace("{0}", "").Replace(" ", "")))}-{n}", RandomFile([(tform, extra)], n, n * 31 + tform.Length));
            }
        // all kinds in one row, at sizes around the chunk boundaries
        foreach (var n in new[] { 1, 64, 1000, 100_003 })
            yield return ($"wide-{n}", RandomFile(columns, n, n));
        // the user's-path shape: K D D K I
        yield return ("concat-shape-150000", RandomFile([("K", []), ("D", []), ("D", []), ("K", []), ("I", [])], 150_000, 5));
        // text: NUL ends a string, trailing blanks go, leading stay, UTF-8 or else Latin-1, empty is null
        var text = new[] { "abc     ", "  lead  ", "a\0bcdefg", "\0       ", "        ", "caf\u00e9    ", "na\u00efve   " }
            .Select((s, i) => i == 6 ? Encoding.Latin1.GetBytes(s) : Encoding.UTF8.GetBytes(s)).Select(b => b.Concat(new byte[8]).Take(8).ToArray()).SelectMany(b => b).ToArray();
        yield return ("text-edge", Concat(EmptyPrimary(), BinTable("8A", 8, text, 7)));
        // logicals: T, F, 0 (null), t, 1, other bytes
        yield return ("logical-edge", Concat(EmptyPrimary(), BinTable("L", 1, [(byte)'T', (byte)'F', 0, (byte)'t', 1, (byte)'x'], 6)));
        // a header lying about NAXIS2, a cut file, a NAXIS1 that does not add up, a bad TFORM
        var rows = Be64(Enumerable.Range(0, 1000).Select(i => (long)i).ToArray());
        yield return ("naxis2-lies", Concat(EmptyPrimary(), BinTable("K", 8, rows, 5000)));
        yield return ("naxis2-huge", Concat(EmptyPrimary(), BinTable("K", 8, rows, 2_000_000_000)));
        var full = Concat(EmptyPrimary(), BinTable("K", 8, Be64(Enumerable.Range(0, 200_000).Select(i => (long)i).ToArray()), 200_000));
        yield return ("cut-in-rows", full[..(full.Length / 2)]);
        yield return ("naxis1-wrong", Concat(EmptyPrimary(), BinTable("K", 9, new byte[90], 10)));
        yield return ("tform-bad", Concat(EmptyPrimary(), BinTable("3Z", 3, new byte[30], 10)));
        yield return ("heap-outside", Concat(EmptyPrimary(), BinTable("PJ(2)", 8, Be32(2, 100), 1, 8)));
    }

    /// <summary>A BINTABLE of the given columns and <paramref name="n"/> rows of random bytes (heaps for P/Q columns).</summary>
    private static byte[] RandomFile((string Tform, string[] Extra)[] columns, int n, int seed)
    {
        var rnd = new Random(seed);
        var cards = new List<string>();
        var widths = new List<int>();
        var heap = new List<byte>();
        for (var c = 0; c < columns.Length; c++)
        {
            var (tform, extra) = columns[c];
            var k = (c + 1).ToString(CultureInfo.InvariantCulture);
            cards.Add($"TTYPE{k} = 'c{k}'");
            cards.Add($"TFORM{k} = '{tform}'");
            cards.AddRange(extra.Select(e => string.Format(CultureInfo.InvariantCulture, e, k)));
            widths.Add(Width(tform));
        }
        var rowWidth = widths.Sum();
        var data = new byte[(long)rowWidth * n];
        for (var r = 0; r < n; r++)
        {
            var at = r * rowWidth;
            for (var c = 0; c < columns.Length; c++)
            {
                var cell = data.AsSpan(at, widths[c]);
                Fill(columns[c].Tform, cell, rnd, heap);
                at += widths[c];
            }
        }
        var header = new List<string>
        {
            "XTENSION= 'BINTABLE'", "BITPIX = 8", "NAXIS = 2", $"NAXIS1 = {rowWidth}", $"NAXIS2 = {n}",
            $"PCOUNT = {heap.Count}", "GCOUNT = 1", $"TFIELDS = {columns.Length}",
        };
        header.AddRange(cards);
        return Concat(EmptyPrimary(), Header([.. header]), Padded([.. data, .. heap]));
    }

    private static int Width(string tform)
    {
        var i = 0;
        while (char.IsAsciiDigit(tform[i])) i++;
        var repeat = i == 0 ? 1 : int.Parse(tform[..i], CultureInfo.InvariantCulture);
        return tform[i] switch
        {
            'P' => 8 * repeat,
            'Q' => 16 * repeat,
            'X' => (repeat + 7) / 8,
            var code => repeat * FitsColumnSpec.ElementSize(code),
        };
    }

    private static void Fill(string tform, Span<byte> cell, Random rnd, List<byte> heap)
    {
        var i = 0;
        while (char.IsAsciiDigit(tform[i])) i++;
        var code = tform[i];
        if (code is 'P' or 'Q')
        {
            var elem = tform[i + 1];
            var count = rnd.Next(5) == 0 ? 0 : rnd.Next(1, 4);
            var bytes = elem == 'X' ? (count + 7) / 8 : count * FitsColumnSpec.ElementSize(elem);
            var raw = new byte[bytes];
            FillRaw(elem, raw, rnd);
            if (code == 'P') { BinaryPrimitives.WriteInt32BigEndian(cell, count); BinaryPrimitives.WriteInt32BigEndian(cell[4..], heap.Count); }
            else { BinaryPrimitives.WriteInt64BigEndian(cell, count); BinaryPrimitives.WriteInt64BigEndian(cell[8..], heap.Count); }
            heap.AddRange(raw);
            return;
        }
        FillRaw(code, cell, rnd);
    }

    private static void FillRaw(char code, Span<byte> cell, Random rnd)
    {
        switch (code)
        {
            case 'L':
                for (var j = 0; j < cell.Length; j++) cell[j] = "TFTF\0tx1"u8[rnd.Next(8)];
                break;
            case 'A':
                for (var j = 0; j < cell.Length; j++) cell[j] = rnd.Next(10) switch { 0 => 0, 1 or 2 => (byte)' ', 3 => (byte)rnd.Next(0xC0, 0x100), _ => (byte)rnd.Next('a', 'z' + 1) };
                break;
            case 'B' or 'I' or 'J' or 'K':
                rnd.NextBytes(cell);
                // small values too, so that TNULL and the offsets meet real cells
                if (cell.Length > 0 && rnd.Next(3) == 0) { cell.Clear(); cell[^1] = (byte)rnd.Next(10); }
                break;
            default:
                rnd.NextBytes(cell);
                if (rnd.Next(4) == 0)
                {
                    // ordinary numbers, not only random bit patterns
                    if (cell.Length % 8 == 0 && code is 'D' or 'M') for (var j = 0; j < cell.Length; j += 8) BinaryPrimitives.WriteDoubleBigEndian(cell[j..], rnd.NextDouble() * 100);
                    else if (cell.Length % 4 == 0 && code is 'E' or 'C') for (var j = 0; j < cell.Length; j += 4) BinaryPrimitives.WriteSingleBigEndian(cell[j..], (float)rnd.NextDouble());
                }
                break;
        }
    }
}
