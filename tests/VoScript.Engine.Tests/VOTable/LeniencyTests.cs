using NUnit.Framework;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using static VoScript.Engine.Tests.VOTable.TableAssert;

namespace VoScript.Engine.Tests.VOTable;

[TestFixture]
public class LeniencyTests
{
    private const string Sloppy = """
        <?xml version="1.0"?>
        <VOTABLE version="v1.0" xmlns="http://www.ivoa.net/xml/VOTable/VOTable-1.1.xsd">
         <RESOURCE>
          <TABLE nrows="5">
           <FIELD name="ra" id="ra" datatype="float64" unit="degrees" ucd="POS_EQ_RA_MAIN"/>
           <FIELD name="n" datatype="int32"/>
           <FIELD name="name" datatype="char"/>
           <FIELD name="label" datatype="string"/>
           <DATA><TABLEDATA>
            <TR><TD>10.5</TD><TD>1.</TD><TD>M31</TD><TD>x</TD></TR>
            <TR><TD>NULL</TD><TD>2.0</TD><TD>NGC 224</TD><TD>y</TD></TR>
            <TR><TD>-</TD><TD>null</TD><TD></TD><TD>z</TD></TR>
           </TABLEDATA></DATA>
          </TABLE>
         </RESOURCE>
        </VOTABLE>
        """;

    [Test]
    public void SloppyServiceOutputIsReadWithDeduplicatedWarnings()
    {
        var t = Parse(Sloppy);
        Assert.That(t.RowCount, Is.EqualTo(3));
        Assert.That(t.Columns[0].Field.DataType, Is.EqualTo(DataType.Double));
        Assert.That(t.Columns[0].Field.Id, Is.EqualTo("ra"));
        Assert.That(t.Columns[0].Field.Unit, Is.EqualTo("degrees"), "misspelled units never drop a column");
        Assert.That(t.Columns[0].Field.Ucd, Is.EqualTo("POS_EQ_RA_MAIN"));
        Assert.That(t.Columns[0].IsNull(1) && t.Columns[0].IsNull(2), Is.True);
        Assert.That(((ScalarColumn<int>)t.Columns[1]).Values.Take(2), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(t.Columns[1].IsNull(2), Is.True);
        Assert.That(t.Columns[2], Is.TypeOf<StringColumn>());
        Assert.That(t.Columns[2].GetValue(1), Is.EqualTo("NGC 224"), "char without arraysize is read as a string");
        Assert.That(t.Columns[3].GetValue(2), Is.EqualTo("z"));
        Assert.That(t.Document!.Type, Is.EqualTo("1.0"));

        var codes = t.Warnings.All.ToDictionary(w => w.Message, w => (w.Code, w.Count));
        Assert.That(t.Warnings.All.Select(w => w.Code).Distinct(), Is.EquivalentTo(new[]
        {
            "VOT-NAMESPACE", "VOT-VERSION", "VOT-LOWERCASE-ID", "VOT-DATATYPE", "VOT-CHAR-ARRAYSIZE",
            "VOT-NULL-LITERAL", "VOT-INT-AS-FLOAT", "VOT-NROWS",
        }));
        Assert.That(codes["literal 'NULL' in a double column read as null"], Is.EqualTo(("VOT-NULL-LITERAL", 1)));
        Assert.That(codes["integral value written as a float (e.g. '1.') accepted in a int column"].Count, Is.EqualTo(1));
        Assert.That(codes["TABLE declares nrows=\"5\" but has 3 rows"].Code, Is.EqualTo("VOT-NROWS"));
        Assert.That(codes["non-standard datatype 'float64' read as 'double'"].Code, Is.EqualTo("VOT-DATATYPE"));
    }

    [Test]
    public void RepeatedWarningsAreCountedNotRepeated()
    {
        var rows = string.Concat(Enumerable.Repeat("<TR><TD>NULL</TD></TR>", 50));
        var t = Parse(Doc("<FIELD name=\"x\" datatype=\"double\"/>", rows));
        var w = t.Warnings.All.Single();
        Assert.That((w.Code, w.Count), Is.EqualTo(("VOT-NULL-LITERAL", 50)));
    }

    [Test]
    public void StrictModeTurnsRepairsIntoErrors()
    {
        var e = Assert.Throws<VOTableFormatException>(() => Parse(Sloppy, new VOTableReadOptions { Strict = true }));
        Assert.That(e!.Message, Is.EqualTo("line 2, column 2: unknown VOTable namespace 'http://www.ivoa.net/xml/VOTable/VOTable-1.1.xsd' accepted (expected http://www.ivoa.net/xml/VOTable/v1.3) (not allowed in strict mode)"));

        var cell = Assert.Throws<VOTableFormatException>(() => Parse(Doc("<FIELD name=\"n\" datatype=\"int\"/>", "<TR><TD>1.0</TD></TR>"), new VOTableReadOptions { Strict = true }));
        Assert.That(cell!.Message, Does.EndWith("(row 1, field 'n'): integral value written as a float (e.g. '1.0') accepted in a int column (not allowed in strict mode)"));

        var ok = Parse(Doc("<FIELD name=\"n\" datatype=\"int\"/>", "<TR><TD>1</TD></TR>"), new VOTableReadOptions { Strict = true });
        Assert.That(ok.Columns[0].GetValue(0), Is.EqualTo(1));
    }

    [Test]
    public void NonIntegralFloatInIntColumnIsAnError()
    {
        var e = Assert.Throws<VOTableFormatException>(() => Parse(Doc("<FIELD name=\"n\" datatype=\"int\"/>", "<TR><TD>1.5</TD></TR>")));
        Assert.That(e!.Message, Does.EndWith("(row 1, field 'n'): '1.5' is not a valid int (not an integer)"));
    }

    [Test]
    public void CharScalarInBinaryKeepsItsOneByteLayout()
    {
        // char without arraysize is one byte on the wire even though it is read as a string
        var xml = """
            <VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="c" datatype="char"/><FIELD name="i" datatype="short"/>
            <DATA><BINARY><STREAM encoding="base64">QQABQgAC</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>
            """;
        var t = Parse(xml);
        Assert.That(t.Columns[0].GetValue(1), Is.EqualTo("B"));
        Assert.That(t.Columns[1].GetValue(1), Is.EqualTo((short)2));
    }
}

[TestFixture]
public class WriterTests
{
    [Test]
    public void InvalidIdsAreRepairedAndReferencesFollow()
    {
        var t = new Table("t");
        t.AddColumn(new ScalarColumn<double>(new Field("j", DataType.Double) { Id = "2MASS" }, [1.0]));
        t.AddColumn(new ScalarColumn<double>(new Field("k", DataType.Double) { Id = "a b" }, [2.0]));
        t.AddColumn(new ScalarColumn<double>(new Field("h", DataType.Double) { Id = "_2MASS" }, [3.0]));
        t.Groups.Add(new Group { Name = "g", FieldRefs = { "2MASS", "a b", "missing" } });
        var xml = Encoding.UTF8.GetString(WriteBytes(t, VOTableSerialization.TableData));
        Assert.That(xml, Does.Contain("ID=\"_2MASS_2\""), "the repaired ID does not collide with an existing one");
        Assert.That(xml, Does.Contain("ID=\"a_b\""));
        Assert.That(xml, Does.Not.Contain("\"2MASS\""));
        var back = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)));
        Assert.That(back.Groups[0].FieldRefs, Is.EqualTo(new[] { back.Columns[0].Field.Id, back.Columns[1].Field.Id }));
        Assert.That(back.Columns[0].Field.Id, Is.EqualTo("_2MASS_2"));
        Assert.That(t.Warnings.All.Select(w => w.Message), Does.Contain("ID '2MASS' is not a valid XML ID; written as '_2MASS_2'")
            .And.Contain("ref=\"missing\" of FIELDref in GROUP 'g' points to no element of the written document; dropped"));
    }

    [Test]
    public void TextIsEscapedAndCharactersXmlCannotHoldAreReplaced()
    {
        var t = new Table("t") { Description = "a <b> & \"c\"" };
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), ["]]> & <TD>", "bell\u0007"]));
        foreach (var ser in new[] { VOTableSerialization.TableData, VOTableSerialization.Binary2 })
        {
            var back = RoundTrip(t, ser);
            Assert.That(back.Description, Is.EqualTo("a <b> & \"c\""));
            Assert.That(back.Columns[0].GetValue(0), Is.EqualTo("]]> & <TD>"));
        }
        var td = RoundTrip(t, VOTableSerialization.TableData);
        Assert.That(td.Columns[0].GetValue(1), Is.EqualTo("bell\uFFFD"));
        Assert.That(t.Warnings.All.Select(w => w.Code), Does.Contain("VOT-XML-CHAR"));
    }

    [Test]
    public void FixedLengthStringsAreTruncatedWithAWarningInBinary()
    {
        var t = new Table("t");
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Fixed(3)), ["abcdef", "ab"]));
        var back = RoundTrip(t, VOTableSerialization.Binary);
        Assert.That(back.Columns[0].GetValue(0), Is.EqualTo("abc"));
        Assert.That(back.Columns[0].GetValue(1), Is.EqualTo("ab"));
        Assert.That(t.Warnings.All.Single().Code, Is.EqualTo("VOT-STRING-LENGTH"));
    }

    [Test]
    public void NonAsciiCharColumnsAreWrittenAsUnicodeCharInBinary()
    {
        var t = new Table("t");
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), ["Café", "plain"]));
        var bin = RoundTrip(t, VOTableSerialization.Binary2);
        Assert.That(bin.Columns[0].Field.DataType, Is.EqualTo(DataType.UnicodeChar));
        Assert.That(bin.Columns[0].GetValue(0), Is.EqualTo("Café"));
        Assert.That(t.Warnings.All.Single().Code, Is.EqualTo("VOT-NON-ASCII"));
        var td = RoundTrip(t, VOTableSerialization.TableData);
        Assert.That(td.Columns[0].Field.DataType, Is.EqualTo(DataType.Char), "TABLEDATA text carries any character");
        Assert.That(td.Columns[0].GetValue(0), Is.EqualTo("Café"));
    }

    [Test]
    public void UnsupportedVersionIsRefused()
    {
        var e = Assert.Throws<VoScriptException>(() => VOTableWriter.Write(Sample(), new MemoryStream(), new VOTableWriteOptions { Version = "2.0" }));
        Assert.That(e!.Message, Is.EqualTo("cannot write VOTable version '2.0' (use 1.3, 1.4 or 1.5)"));
    }

    [Test]
    public void WriteFileAndReadFileRoundTrip()
    {
        var path = Path.Combine(Path.GetTempPath(), "vot-" + Guid.NewGuid().ToString("N") + ".vot");
        try
        {
            VOTableWriter.WriteFile(Sample(), path);
            AreEqual(Sample(), VOTableReader.ReadFile(path));
        }
        finally { File.Delete(path); }
    }
}

[TestFixture]
public class NumberParsingTests
{
    private sealed class NoWarnings : IWarningSink
    {
        public void Warn(string code, string message) => Assert.Fail("unexpected warning " + message);
    }

    [Test]
    public void FastDecimalParsingAgreesWithTheRuntimeForManyValues()
    {
        var rng = new Random(20240601);
        var w = new NoWarnings();
        for (var i = 0; i < 200_000; i++)
        {
            var digits = rng.Next(1, 18);
            var mant = rng.NextInt64(0, (long)Math.Pow(10, Math.Min(digits, 18)));
            var scale = rng.Next(0, digits + 3);
            var text = (rng.Next(2) == 0 ? "-" : "") + (scale == 0 ? mant.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (mant / Math.Pow(10, scale)).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            if (i % 5 == 0) text = ((float)(rng.NextDouble() * Math.Pow(10, rng.Next(-8, 9)))).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (i % 7 == 0) text = mant + "e" + rng.Next(-30, 30);
            var bytes = Encoding.ASCII.GetBytes(text);
            Assert.That(ValueParsing.ParseElement<double>(bytes, DataType.Double, w, out var d), Is.True, text);
            Assert.That(d, Is.EqualTo(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), text);
            Assert.That(ValueParsing.ParseElement<float>(bytes, DataType.Float, w, out var f), Is.True, text);
            Assert.That(f, Is.EqualTo(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), text);
        }
    }

    [TestCase("0x7FFF", (short)32767)]
    [TestCase("0xFFFF", (short)-1)]
    [TestCase("+12", (short)12)]
    public void ShortLiteralsIncludingHexAreParsed(string text, short expected)
    {
        Assert.That(ValueParsing.ParseElement<short>(Encoding.ASCII.GetBytes(text), DataType.Short, new NoWarnings(), out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected));
    }
}
