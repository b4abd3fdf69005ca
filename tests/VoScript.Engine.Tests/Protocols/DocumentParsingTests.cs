using NUnit.Framework;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Registry;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Protocols;

internal static class VosiDocs
{
    // Shaped like DaCHS 2.7's answers (prefixes, stylesheet PI, /__system__ URLs).
    public const string Capabilities = """
        <?xml version='1.0' encoding='utf-8'?>
        <?xml-stylesheet href='/static/xsl/vosi.xsl' type='text/xsl'?>
        <cap:capabilities xmlns:cap="http://www.ivoa.net/xml/VOSICapabilities/v1.0" xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
            <interface role="std" version="1.1" xsi:type="vs:ParamHTTP"><accessURL use="full">http://fake.test/tap</accessURL></interface>
            <dataModel ivo-id="ivo://ivoa.net/std/obscore#core-1.1">Obscore-1.1</dataModel>
            <dataModel ivo-id="ivo://ivoa.net/std/RegTAP#1.1">Registry 1.1</dataModel>
            <language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version><version ivo-id="ivo://ivoa.net/std/ADQL#v2.1">2.1</version>
              <languageFeatures type="ivo://ivoa.net/std/TAPRegExt#features-adqlgeo"><feature><form>POINT</form></feature><feature><form>CIRCLE</form></feature></languageFeatures>
            </language>
            <outputFormat><mime>application/x-votable+xml</mime><alias>votable</alias></outputFormat>
            <outputFormat><mime>text/csv</mime><alias>csv</alias></outputFormat>
            <uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-inline"/>
            <uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-http"/>
            <retentionPeriod><default>172800</default></retentionPeriod>
            <outputLimit><default unit="row">20000</default><hard unit="row">20000000</hard></outputLimit>
          </capability>
          <capability standardID="ivo://ivoa.net/std/VOSI#tables"><interface role="std" xsi:type="vs:ParamHTTP"><accessURL use="full">http://fake.test/__system__/tap/run/tableMetadata</accessURL></interface></capability>
        </cap:capabilities>
        """;

    public const string Tables = """
        <?xml version='1.0' encoding='utf-8'?>
        <vtm:tableset xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:vtm="http://www.ivoa.net/xml/VOSITables/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <schema><name>cat_b</name><title>Rig catalogue B</title>
            <table type="table"><name>cat_b.main</name><description>2MASS-like</description>
              <column><name>"2MASS"</name><ucd>meta.id;meta.main</ucd><dataType xsi:type="vs:VOTableType" arraysize="*">char</dataType></column>
              <column><name>hmag</name><unit>mags</unit><ucd>phot.mag;em.IR.H</ucd><dataType xsi:type="vs:VOTableType">float</dataType><flag>nullable</flag></column>
            </table>
          </schema>
        </vtm:tableset>
        """;
}

public class DocumentParsingTests
{
    [Test]
    public void CapabilitiesGiveTapRegExtDetails()
    {
        var caps = Vosi.ParseCapabilities(SafeXml.Parse(VosiDocs.Capabilities).Root!);
        var tap = caps.Tap!;
        Assert.That(tap.Interfaces.Single().Version, Is.EqualTo("1.1"));
        Assert.That(tap.AccessUrl!.ToString(), Is.EqualTo("http://fake.test/tap"));
        Assert.That(tap.OutputLimit, Is.EqualTo(new TapLimit(20000, 20000000, "row")));
        Assert.That(tap.Languages.Single().Versions, Is.EqualTo(new[] { "ivo://ivoa.net/std/ADQL#v2.0", "ivo://ivoa.net/std/ADQL#v2.1" }));
        Assert.That(tap.Languages.Single().Features.Select(f => f.Form), Is.EqualTo(new[] { "POINT", "CIRCLE" }));
        Assert.That(tap.OutputFormats.Select(f => f.Aliases.FirstOrDefault()), Is.EqualTo(new[] { "votable", "csv" }));
        Assert.That(caps.SupportsUpload("inline"), Is.True);
        Assert.That(caps.SupportsUpload("ftp"), Is.False);
        Assert.That(caps.HasDataModel("ivo://ivoa.net/std/obscore"), Is.True);
        Assert.That(caps.AccessUrl(Vosi.TablesId)!.ToString(), Is.EqualTo("http://fake.test/__system__/tap/run/tableMetadata"));
    }

    [Test]
    public void TablesKeepDelimitedNamesUnitsAndUcds()
    {
        var set = Vosi.ParseTables(SafeXml.Parse(VosiDocs.Tables).Root!);
        var t = set.Find("CAT_B.MAIN")!;
        Assert.That(t.Name, Is.EqualTo("cat_b.main"));
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "\"2MASS\"", "hmag" }));
        var h = t.Columns[1];
        Assert.That((h.Unit, h.Ucd, h.DataType, h.Flags.Single()), Is.EqualTo(("mags", "phot.mag;em.IR.H", "float", "nullable")));
        Assert.That(t.Columns[0].ArraySize, Is.EqualTo("*"));
    }

    [Test]
    public void AvailabilityIsRead()
    {
        var a = Vosi.ParseAvailability(SafeXml.Parse("""
            <avl:availability xmlns:avl="http://www.ivoa.net/xml/VOSIAvailability/v1.0"><avl:available>false</avl:available><avl:note>down for backup</avl:note></avl:availability>
            """).Root!);
        Assert.That(a.Available, Is.False);
        Assert.That(a.Notes, Is.EqualTo(new[] { "down for backup" }));
    }

    [Test]
    public void DtdsInServiceDocumentsAreRefused()
    {
        Assert.That(() => SafeXml.Parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"), Throws.InstanceOf<System.Xml.XmlException>());
    }

    [Test]
    public void UwsJobDocumentIsParsedByLocalName()
    {
        var info = UwsJobInfo.Parse(Docs.Job("abc", "EXECUTING",
            "<uws:result id=\"table\" xlink:href=\"results/table\" mime-type=\"application/x-votable+xml\" size=\"12\"/>"), new Uri("http://x.test/tap/async/abc"));
        Assert.That(info.JobId, Is.EqualTo("abc"));
        Assert.That(info.Phase, Is.EqualTo(UwsPhase.Executing));
        Assert.That(info.OwnerId, Is.Null);
        Assert.That(info.Version, Is.EqualTo("1.1"));
        Assert.That(info.CreationTime, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 13, 47, 6, TimeSpan.Zero)), "no zone means UTC");
        Assert.That(info.Parameters["QUERY"], Is.EqualTo("SELECT 1"));
        Assert.That(info.Results.Single(), Is.EqualTo(new UwsResult("table", new Uri("http://x.test/tap/async/abc/results/results/table"), "application/x-votable+xml", 12)).Or
            .EqualTo(new UwsResult("table", new Uri("http://x.test/tap/async/abc/results/table"), "application/x-votable+xml", 12)));
    }

    [TestCase("PENDING", UwsPhase.Pending)]
    [TestCase("QUEUED", UwsPhase.Queued)]
    [TestCase("HELD", UwsPhase.Held)]
    [TestCase("SUSPENDED", UwsPhase.Suspended)]
    [TestCase("ARCHIVED", UwsPhase.Archived)]
    [TestCase("RUN", UwsPhase.Executing)]
    [TestCase("whatever", UwsPhase.Unknown)]
    public void PhasesAreKnown(string text, object phase) => Assert.That(UwsPhases.Parse(text), Is.EqualTo((UwsPhase)phase));

    [Test]
    public void ActiveAndFinalPhasesAreDistinguished()
    {
        Assert.That(UwsPhase.Held.IsFinal() || UwsPhase.Suspended.IsFinal(), Is.False);
        Assert.That(UwsPhase.Queued.IsActive(), Is.True);
        Assert.That(UwsPhase.Aborted.IsFinal(), Is.True);
    }

    [TestCase("<?xml version='1.0'?><?xml-stylesheet href='x'?><VOTABLE/>", "Xml")]
    [TestCase("\uFEFF  <VOTABLE/>", "Xml")]
    [TestCase("<!DOCTYPE html><html/>", "Html")]
    [TestCase("<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "Html")]
    [TestCase("  ", "Empty")]
    [TestCase("ERROR: bad query", "Other")]
    public void BodiesAreSniffed(string head, string kind) =>
        Assert.That(DalResponseReader.Sniff(head).ToString(), Is.EqualTo(kind));

    [Test]
    public void RegistryQueryUsesLowerCaseLiteralsAndRegTapFunctions()
    {
        var adql = RegistryClient.BuildAdql(new RegistryQuery
        {
            Kinds = [ServiceProtocol.Tap, ServiceProtocol.Sia],
            TableName = "ivoa.obscore",
            Keywords = ["spectra", "O'Brien"],
            Waveband = "Optical",
        });
        Assert.That(adql, Does.Contain("c.standard_id LIKE 'ivo://ivoa.net/std/tap%' OR c.standard_id LIKE 'ivo://ivoa.net/std/sia#query-2.%'"));
        Assert.That(adql, Does.Contain("1 = ivo_nocasematch(t.table_name, 'ivoa.obscore')"));
        Assert.That(adql, Does.Contain("1 = ivo_hasword(r.res_title, 'O''Brien')"));
        Assert.That(adql, Does.Contain("1 = ivo_hashlist_has(r.waveband, 'optical')"));
        Assert.That(adql, Does.Contain("i.intf_role = 'std'"));
    }

    [Test]
    public void RegistryRowsAreDeduplicatedByIvoidAndCapabilityPreferringHttps()
    {
        static StringColumn S(string name, params string?[] v) => new(new Field(name, DataType.Char, ArraySize.Variable), v);
        var t = new Table();
        t.AddColumn(S("ivoid", "ivo://a/tap", "ivo://a/tap", "ivo://A/TAP", "ivo://b/scs"));
        t.AddColumn(S("res_type", "vs:catalogservice", "vs:catalogservice", "vs:catalogservice", "vs:catalogservice"));
        t.AddColumn(S("short_name", "A", "A", "A", "B"));
        t.AddColumn(S("res_title", "A TAP", "A TAP", "A TAP", "B cone"));
        t.AddColumn(S("res_description", "d", "d", "d", null));
        t.AddColumn(S("waveband", "optical#infrared", "optical#infrared", "optical#infrared", null));
        t.AddColumn(S("standard_id", "ivo://ivoa.net/std/tap", "ivo://ivoa.net/std/tap", "ivo://ivoa.net/std/TAP", "ivo://ivoa.net/std/conesearch"));
        t.AddColumn(S("access_url", "http://a.test/tap", "https://a.test/tap", "http://mirror.test/tap", "http://b.test/scs?"));
        t.AddColumn(new ScalarColumn<short>(new Field("authenticated_only", DataType.Short), [0, 0, 0, 0]));
        var found = RegistryClient.FromTable(t);
        Assert.That(found, Has.Count.EqualTo(2));
        Assert.That(found[0].AccessUrl.ToString(), Is.EqualTo("https://a.test/tap"));
        Assert.That(found[0].Kind, Is.EqualTo(ServiceProtocol.Tap));
        Assert.That(found[0].Wavebands, Is.EqualTo(new[] { "optical", "infrared" }));
        Assert.That(found[1].Kind, Is.EqualTo(ServiceProtocol.Scs));
    }

    [Test]
    public void SiaAndSsaRangesUseTheirOwnSeparators()
    {
        var sia = new Sia2Query { Pos = [Sia2Query.Circle(150, 2.2, 0.1)], Band = (4e-7, null), CalibLevel = [2] }.Parameters();
        Assert.That(sia, Does.Contain(new KeyValuePair<string, string>("POS", "CIRCLE 150 2.2 0.1")));
        Assert.That(sia, Does.Contain(new KeyValuePair<string, string>("BAND", "4E-07 +Inf")));
        Assert.That(sia, Does.Contain(new KeyValuePair<string, string>("CALIB", "2")));
        var ssa = new SsaQuery { Ra = 150, Dec = 2.2, Size = 0.01, Band = (null, 5e-7) }.Parameters();
        Assert.That(ssa, Does.Contain(new KeyValuePair<string, string>("REQUEST", "queryData")));
        Assert.That(ssa, Does.Contain(new KeyValuePair<string, string>("POS", "150,2.2")));
        Assert.That(ssa, Does.Contain(new KeyValuePair<string, string>("BAND", "/5E-07")));
    }

    [Test]
    public void PositionsOutsideTheSkyAreRejected()
    {
        Assert.That(() => Sia2Query.Circle(400, 0, 1), Throws.InstanceOf<VoScriptException>().With.Message.EqualTo("Position RA=400, Dec=0 is outside RA 0..360, Dec -90..90 (degrees, ICRS)."));
    }

    [Test]
    public void DataLinkRowsAreTyped()
    {
        static StringColumn S(string name, params string?[] v) => new(new Field(name, DataType.Char, ArraySize.Variable), v);
        var t = new Table();
        t.AddColumn(S("ID", "ivo://x?1", "ivo://x?1"));
        t.AddColumn(S("access_url", "http://x.test/f.fits", null));
        t.AddColumn(S("service_def", null, null));
        t.AddColumn(S("error_message", null, "NotFoundFault: gone"));
        t.AddColumn(S("semantics", "#this", "#preview"));
        t.AddColumn(S("content_type", "application/fits", null));
        t.AddColumn(new ScalarColumn<long>(new Field("content_length", DataType.Long), [2880, 0]));
        var rows = DataLinkService.ParseRows(t);
        Assert.That(rows[0].AccessUrl!.ToString(), Is.EqualTo("http://x.test/f.fits"));
        Assert.That(rows[0].ContentLength, Is.EqualTo(2880));
        Assert.That(rows[1].ErrorMessage, Is.EqualTo("NotFoundFault: gone"));
        Assert.That(new DataLinkResult(t, rows, false).WithSemantics("#this").Single().Semantics, Is.EqualTo("#this"));
    }

    [Test]
    public void ServiceExceptionExcerptCollapsesWhitespaceAndCuts()
    {
        Assert.That(ServiceException.Excerpt("  a\n\n  b\tc  "), Is.EqualTo("a b c"));
        Assert.That(ServiceException.Excerpt(new string('x', 400)), Has.Length.EqualTo(301));
    }
}
