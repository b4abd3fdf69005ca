using System.Net;
using VoScript.Engine.Model;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

public class TapUploadTests
{
    private TapTestServer _s = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _dir = Directory.CreateTempSubdirectory("voscript-upload-test").FullName;
        // the service's own /files/ serves the table fetched by URL
        var oc = ObsCoreTests.SmallObsCore(_dir);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "mine.vot"), TapTestServer.VOTableBytes(Mine()));
        _s = await TapTestServer.StartAsync(new TapServiceOptions { UploadLimitBytes = 4096, AllowLocalUploads = true }, (Path.Combine(_dir, "obscore.vot"), oc));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _s.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static Table Mine()
    {
        var t = new Table("mine");
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg" }, [10.0, 10.2]));
        t.AddColumn(new StringColumn(new Field("label", DataType.Char, ArraySize.Variable), ["a", "b"]));
        return t;
    }

    private async Task<(HttpStatusCode, Table)> PostMultipartAsync(string upload, string part, byte[] bytes, string query = "SELECT * FROM TAP_UPLOAD.mine")
    {
        using var content = TapTestServer.Multipart([("LANG", "ADQL"), ("QUERY", query), ("UPLOAD", upload)], [(part, bytes)]);
        using var r = await _s.Http.PostAsync(_s.Tap + "/sync", content);
        return (r.StatusCode, TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()));
    }

    [Test]
    public async Task InlineUploadIsQueryableAsTapUpload()
    {
        var (status, t) = await PostMultipartAsync("mine,param:part1", "part1", TapTestServer.VOTableBytes(Mine()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(t.RowCount, Is.EqualTo(2));
        Assert.That(((StringColumn)t.FindColumn("label")!)[1], Is.EqualTo("b"));
    }

    [Test]
    public async Task UploadByUrlIsFetched()
    {
        using var r = await _s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"),
            ("UPLOAD", $"mine,{new Uri(_s.Server.TapUrl, "/files/mine.vot")}"));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That((r.StatusCode, t.RowCount), Is.EqualTo((HttpStatusCode.OK, 2)));
    }

    [Test]
    public async Task AsyncJobKeepsItsInlineUpload()
    {
        using var content = TapTestServer.Multipart([("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"), ("UPLOAD", "mine,param:t"), ("PHASE", "RUN")],
            [("t", TapTestServer.VOTableBytes(Mine(), Engine.Formats.VOTable.VOTableSerialization.Binary2))]);
        using var r = await _s.Http.PostAsync(_s.Tap + "/async", content);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        var job = r.Headers.Location!.ToString();
        var doc = await _s.WaitFinishedAsync(job);
        Assert.That(doc.Root!.Element(TapTestServer.Uws + "phase")!.Value, Is.EqualTo("COMPLETED"));
        var t = TapTestServer.ReadVOTable(await _s.Http.GetByteArrayAsync(job + "/results/result"));
        Assert.That(t.RowCount, Is.EqualTo(2));
    }

    [Test]
    public async Task MalformedUploadVOTableIsADaliError()
    {
        var bad = System.Text.Encoding.UTF8.GetBytes("<VOTABLE><RESOURCE><TABLE><FIELD name='x' datatype='int'/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE>");
        var (status, t) = await PostMultipartAsync("mine,param:p", "p", bad);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(t.QueryStatus?.Value, Is.EqualTo("ERROR"));
        Assert.That(t.QueryStatus?.Content, Does.StartWith("upload 'mine' is not a readable VOTable: "));
    }

    [Test]
    public async Task OversizedUploadIsRefusedWith413()
    {
        var big = new Table("mine");
        big.AddColumn(new ScalarColumn<double>(new Field("x", DataType.Double), Enumerable.Range(0, 2000).Select(i => (double)i).ToArray()));
        var (status, t) = await PostMultipartAsync("mine,param:p", "p", TapTestServer.VOTableBytes(big));
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(t.QueryStatus?.Content, Does.Contain("upload limit of 4096 bytes"));
    }

    [Test]
    public async Task OversizedChunkedUploadWithoutLengthIsRefusedWith413()
    {
        var big = new Table("mine");
        big.AddColumn(new ScalarColumn<double>(new Field("x", DataType.Double), Enumerable.Range(0, 2000).Select(i => (double)i).ToArray()));
        using var content = TapTestServer.Multipart([("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"), ("UPLOAD", "mine,param:p")], [("p", TapTestServer.VOTableBytes(big))]);
        var bytes = await content.ReadAsByteArrayAsync();
        using var chunked = new StreamContent(new MemoryStream(bytes));
        chunked.Headers.ContentType = content.Headers.ContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, _s.Tap + "/sync") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var r = await _s.Http.SendAsync(request);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content, Does.Contain("4096 bytes"));
    }

    [Test]
    public async Task MissingUploadPartIsNamed()
    {
        var (status, t) = await PostMultipartAsync("mine,param:other", "p", TapTestServer.VOTableBytes(Mine()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(t.QueryStatus?.Content, Does.StartWith("UPLOAD=mine,param:other: the request has no multipart file part named 'other'"));
    }

    [Test]
    public async Task UploadUrlThatFailsIsADaliError()
    {
        using var r = await _s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"),
            ("UPLOAD", $"mine,{new Uri(_s.Server.TapUrl, "/files/nothere.vot")}"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content, Does.Contain("answered HTTP 404"));
    }

    [Test]
    public async Task FileUriUploadsAreRefused()
    {
        using var r = await _s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"), ("UPLOAD", "mine,file:///etc/passwd"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content,
            Is.EqualTo("UPLOAD=mine,file:///etc/passwd: the URI must be param:PART (inline) or an http(s) URL"));
    }
}
