using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Products;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Products;

[TestFixture]
public class ProductDownloaderTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "voscript-fetch-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static byte[] Bytes(int n, int seed) => Enumerable.Range(0, n).Select(i => (byte)((i * 7 + seed) % 251)).ToArray();

    /// <summary>A stream that gives <paramref name="data"/> and then fails (a connection cut) after <paramref name="cutAfter"/> bytes.</summary>
    private sealed class CutStream(byte[] data, int cutAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= cutAfter) throw new IOException("connection reset by peer");
            return base.Read(buffer, offset, (int)Math.Min(count, cutAfter - Position));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var tmp = new byte[buffer.Length];
            var n = Read(tmp, 0, tmp.Length);
            tmp.AsMemory(0, n).CopyTo(buffer);
            return ValueTask.FromResult(n);
        }
    }

    /// <summary>A file server: honours Range; <see cref="Cut"/> breaks the next N transfers halfway; <see cref="Lie"/> announces more bytes than it sends.</summary>
    private sealed class Files
    {
        public readonly Dictionary<string, byte[]> Content = [];
        public int Cut;
        public bool Lie;
        public readonly List<(string Method, string Path, RangeHeaderValue? Range)> Seen = [];
        public ScriptedHandler Handler { get; }

        public Files()
        {
            Handler = new ScriptedHandler((req, _, _, _) =>
            {
                lock (Seen) Seen.Add((req.Method.Method, req.RequestUri!.AbsolutePath, req.Headers.Range));
                var path = req.RequestUri!.AbsolutePath;
                if (path.StartsWith("/dl", StringComparison.Ordinal)) return Task.FromResult(DataLink(req.RequestUri!));
                if (!Content.TryGetValue(path, out var data))
                    return Task.FromResult(ScriptedHandler.Text(HttpStatusCode.NotFound, "no such file", "text/plain"));
                var from = req.Headers.Range?.Ranges.First().From ?? 0;
                HttpResponseMessage resp;
                if (req.Headers.Range?.Ranges.First().To is { } to)
                {
                    resp = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(data[(int)from..((int)to + 1)]) };
                    resp.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, data.Length);
                    return Task.FromResult(resp);
                }
                var slice = data[(int)from..];
                Stream body = Interlocked.Decrement(ref Cut) >= 0 ? new CutStream(slice, slice.Length / 2) : new MemoryStream(Lie ? slice[..(slice.Length / 2)] : slice);
                resp = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK) { Content = new StreamContent(body) };
                resp.Content.Headers.ContentLength = slice.Length;
                resp.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fits");
                if (from > 0) resp.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, data.Length - 1, data.Length);
                return Task.FromResult(resp);
            });
        }

        private static HttpResponseMessage DataLink(Uri url)
        {
            var id = Uri.UnescapeDataString(url.Query).Split("ID=")[1];
            var file = id.Split('/')[^1];
            var resp = ScriptedHandler.Text(HttpStatusCode.OK, $"""
                <?xml version="1.0"?>
                <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><TABLE>
                <FIELD name="ID" datatype="char" arraysize="*"/><FIELD name="access_url" datatype="char" arraysize="*"/>
                <FIELD name="service_def" datatype="char" arraysize="*"/><FIELD name="error_message" datatype="char" arraysize="*"/>
                <FIELD name="semantics" datatype="char" arraysize="*"/><FIELD name="content_type" datatype="char" arraysize="*"/>
                <DATA><TABLEDATA>
                <TR><TD>{id}</TD><TD>http://files.test/preview/{file}.png</TD><TD/><TD/><TD>#preview</TD><TD>image/png</TD></TR>
                <TR><TD>{id}</TD><TD>{(file == "missing" ? "" : "http://files.test/data/" + file)}</TD><TD/><TD>{(file == "missing" ? "NotFoundFault: no such dataset" : "")}</TD><TD>#this</TD><TD>application/fits</TD></TR>
                </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
                """, "application/x-votable+xml");
            resp.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-votable+xml;content=datalink");
            return resp;
        }
    }

    private static Table Products(params (string Url, string Format)[] rows)
    {
        var t = new Table("spectra");
        t.AddColumn(new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), rows.Select((_, i) => (string?)("o" + i)).ToArray()));
        t.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable), rows.Select(r => (string?)r.Url).ToArray()));
        t.AddColumn(new StringColumn(new Field("access_format", DataType.Char, ArraySize.Variable), rows.Select(r => (string?)r.Format).ToArray()));
        return t;
    }

    private async Task<IReadOnlyList<FetchResult>> Fetch(Files files, Table t, List<string>? progress = null, int attempts = 3)
    {
        using var http = new VoHttpClient(new VoHttpOptions { PrimaryHandler = files.Handler, RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        var d = new ProductDownloader(http, new ProductFetchOptions { Parallelism = 2, MaxAttempts = attempts });
        if (progress is not null) d.Progress += m => { lock (progress) progress.Add(m); };
        return await d.FetchAsync(t, ProductColumns.Find(t, null), _dir, CancellationToken.None);
    }

    [Test]
    public async Task FilesAreDownloadedInParallelUnderTheirNames()
    {
        var files = new Files();
        for (var i = 1; i <= 5; i++) files.Content[$"/data/spec_{i}.fits"] = Bytes(1000 + i, i);
        var t = Products(Enumerable.Range(1, 5).Select(i => ($"http://files.test/data/spec_{i}.fits", "application/fits")).ToArray());
        var progress = new List<string>();
        var results = await Fetch(files, t, progress);
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(FetchStatus.Fetched));
        for (var i = 1; i <= 5; i++)
            Assert.That(File.ReadAllBytes(Path.Combine(_dir, $"spec_{i}.fits")), Is.EqualTo(files.Content[$"/data/spec_{i}.fits"]));
        Assert.That(Directory.GetFiles(_dir, "*.part"), Is.Empty);
        Assert.That(progress, Has.Some.Contains("(5 of 5)"));
    }

    [Test]
    public async Task ATransferCutHalfwayIsResumedWithARangeRequest()
    {
        var files = new Files { Cut = 1 };
        files.Content["/data/a.fits"] = Bytes(10_000, 3);
        var progress = new List<string>();
        var results = await Fetch(files, Products(("http://files.test/data/a.fits", "application/fits")), progress);
        Assert.That(results[0].Status, Is.EqualTo(FetchStatus.Resumed), results[0].Error);
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "a.fits")), Is.EqualTo(files.Content["/data/a.fits"]));
        Assert.That(files.Seen.Where(s => s.Method == "GET").Select(s => s.Range?.Ranges.First().From), Is.EqualTo(new long?[] { null, 5000 }));
        Assert.That(progress, Has.Some.Contains("the connection broke after 4.9 KiB of 9.8 KiB").And.Some.Contains("resuming"));
    }

    [Test]
    public async Task AFailedTransferKeepsItsPartialFileAndTheNextRunResumesIt()
    {
        var files = new Files { Cut = 1 };
        files.Content["/data/a.fits"] = Bytes(10_000, 3);
        var t = Products(("http://files.test/data/a.fits", "application/fits"));
        var first = await Fetch(files, t, attempts: 1);
        Assert.That(first[0].Status, Is.EqualTo(FetchStatus.Failed));
        Assert.That(first[0].Error, Does.Contain("the connection broke").And.Contain("a.fits.part is kept: run again to resume"));
        Assert.That(File.Exists(Path.Combine(_dir, "a.fits")), Is.False, "nothing under the final name");
        Assert.That(new FileInfo(Path.Combine(_dir, "a.fits.part")).Length, Is.EqualTo(5000));

        var second = await Fetch(files, t);
        Assert.That(second[0].Status, Is.EqualTo(FetchStatus.Resumed));
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "a.fits")), Is.EqualTo(files.Content["/data/a.fits"]));
        Assert.That(files.Seen.Last().Range?.Ranges.First().From, Is.EqualTo(5000));
    }

    [Test]
    public async Task AServerThatSendsLessThanItsContentLengthIsAnErrorNotAFile()
    {
        var files = new Files { Lie = true };
        files.Content["/data/a.fits"] = Bytes(4000, 1);
        var results = await Fetch(files, Products(("http://files.test/data/a.fits", "application/fits")));
        Assert.That(results[0].Status, Is.EqualTo(FetchStatus.Failed));
        Assert.That(results[0].Error, Does.Contain("announced").And.Contain("Content-Length").And.Contain("but sent"));
        Assert.That(File.Exists(Path.Combine(_dir, "a.fits")), Is.False);
    }

    [Test]
    public async Task CompleteFilesAreKeptAndFilesOfTheWrongSizeFetchedAgain()
    {
        var files = new Files();
        files.Content["/data/a.fits"] = Bytes(3000, 1);
        files.Content["/data/b.fits"] = Bytes(3000, 2);
        var t = Products(("http://files.test/data/a.fits", "application/fits"), ("http://files.test/data/b.fits", "application/fits"));
        await Fetch(files, t);
        File.WriteAllBytes(Path.Combine(_dir, "b.fits"), Bytes(100, 9)); // damaged since
        files.Seen.Clear();
        var again = await Fetch(files, t);
        Assert.That(again.Select(r => r.Status), Is.EqualTo(new[] { FetchStatus.Kept, FetchStatus.Fetched }));
        Assert.That(files.Seen.Where(s => s.Path == "/data/a.fits").Select(s => s.Range?.ToString()), Is.EqualTo(new[] { "bytes=0-0" }), "only its size was asked");
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "b.fits")), Is.EqualTo(files.Content["/data/b.fits"]));
    }

    [Test]
    public async Task DataLinkUrlsAreResolvedToTheirThisLink()
    {
        var files = new Files();
        files.Content["/data/s1.fits"] = Bytes(2000, 5);
        var dl = "application/x-votable+xml;content=datalink";
        var t = Products(("http://files.test/dl?ID=ivo%3A%2F%2Fx%2Fs1.fits", dl), ("http://files.test/dl?ID=ivo%3A%2F%2Fx%2Fmissing", dl));
        var results = await Fetch(files, t);
        Assert.That(results[0].Status, Is.EqualTo(FetchStatus.Fetched), results[0].Error);
        Assert.That(results[0].Url, Is.EqualTo("http://files.test/data/s1.fits"));
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "s1.fits")), Is.EqualTo(files.Content["/data/s1.fits"]));
        Assert.That(results[1].Status, Is.EqualTo(FetchStatus.Failed));
        Assert.That(results[1].Error, Does.Contain("NotFoundFault: no such dataset"));
    }

    [Test]
    public async Task BadRowsAndMissingFilesAreErrorsOfTheirRowsOnly()
    {
        var files = new Files();
        files.Content["/data/a.fits"] = Bytes(100, 1);
        var t = Products(("http://files.test/data/a.fits", "application/fits"), ("ftp://x/y.fits", "application/fits"),
            ("http://files.test/data/gone.fits", "application/fits"));
        var results = await Fetch(files, t);
        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { FetchStatus.Fetched, FetchStatus.Failed, FetchStatus.Failed }));
        Assert.That(results[1].Error, Does.Contain("not an http(s) URL"));
        Assert.That(results[2].Error, Does.Contain("404"));
        var table = ProductDownloader.ResultTable("got", t, results);
        Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "obs_id", "access_url", "access_format", "path", "size", "status", "error" }));
        Assert.That(table.FindColumn("size")!.FormatCell(0), Is.EqualTo("100"));
        Assert.That(table.FindColumn("size")!.IsNull(2), Is.True);
    }

    [TestCase("http://h/getproduct/specs/data/spec_0001.fits", null, "spec_0001.fits")]
    [TestCase("http://h/getproduct?ID=ivo%3A%2F%2Frig.test%2F~%3Fspecs%2Fdata%2Fspec_0002.vot", null, "spec_0002.vot")]
    [TestCase("http://h/files/..", "application/fits", "row0004.fits")]
    [TestCase("http://h/files/x%2F..%2F..%2Fetc%2Fpasswd", null, "x_.._.._etc_passwd")]
    [TestCase("http://h/cutout", "application/x-votable+xml", "cutout.vot")]
    public void FileNamesComeFromTheUrlAndStayInTheFolder(string url, string? format, string expected) =>
        Assert.That(ProductDownloader.FileNameFor(new Uri(url), format, 3), Is.EqualTo(expected));

    [Test]
    public void TheUrlColumnIsFoundByObsCoreNameSsaUtypeOrUcd()
    {
        var ssa = new Table("ssa");
        ssa.AddColumn(new StringColumn(new Field("Title", DataType.Char, ArraySize.Variable), ["x"]));
        ssa.AddColumn(new StringColumn(new Field("link", DataType.Char, ArraySize.Variable) { Utype = "ssa:Access.Reference" }, ["http://a/b.fits"]));
        Assert.That(ProductColumns.Find(ssa, null).Url.Name, Is.EqualTo("link"));
        var ucd = new Table("u");
        ucd.AddColumn(new StringColumn(new Field("where", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url" }, ["http://a/b.fits"]));
        Assert.That(ProductColumns.Find(ucd, null).Url.Name, Is.EqualTo("where"));
        var none = new Table("none");
        none.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double), [1.0]));
        Assert.That(Assert.Throws<VoScriptException>(() => ProductColumns.Find(none, null))!.Message, Does.Contain("no column of product URLs").And.Contain("column NAME"));
        Assert.That(Assert.Throws<VoScriptException>(() => ProductColumns.Find(none, "ra"))!.Message, Does.Contain("not URLs"));
    }

    [Test]
    public async Task TheFetchStepFailsOnAMissingFileUnlessItContinues()
    {
        var files = new Files();
        files.Content["/data/a.fits"] = Bytes(100, 1);
        var ws = new Workspace();
        ws.SetTable("spectra", Products(("http://files.test/data/a.fits", "application/fits"), ("http://files.test/data/gone.fits", "application/fits")));
        async Task<RunSummary> Run(bool cont, bool strict) => await new Executor(new StepCatalog([.. StepModules.Protocols(new ProtocolHandlerOptions { Http = new VoHttpOptions { PrimaryHandler = files.Handler } })]), new ExecutorOptions { Strict = strict })
            .RunAsync(new Plan([], [new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "got", ContinueOnServiceError = cont }]), ws);
        var failed = await Run(false, false);
        Assert.That(failed.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(failed.Steps[0].Message, Does.Contain("1 of 2 files could not be downloaded: row 2").And.Contain("on error continue"));
        Assert.That(ws.GetTable("got").RowCount, Is.EqualTo(2), "the result table is kept");
        var continued = await Run(true, false);
        Assert.That(continued.Status, Is.EqualTo(RunStatus.Succeeded));
        Assert.That(continued.Warnings, Has.Some.Contains("1 of 2 files could not be downloaded"));
        Assert.That((await Run(true, true)).Status, Is.EqualTo(RunStatus.Failed));
    }
}
