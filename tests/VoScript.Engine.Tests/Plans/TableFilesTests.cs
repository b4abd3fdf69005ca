using NUnit.Framework;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Plans;

[TestFixture]
public class TableFilesTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-files-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static Table Sample()
    {
        var t = new Table("s");
        var nulls = new NullMask(3);
        nulls.Set(1);
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), [1, 2, 3]));
        t.AddColumn(new ScalarColumn<double>(new Field("mag", DataType.Double), [1.5, 0, -2.25], nulls));
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), ["a, b", "O'Brien \"x\"", null]));
        return t;
    }

    [Test]
    public void CsvRoundTripKeepsTypesNullsAndQuoting()
    {
        var path = Path.Combine(_dir, "t.csv");
        TableFiles.Write(Sample(), path);
        var back = TableFiles.Read(path);
        Assert.That(back.Columns.Select(c => c.Field.DataType), Is.EqualTo(new[] { DataType.Long, DataType.Double, DataType.Char }));
        Assert.That(back.RowCount, Is.EqualTo(3));
        Assert.That(back.Columns[1].IsNull(1), Is.True);
        Assert.That(back.Columns[1].GetDouble(2), Is.EqualTo(-2.25));
        Assert.That(back.Columns[2].GetValue(0), Is.EqualTo("a, b"));
        Assert.That(back.Columns[2].GetValue(1), Is.EqualTo("O'Brien \"x\""));
        Assert.That(back.Columns[2].IsNull(2), Is.True);
    }

    [Test]
    public void VOTableRoundTripThroughTheCodec()
    {
        var path = Path.Combine(_dir, "t.vot");
        TableFiles.Write(Sample(), path);
        var back = TableFiles.Read(path);
        Assert.That(back.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "mag", "name" }));
        Assert.That(back.Columns[2].GetValue(1), Is.EqualTo("O'Brien \"x\""));
    }

    [Test]
    public void LoadDecidesTheFormatByContentWhateverTheName()
    {
        // a VOTable named .dat, FITS named .bin, gzipped VOTable named .data, CSV named .txt: all read (issue 15: one TableFiles)
        VoScript.Engine.Formats.TableFiles.Write(Sample(), Path.Combine(_dir, "v.vot"));
        File.Copy(Path.Combine(_dir, "v.vot"), Path.Combine(_dir, "v.dat"));
        VoScript.Engine.Formats.TableFiles.Write(Sample(), Path.Combine(_dir, "f.fits"));
        File.Copy(Path.Combine(_dir, "f.fits"), Path.Combine(_dir, "f.bin"));
        VoScript.Engine.Formats.TableFiles.Write(Sample(), Path.Combine(_dir, "g.vot.gz"));
        File.Copy(Path.Combine(_dir, "g.vot.gz"), Path.Combine(_dir, "g.data"));
        VoScript.Engine.Formats.TableFiles.Write(Sample(), Path.Combine(_dir, "c.csv"));
        File.Copy(Path.Combine(_dir, "c.csv"), Path.Combine(_dir, "c.txt"));
        foreach (var name in new[] { "v.dat", "f.bin", "g.data", "c.txt" })
        {
            var back = TableFiles.Read(Path.Combine(_dir, name));
            Assert.That(back.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "mag", "name" }), name);
            Assert.That(back.RowCount, Is.EqualTo(3), name);
        }
    }

    [Test]
    public void ContentThatIsNoTableAndMissingFilesAreUserErrors()
    {
        File.WriteAllText(Path.Combine(_dir, "x.vot"), "<!DOCTYPE html><html><body>Service unavailable</body></html>");
        Assert.That(Assert.Throws<VoScriptException>(() => TableFiles.Read(Path.Combine(_dir, "x.vot")))!.Message,
            Does.StartWith("not a table: ").And.Contain("HTML"));
        Assert.That(Assert.Throws<VoScriptException>(() => TableFiles.Read(Path.Combine(_dir, "x.csv")))!.Message, Does.EndWith("does not exist"));
        Assert.That(Assert.Throws<VoScriptException>(() => TableFiles.Read(_dir))!.Message, Does.EndWith("is a folder, not a table file"));
    }

    [Test]
    public void StackingMatchesColumnsByNameAndTagsRows()
    {
        var a = Sample();
        var b = new Table("b");
        b.AddColumn(new ScalarColumn<long>(new Field("ID", DataType.Long), [9]));
        b.AddColumn(new ScalarColumn<float>(new Field("mag", DataType.Float), [3.5f]));
        var s = TableStacker.Stack("all", [("one", a), ("two", b)]);
        Assert.That(s.Columns.Select(c => c.Name), Is.EqualTo(new[] { "service", "id", "mag", "name" }));
        Assert.That(s.RowCount, Is.EqualTo(4));
        Assert.That(s.Columns[0].GetValue(3), Is.EqualTo("two"));
        Assert.That(s.Columns[1], Is.TypeOf<ScalarColumn<long>>());
        Assert.That(s.Columns[1].GetValue(3), Is.EqualTo(9L));
        Assert.That(s.Columns[2], Is.TypeOf<StringColumn>(), "double and float differ: cells become strings");
        Assert.That(s.Columns[3].IsNull(3), Is.True);
    }
}
