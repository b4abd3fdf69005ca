using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary>A TAP service in this process on a free loopback port, over the real store, serving data.stars (and optionally ivoa.obscore).</summary>
internal sealed class TapTestServer : IAsyncDisposable
{
    public TapServer Server { get; }
    public ITableStore Store { get; }
    public HttpClient Http { get; }
    public string Tap => Server.TapUrl.ToString().TrimEnd('/');
    public ServeSummary Summary { get; }

    private TapTestServer(TapServer server, ITableStore store, ServeSummary summary)
    {
        Server = server;
        Store = store;
        Summary = summary;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public static ITableStore NewStore() => new Storage.DuckDbTableStore();

    public static async Task<TapTestServer> StartAsync(TapServiceOptions? options = null, (string Path, Table Table)? obscore = null)
    {
        var store = NewStore();
        var o = options ?? new TapServiceOptions();
        o = new TapServiceOptions
        {
            Port = 0, DefaultMaxRec = o.DefaultMaxRec, HardMaxRec = o.HardMaxRec, UploadLimitBytes = o.UploadLimitBytes,
            DefaultExecutionDuration = o.DefaultExecutionDuration, MaxExecutionDuration = o.MaxExecutionDuration,
            DefaultRetention = o.DefaultRetention, MaxRetention = o.MaxRetention, MaxWait = o.MaxWait,
            MaxConcurrentRequests = o.MaxConcurrentRequests, MaxQueuedRequests = o.MaxQueuedRequests, MaxQueueWait = o.MaxQueueWait,
            AllowLocalUploads = o.AllowLocalUploads,
        };
        var server = await TapServer.StartAsync(store, o);
        var summary = await ServeSetup.LoadAsync(server, store, [(new ServedFile("stars.vot", "data", "stars"), Stars())], obscore, CancellationToken.None);
        store.LockDown(new StoreLimits { MemoryLimitBytes = 1L << 30, Threads = 2 });
        return new TapTestServer(server, store, summary);
    }

    /// <summary>Five stars: id, ra, dec (deg), mag (one null), name.</summary>
    public static Table Stars()
    {
        var t = new Table("stars") { Description = "Five test stars" };
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main", Description = "Star number" }, [1, 2, 3, 4, 5]));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = "Right ascension" }, [10.0, 10.1, 10.2, 200.0, 359.9]));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main", Description = "Declination" }, [-5.0, -5.1, -5.2, 40.0, 89.0]));
        var mag = new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag", Ucd = "phot.mag;em.opt.V" }, [12.5f, 13.25f, 0f, 9.75f, 15f]);
        mag.SetNull(2);
        t.AddColumn(mag);
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable) { Ucd = "meta.id" }, ["Alpha", "Beta", "Gamma", "Delta", "Polaris-ish"]));
        return t;
    }

    public async Task<HttpResponseMessage> GetAsync(string relative) => await Http.GetAsync(Tap + relative);

    public async Task<HttpResponseMessage> PostAsync(string relative, params (string Name, string Value)[] form) =>
        await Http.PostAsync(Tap + relative, new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))));

    public async Task<XDocument> GetXmlAsync(string relative)
    {
        using var r = await GetAsync(relative);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), relative + ": " + await r.Content.ReadAsStringAsync());
        return XDocument.Parse(await r.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a job from the form, returns its URL (checking the 303).</summary>
    public async Task<string> CreateJobAsync(params (string Name, string Value)[] form)
    {
        using var r = await PostAsync("/async", form);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await r.Content.ReadAsStringAsync());
        return r.Headers.Location!.ToString();
    }

    public async Task<string> PhaseAsync(string jobUrl) => await Http.GetStringAsync(jobUrl + "/phase");

    /// <summary>Blocks (WAIT) until the job left the active phases; fails after 30 s.</summary>
    public async Task<XDocument> WaitFinishedAsync(string jobUrl)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var doc = XDocument.Parse(await Http.GetStringAsync(jobUrl + "?WAIT=10"));
            var phase = doc.Root!.Element(Uws + "phase")!.Value;
            if (phase is not ("PENDING" or "QUEUED" or "EXECUTING")) return doc;
            if (DateTime.UtcNow > until) Assert.Fail($"job {jobUrl} still {phase}");
        }
    }

    public static readonly XNamespace Uws = UwsXml.Ns;

    public static Table ReadVOTable(byte[] body) => VOTableReader.Read(new MemoryStream(body));

    public static MultipartFormDataContent Multipart(IEnumerable<(string Name, string Value)> fields, IEnumerable<(string Part, byte[] Bytes)> files)
    {
        var m = new MultipartFormDataContent();
        foreach (var (n, v) in fields) m.Add(new StringContent(v), n);
        foreach (var (p, b) in files)
        {
            var c = new ByteArrayContent(b);
            c.Headers.ContentType = new MediaTypeHeaderValue("application/x-votable+xml");
            m.Add(c, p, p + ".vot");
        }
        return m;
    }

    public static byte[] VOTableBytes(Table t, VOTableSerialization ser = VOTableSerialization.TableData)
    {
        var ms = new MemoryStream();
        VOTableWriter.Write(t, ms, new VOTableWriteOptions { Serialization = ser });
        return ms.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Store.DisposeAsync();
    }
}
