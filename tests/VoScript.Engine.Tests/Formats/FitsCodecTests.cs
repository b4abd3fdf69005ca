using System.IO.Compression;
using System.Numerics;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using static VoScript.Engine.Tests.Formats.FitsTestSupport;

namespace VoScript.Engine.Tests.Formats;

[TestFixture]
public class FitsCodecTests
{
    private static Table Read(byte[] bytes, string name = "t.fits") => TableFiles.Read(new MemoryStream(bytes), name);

    private static byte[] Write(Table t)
    {
        var ms = new MemoryStream();
        FitsWriter.Write(t, ms);
        return ms.ToArray();
    }

    /// <summary>A table with every kind of column the model has, with nulls.</summary>
    internal static Table AllKinds()
    {
        var t = new Table("kinds") { Description = "every column kind" };
        NullMask N(params int[] rows) { var m = new NullMask(4); foreach (var r in rows) m.Set(r); return m; }
        t.AddColumn(new ScalarColumn<bool>(new Field("flag", DataType.Boolean), [true, false, true, false], N(2)));
        t.AddColumn(new ScalarColumn<bool>(new Field("bit", DataType.Bit), [true, false, true, true]));
        t.AddColumn(new ScalarColumn<byte>(new Field("ub", DataType.UnsignedByte), [0, 255, 7, 9], N(3)));
        t.AddColumn(new ScalarColumn<short>(new Field("s", DataType.Short), [short.MinValue, 1, short.MaxValue, 0], N(3)));
        t.AddColumn(new ScalarColumn<int>(new Field("i", DataType.Int) { Unit = "count", Ucd = "meta.number" }, [int.MinValue, -1, int.MaxValue, 0], N(1)));
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main", Description = "source id" }, [long.MinValue, long.MaxValue, 42, 0], N(3)));
        t.AddColumn(new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag" }, [1.5f, float.NaN, -0.25f, 3e38f], N(1)));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, [150.25, 1e-300, double.NaN, 2.0 / 3], N(2)));
        t.AddColumn(new ScalarColumn<ComplexFloat>(new Field("cf", DataType.FloatComplex), [new(1, 2), new(0, -1), new(3, 0), new(4, 4)]));
        t.AddColumn(new ScalarColumn<Complex>(new Field("cd", DataType.DoubleComplex), [new(1, 2), new(0, -1), new(3, 0), new(1e-300, 4)]));
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), ["alpha", null, "O'Brien", "a longer name"]));
        t.AddColumn(new StringColumn(new Field("uname", DataType.UnicodeChar, ArraySize.Variable), ["Ångström", "x", null, "√2"]));
        t.AddColumn(new ArrayColumn<float>(new Field("vec", DataType.Float, ArraySize.Fixed(3)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 3, 6, 9, 12], 4));
        t.AddColumn(new ArrayColumn<int>(new Field("mat", DataType.Int, ArraySize.Fixed(3, 2)), Enumerable.Range(0, 24).ToArray(), [0, 6, 12, 18, 24], 4));
        t.AddColumn(new ArrayColumn<double>(new Field("spec", DataType.Double, ArraySize.Variable), [1, 2, 3, 4, 5, 6], [0, 2, 2, 5, 6], 4, N(1)));
        t.AddColumn(new ArrayColumn<short>(new Field("vs", DataType.Short, ArraySize.Variable), [7, 8, 9], [0, 0, 1, 3, 3], 4, N(0, 3)));
        t.AddColumn(new ArrayColumn<bool>(new Field("bits", DataType.Bit, ArraySize.Fixed(10)), Enumerable.Range(0, 40).Select(i => i % 3 == 0).ToArray(), [0, 10, 20, 30, 40], 4));
        t.AddColumn(new ArrayColumn<bool>(new Field("flags", DataType.Boolean, ArraySize.Fixed(2)), [true, false, false, true, true, true, false, false], [0, 2, 4, 6, 8], 4));
        t.AddColumn(new ArrayColumn<char>(new Field("codes", DataType.Char, ArraySize.Fixed(2, 3)), "abcdefghijklmnopqrstuvwx".ToCharArray(), [0, 6, 12, 18, 24], 4));
        t.Params.Add(new Param("epoch", DataType.Double, "2016.0") { Unit = "yr" });
        return t;
    }

    [Test]
    public void RoundTripKeepsEveryCellNullTypeAndMetadata()
    {
        var t = AllKinds();
        var back = Read(Write(t));
        Assert.That(back.RowCount, Is.EqualTo(t.RowCount));
        Assert.That(back.Name, Is.EqualTo("kinds"));
        Assert.That(back.Description, Is.EqualTo("every column kind"));
        Assert.That(back.Params.Single().Value, Is.EqualTo("2016.0"));
        for (var c = 0; c < t.ColumnCount; c++)
        {
            var a = t.Columns[c];
            var b = back.Columns[c];
            Assert.That(b.Name, Is.EqualTo(a.Name));
            Assert.That(b.Field.DataType, Is.EqualTo(a.Field.DataType), a.Name);
            Assert.That(b.Field.ArraySize.ToString(), Is.EqualTo(a.Field.ArraySize.ToString()), a.Name);
            Assert.That(b.Field.Unit, Is.EqualTo(a.Field.Unit), a.Name);
            Assert.That(b.Field.Ucd, Is.EqualTo(a.Field.Ucd), a.Name);
            Assert.That(b.Field.Description, Is.EqualTo(a.Field.Description), a.Name);
            for (var r = 0; r < t.RowCount; r++)
                Assert.That(Canon(b, r), Is.EqualTo(Canon(a, r)), $"{a.Name} row {r}");
        }
    }

    [Test]
    public void WithoutFitsPlusTheBinTableHeaderGivesNamesUnitsUcdsAndDescriptions()
    {
        var bytes = Write(AllKinds());
        // replace the FITS-plus primary HDU by an empty one: the BINTABLE's own keywords must carry the metadata
        var primaryEnd = FindBinTable(bytes);
        var plain = Concat(EmptyPrimary(), bytes[primaryEnd..]);
        var back = Read(plain);
        Assert.That(back.Columns.Select(c => c.Name), Is.EqualTo(AllKinds().Columns.Select(c => c.Name)));
        Assert.That(back.Columns[5].Field.Ucd, Is.EqualTo("meta.id;meta.main"));
        Assert.That(back.Columns[5].Field.Description, Is.EqualTo("source id"));
        Assert.That(back.Columns[7].Field.Unit, Is.EqualTo("deg"));
        Assert.That(Canon(back.Columns[5], 3), Is.EqualTo("null"), "TNULL marks the null");
        Assert.That(Canon(back.Columns[5], 1), Is.EqualTo(long.MaxValue.ToString()));
    }

    private static int FindBinTable(byte[] b)
    {
        for (var i = 0; i < b.Length; i += 2880)
            if (Encoding.ASCII.GetString(b, i, 8) == "XTENSION") return i;
        throw new AssertionException("no extension");
    }

    [Test]
    public void UnsignedAndSignedByteOffsetsAreApplied()
    {
        var u16 = Read(Concat(EmptyPrimary(), BinTable("I", 2, Be16(short.MinValue, -1, 0), 3, 0, "TZERO1 = 32768")));
        Assert.That(u16.Columns[0].Field.DataType, Is.EqualTo(DataType.Int));
        Assert.That(Enumerable.Range(0, 3).Select(r => Canon(u16.Columns[0], r)), Is.EqualTo(new[] { "0", "32767", "32768" }));
        var u32 = Read(Concat(EmptyPrimary(), BinTable("J", 4, Be32(int.MinValue, -1), 2, 0, "TZERO1 = 2147483648")));
        Assert.That(u32.Columns[0].Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That(Canon(u32.Columns[0], 1), Is.EqualTo("2147483647"));
        var u64 = Read(Concat(EmptyPrimary(), BinTable("K", 8, Be64(long.MinValue, -1), 2, 0, "TZERO1 = 9223372036854775808")));
        Assert.That(u64.Columns[0].Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That(Canon(u64.Columns[0], 1), Is.EqualTo(long.MaxValue.ToString()));
        var big = Read(Concat(EmptyPrimary(), BinTable("K", 8, Be64(long.MaxValue), 1, 0, "TZERO1 = 9223372036854775808")));
        Assert.That(big.Columns[0].GetDouble(0), Is.EqualTo(18446744073709551615.0));
        Assert.That(big.Warnings.All.Single().Message, Does.Contain("unsigned 64-bit"));
        var i8 = Read(Concat(EmptyPrimary(), BinTable("B", 1, [0, 255, 128], 3, 0, "TZERO1 = -128")));
        Assert.That(i8.Columns[0].Field.DataType, Is.EqualTo(DataType.Short));
        Assert.That(Enumerable.Range(0, 3).Select(r => Canon(i8.Columns[0], r)), Is.EqualTo(new[] { "-128", "127", "0" }));
    }

    [Test]
    public void ScaledIntegersBecomeDoublesWithTNullAsNull()
    {
        var t = Read(Concat(EmptyPrimary(), BinTable("J", 4, Be32(100, -5, 0), 3, 0, "TSCAL1 = 0.5", "TZERO1 = 10.0", "TNULL1 = -5")));
        var c = t.Columns[0];
        Assert.That(c.Field.DataType, Is.EqualTo(DataType.Double));
        Assert.That(c.GetDouble(0), Is.EqualTo(60.0));
        Assert.That(c.IsNull(1), Is.True);
        Assert.That(c.GetDouble(2), Is.EqualTo(10.0));
    }

    [Test]
    public void TruncatedFilesGiveAClearErrorWhereverTheyAreCut()
    {
        var bytes = Write(AllKinds());
        var dataEnd = Array.FindLastIndex(bytes, b => b != 0) + 1; // the padding of the last block may be missing without loss
        for (var cut = 0; cut < dataEnd; cut += 331)
        {
            var e = Assert.Catch<VoScriptException>(() => Read(bytes[..cut]), $"cut at {cut}");
            Assert.That(e!.Message, Does.Contain("cut short").Or.Contain("empty"), $"cut at {cut}: {e.Message}");
        }
    }

    [Test]
    public void CorruptHeadersAreRefusedWithTheKeyword()
    {
        string Err(byte[] b) => Assert.Catch<VoScriptException>(() => Read(b))!.Message;
        Assert.That(Err(Concat(EmptyPrimary(), BinTable("J", 4, Be32(1), 1_000_000_000, 0))), Does.Contain("cut short"));
        Assert.That(Err(Concat(EmptyPrimary(), BinTable("Z", 4, Be32(1), 1, 0))), Does.Contain("TFORM1").And.Contain("not a BINTABLE type"));
        Assert.That(Err(Concat(EmptyPrimary(), BinTable("2J", 4, Be32(1), 1, 0))), Does.Contain("NAXIS1"));
        Assert.That(Err(Concat(EmptyPrimary(), BinTable("999999999999999999999J", 4, Be32(1), 1, 0))), Does.Contain("TFORM1"));
        Assert.That(Err(Concat(EmptyPrimary(), BinTable("PJ()", 8, Be32(5, 100), 1, 8))), Does.Contain("outside the heap"));
        Assert.That(Err(Concat(Header("SIMPLE = T", "BITPIX = 8", "NAXIS = 2", "NAXIS1 = 9223372036854775807", "NAXIS2 = 9"), new byte[2880])), Does.Contain("overflows"));
        var noEnd = Encoding.ASCII.GetBytes(new string(' ', 2880 * 3).Insert(0, "SIMPLE  =                    T").Substring(0, 2880 * 3));
        Assert.That(Err(noEnd), Does.Contain("cut short"));
    }

    [Test]
    public void RandomDamageNeverCrashes()
    {
        var bytes = Write(AllKinds());
        var rng = new Random(17);
        for (var i = 0; i < 300; i++)
        {
            var b = (byte[])bytes.Clone();
            for (var k = 0; k < 4; k++) b[rng.Next(Math.Min(b.Length, 2880 * 4))] = (byte)rng.Next(32, 127);
            try { Read(b); }
            catch (VoScriptException) { }
        }
    }

    [TestCase(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, "a PNG image")]
    [TestCase(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46 }, "a JPEG image")]
    [TestCase(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x25, 0xE2, 0xE3 }, "a PDF document")]
    [TestCase(new byte[] { 0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0 }, "a ZIP archive")]
    [TestCase(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0 }, "an executable")]
    [TestCase(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0 }, "a GIF image")]
    [TestCase(new byte[] { 0x01, 0x9C, 0xFE, 0x00, 0x33, 0x8A, 0x10, 0xC3, 0x07 }, "binary data")]
    public void NonTablesAreRecognisedByTheirMagicNumbers(byte[] head, string what)
    {
        var bytes = head.Concat(Enumerable.Range(0, 600).Select(i => (byte)(i * 7))).ToArray();
        var e = Assert.Catch<VoScriptException>(() => Read(bytes, "x.csv"))!;
        Assert.That(e.Message, Does.StartWith("not a table: 'x.csv' looks like " + what));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(bytes);
        e = Assert.Catch<VoScriptException>(() => Read(gz.ToArray(), "x.csv.gz"))!;
        Assert.That(e.Message, Does.StartWith("not a table: 'x.csv' looks like " + what).And.Contain("compressed with gzip"));
    }

    [Test]
    public void AFitsImageWithoutATableSaysWhatItHolds()
    {
        var img = Concat(Header("SIMPLE = T", "BITPIX = -32", "NAXIS = 2", "NAXIS1 = 3", "NAXIS2 = 4"), Padded(new byte[48]));
        var e = Assert.Catch<VoScriptException>(() => Read(img, "img.fits"))!;
        Assert.That(e.Message, Does.StartWith("not a table: 'img.fits' is a FITS file with no binary table").And.Contain("2-d image 3×4"));
    }

    [Test]
    public void TextTablesStillReadAsCsv()
    {
        var t = Read(Encoding.UTF8.GetBytes("ra,name\n1.5,Ångström\n"), "x.csv");
        Assert.That(t.RowCount, Is.EqualTo(1));
        Assert.That(t.Columns[1].GetValue(0), Is.EqualTo("Ångström"));
    }

    [Test]
    public void ColumnsFitsCannotHoldAreNamedWithTheReason()
    {
        var t = new Table("t");
        t.AddColumn(new ScalarColumn<int>(new Field("ok", DataType.Int), [1, 2]));
        t.AddColumn(new ArrayColumn<double>(new Field("cube", DataType.Double, ArraySize.VariableWith([3], null)), new double[9], [0, 3, 9], 2));
        var e = Assert.Throws<VoScriptException>(() => Write(t))!;
        Assert.That(e.Message, Does.Contain("column 'cube' (double[3x*])").And.Contain("one dimension").And.Not.Contain("'ok'"));
    }

    [Test]
    public void SaveToFitsByExtensionAndGzip()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fits-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var name in new[] { "a.fits", "b.fit", "c.fits.gz" })
            {
                var path = Path.Combine(dir, name);
                VoScript.Engine.Runtime.Modules.TableFiles.Write(AllKinds(), path);
                var head = File.ReadAllBytes(path);
                Assert.That(name.EndsWith(".gz") ? head[0] == 0x1f : Encoding.ASCII.GetString(head, 0, 9) == "SIMPLE  =", name);
                var back = VoScript.Engine.Runtime.Modules.TableFiles.Read(path);
                Assert.That(Canon(back.Columns[5], 1), Is.EqualTo(long.MaxValue.ToString()), name);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void LargeTablesStreamInChunks()
    {
        const int n = 200_000;
        var t = new Table("big");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), Enumerable.Range(0, n).Select(i => (long)i * 3).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("x", DataType.Double), Enumerable.Range(0, n).Select(i => i / 7.0).ToArray()));
        var back = Read(Write(t));
        Assert.That(back.RowCount, Is.EqualTo(n));
        Assert.That(back.Columns[0].GetValue(n - 1), Is.EqualTo((long)(n - 1) * 3));
        Assert.That(back.Columns[1].GetDouble(12345), Is.EqualTo(12345 / 7.0));
    }
}
