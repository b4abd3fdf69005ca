using NUnit.Framework;
using System.Diagnostics;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using static VoScript.Engine.Tests.VOTable.TableAssert;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>
/// Null elements inside array cells (a boolean <c>?</c>, an integer equal to VALUES null, a float NaN)
/// survive reading and writing in every serialization.
/// </summary>
[TestFixture]
public class ArrayElementNullTests
{
    private static readonly VOTableSerialization[] All =
        [VOTableSerialization.TableData, VOTableSerialization.Binary, VOTableSerialization.Binary2];

    private static Table Read(string doc) => VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(doc)));

    private static Table BoolTable() => Read(Doc(
        """<FIELD name="b" datatype="boolean" arraysize="4"/><FIELD name="bv" datatype="boolean" arraysize="*"/>""",
        "<TR><TD>? ? T F</TD><TD>T ?</TD></TR><TR><TD>T F T F</TD><TD></TD></TR><TR><TD>??FT</TD><TD>? F</TD></TR>"));

    private static bool?[] Cell(Table t, int col, int row) =>
        ((System.Collections.IEnumerable)t.Columns[col].GetValue(row)!).Cast<object?>().Select(o => (bool?)o).ToArray();

    [Test]
    public void BooleanArrayNullElementsAreReadFromTableData()
    {
        var t = BoolTable();
        Assert.That(Cell(t, 0, 0), Is.EqualTo(new bool?[] { null, null, true, false }));
        Assert.That(Cell(t, 0, 1), Is.EqualTo(new bool?[] { true, false, true, false }));
        Assert.That(t.Columns[0].GetValue(1), Is.TypeOf<bool[]>(), "a cell without null elements stays a plain array");
        Assert.That(Cell(t, 0, 2), Is.EqualTo(new bool?[] { null, null, false, true }));
        Assert.That(Cell(t, 1, 0), Is.EqualTo(new bool?[] { true, null }));
        Assert.That(t.Columns[0].FormatCell(0), Is.EqualTo("? ? T F"));
    }

    [TestCaseSource(nameof(All))]
    public void BooleanArrayNullElementsSurviveEverySerialization(object serialization)
    {
        var ser = (VOTableSerialization)serialization;
        var bytes = WriteBytes(BoolTable(), ser);
        var back = VOTableReader.Read(new MemoryStream(bytes));
        Assert.That(Cell(back, 0, 0), Is.EqualTo(new bool?[] { null, null, true, false }), ser.ToString());
        Assert.That(Cell(back, 0, 1), Is.EqualTo(new bool?[] { true, false, true, false }), ser.ToString());
        Assert.That(Cell(back, 0, 2), Is.EqualTo(new bool?[] { null, null, false, true }), ser.ToString());
        Assert.That(Cell(back, 1, 0), Is.EqualTo(new bool?[] { true, null }), ser.ToString());
        // and written again, the same document (nothing drifts on a second pass)
        Assert.That(Encoding.UTF8.GetString(WriteBytes(back, ser)), Is.EqualTo(Encoding.UTF8.GetString(bytes)), ser.ToString());
    }

    [TestCaseSource(nameof(All))]
    public void BinaryBooleanArrayNullBytesAreRead(object serialization)
    {
        var ser = (VOTableSerialization)serialization;
        if (ser == VOTableSerialization.TableData) Assert.Pass("TABLEDATA is covered by the text test");
        // one row: [flags for BINARY2] '?' 0x00 ' ' 'T' (three nulls spelled three ways)
        var row = new List<byte>();
        if (ser == VOTableSerialization.Binary2) row.Add(0);
        row.Add((byte)'?');
        row.Add(0);
        row.Add((byte)' ');
        row.Add((byte)'T');
        var element = ser == VOTableSerialization.Binary2 ? "BINARY2" : "BINARY";
        var doc = $"""
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
            <FIELD name="b" datatype="boolean" arraysize="4"/>
            <DATA><{element}><STREAM encoding="base64">{Convert.ToBase64String(row.ToArray())}</STREAM></{element}></DATA>
            </TABLE></RESOURCE></VOTABLE>
            """;
        Assert.That(Cell(Read(doc), 0, 0), Is.EqualTo(new bool?[] { null, null, null, true }));
    }

    [TestCaseSource(nameof(All))]
    public void IntegerArrayElementsEqualToValuesNullStayNull(object serialization)
    {
        var ser = (VOTableSerialization)serialization;
        var t = Read(Doc(
            """<FIELD name="i" datatype="int" arraysize="3"><VALUES null="-99"/></FIELD><FIELD name="j" datatype="short" arraysize="*"/>""",
            "<TR><TD>1 -99 3</TD><TD>4 NULL 6</TD></TR><TR><TD>7 8 9</TD><TD>10</TD></TR>"));
        var i = (ArrayColumn<int>)t.Columns[0];
        var j = (ArrayColumn<short>)t.Columns[1];
        Assert.That(i.IsElementNull(0, 1), Is.True);
        Assert.That(i.GetValue(0), Is.EqualTo(new int?[] { 1, null, 3 }));
        Assert.That(j.GetValue(0), Is.EqualTo(new short?[] { 4, null, 6 }), "a null literal in an integer array is a null element, not 0");
        var back = RoundTrip(t, ser);
        Assert.That(back.Columns[0].GetValue(0), Is.EqualTo(new int?[] { 1, null, 3 }), ser.ToString());
        Assert.That(back.Columns[0].GetValue(1), Is.EqualTo(new[] { 7, 8, 9 }), ser.ToString());
        Assert.That(back.Columns[1].GetValue(0), Is.EqualTo(new short?[] { 4, null, 6 }), ser.ToString());
        Assert.That(back.Columns[1].Field.Values?.Null, Is.Not.Null, "a null value was declared for the short array's null element");
        Assert.That(back.Columns[1].GetValue(1), Is.EqualTo(new short[] { 10 }), ser.ToString());
    }

    [TestCaseSource(nameof(All))]
    public void FloatArrayNaNElementsStayNaN(object serialization)
    {
        var ser = (VOTableSerialization)serialization;
        var t = Read(Doc("""<FIELD name="d" datatype="double" arraysize="3"/>""", "<TR><TD>1 NaN 3</TD></TR>"));
        var back = RoundTrip(t, ser);
        Assert.That(back.Columns[0].GetValue(0), Is.EqualTo(new[] { 1, double.NaN, 3 }), ser.ToString());
    }

    [Test]
    public void SelectingRowsKeepsNullElements()
    {
        var t = BoolTable();
        var s = t.Columns[0].Select([2, 0]);
        Assert.That(((System.Collections.IEnumerable)s.GetValue(0)!).Cast<object?>(), Is.EqualTo(new object?[] { null, null, false, true }));
        Assert.That(((System.Collections.IEnumerable)s.GetValue(1)!).Cast<object?>(), Is.EqualTo(new object?[] { null, null, true, false }));
        var v = t.Columns[1].Select([2]);
        Assert.That(((System.Collections.IEnumerable)v.GetValue(0)!).Cast<object?>(), Is.EqualTo(new object?[] { null, false }));
    }

    [TestCaseSource(nameof(All))]
    [Category("Conformance")]
    public void AstropyReadsOurNullBooleanElementsAsMasked(object serialization)
    {
        const string python = "/usr/bin/python3";
        var ser = (VOTableSerialization)serialization;
        var path = Path.Combine(Path.GetTempPath(), $"vot-boolnull-{Guid.NewGuid():N}.vot");
        File.WriteAllBytes(path, WriteBytes(BoolTable(), ser));
        try
        {
            const string script = "import sys, warnings; warnings.simplefilter('ignore'); from astropy.io.votable import parse_single_table as p; "
                + "t = p(sys.argv[1]).array; c = t['b'][0]; "
                + "print(' '.join('null' if m else str(bool(v)) for v, m in zip(c.data, c.mask)))";
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(path);
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception) { Assert.Ignore("no " + python); return; }
            using (p)
            {
                var err = p.StandardError.ReadToEndAsync();
                var output = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                if (err.Result.Contains("No module named 'astropy'")) Assert.Ignore("astropy is not installed");
                Assert.That(p.ExitCode, Is.EqualTo(0), err.Result);
                Assert.That(output, Is.EqualTo("null null True False"), ser.ToString());
            }
        }
        finally { File.Delete(path); }
    }
}
