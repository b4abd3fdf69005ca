using System.Net;
using VoScript.Engine.Model;

namespace VoScript.Server.Tests;

public class TapSyncTests
{
    private TapTestServer _s = null!;

    [OneTimeSetUp]
    public async Task Start() => _s = await TapTestServer.StartAsync(new Tap.TapServiceOptions { DefaultMaxRec = 4, HardMaxRec = 1000 });

    [OneTimeTearDown]
    public async Task Stop() => await _s.DisposeAsync();

    private async Task<(HttpResponseMessage Response, byte[] Body)> SyncAsync(params (string, string)[] form)
    {
        var r = await _s.PostAsync("/sync", form);
        return (r, await r.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task SyncQueryAnswersBinary2VOTableWithStatusOk()
    {
        var (r, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT TOP 3 * FROM data.stars"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-votable+xml"));
        Assert.That(System.Text.Encoding.UTF8.GetString(body), Does.Contain("<BINARY2>"));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That(t.RowCount, Is.EqualTo(3));
        Assert.That(t.QueryStatus?.Value, Is.EqualTo("OK"));
        Assert.That(t.FindColumn("ra")!.Field.Unit, Is.EqualTo("deg"));
    }

    [Test]
    public async Task GetWorksLikePostAndParameterNamesIgnoreCase()
    {
        using var r = await _s.GetAsync("/sync?lang=ADQL&query=" + Uri.EscapeDataString("SELECT TOP 2 * FROM data.stars ORDER BY id") + "&responseformat=csv");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var text = await r.Content.ReadAsStringAsync();
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
        Assert.That(text, Does.StartWith("id,ra,dec,mag,name\n1,10,-5,12.5,Alpha\n"));
        Assert.That(r.Content.Headers.ContentType!.ToString(), Does.StartWith("text/csv"));
    }

    [Test]
    public async Task MaxRecCutsTheRowsAndAddsTrailingOverflowInfo()
    {
        var (r, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"), ("MAXREC", "2"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That(t.RowCount, Is.EqualTo(2));
        Assert.That(t.QueryStatus?.Value, Is.EqualTo("OVERFLOW"));
        var text = System.Text.Encoding.UTF8.GetString(body);
        Assert.That(text.IndexOf("OVERFLOW", StringComparison.Ordinal), Is.GreaterThan(text.IndexOf("</TABLE>", StringComparison.Ordinal)));
    }

    [Test]
    public async Task WithoutMaxRecTheServiceDefaultApplies()
    {
        var (_, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That((t.RowCount, t.QueryStatus?.Value), Is.EqualTo((4, "OVERFLOW")));
    }

    [Test]
    public async Task MaxRecZeroGivesMetadataOnly()
    {
        var (_, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"), ("MAXREC", "0"));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That((t.RowCount, t.ColumnCount), Is.EqualTo((0, 5)));
    }

    [Test]
    public async Task TopBelowMaxRecIsNoOverflow()
    {
        var (_, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT TOP 2 * FROM data.stars"), ("MAXREC", "3"));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That((t.RowCount, t.QueryStatus?.Value), Is.EqualTo((2, "OK")));
    }

    [TestCase("votable/td", "<TABLEDATA>")]
    [TestCase("application/x-votable+xml;serialization=TABLEDATA", "<TABLEDATA>")]
    [TestCase("text/xml", "<TABLEDATA>")]
    [TestCase("votable/b", "<BINARY>")]
    [TestCase("binary2", "<BINARY2>")]
    [TestCase("application/x-votable+xml", "<BINARY2>")]
    public async Task ResponseFormatChoosesTheSerialization(string format, string element)
    {
        var (r, body) = await SyncAsync(("LANG", "ADQL"), ("QUERY", "SELECT TOP 5 * FROM data.stars ORDER BY id"), ("RESPONSEFORMAT", format));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(System.Text.Encoding.UTF8.GetString(body), Does.Contain(element));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That(t.RowCount, Is.EqualTo(4));
        var mag = (ScalarColumn<float>)t.FindColumn("mag")!;
        Assert.That((mag[0], mag.IsNull(2), ((StringColumn)t.FindColumn("name")!)[3]), Is.EqualTo((12.5f, true, "Delta")));
    }

    private async Task<(HttpStatusCode Status, string Message)> ErrorAsync(params (string, string)[] form)
    {
        var (r, body) = await SyncAsync(form);
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-votable+xml"));
        var t = TapTestServer.ReadVOTable(body);
        Assert.That(t.QueryStatus?.Value, Is.EqualTo("ERROR"));
        return (r.StatusCode, t.QueryStatus!.Content ?? "");
    }

    [Test]
    public async Task BadAdqlIsADaliErrorWithItsPosition()
    {
        var (status, msg) = await ErrorAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.nosuchtable"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(msg, Does.StartWith("ADQL error"));
        Assert.That(msg, Does.Contain("nosuchtable"));
        Assert.That(msg.Split("line 1, column ").Length - 1, Is.EqualTo(1), "the position, once: " + msg);
    }

    [TestCase("LANG", "PQL", "LANG=PQL is not supported; this service answers LANG=ADQL (ADQL-2.0, ADQL-2.1)")]
    [TestCase("MAXREC", "-3", "MAXREC=-3 is not a non-negative integer")]
    [TestCase("RESPONSEFORMAT", "fits", "RESPONSEFORMAT=fits is not supported; use one of votable, votable/b2, votable/b, votable/td, csv (or their MIME types)")]
    [TestCase("REQUEST", "getCapabilities", "REQUEST=getCapabilities is not supported; this service answers REQUEST=doQuery (or no REQUEST)")]
    [TestCase("VERSION", "2.0", "VERSION=2.0 is not supported; this service speaks TAP 1.1 (1.0 requests are accepted)")]
    [TestCase("UPLOAD", "1bad,param:x", "upload table name '1bad' is not valid: use a letter followed by letters, digits or _")]
    public async Task BadParametersAreRefusedWithAMessage(string name, string value, string message)
    {
        var form = new List<(string, string)> { ("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars") };
        form.RemoveAll(p => p.Item1 == name);
        form.Add((name, value));
        var (status, msg) = await ErrorAsync([.. form]);
        Assert.That((status, msg), Is.EqualTo((HttpStatusCode.BadRequest, message)));
    }

    [Test]
    public async Task RequestDoQueryAndVersionOneAreTolerated()
    {
        var (r, body) = await SyncAsync(("REQUEST", "doQuery"), ("VERSION", "1.0"), ("LANG", "ADQL-2.0"), ("QUERY", "SELECT TOP 1 * FROM data.stars"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TapTestServer.ReadVOTable(body).RowCount, Is.EqualTo(1));
    }

    [Test]
    public async Task MissingQueryIsRefused()
    {
        var (status, msg) = await ErrorAsync(("LANG", "ADQL"));
        Assert.That((status, msg), Is.EqualTo((HttpStatusCode.BadRequest, "missing parameter QUERY: give the ADQL query, e.g. QUERY=SELECT TOP 10 * FROM TAP_SCHEMA.tables")));
    }

    [Test]
    public async Task UnknownPathIsA404DaliError()
    {
        using var r = await _s.GetAsync("/nothing-here");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That(t.QueryStatus?.Content, Does.StartWith("no such resource /tap/nothing-here"));
    }

    [Test]
    public async Task DeleteOnSyncIsNotAllowed()
    {
        using var r = await _s.Http.DeleteAsync(_s.Tap + "/sync");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }
}

public class TapHardLimitTests
{
    [Test]
    public async Task MaxRecAboveTheHardLimitIsCappedWithOverflow()
    {
        await using var s = await TapTestServer.StartAsync(new Tap.TapServiceOptions { DefaultMaxRec = 2, HardMaxRec = 3 });
        using var r = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"), ("MAXREC", "100000"));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That((t.RowCount, t.QueryStatus?.Value), Is.EqualTo((3, "OVERFLOW")));
    }
}
