using System.Net;
using NUnit.Framework;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Tests.Protocols;

public class DalServiceTests
{
    private static (VoHttpClient, ScriptedHandler) Serve(string body, HttpStatusCode status = HttpStatusCode.OK, string type = "text/xml")
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(status, body, type));
        return (new VoHttpClient(new VoHttpOptions { PrimaryHandler = h, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }), h);
    }

    [Test]
    public async Task ConeSearchSendsDecimalDegreesAfterTheBaseUrlsOwnParameters()
    {
        var (http, h) = Serve(Docs.OkTable);
        using var _ = http;
        var r = await new ConeSearchService(new Uri("http://x.test/cone/scs.xml?CAT=a&"), http).SearchAsync(150.5, -2.25, 0.01);
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(h.Seen.Single().Url.Query, Is.EqualTo("?CAT=a&RA=150.5&DEC=-2.25&SR=0.01"));
    }

    [Test]
    public async Task ConeSearchErrorInfoUnderVotableIsTheServiceMessage()
    {
        var (http, _) = Serve("""
            <VOTABLE version="1.1"><INFO name="Error" value="SR too large: at most 1 degree"/></VOTABLE>
            """);
        using var _h = http;
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => new ConeSearchService(new Uri("http://x.test/scs?"), http).SearchAsync(1, 1, 5));
        Assert.That(e!.Summary, Is.EqualTo("Cone search query failed; the service says: SR too large: at most 1 degree"));
    }

    [Test]
    public async Task ConeSearchErrorParamInResourceIsTheServiceMessage()
    {
        var (http, _) = Serve("""
            <VOTABLE version="1.1"><RESOURCE><PARAM name="Error" datatype="char" arraysize="*" value="Bad RA"/></RESOURCE></VOTABLE>
            """);
        using var _h = http;
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => new ConeSearchService(new Uri("http://x.test/scs?"), http).SearchAsync(1, 1, 0.1));
        Assert.That(e!.ServiceMessage, Is.EqualTo("Bad RA"));
    }

    [Test]
    public async Task DataLinkFaultIsReported()
    {
        var (http, _) = Serve(Docs.ErrorDoc("UsageFault: no ID given"), HttpStatusCode.BadRequest);
        using var _h = http;
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => new DataLinkService(new Uri("http://x.test/links"), http).GetLinksAsync(["ivo://x?1"]));
        Assert.That(e!.Summary, Is.EqualTo("DataLink query failed; the service says: UsageFault: no ID given"));
        Assert.That(e.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task SiaQueryRepeatsParametersAndFlagsOverflow()
    {
        var (http, h) = Serve(Docs.OverflowTable);
        using var _ = http;
        var q = new Sia2Query { Pos = [Sia2Query.Circle(10, 20, 0.5)], Collection = ["A", "B"], MaxRec = 2 };
        var r = await new Sia2Service(new Uri("http://x.test/sia2/query"), http).SearchAsync(q);
        Assert.That(r.Truncated, Is.True);
        Assert.That(h.Seen.Single().Url.Query, Is.EqualTo("?POS=CIRCLE%2010%2020%200.5&COLLECTION=A&COLLECTION=B&MAXREC=2"));
    }

    [Test]
    public async Task SsaColumnsAreFoundByUtypeSuffix()
    {
        var (http, _) = Serve("""
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
            <TABLE><FIELD name="url" datatype="char" arraysize="*" utype="SSA:Access.Reference"/><FIELD name="fmt" datatype="char" arraysize="*" utype="ssa:access.format"/>
            <DATA><TABLEDATA><TR><TD>http://x.test/s1.fits</TD><TD>application/fits</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
            """);
        using var _h = http;
        var r = await new SsaService(new Uri("http://x.test/ssa?"), http).SearchAsync(new SsaQuery { Ra = 1, Dec = 2, Size = 0.1 });
        Assert.That(SsaService.FindByUtype(r.Table, "Access.Reference")!.FormatCell(0), Is.EqualTo("http://x.test/s1.fits"));
        Assert.That(SsaService.FindByUtype(r.Table, "access.format")!.Name, Is.EqualTo("fmt"));
    }

    [Test]
    public async Task EmptyBodyIsRepeatedThenReportedClearly()
    {
        var (http, h) = Serve("", HttpStatusCode.OK, "text/xml");
        using var _ = http;
        var e = await Assert.ThrowsAsync<ServiceException>(() => new ConeSearchService(new Uri("http://x.test/scs?"), http).SearchAsync(1, 1, 0.1));
        Assert.That(e!.Summary, Is.EqualTo("Cone search query: the service answered with an empty body instead of a VOTable."));
        Assert.That(h.Seen, Has.Count.EqualTo(3), "first try and two repeats");
    }
}
