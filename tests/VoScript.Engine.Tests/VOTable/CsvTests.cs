using NUnit.Framework;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.Csv;

namespace VoScript.Engine.Tests.VOTable;

[TestFixture]
public class CsvTests
{
    private static Table Read(string text) => CsvTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Test]
    public void ColumnTypesAreInferredAndEmptyCellsAreNull()
    {
        var t = Read("id,ra,ok,name\n1,10.5,true,M31\n2,,F,\"NGC, 224\"\n,nan,,x\n");
        Assert.That(t.Columns.Select(c => c.Field.DataType), Is.EqualTo(new[] { DataType.Long, DataType.Double, DataType.Boolean, DataType.Char }));
        Assert.That(t.RowCount, Is.EqualTo(3));
        Assert.That(t.Columns[0].GetValue(1), Is.EqualTo(2L));
        Assert.That(t.Columns[0].IsNull(2), Is.True);
        Assert.That(t.Columns[1].IsNull(1), Is.True);
        Assert.That(double.IsNaN((double)t.Columns[1].GetValue(2)!), Is.True, "nan is a value, not a null");
        Assert.That(t.Columns[2].GetValue(1), Is.EqualTo(false));
        Assert.That(t.Columns[3].GetValue(1), Is.EqualTo("NGC, 224"));
    }

    [Test]
    public void MixedIntegersAndDecimalsBecomeDouble()
    {
        var t = Read("x\n1\n2.5\n");
        Assert.That(t.Columns[0], Is.TypeOf<ScalarColumn<double>>());
    }

    [Test]
    public void WrongFieldCountIsReportedWithItsLine()
    {
        var e = Assert.Throws<VoScriptException>(() => Read("a,b\n1,2\n3\n"));
        Assert.That(e!.Message, Is.EqualTo("CSV line 3: 1 fields, but the header has 2; quote fields that contain commas"));
    }

    [Test]
    public void DuplicateNamesAreMadeUnique()
    {
        var t = Read("a,a,\n1,2,3\n");
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "a", "a_2", "col3" }));
        Assert.That(t.Warnings.Count, Is.EqualTo(2));
    }

    [Test]
    public void WrittenCsvReadsBackWithTheSameValues()
    {
        var t = new Table("t");
        var id = new ScalarColumn<long>(new Field("id", DataType.Long), [1, 2, 3]);
        id.SetNull(1);
        t.AddColumn(id);
        t.AddColumn(new ScalarColumn<double>(new Field("v", DataType.Double), [0.1, -2e300, Math.PI]));
        t.AddColumn(new ScalarColumn<bool>(new Field("b", DataType.Boolean), [true, false, true]));
        t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), ["a,b", "say \"hi\"", null]));
        var ms = new MemoryStream();
        CsvTableWriter.Write(t, ms);
        var text = Encoding.UTF8.GetString(ms.ToArray());
        Assert.That(text.Split('\n')[0], Is.EqualTo("id,v,b,s"));
        Assert.That(text.Split('\n')[2], Is.EqualTo(",-2E+300,false,\"say \"\"hi\"\"\""));
        var back = Read(text);
        TableAssert.AreEqual(t, back);
    }

    [Test]
    public void EmptyInputIsAnError()
    {
        var e = Assert.Throws<VoScriptException>(() => Read(""));
        Assert.That(e!.Message, Does.StartWith("the CSV input is empty"));
    }
}
