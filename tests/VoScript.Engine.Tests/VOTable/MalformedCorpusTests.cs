using NUnit.Framework;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>
/// Every file in data/malformed is a broken VOTable; its <c>.expected</c> twin holds
/// the exact message the reader must give (one VOTableFormatException, no hang).
/// Adding a case is adding two files.
/// </summary>
[TestFixture]
public class MalformedCorpusTests
{
    private static string CorpusDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "malformed");

    public static IEnumerable<TestCaseData> Cases()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "data", "malformed");
        foreach (var f in Directory.GetFiles(dir, "*.xml").Order(StringComparer.Ordinal))
            yield return new TestCaseData(Path.GetFileName(f)).SetName("MalformedInputIsReportedClearly(" + Path.GetFileNameWithoutExtension(f) + ")");
    }

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(10_000)]
    public void MalformedInputIsReportedClearly(string file)
    {
        var path = Path.Combine(CorpusDir, file);
        var expected = File.ReadAllText(Path.ChangeExtension(path, ".expected")).Trim();
        var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(path));
        Assert.That(e!.Message, Is.EqualTo(expected));
        Assert.That(e.Message, Does.Not.Contain("   at "), "no stack trace in the message");
        Assert.That(e.Line is not null || e.Row is not null, Is.True, "the error says where");
    }

    [Test]
    public void CorpusCoversTheRequiredAttacksAndBreakages()
    {
        var names = Directory.GetFiles(CorpusDir, "*.xml").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "xxe-passwd", "billion-laughs", "truncated-tabledata", "truncated-binary2-row", "wrong-cell-count",
            "unknown-datatype", "text-in-int-column", "bad-base64", "excessive-depth",
        }));
        foreach (var n in names)
            Assert.That(File.Exists(Path.Combine(CorpusDir, n + ".expected")), Is.True, n + " has an .expected twin");
    }

    [Test]
    public void XxeNeverReadsTheReferencedFile()
    {
        var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(Path.Combine(CorpusDir, "xxe-passwd.xml")));
        Assert.That(e!.Message, Does.Not.Contain("root:"));
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void HugeCellIsRefusedAtTheConfiguredLimit()
    {
        var big = new string('x', 5000);
        var xml = TableAssert.Doc("<FIELD name=\"s\" datatype=\"char\" arraysize=\"*\"/>", $"<TR><TD>{big}</TD></TR>");
        var e = Assert.Throws<VOTableFormatException>(() => TableAssert.Parse(xml, new VOTableReadOptions { MaxCellLength = 1000 }));
        Assert.That(e!.Message, Does.Contain("a cell is longer than the limit of 1000 bytes (ReaderLimits.MaxCellLength)"));
        Assert.That(TableAssert.Parse(xml).Columns[0].GetValue(0), Is.EqualTo(big), "the default limit accepts it");
    }

    [Test]
    public void HugeBinaryCellIsRefusedAtTheConfiguredLimit()
    {
        var row = new byte[4 + 5000];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(row, 5000);
        var xml = $"""
            <VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="s" datatype="char" arraysize="*"/>
            <DATA><BINARY><STREAM encoding="base64">{Convert.ToBase64String(row)}</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>
            """;
        var e = Assert.Throws<VOTableFormatException>(() => TableAssert.Parse(xml, new VOTableReadOptions { MaxCellLength = 1000 }));
        Assert.That(e!.Message, Is.EqualTo("line 2, column 16, STREAM (row 1, field 's'): a cell of 5000 bytes is larger than the limit of 1000 bytes (ReaderLimits.MaxCellLength)"));
        Assert.That(e.Row, Is.EqualTo(1));
        Assert.That(e.FieldName, Is.EqualTo("s"));
    }

    [Test]
    public void ErrorsDeepInALargeTableGiveTheExactRowAndLine()
    {
        // large enough for the parallel TABLEDATA path (chunks of several MB)
        var sb = new StringBuilder();
        for (var r = 1; r <= 120_000; r++)
            sb.Append("<TR><TD>").Append(r == 98_765 ? "abc" : r.ToString(System.Globalization.CultureInfo.InvariantCulture))
              .Append("</TD><TD>some text for row ").Append(r).Append("</TD><TD>NULL</TD></TR>\n");
        var xml = TableAssert.Doc("<FIELD name=\"n\" datatype=\"int\"/><FIELD name=\"s\" datatype=\"char\" arraysize=\"*\"/><FIELD name=\"x\" datatype=\"double\"/>", sb.ToString());
        Assert.That(xml.Length, Is.GreaterThan(6_000_000));
        var e = Assert.Throws<VOTableFormatException>(() => TableAssert.Parse(xml));
        Assert.That(e!.Row, Is.EqualTo(98_765));
        Assert.That(e.Line, Is.EqualTo(6 + 98_765), "row 1 is on line 7");
        Assert.That(e.Message, Is.EqualTo($"line {e.Line}, column 9 (row 98765, field 'n'): 'abc' is not a valid int"));

        var ok = TableAssert.Parse(xml.Replace("<TD>abc</TD>", "<TD>98765</TD>"));
        Assert.That(ok.RowCount, Is.EqualTo(120_000));
        Assert.That(Enumerable.Range(0, ok.RowCount).All(r => (int)ok.Columns[0].GetValue(r)! == r + 1), Is.True);
        Assert.That(ok.Columns[1].GetValue(119_999), Is.EqualTo("some text for row 120000"));
        Assert.That(ok.Columns[2].NullCount, Is.EqualTo(120_000));
        Assert.That(ok.Warnings.All.Single().Count, Is.EqualTo(120_000), "warnings from all chunks are counted");
    }

    [Test]
    public void DataErrorsCarryRowAndFieldProperties()
    {
        var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(Path.Combine(CorpusDir, "text-in-int-column.xml")));
        Assert.That((e!.Row, e.FieldName, e.Line), Is.EqualTo(((long?)3, "id", (int?)10)));
    }

    [Test]
    public void RandomlyCorruptedDocumentsGiveAFormatErrorOrATableNeverAnotherException()
    {
        var rng = new Random(7);
        var docs = new[]
        {
            TableAssert.WriteBytes(TableAssert.Sample(), VOTableSerialization.TableData),
            TableAssert.WriteBytes(TableAssert.Sample(), VOTableSerialization.Binary),
            TableAssert.WriteBytes(TableAssert.Sample(), VOTableSerialization.Binary2),
        };
        byte[] junk = "<>&;/\"'=!?-[]x0 \n#TDR"u8.ToArray();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 3000; i++)
        {
            var doc = docs[i % docs.Length].ToList();
            for (var k = rng.Next(1, 4); k > 0; k--)
            {
                var at = rng.Next(doc.Count);
                switch (rng.Next(3))
                {
                    case 0: doc[at] = junk[rng.Next(junk.Length)]; break;
                    case 1: doc.RemoveAt(at); break;
                    default: doc.Insert(at, junk[rng.Next(junk.Length)]); break;
                }
            }
            var bytes = doc.ToArray();
            try
            {
                VOTableReader.Read(new MemoryStream(bytes), new VOTableReadOptions { MaxCellLength = 1 << 20 });
                outcomes["ok"] = outcomes.GetValueOrDefault("ok") + 1;
            }
            catch (VOTableFormatException e)
            {
                Assert.That(e.Message, Does.Match(@"^(line \d+, column \d+|the document|table index)"), e.Message);
                outcomes["error"] = outcomes.GetValueOrDefault("error") + 1;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{Encoding.UTF8.GetString(bytes)}\n{e.StackTrace}");
            }
        }
        Assert.That(outcomes.GetValueOrDefault("error"), Is.GreaterThan(100));
    }

    [Test]
    public void CorruptionInsideLargeParallelTableDataIsReportedAsAFormatError()
    {
        var t = new Table("big");
        const int n = 40_000;
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), [.. Enumerable.Range(0, n).Select(i => (long)i)]));
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), [.. Enumerable.Range(0, n).Select(i => "row number " + i + " with some padding text")]));
        t.AddColumn(new ScalarColumn<double>(new Field("d", DataType.Double), [.. Enumerable.Range(0, n).Select(i => i / 3.0)]));
        var doc = TableAssert.WriteBytes(t, VOTableSerialization.TableData);
        Assert.That(doc.Length, Is.GreaterThan(3_000_000));
        var rng = new Random(11);
        byte[] junk = "<>&;/!x \n"u8.ToArray();
        for (var i = 0; i < 40; i++)
        {
            var copy = (byte[])doc.Clone();
            var at = rng.Next(1000, copy.Length - 1000);
            copy[at] = junk[rng.Next(junk.Length)];
            try { VOTableReader.Read(new MemoryStream(copy)); }
            catch (VOTableFormatException e) { Assert.That(e.Message, Does.StartWith("line ")); }
        }
    }

    [Test]
    public void ManyTruncationPointsAllGiveAFormatErrorNeverAnotherException()
    {
        var full = TableAssert.WriteBytes(TableAssert.Sample(), VOTableSerialization.TableData);
        var bin = TableAssert.WriteBytes(TableAssert.Sample(), VOTableSerialization.Binary2);
        foreach (var doc in new[] { full, bin })
        {
            var end = Encoding.UTF8.GetString(doc).LastIndexOf("</VOTABLE>", StringComparison.Ordinal);
            for (var cut = 0; cut < end; cut += 7)
            {
                var part = doc.AsSpan(0, cut).ToArray();
                Assert.That(() => VOTableReader.Read(new MemoryStream(part)), Throws.TypeOf<VOTableFormatException>(), $"cut at {cut}");
            }
        }
    }
}
