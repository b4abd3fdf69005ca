using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Products;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Integration.Tests.Language;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>
/// Items 1 and 7 of issue 17 on real servers: the rig's Registry records of one endpoint are asked
/// once; the rig's and serve's ObsCore spectra are downloaded (also through DataLink, a cut
/// connection, a server that lies about Content-Length, and a second run that keeps them).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class DataProductRigTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "voscript-fetch-it-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static ProtocolHandlerOptions Fast => new()
    {
        MinPollInterval = TimeSpan.FromMilliseconds(300),
        Http = new VoHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(200), AttemptTimeout = TimeSpan.FromSeconds(20), ReadIdleTimeout = TimeSpan.FromSeconds(10) },
    };

    private static async Task<(RunSummary Summary, List<ExecutionEvent> Events)> Run(Workspace ws, IEnumerable<PlanService> services, params PlanStep[] steps)
    {
        var events = new List<ExecutionEvent>();
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(Fast)]), new ExecutorOptions { Events = e => { lock (events) events.Add(e); } }).RunAsync(new Plan(services, steps), ws);
        return (summary, events);
    }

    private static async Task<Table> Query(string tapUrl, string adql)
    {
        using var http = new VoHttpClient();
        return (await new TapService(tapUrl, http).QueryAsync(new TapQuery(adql))).Table;
    }

    [Test]
    public async Task QueryEachOnTheRigsObsCoreServicesGivesEveryRowOnce()
    {
        DachsRig.RequireUp();
        var ws = new Workspace();
        var (summary, events) = await Run(ws, [new PlanService("rig", ServiceProtocol.Registry, DachsRig.TapUrl.ToString())],
            new FindServicesStep { Id = "s1", Protocol = ServiceProtocol.Tap, Registry = "rig", WithTable = "ivoa.obscore", Output = "archives" },
            new QueryEachStep { Id = "s2", DependsOn = ["s1"], ServiceSet = "archives", Output = "spectra", Adql = "SELECT obs_id FROM ivoa.obscore" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(ws.GetTable("archives").RowCount, Is.EqualTo(2), "two records of one endpoint");
        var spectra = ws.GetTable("spectra");
        Assert.That(spectra.RowCount, Is.EqualTo(50), "each of the 50 spectra once");
        var records = spectra.FindColumn("service_records")!.FormatCell(0);
        Assert.That(records, Does.Contain("ivo://rig.test/tap").And.Contain("ivo://rig.test/specs/q/main"));
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message), Has.Some.Contains("have the same access URL"));
    }

    private async Task<byte[]> Direct(string url)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(url);
    }

    [Test]
    public async Task TheRigsSpectraAreFetchedAndASecondRunKeepsThem()
    {
        DachsRig.RequireUp();
        var ws = new Workspace();
        ws.SetTable("spectra", await Query(DachsRig.TapUrl.ToString(), "SELECT TOP 6 obs_id, access_url, access_format FROM ivoa.obscore ORDER BY obs_id"));
        var fetch = new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "files" };
        var (summary, _) = await Run(ws, [], fetch);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var files = ws.GetTable("files");
        for (var r = 0; r < 6; r++)
        {
            Assert.That(files.FindColumn("status")!.FormatCell(r), Is.EqualTo("fetched"));
            var path = files.FindColumn("path")!.FormatCell(r);
            Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(await Direct(files.FindColumn("access_url")!.FormatCell(r))));
            Assert.That(files.FindColumn("size")!.GetDouble(r), Is.EqualTo(new FileInfo(path).Length));
        }
        var (again, _) = await Run(ws, [], fetch);
        Assert.That(again.Status, Is.EqualTo(RunStatus.Succeeded), again.ToString());
        Assert.That(Enumerable.Range(0, 6).Select(r => ws.GetTable("files").FindColumn("status")!.FormatCell(r)), Is.All.EqualTo("kept"));
    }

    [Test]
    public async Task DataLinkUrlsOfTheRigAreResolvedToTheirFiles()
    {
        DachsRig.RequireUp();
        var dids = await Query(DachsRig.TapUrl.ToString(), "SELECT TOP 3 obs_publisher_did, access_url FROM ivoa.obscore ORDER BY obs_id");
        var links = new Table("links");
        var origin = DachsRig.Origin.ToString().TrimEnd('/');
        links.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable),
            Enumerable.Range(0, 3).Select(r => (string?)$"{origin}/specs/q/dl/dlmeta?ID={Uri.EscapeDataString(dids.Columns[0].FormatCell(r))}").ToArray()));
        links.AddColumn(new StringColumn(new Field("access_format", DataType.Char, ArraySize.Variable),
            Enumerable.Repeat((string?)"application/x-votable+xml;content=datalink", 3).ToArray()));
        var ws = new Workspace();
        ws.SetTable("links", links);
        var (summary, _) = await Run(ws, [], new FetchStep { Id = "s1", Table = "links", Directory = _dir, Output = "files" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        for (var r = 0; r < 3; r++)
        {
            var path = ws.GetTable("files").FindColumn("path")!.FormatCell(r);
            Assert.That(Path.GetFileName(path), Is.EqualTo(dids.Columns[1].FormatCell(r).Split('/')[^1]));
            Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(await Direct(dids.Columns[1].FormatCell(r))));
        }
    }

    [Test]
    public async Task ATransferCutHalfwayIsResumed()
    {
        DachsRig.RequireUp();
        await using var proxy = new FaultProxy(DachsRig.TapUrl);
        proxy.Rule = r => r.Path.StartsWith("/getproduct/", StringComparison.Ordinal) && r.Nth == 1 ? FaultAction.CutBody : FaultAction.Forward;
        var found = await Query(DachsRig.TapUrl.ToString(), "SELECT TOP 2 obs_id, access_url, access_format FROM ivoa.obscore ORDER BY obs_id");
        var spectra = new Table("spectra");
        spectra.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable),
            [proxy.Through(found.Columns[1].FormatCell(0)), proxy.Through(found.Columns[1].FormatCell(1))]));
        var ws = new Workspace();
        ws.SetTable("spectra", spectra);
        Assert.That(ws.GetTable("spectra").FindColumn("access_url")!.FormatCell(0), Does.StartWith(proxy.Origin));
        var (summary, events) = await Run(ws, [], new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "files" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var files = ws.GetTable("files");
        for (var r = 0; r < 2; r++)
        {
            Assert.That(files.FindColumn("status")!.FormatCell(r), Is.AnyOf("resumed", "fetched"));
            Assert.That(await File.ReadAllBytesAsync(files.FindColumn("path")!.FormatCell(r)),
                Is.EqualTo(await Direct(proxy.Upstream(files.FindColumn("access_url")!.FormatCell(r)))));
        }
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message), Has.Some.Contains("the connection broke after"));
    }

    [Test]
    public async Task AServerThatLiesAboutContentLengthLeavesNoFile()
    {
        // a raw HTTP server: announces 5000 bytes, sends 1000, closes
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var served = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                var buf = new byte[4096];
                var text = "";
                while (!text.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buf, stop.Token);
                    if (n == 0) break;
                    text += Encoding.ASCII.GetString(buf, 0, n);
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/fits\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"), stop.Token);
                await stream.WriteAsync(new byte[1000], stop.Token);
            }
        });
        try
        {
            var ws = new Workspace();
            var t = new Table("spectra");
            t.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable), [$"http://127.0.0.1:{port}/data/liar.fits"]));
            ws.SetTable("spectra", t);
            var (summary, _) = await Run(ws, [], new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "files" });
            Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(summary.Steps[0].Message, Does.Contain("1 of 1 files could not be downloaded").And.Contain("liar.fits.part is kept"));
            Assert.That(File.Exists(Path.Combine(_dir, "liar.fits")), Is.False, "no file under its final name");
            Assert.That(ws.GetTable("files").FindColumn("error")!.FormatCell(0), Does.Contain("the connection broke after 1000 B of 4.9 KiB"));
        }
        finally
        {
            stop.Cancel();
            listener.Stop();
            try { await served; } catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }
    }

    [Test]
    public async Task ServesObsCoreSpectraAreFetched()
    {
        var serve = ServeRig.Process;
        var ws = new Workspace();
        ws.SetTable("spectra", await Query(serve.TapUrl, "SELECT obs_id, access_url, access_format FROM ivoa.obscore WHERE obs_id IN ('spec_0001', 'spec_0002', 'spec_0003') ORDER BY obs_id"));
        var (summary, _) = await Run(ws, [], new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "files" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var files = ws.GetTable("files");
        for (var r = 0; r < 3; r++)
        {
            var path = files.FindColumn("path")!.FormatCell(r);
            Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(ServeRig.FieldDirectory, "spectra", Path.GetFileName(path)))));
        }
        // a damaged file is fetched again, a complete one kept
        await File.WriteAllTextAsync(files.FindColumn("path")!.FormatCell(1), "damaged");
        await Run(ws, [], new FetchStep { Id = "s1", Table = "spectra", Directory = _dir, Output = "files" });
        Assert.That(Enumerable.Range(0, 3).Select(r => ws.GetTable("files").FindColumn("status")!.FormatCell(r)), Is.EqualTo(new[] { "kept", "fetched", "kept" }));
    }
}
