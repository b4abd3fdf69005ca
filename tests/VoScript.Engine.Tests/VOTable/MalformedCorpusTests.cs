using NUnit.Framework;
using System.Text;
using VoScript.Engine.VOTable;

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
        Assert.That(e!.Message, Does.Contain("a cell is longer than the limit of 1000 bytes (VOTableReadOptions.MaxCellLength)"));
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
        Assert.That(e!.Message, Is.EqualTo("line 2, column 16, STREAM (row 1, field 's'): a cell of 5000 bytes is larger than the limit of 1000 bytes (VOTableReadOptions.MaxCellLength)"));
        Assert.That(e.Row, Is.EqualTo(1));
        Assert.That(e.FieldName, Is.EqualTo("s"));
    }

    [Test]
    public void DataErrorsCarryRowAndFieldProperties()
    {
        var e = Assert.Throws<VOTableFormatException>(() => VOTableReader.ReadFile(Path.Combine(CorpusDir, "text-in-int-column.xml")));
        Assert.That((e!.Row, e.FieldName, e.Line), Is.EqualTo(((long?)3, "id", (int?)10)));
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
