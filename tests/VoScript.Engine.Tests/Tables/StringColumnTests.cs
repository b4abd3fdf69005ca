using System.Text;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Tests.Tables;

/// <summary>String columns held as one UTF-8 buffer with offsets behave like columns of strings.</summary>
[TestFixture]
public class StringColumnTests
{
    private static readonly string?[] Cells = ["NGC 1275", null, "", "Ångström ☉", "b<&>", "12.5", "a\U0001F600z"];

    private static StringColumn Utf8Column(string?[] cells)
    {
        var bytes = new List<byte>();
        var offsets = new int[cells.Length + 1];
        var nulls = new NullMask(cells.Length);
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] is null) nulls.Set(i);
            else bytes.AddRange(Encoding.UTF8.GetBytes(cells[i]!));
            offsets[i + 1] = bytes.Count;
        }
        return new StringColumn(new Field("s", DataType.UnicodeChar, ArraySize.Variable), bytes.ToArray(), offsets, cells.Length, nulls);
    }

    [Test]
    public void CellsNullsValuesAndNumbersAreThoseOfTheStrings()
    {
        var u = Utf8Column(Cells);
        var s = new StringColumn(new Field("s", DataType.UnicodeChar, ArraySize.Variable), Cells);
        Assert.That(u.IsUtf8, Is.True);
        Assert.That(s.IsUtf8, Is.False);
        Assert.That(u.Count, Is.EqualTo(s.Count));
        for (var i = 0; i < Cells.Length; i++)
        {
            Assert.That(u[i], Is.EqualTo(s[i]), $"row {i}");
            Assert.That(u.IsNull(i), Is.EqualTo(s.IsNull(i)), $"row {i}");
            Assert.That(u.FormatCell(i), Is.EqualTo(s.FormatCell(i)), $"row {i}");
            Assert.That(u.GetDouble(i), Is.EqualTo(s.GetDouble(i)), $"row {i}");
            Assert.That(u.Utf8(i).ToArray(), Is.EqualTo(s.Utf8(i).ToArray()), $"row {i}");
        }
        Assert.That(u.Values, Is.EqualTo(Cells));
        Assert.That(u.GetDouble(5), Is.EqualTo(12.5));
        Assert.That(u.IsAscii, Is.False);
        Assert.That(Utf8Column(["a", null, "b"]).IsAscii, Is.True);
    }

    [Test]
    public void SelectKeepsTheBufferFormAndTheNulls()
    {
        var picked = (StringColumn)Utf8Column(Cells).Select([6, 1, 3, 0, 0]);
        Assert.That(picked.IsUtf8, Is.True);
        Assert.That(picked.Values, Is.EqualTo(new[] { Cells[6], null, Cells[3], Cells[0], Cells[0] }));
        Assert.That(picked.NullCount, Is.EqualTo(1));
    }

    [Test]
    public void BadOffsetsAreRefused()
    {
        var f = new Field("s", DataType.Char, ArraySize.Variable);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StringColumn(f, new byte[3], [0, 2], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StringColumn(f, new byte[3], [0, 4], 1));
    }

    [Test]
    public void StatisticsAreTheSameForBothForms()
    {
        string?[] ascii = ["M31", null, "NGC 224", "Andromeda", "", "andromeda"];
        foreach (var cells in new[] { ascii, Cells })
        {
            var u = ColumnStatistics.Of(Utf8Column(cells));
            var s = ColumnStatistics.Of(new StringColumn(new Field("s", DataType.UnicodeChar, ArraySize.Variable), cells));
            Assert.That(u, Is.EqualTo(s));
        }
        Assert.That(ColumnStatistics.Of(Utf8Column(ascii)).MinText, Is.EqualTo(""));
        Assert.That(ColumnStatistics.Of(Utf8Column(ascii)).MaxText, Is.EqualTo("andromeda"));
    }

    [TestCase(VOTableSerialization.TableData)]
    [TestCase(VOTableSerialization.Binary)]
    [TestCase(VOTableSerialization.Binary2)]
    public void ReadersMakeUtf8ColumnsThatSurviveWritingAgain(object serialization)
    {
        var ser = (VOTableSerialization)serialization;
        var t = new Table("t");
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), ["alpha", "b<&>\"", null, "γ Cas", "x"]));
        t.AddColumn(new StringColumn(new Field("code", DataType.Char, ArraySize.Fixed(3)), ["AAA", "AB", null, "ABC", "Q"]));
        var once = Read(Write(t, ser));
        var name = (StringColumn)once.FindColumn("name")!;
        Assert.That(name.IsUtf8, Is.True);
        Assert.That(name.Values, Is.EqualTo(new[] { "alpha", "b<&>\"", null, "γ Cas", "x" }));
        Assert.That(((StringColumn)once.FindColumn("code")!).Values, Is.EqualTo(new[] { "AAA", "AB", null, "ABC", "Q" }));
        var twice = Read(Write(once, ser));
        Assert.That(((StringColumn)twice.FindColumn("name")!).Values, Is.EqualTo(name.Values));
    }

    [Test]
    public void Latin1BytesInABinaryCharCellAreReadAsLatin1()
    {
        // a char cell of bytes that are not UTF-8 (Latin-1 "é" = 0xE9): read as Latin-1, as before
        var row = new byte[] { 0x00, 0x00, 0x00, 0x03, (byte)'c', 0xE9, (byte)'!' };
        var doc = "<?xml version=\"1.0\"?><VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE><TABLE>"
            + "<FIELD name=\"s\" datatype=\"char\" arraysize=\"*\"/><DATA><BINARY><STREAM encoding=\"base64\">"
            + Convert.ToBase64String(row) + "</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>";
        var t = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(doc)));
        Assert.That(((StringColumn)t.Columns[0])[0], Is.EqualTo("cé!"));
    }

    private static byte[] Write(Table t, VOTableSerialization ser)
    {
        var ms = new MemoryStream();
        VOTableWriter.Write(t, ms, new VOTableWriteOptions { Serialization = ser });
        return ms.ToArray();
    }

    private static Table Read(byte[] doc) => VOTableReader.Read(new MemoryStream(doc));
}
