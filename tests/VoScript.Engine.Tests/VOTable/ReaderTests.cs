using NUnit.Framework;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using static VoScript.Engine.Tests.VOTable.TableAssert;

namespace VoScript.Engine.Tests.VOTable;

[TestFixture]
public class ReaderTests
{
    [Test]
    public void TableDataLiteralsOfEveryDatatypeAreParsed()
    {
        var t = Parse(Doc("""
            <FIELD name="b" datatype="boolean"/><FIELD name="bit" datatype="bit"/>
            <FIELD name="ub" datatype="unsignedByte"/><FIELD name="s" datatype="short"/>
            <FIELD name="i" datatype="int"/><FIELD name="l" datatype="long"/>
            <FIELD name="f" datatype="float"/><FIELD name="d" datatype="double"/>
            <FIELD name="cf" datatype="floatComplex"/><FIELD name="dc" datatype="doubleComplex"/>
            <FIELD name="c" datatype="char" arraysize="*"/><FIELD name="u" datatype="unicodeChar" arraysize="*"/>
            """, """
            <TR><TD>true</TD><TD>1</TD><TD>0xff</TD><TD>0xFFFF</TD><TD> 42 </TD><TD>+9007199254740993</TD><TD>+Inf</TD><TD>-1.5e-3</TD><TD>1 -2</TD><TD>1e300 NaN</TD><TD>a&amp;b&lt;&#x3A9;</TD><TD><![CDATA[<x>]]></TD></TR>
            <TR><TD>F</TD><TD>0</TD><TD>7</TD><TD>0x7FFF</TD><TD>0xFFFFFFFF</TD><TD>-1</TD><TD>-inf</TD><TD>NaN</TD><TD/><TD/><TD>  spaced  </TD><TD>Ωμ</TD></TR>
            """));
        Assert.That(t.RowCount, Is.EqualTo(2));
        Assert.That(((ScalarColumn<bool>)t.Columns[0]).Values, Is.EqualTo(new[] { true, false }));
        Assert.That(((ScalarColumn<bool>)t.Columns[1]).Values, Is.EqualTo(new[] { true, false }));
        Assert.That(((ScalarColumn<byte>)t.Columns[2]).Values, Is.EqualTo(new byte[] { 255, 7 }));
        Assert.That(((ScalarColumn<short>)t.Columns[3]).Values, Is.EqualTo(new short[] { -1, 32767 }));
        Assert.That(((ScalarColumn<int>)t.Columns[4]).Values, Is.EqualTo(new[] { 42, -1 }));
        Assert.That(((ScalarColumn<long>)t.Columns[5]).Values, Is.EqualTo(new[] { 9007199254740993L, -1 }));
        Assert.That(((ScalarColumn<float>)t.Columns[6]).Values, Is.EqualTo(new[] { float.PositiveInfinity, float.NegativeInfinity }));
        Assert.That(((ScalarColumn<double>)t.Columns[7])[0], Is.EqualTo(-1.5e-3));
        Assert.That(t.Columns[7].IsNull(1), Is.True, "NaN in a double column is null");
        Assert.That(((ScalarColumn<ComplexFloat>)t.Columns[8])[0], Is.EqualTo(new ComplexFloat(1, -2)));
        Assert.That(t.Columns[8].IsNull(1), Is.True);
        Assert.That(((ScalarColumn<Complex>)t.Columns[9])[0].Real, Is.EqualTo(1e300));
        Assert.That(double.IsNaN(((ScalarColumn<Complex>)t.Columns[9])[0].Imaginary), Is.True);
        Assert.That(t.Columns[10].GetValue(0), Is.EqualTo("a&b<Ω"));
        Assert.That(t.Columns[10].GetValue(1), Is.EqualTo("  spaced  "), "whitespace in strings is significant");
        Assert.That(t.Columns[11].GetValue(0), Is.EqualTo("<x>"));
        Assert.That(t.Columns[11].GetValue(1), Is.EqualTo("Ωμ"));
        Assert.That(t.Warnings.Count, Is.EqualTo(0));
    }

    [Test]
    public void LineEndsInCellsAreNormalisedAsXmlRequires()
    {
        var xml = Doc("<FIELD name=\"s\" datatype=\"char\" arraysize=\"*\"/><FIELD name=\"n\" datatype=\"int\"/>",
            "<TR><TD>a\r\nb</TD><TD>1\r\n</TD></TR>\r\n<TR><TD>c\rd</TD><TD>\r\n2</TD></TR><TR><TD>e&amp;\r\nf</TD><TD>3</TD></TR>").Replace("\n", "\r\n").Replace("\r\r\n", "\r\n");
        var t = Parse(xml);
        Assert.That(t.Columns[0].GetValue(0), Is.EqualTo("a\nb"));
        Assert.That(t.Columns[0].GetValue(1), Is.EqualTo("c\nd"));
        Assert.That(t.Columns[0].GetValue(2), Is.EqualTo("e&\nf"));
        Assert.That(((ScalarColumn<int>)t.Columns[1]).Values, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void NullsAreReadInTableDataFromEmptyCellsNaNQuestionMarkAndValuesNull()
    {
        var t = Parse(Doc("""
            <FIELD name="i" datatype="int"><VALUES null="-99"/></FIELD>
            <FIELD name="b" datatype="boolean"/>
            <FIELD name="f" datatype="float"/>
            <FIELD name="s" datatype="char" arraysize="*"><VALUES null="none"/></FIELD>
            <FIELD name="a" datatype="int" arraysize="*"/>
            """, """
            <TR><TD>-99</TD><TD>?</TD><TD>NaN</TD><TD>none</TD><TD></TD></TR>
            <TR><TD/><TD></TD><TD/><TD/><TD/></TR>
            <TR><TD>5</TD><TD>T</TD><TD>1</TD><TD>x</TD><TD>1 2</TD></TR>
            """));
        foreach (var c in t.Columns)
        {
            Assert.That(c.IsNull(0) && c.IsNull(1), Is.True, c.Name);
            Assert.That(c.IsNull(2), Is.False, c.Name);
        }
        Assert.That(t.Columns[4].GetValue(2), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void ArraysizeShapesGiveTheDocumentedColumnTypes()
    {
        var t = Parse(Doc("""
            <FIELD name="c1" datatype="char" arraysize="10"/>
            <FIELD name="c2" datatype="char" arraysize="3x*"/>
            <FIELD name="bit" datatype="bit" arraysize="5"/>
            <FIELD name="m" datatype="double" arraysize="2x2"/>
            <FIELD name="v" datatype="float" arraysize="4*"/>
            <FIELD name="ba" datatype="boolean" arraysize="3"/>
            """, """
            <TR><TD>hello</TD><TD>abcdef</TD><TD>10110</TD><TD>1 2 3 4</TD><TD>1 2</TD><TD>T F ?</TD></TR>
            """));
        Assert.That(t.Columns[0], Is.TypeOf<StringColumn>());
        Assert.That(t.Columns[0].GetValue(0), Is.EqualTo("hello"));
        Assert.That(t.Columns[1], Is.TypeOf<ArrayColumn<char>>());
        Assert.That(new string(((ArrayColumn<char>)t.Columns[1])[0]), Is.EqualTo("abcdef"));
        Assert.That(t.Columns[2], Is.TypeOf<ArrayColumn<bool>>());
        Assert.That(t.Columns[2].GetValue(0), Is.EqualTo(new[] { true, false, true, true, false }));
        Assert.That(t.Columns[3], Is.TypeOf<ArrayColumn<double>>());
        Assert.That(t.Columns[3].GetValue(0), Is.EqualTo(new[] { 1.0, 2, 3, 4 }), "flattened, first index fastest");
        Assert.That(t.Columns[4].GetValue(0), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(t.Columns[5].GetValue(0), Is.EqualTo(new bool?[] { true, false, null }), "? is a null element, not false");
    }

    [Test]
    public void Binary2LayoutExampleOfTheStandardIsDecoded()
    {
        // FIELDs id int, name char *, mag float; row (7, "M31", null)
        byte[] row = [0x20, 0, 0, 0, 7, 0, 0, 0, 3, 0x4D, 0x33, 0x31, 0x7F, 0xC0, 0, 0];
        var t = Parse(BinaryDoc("BINARY2", Convert.ToBase64String(row)));
        Assert.That(t.RowCount, Is.EqualTo(1));
        Assert.That(((ScalarColumn<int>)t.Columns[0])[0], Is.EqualTo(7));
        Assert.That(t.Columns[1].GetValue(0), Is.EqualTo("M31"));
        Assert.That(t.Columns[2].IsNull(0), Is.True);
    }

    [Test]
    public void Binary2LayoutExampleOfTheStandardIsWrittenByteForByte()
    {
        var t = new Table("t");
        t.AddColumn(new ScalarColumn<int>(new Field("id", DataType.Int), [7]));
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), ["M31"]));
        var mag = new ScalarColumn<float>(new Field("mag", DataType.Float), [float.NaN]);
        mag.SetNull(0);
        t.AddColumn(mag);
        var xml = Encoding.UTF8.GetString(WriteBytes(t, VOTableSerialization.Binary2));
        var b64 = System.Text.RegularExpressions.Regex.Match(xml, "<STREAM encoding=\"base64\">([^<]*)</STREAM>").Groups[1].Value;
        Assert.That(Convert.FromBase64String(b64), Is.EqualTo(new byte[] { 0x20, 0, 0, 0, 7, 0, 0, 0, 3, 0x4D, 0x33, 0x31, 0x7F, 0xC0, 0, 0 }));
    }

    [Test]
    public void BinaryIntegerNullUsesTheDeclaredValuesNull()
    {
        byte[] row = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var doc = BinaryDoc("BINARY", Convert.ToBase64String(row)).Replace("<FIELD name=\"id\" datatype=\"int\"/>",
            "<FIELD name=\"id\" datatype=\"int\"><VALUES null=\"-2147483648\"/></FIELD>");
        var t = Parse(doc);
        Assert.That(t.Columns[0].IsNull(0), Is.True);
        Assert.That(t.Columns[1].IsNull(0), Is.True, "a zero-length variable string in BINARY is null");
        Assert.That(t.Columns[2].IsNull(0), Is.False);
    }

    [Test]
    public void WriterDeclaresANullValueForBinaryIntegersWithNulls()
    {
        var t = new Table("t");
        var c = new ScalarColumn<int>(new Field("n", DataType.Int), [int.MinValue, 5, 0]);
        c.SetNull(2);
        t.AddColumn(c);
        var xml = Encoding.UTF8.GetString(WriteBytes(t, VOTableSerialization.Binary));
        Assert.That(xml, Does.Contain("<VALUES null=\"-2147483647\""), "MinValue is used by a real cell, so the next free value is picked");
        var back = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
        Assert.That(back.Columns[0].IsNull(2), Is.True);
        Assert.That(back.Columns[0].GetValue(0), Is.EqualTo(int.MinValue));
        Assert.That(t.Warnings.All.Select(w => w.Code), Does.Contain("VOT-NULL-DECLARED"));
    }

    private static string BinaryDoc(string element, string base64, string encoding = "base64") => $"""
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
        <FIELD name="id" datatype="int"/><FIELD name="name" datatype="char" arraysize="*"/><FIELD name="mag" datatype="float"/>
        <DATA><{element}><STREAM encoding="{encoding}">
        {base64}
        </STREAM></{element}></DATA></TABLE></RESOURCE></VOTABLE>
        """;

    [Test]
    public void HrefStreamsAreReadFromFilesRelativeToTheBaseDirectoryIncludingGzip()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vot-href-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            byte[] row = [0, 0, 0, 7, 0, 0, 0, 3, 0x4D, 0x33, 0x31, 0x3F, 0x80, 0, 0];
            File.WriteAllBytes(Path.Combine(dir, "rows.bin"), [.. row, .. row]);
            using (var gz = new GZipStream(File.Create(Path.Combine(dir, "rows.bin.gz")), CompressionLevel.Fastest))
                gz.Write([.. row, .. row, .. row]);
            string Doc(string stream) => BinaryDoc("BINARY", "").Replace("<STREAM encoding=\"base64\">\n\n</STREAM>", stream);

            var plain = Parse(Doc("<STREAM href=\"file:rows.bin\"/>"), new VOTableReadOptions { BaseDirectory = dir });
            Assert.That(plain.RowCount, Is.EqualTo(2));
            Assert.That(((ScalarColumn<float>)plain.Columns[2])[1], Is.EqualTo(1f));

            var gzip = Parse(Doc("<STREAM href=\"rows.bin.gz\" encoding=\"gzip\"></STREAM>"), new VOTableReadOptions { BaseDirectory = dir });
            Assert.That(gzip.RowCount, Is.EqualTo(3));
            Assert.That(gzip.Columns[1].GetValue(2), Is.EqualTo("M31"));

            var abs = Parse(Doc($"<STREAM href=\"{new Uri(Path.Combine(dir, "rows.bin")).AbsoluteUri}\"/>"), new VOTableReadOptions { BaseDirectory = dir });
            Assert.That(abs.RowCount, Is.EqualTo(2));
            // without a base directory (a document from the network) no file is read (docs/security.md)
            var noBase = Assert.Throws<VOTableFormatException>(() => Parse(Doc($"<STREAM href=\"{new Uri(Path.Combine(dir, "rows.bin")).AbsoluteUri}\"/>")));
            Assert.That(noBase!.Message, Does.Contain("refused"));

            var file = Path.Combine(dir, "doc.vot");
            File.WriteAllText(file, Doc("<STREAM href=\"rows.bin\"/>"));
            Assert.That(VOTableReader.ReadFile(file).RowCount, Is.EqualTo(2), "ReadFile resolves from the file's directory");

            var missing = Assert.Throws<VOTableFormatException>(() => Parse(Doc("<STREAM href=\"nothere.bin\"/>"), new VOTableReadOptions { BaseDirectory = dir }));
            Assert.That(missing!.Message, Does.StartWith("line 3, column ").And.Contain("cannot open STREAM href 'nothere.bin'"));
            var http = Assert.Throws<VOTableFormatException>(() => Parse(Doc("<STREAM href=\"http://localhost:1/x\"/>")));
            Assert.That(http!.Message, Does.Contain("refused: this document may not make the reader fetch other URLs"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void InlineGzipBase64StreamIsDecoded()
    {
        byte[] row = [0, 0, 0, 9, 0, 0, 0, 1, 0x41, 0x3F, 0x80, 0, 0];
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(row);
        var t = Parse(BinaryDoc("BINARY", Convert.ToBase64String(ms.ToArray()), "gzip"));
        Assert.That(t.Columns[0].GetValue(0), Is.EqualTo(9));
        Assert.That(t.Columns[1].GetValue(0), Is.EqualTo("A"));
    }

    private const string MultiTable = """
        <VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
         <INFO name="server" value="test"/>
         <RESOURCE name="outer">
          <INFO name="QUERY_STATUS" value="OK"/>
          <TABLE name="first"><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE>
          <RESOURCE name="inner">
           <TABLE name="second" ID="t2"><FIELD name="b" datatype="double"/><DATA><BINARY2><STREAM encoding="base64">AEAAAAAAAAAA</STREAM></BINARY2></DATA></TABLE>
          </RESOURCE>
          <TABLE name="third"><FIELD name="c" datatype="char" arraysize="*"/><DATA><TABLEDATA><TR><TD>x</TD></TR><TR><TD>y</TD></TR></TABLEDATA></DATA></TABLE>
          <INFO name="QUERY_STATUS" value="OVERFLOW"/>
         </RESOURCE>
         <INFO name="end" value="1"/>
        </VOTABLE>
        """;

    [Test]
    public void FirstTableIsReadByDefaultAndTrailingInfosAreKeptInOrder()
    {
        var t = Parse(MultiTable);
        Assert.That(t.Name, Is.EqualTo("first"));
        Assert.That(t.Resource!.Infos.Select(i => i.Value), Is.EqualTo(new[] { "OK", "OVERFLOW" }));
        Assert.That(t.Resource.TrailingInfosFrom, Is.EqualTo(1));
        Assert.That(t.QueryStatus!.Value, Is.EqualTo("OVERFLOW"), "the last QUERY_STATUS wins");
        Assert.That(t.Document!.Infos.Select(i => i.Name), Is.EqualTo(new[] { "server", "end" }));
        Assert.That(t.Document.TrailingInfosFrom, Is.EqualTo(1));
        Assert.That(t.Document.Type, Is.EqualTo("1.3"));
    }

    [Test]
    public void TablesCanBeChosenByIndexNameOrIdIncludingNestedResources()
    {
        var second = Parse(MultiTable, new VOTableReadOptions { TableIndex = 1 });
        Assert.That(second.Name, Is.EqualTo("second"));
        Assert.That(second.Resource!.Name, Is.EqualTo("inner"));
        Assert.That(((ScalarColumn<double>)second.Columns[0])[0], Is.EqualTo(2.0));
        Assert.That(Parse(MultiTable, new VOTableReadOptions { TableName = "t2" }).Name, Is.EqualTo("second"));
        Assert.That(Parse(MultiTable, new VOTableReadOptions { TableName = "third" }).RowCount, Is.EqualTo(2));
        var all = ParseAll(MultiTable);
        Assert.That(all.Select(x => x.Name), Is.EqualTo(new[] { "first", "second", "third" }));
        Assert.That(all.Select(x => x.RowCount), Is.EqualTo(new[] { 1, 1, 2 }));
    }

    [Test]
    public void AMissingTableIsReportedWithTheTablesThatExist()
    {
        var byName = Assert.Throws<VOTableFormatException>(() => Parse(MultiTable, new VOTableReadOptions { TableName = "nope" }));
        Assert.That(byName!.Message, Is.EqualTo("the document has no TABLE named 'nope'; its tables are: first, second, third"));
        var byIndex = Assert.Throws<VOTableFormatException>(() => Parse(MultiTable, new VOTableReadOptions { TableIndex = 5 }));
        Assert.That(byIndex!.Message, Is.EqualTo("table index 5 does not exist: the document has 3 tables"));
    }

    [Test]
    public void ErrorDocumentWithoutTableReadsAsEmptyTableWithItsQueryStatus()
    {
        var t = Parse("""
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
             <RESOURCE type="results">
              <INFO name="QUERY_STATUS" value="ERROR">Table 'foo' does not exist</INFO>
             </RESOURCE>
            </VOTABLE>
            """);
        Assert.That(t.ColumnCount, Is.EqualTo(0));
        Assert.That(t.QueryStatus!.Value, Is.EqualTo("ERROR"));
        Assert.That(t.QueryStatus.Content, Is.EqualTo("Table 'foo' does not exist"));
    }

    [Test]
    public void ErrorDocumentIsWrittenBackWithoutATable()
    {
        var t = Parse("""<VOTABLE version="1.4"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">bad query</INFO></RESOURCE></VOTABLE>""");
        var xml = Encoding.UTF8.GetString(WriteBytes(t, VOTableSerialization.Binary2));
        Assert.That(xml, Does.Not.Contain("<TABLE"));
        var back = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
        Assert.That((back.QueryStatus!.Value, back.QueryStatus.Content), Is.EqualTo(("ERROR", "bad query")));
    }

    [Test]
    public void HttpHrefStreamsAreFetchedWithTheGivenClient()
    {
        byte[] row = [0, 0, 0, 5, 0, 0, 0, 2, 0x4F, 0x4B, 0x40, 0, 0, 0];
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write([.. row, .. row]);
        var listener = new System.Net.HttpListener();
        var port = 0;
        for (var attempt = 0; attempt < 20 && !listener.IsListening; attempt++)
        {
            port = Random.Shared.Next(20000, 60000);
            listener = new System.Net.HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { listener.Start(); } catch (System.Net.HttpListenerException) { }
        }
        if (!listener.IsListening) Assert.Ignore("could not start a local HTTP listener");
        var served = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var ctx = await listener.GetContextAsync();
                var body = ctx.Request.Url!.AbsolutePath.EndsWith(".gz") ? gz.ToArray() : row;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });
        try
        {
            using var http = new HttpClient();
            string Doc(string stream) => BinaryDoc("BINARY", "").Replace("<STREAM encoding=\"base64\">\n\n</STREAM>", stream);
            var plain = Parse(Doc($"<STREAM href=\"http://127.0.0.1:{port}/rows.bin\"/>"), new VOTableReadOptions { Http = http });
            Assert.That(plain.Columns[1].GetValue(0), Is.EqualTo("OK"));
            Assert.That(plain.Columns[2].GetValue(0), Is.EqualTo(2f));
            var zipped = Parse(Doc($"<STREAM href=\"http://127.0.0.1:{port}/rows.bin.gz\" encoding=\"gzip\"/>"), new VOTableReadOptions { Http = http });
            Assert.That(zipped.RowCount, Is.EqualTo(2));
            Assert.That(served.Wait(5000), Is.True);
        }
        finally { listener.Stop(); }
    }

    [Test]
    public void DachsStyleStatusBeforeAndOverflowAfterTheTableAreBothKept()
    {
        var t = Parse("""
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
             <RESOURCE type="results">
              <INFO name="QUERY_STATUS" value="OK">query successful</INFO>
              <TABLE><FIELD name="x" datatype="int"/>
               <DATA><BINARY2><STREAM encoding="base64">AAAAAAE=</STREAM></BINARY2></DATA>
              </TABLE>
              <INFO name="QUERY_STATUS" value="OVERFLOW">Exactly 1 rows were returned</INFO>
             </RESOURCE>
            </VOTABLE>
            """);
        Assert.That(t.RowCount, Is.EqualTo(1));
        Assert.That(t.Resource!.Infos.Select(i => (i.Value, i.Content)),
            Is.EqualTo(new[] { ("OK", "query successful"), ("OVERFLOW", "Exactly 1 rows were returned") }));
        Assert.That(t.QueryStatus!.Value, Is.EqualTo("OVERFLOW"));
    }

    [Test]
    public void GroupsParamsCoosysLinksAndDescriptionsAreKept()
    {
        var t = Parse("""
            <VOTABLE version="1.5" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
             <DESCRIPTION>document</DESCRIPTION>
             <COOSYS ID="icrs" system="ICRS" epoch="J2016.0"/>
             <TIMESYS ID="tt" timescale="TT" refposition="BARYCENTER" timeorigin="MJD-origin"/>
             <RESOURCE ID="r1" utype="x:y">
              <PARAM name="radius" datatype="float" value="0.5" unit="deg"/>
              <LINK href="http://example.org" content-role="doc"/>
              <TABLE ID="tab" name="cat" ucd="meta.table">
               <DESCRIPTION>catalogue</DESCRIPTION>
               <FIELD name="ra" ID="ra" datatype="double" ref="icrs" unit="deg" ucd="pos.eq.ra;meta.main" mystery="42">
                <DESCRIPTION>Right ascension</DESCRIPTION>
                <VALUES type="actual"><MIN value="0"/><MAX value="360" inclusive="no"/></VALUES>
                <LINK href="http://example.org/ra" content-type="text/html"/>
               </FIELD>
               <FIELD name="flag" datatype="short"><VALUES><OPTION name="good" value="0"/><OPTION name="bad" value="1"><OPTION value="2"/></OPTION></VALUES></FIELD>
               <GROUP name="position" ucd="pos"><FIELDref ref="ra"/><PARAMref ref="p1"/><PARAM ID="p1" name="eq" datatype="char" arraysize="*" value="J2000"/></GROUP>
               <DATA><TABLEDATA/></DATA>
              </TABLE>
             </RESOURCE>
            </VOTABLE>
            """);
        Assert.That(t.Document!.Description, Is.EqualTo("document"));
        Assert.That(t.Document.Systems.Select(s => s.ElementName), Is.EqualTo(new[] { "COOSYS", "TIMESYS" }));
        Assert.That(t.Document.Systems[1]["timeorigin"], Is.EqualTo("MJD-origin"));
        Assert.That(t.Resource!.Params.Single().Value, Is.EqualTo("0.5"));
        Assert.That(t.Resource.Links.Single().ContentRole, Is.EqualTo("doc"));
        Assert.That((t.Id, t.Name, t.Ucd, t.Description), Is.EqualTo(("tab", "cat", "meta.table", "catalogue")));
        var ra = t.Columns[0].Field;
        Assert.That((ra.Ref, ra.Unit, ra.Description), Is.EqualTo(("icrs", "deg", "Right ascension")));
        Assert.That(ra.ExtraAttributes.Single(), Is.EqualTo(new KeyValuePair<string, string>("mystery", "42")));
        Assert.That((ra.Values!.Type, ra.Values.Min, ra.Values.Max, ra.Values.MaxInclusive), Is.EqualTo(("actual", "0", "360", false)));
        Assert.That(ra.Links.Single().ContentType, Is.EqualTo("text/html"));
        var opts = t.Columns[1].Field.Values!.Options;
        Assert.That(opts.Select(o => o.Name), Is.EqualTo(new[] { "good", "bad" }));
        Assert.That(opts[1].Options.Single().Value, Is.EqualTo("2"));
        var g = t.Groups.Single();
        Assert.That((g.Name, g.FieldRefs.Single(), g.ParamRefs.Single(), g.Params.Single().Value), Is.EqualTo(("position", "ra", "p1", "J2000")));
        Assert.That(t.RowCount, Is.EqualTo(0));
        Assert.That(t.Warnings.Count, Is.EqualTo(0));
    }

    [Test]
    public void DocumentsWithoutNamespaceOrWithOldVersionsAreRead()
    {
        var v11 = Parse("""
            <VOTABLE version="1.1" xmlns="http://www.ivoa.net/xml/VOTable/v1.1"><RESOURCE><TABLE>
            <FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>3</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        Assert.That(v11.Columns[0].GetValue(0), Is.EqualTo(3));
        var none = Parse("""<VOTABLE version="1.2"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>4</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>""");
        Assert.That(none.Columns[0].GetValue(0), Is.EqualTo(4));
        Assert.That(none.Warnings.Count, Is.EqualTo(0));
        var prefixed = Parse("""
            <v:VOTABLE version="1.3" xmlns:v="http://www.ivoa.net/xml/VOTable/v1.3"><v:RESOURCE><v:TABLE>
            <v:FIELD name="a" datatype="int"/><v:DATA><v:TABLEDATA><v:TR><v:TD>5</v:TD></v:TR></v:TABLEDATA></v:DATA></v:TABLE>
            <v:INFO name="after" value="x"/></v:RESOURCE></v:VOTABLE>
            """);
        Assert.That(prefixed.Columns[0].GetValue(0), Is.EqualTo(5));
        Assert.That(prefixed.Resource!.Infos.Single().Name, Is.EqualTo("after"));
    }

    [Test]
    public void Latin1DocumentsAndUtf8BomAreDecoded()
    {
        var xml = """<?xml version="1.0" encoding="ISO-8859-1"?><VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="n" datatype="char" arraysize="*"/><DATA><TABLEDATA><TR><TD>Café</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>""";
        var latin = VOTableReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(xml)));
        Assert.That(latin.Columns[0].GetValue(0), Is.EqualTo("Café"));
        var bom = VOTableReader.Read(new MemoryStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(xml.Replace("ISO-8859-1", "UTF-8"))]));
        Assert.That(bom.Columns[0].GetValue(0), Is.EqualTo("Café"));
        var utf16 = VOTableReader.Read(new MemoryStream([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(xml.Replace("ISO-8859-1", "UTF-16"))]));
        Assert.That(utf16.Columns[0].GetValue(0), Is.EqualTo("Café"));
    }

    [Test]
    public async Task ReadAsyncReadsTheSameTableAndHonoursCancellation()
    {
        var bytes = WriteBytes(Sample(), VOTableSerialization.Binary2);
        var t = await VOTableReader.ReadAsync(new MemoryStream(bytes));
        AreEqual(Sample(), t);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(async () => await VOTableReader.ReadAsync(new MemoryStream(bytes), null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
