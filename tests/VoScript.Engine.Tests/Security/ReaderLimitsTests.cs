using System.IO.Compression;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Formats.Csv;
using VoScript.Engine.Formats.VOTable;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Security;

/// <summary>Hostile inputs to the table readers end in one clear error, quickly, without following hrefs out of their folder.</summary>
[TestFixture]
public class ReaderLimitsTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("voscript-limits").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    private static string Doc(string fields, string data) =>
        $"""
        <?xml version="1.0"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>{fields}
        <DATA>{data}</DATA></TABLE></RESOURCE></VOTABLE>
        """;

    private static string Binary(string stream, string encoding = "base64") => $"<BINARY><STREAM encoding=\"{encoding}\">{stream}</STREAM></BINARY>";

    private static VOTableFormatException ReadFails(string xml, VOTableReadOptions? o = null) =>
        Assert.Throws<VOTableFormatException>(() => VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), o))!;

    [TestCase("0")]
    [TestCase("0x5")]
    [TestCase("5x0")]
    public void Binary_rows_of_no_bytes_are_an_error_not_an_endless_loop(string arraysize)
    {
        var xml = Doc($"<FIELD name=\"a\" datatype=\"int\" arraysize=\"{arraysize}\"/>", Binary(Convert.ToBase64String(new byte[300])));
        Assert.That(ReadFails(xml).Message, Does.Contain("a row of the binary stream takes no bytes"));
    }

    [TestCase("65536x65536")]             // 2^32: wraps to 0 in 32-bit arithmetic
    [TestCase("65536x65536x2")]
    [TestCase("2147483647x3")]
    [TestCase("100000x100000x*")]
    public void Arraysize_products_beyond_the_limit_are_refused_at_the_field(string arraysize)
    {
        var xml = Doc($"<FIELD name=\"a\" datatype=\"int\" arraysize=\"{arraysize}\"/>", Binary(Convert.ToBase64String(new byte[8])));
        var e = ReadFails(xml);
        Assert.That(e.Message, Does.Contain("ReaderLimits.MaxArrayElements").And.Contain($"'{arraysize}'"));
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void Inline_gzip_bomb_stops_at_the_ratio_cap()
    {
        var compressed = Gzip(new byte[200 << 20]); // 200 MB of zeros, ~200 KB compressed
        var xml = Doc("<FIELD name=\"a\" datatype=\"unsignedByte\" arraysize=\"1000\"/>", Binary(Convert.ToBase64String(compressed), "gzip"));
        var e = ReadFails(xml);
        Assert.That(e.Message, Does.Contain("ReaderLimits.MaxInflateRatio"));
    }

    [Test]
    public void Inline_gzip_stops_at_the_size_cap()
    {
        var compressed = Gzip(RandomBytes(3 << 20));
        var xml = Doc("<FIELD name=\"a\" datatype=\"unsignedByte\" arraysize=\"1000\"/>", Binary(Convert.ToBase64String(compressed), "gzip"));
        var e = ReadFails(xml, new VOTableReadOptions { Limits = new ReaderLimits { MaxInflatedBytes = 1 << 20 } });
        Assert.That(e.Message, Does.Contain("more than the limit of 1048576 bytes (ReaderLimits.MaxInflatedBytes)"));
    }

    [Test]
    public void Gzipped_file_bomb_stops_at_the_ratio_cap()
    {
        var path = Path.Combine(_dir, "bomb.vot.gz");
        using (var fs = File.Create(path))
        using (var gz = new GZipStream(fs, CompressionLevel.SmallestSize))
        {
            gz.Write("<?xml version=\"1.0\"?><VOTABLE version=\"1.4\"><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"char\" arraysize=\"*\"/><DATA><TABLEDATA><TR><TD>"u8);
            var chunk = new byte[1 << 20];
            chunk.AsSpan().Fill((byte)'A');
            for (var i = 0; i < 200; i++) gz.Write(chunk);
            gz.Write("</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"u8);
        }
        var e = Assert.Throws<VOTableFormatException>(() => TableFiles.Read(path))!;
        Assert.That(e.Message, Does.Contain("ReaderLimits.MaxInflateRatio"));
    }

    [Test]
    public void Decoded_bytes_and_rows_are_bounded()
    {
        var xml = Doc("<FIELD name=\"a\" datatype=\"int\"/>", Binary(Convert.ToBase64String(new byte[4000])));
        Assert.That(ReadFails(xml, new VOTableReadOptions { Limits = new ReaderLimits { MaxRows = 10 } }).Message,
            Does.Contain("more rows than the limit of 10 (ReaderLimits.MaxRows)"));
        Assert.That(ReadFails(xml, new VOTableReadOptions { Limits = new ReaderLimits { MaxDecodedBytes = 2000 } }).Message,
            Does.Contain("ReaderLimits.MaxDecodedBytes"));
        var td = Doc("<FIELD name=\"a\" datatype=\"int\"/>", "<TABLEDATA>" + string.Concat(Enumerable.Repeat("<TR><TD>1</TD></TR>", 20)) + "</TABLEDATA>");
        Assert.That(ReadFails(td, new VOTableReadOptions { Limits = new ReaderLimits { MaxRows = 10 } }).Message,
            Does.Contain("(row 11): the table has more rows than the limit of 10 (ReaderLimits.MaxRows)"));
    }

    /// <summary>
    /// The row limit stops every serialization while the data streams in: an endless document (it never ends) must
    /// fail at the first row too many, having read little more than the rows allowed. Small rows go through the
    /// sequential scanner, a long run of rows through the parallel one (chunks of 4 MB).
    /// </summary>
    [TestCase("tabledata", 10)]
    [TestCase("tabledata", 200_000)]
    [TestCase("binary", 10)]
    [TestCase("binary", 200_000)]
    [TestCase("binary2", 200_000)]
    [TestCase("gzip", 200_000)]
    [CancelAfter(60_000)]
    public void The_row_limit_stops_an_endless_table_while_it_streams(string serialization, int maxRows)
    {
        var field = "<FIELD name=\"a\" datatype=\"int\"/>";
        var (head, unit) = serialization switch
        {
            "tabledata" => (field + "<DATA><TABLEDATA>", "<TR><TD>12345</TD></TR>\n"),
            "binary" => (field + "<DATA><BINARY><STREAM encoding=\"base64\">", "AAAAAAAA\n"),
            "binary2" => (field + "<DATA><BINARY2><STREAM encoding=\"base64\">", "AAAAAAAAAAAA\n"),
            _ => ("", ""),
        };
        Stream input;
        if (serialization == "gzip")
        {
            // a .vot.gz of TABLEDATA rows that never ends
            input = new GzipEndless("<?xml version=\"1.0\"?><VOTABLE version=\"1.4\"><RESOURCE><TABLE>" + field + "<DATA><TABLEDATA>", "<TR><TD>12345</TD></TR>\n");
            var file = new VOTableReadOptions { Limits = new ReaderLimits { MaxRows = maxRows } };
            var e1 = Assert.Throws<VOTableFormatException>(() => TableFiles.Read(input, "endless.vot.gz", file))!;
            Assert.That(e1.Message, Does.Contain($"more rows than the limit of {maxRows} (ReaderLimits.MaxRows)"));
            Assert.That(((GzipEndless)input).Produced, Is.LessThan(64L << 20), "the reader stopped soon after the limit");
            return;
        }
        var endless = new Endless("<?xml version=\"1.0\"?><VOTABLE version=\"1.4\"><RESOURCE><TABLE>" + head, unit);
        var o = new VOTableReadOptions { Limits = new ReaderLimits { MaxRows = maxRows } };
        var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.Read(endless, o))!;
        Assert.That(e.Message, Does.Contain($"more rows than the limit of {maxRows} (ReaderLimits.MaxRows)"));
        Assert.That(endless.Produced, Is.LessThan(maxRows * (long)unit.Length + (32L << 20)), "the reader stopped soon after the limit");
    }

    /// <summary>afl++ found it: a declared encoding .NET refuses (UTF-7 is disabled) threw NotSupportedException.</summary>
    [TestCase("UTF-7")]
    [TestCase("utf-7")]
    [TestCase("no-such-charset")]
    public void A_declared_encoding_that_NET_refuses_is_read_leniently(string encoding)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"{encoding}\"?>" + Doc("<FIELD name=\"a\" datatype=\"int\"/>", "<TABLEDATA><TR><TD>7</TD></TR></TABLEDATA>")[(Doc("", "").IndexOf("?>", StringComparison.Ordinal) + 2)..];
        Assert.That(VOTableReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(xml))).Columns[0].GetValue(0), Is.EqualTo(7));
        // and the fuzzer's own input is a clear error
        var crash = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "malformed", "declared-utf7-encoding.xml");
        Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(crash));
    }

    [Test]
    public void Stdin_and_streams_follow_no_href_even_beside_the_working_folder()
    {
        // TableFiles.Read("-") is `show -`: stdin is not a local file, so a relative href is refused
        File.WriteAllBytes(Path.Combine(_dir, "rows.bin"), [0, 0, 0, 7]);
        var xml = Doc("<FIELD name=\"a\" datatype=\"int\"/>", "<BINARY><STREAM href=\"rows.bin\"/></BINARY>");
        var e = Assert.Throws<VOTableFormatException>(() => TableFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "-"))!;
        Assert.That(e.Message, Does.Contain("refused"));
    }

    [Test]
    public void Fits_has_the_reader_limits()
    {
        var t = new VoScript.Engine.Model.Table("t");
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<int>(new VoScript.Engine.Model.Field("a", VoScript.Engine.Model.DataType.Int), Enumerable.Range(0, 100).ToArray()));
        t.AddColumn(new VoScript.Engine.Model.ArrayColumn<short>(new VoScript.Engine.Model.Field("v", VoScript.Engine.Model.DataType.Short, VoScript.Engine.Model.ArraySize.Fixed(50)),
            new short[5000], Enumerable.Range(0, 101).Select(i => i * 50).ToArray(), 100));
        var path = Path.Combine(_dir, "t.fits");
        TableFiles.Write(t, path);
        Assert.That(TableFiles.Read(path).RowCount, Is.EqualTo(100));
        string Fails(ReaderLimits l) => Assert.Throws<VoScript.Engine.Formats.Fits.FitsFormatException>(() => TableFiles.Read(path, new VOTableReadOptions { Limits = l }))!.Message;
        Assert.That(Fails(new ReaderLimits { MaxRows = 10 }), Does.Contain("NAXIS2 = 100 rows is more than the limit of 10 rows (ReaderLimits.MaxRows)"));
        Assert.That(Fails(new ReaderLimits { MaxColumns = 1 }), Does.Contain("(ReaderLimits.MaxColumns)"));
        Assert.That(Fails(new ReaderLimits { MaxArrayElements = 10 }), Does.Contain("'v'").And.Contain("(ReaderLimits.MaxArrayElements)"));
        Assert.That(Fails(new ReaderLimits { MaxCellLength = 50 }), Does.Contain("(ReaderLimits.MaxCellLength)"));
        Assert.That(Fails(new ReaderLimits { MaxDecodedBytes = 8000 }), Does.Contain("(ReaderLimits.MaxDecodedBytes)"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var fs = File.OpenRead(path);
        Assert.That(() => VoScript.Engine.Formats.Fits.FitsReader.Read(fs, "t.fits", null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>A document that never ends: <paramref name="head"/>, then <paramref name="unit"/> forever.</summary>
    private sealed class Endless(string head, string unit) : Stream
    {
        private readonly byte[] _head = Encoding.UTF8.GetBytes(head), _unit = Encoding.UTF8.GetBytes(unit);
        private long _pos;
        public long Produced => _pos;
        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++, _pos++)
                buffer[offset + i] = _pos < _head.Length ? _head[_pos] : _unit[(_pos - _head.Length) % _unit.Length];
            return count;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>gzip of an endless document, compressed as it is read; <see cref="Produced"/> counts the uncompressed bytes.</summary>
    private sealed class GzipEndless : Stream
    {
        private readonly Endless _src;
        private readonly MemoryStream _out = new();
        private readonly GZipStream _gz;
        private long _read;
        public GzipEndless(string head, string unit) { _src = new Endless(head, unit); _gz = new GZipStream(_out, CompressionLevel.Fastest, leaveOpen: true); }
        public long Produced => _src.Produced;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var chunk = new byte[1 << 16];
            while (_out.Length - _read < count)
            {
                _src.ReadExactly(chunk);
                _gz.Write(chunk);
                _gz.Flush();
            }
            var b = _out.GetBuffer();
            Array.Copy(b, _read, buffer, offset, count);
            _read += count;
            if (_read > (1 << 20))
            {
                // drop what was read
                var rest = b.AsSpan((int)_read, (int)(_out.Length - _read)).ToArray();
                _out.SetLength(0);
                _out.Write(rest);
                _read = 0;
            }
            return count;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Test]
    public void A_document_from_a_stream_never_follows_hrefs()
    {
        var secret = Path.Combine(_dir, "secret.bin");
        File.WriteAllBytes(secret, new byte[16]);
        foreach (var href in new[] { "file://" + secret, secret, "secret.bin", "../etc/passwd", "http://127.0.0.1:9/x", "/no/such/file" })
        {
            var xml = Doc("<FIELD name=\"a\" datatype=\"int\"/>", $"<BINARY><STREAM href=\"{href}\"/></BINARY>");
            var e = ReadFails(xml);
            Assert.That(e.Message, Does.Contain("refused"), href);
            // nothing about the file: an existing file and a missing one get the same answer
            if (!href.StartsWith("http", StringComparison.Ordinal))
                Assert.That(e.Message.Replace(href, "HREF"), Is.EqualTo(ReadFails(xml.Replace(href, "/no/such/file")).Message.Replace("/no/such/file", "HREF")), href);
        }
    }

    [Test]
    public void A_local_file_follows_hrefs_only_in_its_folder_or_below()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub", "deeper"));
        File.WriteAllBytes(Path.Combine(_dir, "outside.bin"), [0, 0, 0, 7]);
        File.WriteAllBytes(Path.Combine(_dir, "sub", "deeper", "in.bin"), [0, 0, 0, 7]);
        File.CreateSymbolicLink(Path.Combine(_dir, "sub", "link.bin"), Path.Combine(_dir, "outside.bin"));
        string Write(string href)
        {
            var p = Path.Combine(_dir, "sub", "t.vot");
            File.WriteAllText(p, Doc("<FIELD name=\"a\" datatype=\"int\"/>", $"<BINARY><STREAM href=\"{href}\"/></BINARY>"));
            return p;
        }
        Assert.That(VOTableReader.ReadFile(Write("deeper/in.bin")).RowCount, Is.EqualTo(1));
        foreach (var href in new[] { "../outside.bin", Path.Combine(_dir, "outside.bin"), "file://" + Path.Combine(_dir, "outside.bin"), "link.bin", "deeper/../../outside.bin" })
        {
            var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(Write(href)))!;
            Assert.That(e.Message, Does.Contain("may only refer to files in its own folder or below"), href);
        }
        var off = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(Write("deeper/in.bin"), new VOTableReadOptions { Limits = new ReaderLimits { FollowFileHrefs = false } }))!;
        Assert.That(off.Message, Does.Contain("refused"));
    }

    [Test]
    public void Csv_limits()
    {
        var csv = "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 50));
        Assert.That(Assert.Throws<VoScriptException>(() => CsvTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), limits: new ReaderLimits { MaxRows = 10 }))!.Message,
            Does.Contain("ReaderLimits.MaxRows"));
        Assert.That(Assert.Throws<VoScriptException>(() => CsvTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), limits: new ReaderLimits { MaxDecodedBytes = 100 }))!.Message,
            Does.Contain("ReaderLimits.MaxDecodedBytes"));
        var wide = string.Join(',', Enumerable.Range(0, 300).Select(i => "c" + i)) + "\n";
        Assert.That(Assert.Throws<VoScriptException>(() => CsvTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(wide)), limits: new ReaderLimits { MaxColumns = 100 }))!.Message,
            Does.Contain("ReaderLimits.MaxColumns"));
        var unclosed = "a,b\n\"" + new string('x', 3 << 20);
        Assert.Throws<VoScriptException>(() => CsvTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(unclosed)), limits: new ReaderLimits { MaxCellLength = 1 << 20 }));
    }

    [Test]
    public void Cancellation_reaches_the_reader()
    {
        var xml = Doc("<FIELD name=\"a\" datatype=\"int\"/>", Binary(Convert.ToBase64String(new byte[4000])));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        new Random(1).NextBytes(b);
        return b;
    }
}
