using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Samp;

public class SampSpectraTests
{
    private static Table Ssa(bool withUtype)
    {
        var t = new Table("ssa");
        var acc = new Field("access", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url" };
        if (withUtype) acc.Utype = "ssa:Access.Reference";
        var fmt = new Field("fmt", DataType.Char, ArraySize.Variable) { Utype = "ssa:Access.Format" };
        var z = new Field("z", DataType.Double) { Ucd = "src.redshift" };
        t.AddColumn(new StringColumn(acc, ["http://example.org/s1.fits", "http://example.org/s2.fits"]));
        t.AddColumn(new StringColumn(fmt, ["application/fits", null]));
        t.AddColumn(new ScalarColumn<double>(z, [0.5, 1.25]));
        return t;
    }

    [Test]
    public void UrlColumnIsFoundByUtypeThenUcd()
    {
        Assert.That(SampClient.FindUrlColumn(Ssa(true), null).Name, Is.EqualTo("access"));
        Assert.That(SampClient.FindUrlColumn(Ssa(false), null).Name, Is.EqualTo("access"));
        Assert.That(SampClient.FindUrlColumn(Ssa(false), "FMT").Name, Is.EqualTo("fmt"));
    }

    [Test]
    public void TableWithoutAccessUrlIsRefusedWithAdvice()
    {
        var t = new Table("plain");
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double), [1.0]));
        Assert.That(() => SampClient.FindUrlColumn(t, null), Throws.TypeOf<SampException>().With.Message.EqualTo(
            "plain has no access-URL column (utype ssa:Access.Reference or UCD meta.ref.url); name the column to use"));
        Assert.That(() => SampClient.FindUrlColumn(t, "nope"), Throws.TypeOf<SampException>().With.Message.EqualTo("plain has no column 'nope'"));
    }

    [Test]
    public void RowMetadataIsKeyedByUtypeWithoutPrefixAndByUcdSkippingNulls()
    {
        var t = Ssa(true);
        var m0 = SampClient.SpectrumMeta(t, 0);
        Assert.That(m0["Access.Reference"], Is.EqualTo("http://example.org/s1.fits"));
        Assert.That(m0["meta.ref.url"], Is.EqualTo("http://example.org/s1.fits"));
        Assert.That(m0["Access.Format"], Is.EqualTo("application/fits"));
        Assert.That(m0["src.redshift"], Is.EqualTo("0.5"));
        var m1 = SampClient.SpectrumMeta(t, 1);
        Assert.That(m1.ContainsKey("Access.Format"), Is.False);
        Assert.That(m1["src.redshift"], Is.EqualTo("1.25"));
        Assert.That(m1.Values, Is.All.InstanceOf<string>());
    }

    [TestCase("plain ascii", "plain ascii")]
    [TestCase("Ångström", "%C3%85ngstr%C3%B6m")]
    [TestCase("NGC 224 – M31", "NGC 224 %E2%80%93 M31")]
    public void NonAsciiTextIsPercentEncodedForJsamp(string text, string expected)
    {
        Assert.That(SampClient.Ascii(text), Is.EqualTo(expected));
    }
}
