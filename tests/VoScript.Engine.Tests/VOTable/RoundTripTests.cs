using NUnit.Framework;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using static VoScript.Engine.Tests.VOTable.TableAssert;

namespace VoScript.Engine.Tests.VOTable;

[TestFixture]
public class RoundTripTests
{
    private static readonly VOTableSerialization[] All =
        [VOTableSerialization.TableData, VOTableSerialization.Binary, VOTableSerialization.Binary2];

    [TestCaseSource(nameof(All))]
    public void EveryDatatypeAndShapeSurvivesWriteThenRead(object serialization) // an internal enum, passed as object to a public test method
    {
        var ser = (VOTableSerialization)serialization;
        var sample = Sample();
        var back = RoundTrip(sample, ser);
        AreEqual(sample, back, ser.ToString());
    }

    [TestCaseSource(nameof(All))]
    public void WritingTwiceGivesTheSameDocument(object serialization) // an internal enum, passed as object to a public test method
    {
        var ser = (VOTableSerialization)serialization;
        var once = RoundTrip(Sample(), ser);
        var a = WriteBytes(once, ser);
        var b = WriteBytes(VOTableReader.Read(new MemoryStream(a)), ser);
        Assert.That(Encoding.UTF8.GetString(b), Is.EqualTo(Encoding.UTF8.GetString(a)));
    }

    [TestCaseSource(nameof(All))]
    public void MetadataSurvivesTheRoundTrip(object serialization) // an internal enum, passed as object to a public test method
    {
        var ser = (VOTableSerialization)serialization;
        var t = Sample();
        t.Columns[6].Field.Description = "a magnitude";
        t.Columns[6].Field.Values = new FieldValues { Min = "0", Max = "30", MaxInclusive = false };
        t.Columns[6].Field.Values!.Options.Add(new ValueOption("good", "1", []));
        t.Columns[6].Field.Links.Add(new Link("http://example.org/doc", "doc", "text/html", "docs", null, null));
        t.Columns[6].Field.ExtraAttributes.Add(new("custom", "kept"));
        t.Columns[6].Field.XType = "custom:mag";
        t.Columns[6].Field.Utype = "phot:mag";
        t.Columns[6].Field.Precision = "3";
        t.Columns[6].Field.Width = "8";
        t.Document = new ContainerMeta { Type = "1.4", Description = "doc level" };
        t.Document.Systems.Add(new MetaElement("COOSYS", [new("ID", "sys"), new("system", "ICRS"), new("epoch", "J2016.0")]));
        t.Document.Infos.Add(new Info("server", "test"));
        t.Resource = new ContainerMeta { Type = "results", Name = "res" };
        t.Resource.Infos.Add(new Info("QUERY_STATUS", "OK"));
        t.Resource.Infos.Add(new Info("QUERY_STATUS", "OVERFLOW", "truncated at 4 rows"));
        t.Resource.TrailingInfosFrom = 1;
        t.Columns[7].Field.Ref = "sys";

        var back = RoundTrip(t, ser);

        var f = back.Columns[6].Field;
        Assert.That(f.Description, Is.EqualTo("a magnitude"));
        Assert.That(f.Values!.Min, Is.EqualTo("0"));
        Assert.That(f.Values.Max, Is.EqualTo("30"));
        Assert.That(f.Values.MaxInclusive, Is.False);
        Assert.That(f.Values.Options.Single(), Is.EqualTo(new ValueOption("good", "1", [])).Using<ValueOption>((x, y) => x.Name == y.Name && x.Value == y.Value));
        Assert.That(f.Links.Single().Href, Is.EqualTo("http://example.org/doc"));
        Assert.That(f.ExtraAttributes, Does.Contain(new KeyValuePair<string, string>("custom", "kept")));
        Assert.That(f.XType, Is.EqualTo("custom:mag"));
        Assert.That(f.Utype, Is.EqualTo("phot:mag"));
        Assert.That((f.Precision, f.Width), Is.EqualTo(("3", "8")));
        Assert.That(back.Columns[7].Field.Ref, Is.EqualTo("sys"));
        Assert.That(back.Document!.Systems.Single()["epoch"], Is.EqualTo("J2016.0"));
        Assert.That(back.Document.Description, Is.EqualTo("doc level"));
        Assert.That(back.Document.Infos.Single().Value, Is.EqualTo("test"));
        Assert.That(back.Resource!.Name, Is.EqualTo("res"));
        Assert.That(back.Resource.Infos.Select(i => i.Value), Is.EqualTo(new[] { "OK", "OVERFLOW" }));
        Assert.That(back.Resource.TrailingInfosFrom, Is.EqualTo(1));
        Assert.That(back.QueryStatus!.Value, Is.EqualTo("OK"), "table-level INFO comes first in the lookup");
        Assert.That(back.Params.Single().Value, Is.EqualTo("2016.0"));
        Assert.That(back.Params.Single().Unit, Is.EqualTo("yr"));
        Assert.That(back.Groups.Single().FieldRefs, Is.EqualTo(new[] { "l_id" }));
        Assert.That(back.Columns[5].Field.Id, Is.EqualTo("l_id"));
        Assert.That(back.Description, Is.EqualTo("all datatypes"));
        Assert.That(back.Warnings.Count, Is.EqualTo(0), string.Join("; ", back.Warnings.All));
    }

    [Test]
    public void DefaultWriteIsBinary2VOTable14InTheV13Namespace()
    {
        var text = Encoding.UTF8.GetString(WriteBytes(Sample(), new VOTableWriteOptions().Serialization));
        Assert.That(text, Does.Contain("<VOTABLE version=\"1.4\""));
        Assert.That(text, Does.Contain("xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\""));
        Assert.That(text, Does.Contain("<BINARY2>"));
        var t = VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.That(t.Document!.Type, Is.EqualTo("1.4"));
    }

    [Test]
    public void Version15IsWrittenOnRequest()
    {
        var text = Encoding.UTF8.GetString(WriteBytes(Sample(), VOTableSerialization.TableData, "1.5"));
        Assert.That(text, Does.Contain("<VOTABLE version=\"1.5\""));
    }

    [Test]
    public void LargeBinaryTableRoundTripsAcrossBufferBoundaries()
    {
        const int n = 50_000;
        var t = new Table("big");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long), [.. Enumerable.Range(0, n).Select(i => (long)i * 3)]));
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), [.. Enumerable.Range(0, n).Select(i => i % 7 == 0 ? null : new string('x', 1 + i % 50))]));
        t.AddColumn(new ScalarColumn<double>(new Field("v", DataType.Double), [.. Enumerable.Range(0, n).Select(i => i / 7.0)]));
        foreach (var ser in All)
        {
            var back = RoundTrip(t, ser);
            Assert.That(back.RowCount, Is.EqualTo(n));
            Assert.That(((ScalarColumn<long>)back.Columns[0]).Values[n - 1], Is.EqualTo((n - 1) * 3L));
            Assert.That(back.Columns[1].NullCount, Is.EqualTo((n + 6) / 7), ser.ToString());
            Assert.That(back.Columns[1].FormatCell(n - 1), Is.EqualTo(new string('x', 1 + (n - 1) % 50)));
            Assert.That(((ScalarColumn<double>)back.Columns[2]).Values[12345], Is.EqualTo(12345 / 7.0));
        }
    }
}
