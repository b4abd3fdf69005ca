using NUnit.Framework;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Registry;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Integration.Tests.Language;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>
/// The TAP client against real servers. Tests with a <c>server</c> argument run against the DaCHS
/// rig and against <c>voscript serve</c> of scripts/data/field (the same data); the others need
/// what only DaCHS has (RegTAP, SIA2, DataLink, cone search, its VOSI quirks).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class TapRigTests
{
    private VoHttpClient _http = null!;
    private TapService _tap = null!;
    private List<ProtocolEvent> _events = null!;

    [SetUp]
    public void SetUp()
    {
        _events = [];
        _http = DachsRig.Client(_events);
    }

    /// <summary>The TAP URL of the server the test runs against (the rig unless named), and _tap for it.</summary>
    private Uri Use(string server = TapServers.Dachs)
    {
        var url = TapServers.Url(server);
        _tap = new TapService(url, _http);
        return url;
    }

    [TearDown]
    public void TearDown() => _http?.Dispose();

    /// <summary>
    /// A query that runs long, to be aborted: a count over a 10^9-row cross join; on voscript serve
    /// with a filter, which DuckDB cannot answer from the table sizes alone.
    /// </summary>
    private static string Slow(string server) => "SELECT COUNT(*) FROM cat_a.main AS a, cat_b.main AS b, cat_c.main AS c, ivoa.obscore AS o" +
        (server == TapServers.Serve ? " WHERE a.ra + b.RAJ2000 + c.ra + o.s_ra < 0" : "");

    private static readonly AsyncJobOptions Quick = new() { Timeout = TimeSpan.FromMinutes(2), MinPollInterval = TimeSpan.FromMilliseconds(300) };

    [TestCase(TapServers.Dachs, "cat_a.main", 271)]
    [TestCase(TapServers.Dachs, "cat_b.main", 259)]
    [TestCase(TapServers.Dachs, "cat_c.main", 285)]
    [TestCase(TapServers.Dachs, "ivoa.obscore", 50)]
    [TestCase(TapServers.Dachs, "specs.main", 50)]
    [TestCase(TapServers.Serve, "cat_a.main", 271)]
    [TestCase(TapServers.Serve, "cat_b.main", 259)]
    [TestCase(TapServers.Serve, "cat_c.main", 285)]
    [TestCase(TapServers.Serve, "ivoa.obscore", 50)]
    public async Task SyncQueryReadsEveryRowOfEachCatalog(string server, string table, int rows)
    {
        Use(server);
        var r = await _tap.QueryAsync(new TapQuery($"SELECT * FROM {table}"));
        Assert.That(r.Table.RowCount, Is.EqualTo(rows));
        Assert.That(r.Truncated, Is.False);
        Assert.That(_events.OfType<RowsReceived>().Last().Rows, Is.EqualTo(rows));
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task DelimitedColumnNameAndLongIdsSurvive(string server)
    {
        Use(server);
        var b = await _tap.QueryAsync(new TapQuery("SELECT TOP 3 \"2MASS\", Kmag FROM cat_b.main ORDER BY \"2MASS\""));
        Assert.That(b.Table.Columns[0].Name, Is.EqualTo("2MASS"));
        Assert.That(b.Table.Columns[0].FormatCell(0), Does.Match(@"^\d{8}[+-]\d{7}$"));
        var c = await _tap.QueryAsync(new TapQuery("SELECT objid FROM cat_c.main WHERE objid > 1237000000000000000 ORDER BY objid"));
        var col = (ScalarColumn<long>)c.Table.Columns[0];
        Assert.That(col.Values[0], Is.GreaterThan(1L << 53));
        var exact = await _tap.QueryAsync(new TapQuery($"SELECT COUNT(*) AS n FROM cat_c.main WHERE objid = {col.Values[0]}"));
        Assert.That(exact.Table.Columns[0].GetDouble(0), Is.EqualTo(1), "the 64-bit id was read exactly");
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task AsyncLifecycleEndsWithTheJobGoneFromTheJobList(string server)
    {
        var url = Use(server);
        var r = await _tap.RunAsyncQuery(new TapQuery("SELECT source_id, ra, dec FROM cat_a.main WHERE g_mag < 19"), Quick);
        var all = await _tap.QueryAsync(new TapQuery("SELECT COUNT(*) AS n FROM cat_a.main WHERE g_mag < 19"));
        Assert.That(r.Table.RowCount, Is.EqualTo((int)all.Table.Columns[0].GetDouble(0)));
        Assert.That(r.JobUrl, Is.Not.Null);
        var phases = _events.OfType<JobPhaseChanged>().Select(p => p.Phase).ToList();
        Assert.That(phases, Does.Contain("COMPLETED"));
        Assert.That(phases.Last(), Is.EqualTo("COMPLETED"));
        Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(r.JobUrl!), url), Is.True);
        Assert.That(_events.OfType<RequestStarted>().Any(e => e.Method == "GET" && e.Url.AbsolutePath.EndsWith("/async")), Is.False,
            "the 303 to the job list after DELETE is not followed");
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task InlineUploadJoinsWithObsCore(string server)
    {
        var url = Use(server);
        var ids = new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), ["spec_0001", "spec_0007", "spec_0042", "nope"]);
        var up = new Table("mine");
        up.AddColumn(ids);
        up.AddColumn(new ScalarColumn<int>(new Field("k", DataType.Int), [1, 7, 42, 0]));
        var q = new TapQuery("SELECT u.k, o.obs_id, o.access_url FROM TAP_UPLOAD.mine AS u JOIN ivoa.obscore AS o ON o.obs_id = u.obs_id ORDER BY u.k")
        {
            Uploads = [TapUpload.Inline("mine", up)],
        };
        var sync = await _tap.QueryAsync(q);
        Assert.That(sync.Table.RowCount, Is.EqualTo(3));
        Assert.That(sync.Table.FindColumn("obs_id")!.FormatCell(2), Is.EqualTo("spec_0042"));
        Assert.That(sync.Table.FindColumn("access_url")!.FormatCell(0),
            server == TapServers.Dachs ? Does.Contain("/getproduct/specs/data/spec_0001.") : Does.StartWith(url.GetLeftPart(UriPartial.Authority) + "/files/").And.EndsWith("spec_0001.fits"));
        var async = await _tap.RunAsyncQuery(q, Quick);
        Assert.That(async.Table.RowCount, Is.EqualTo(3));
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task UploadByUrlJoinsWithObsCore(string server)
    {
        var url = Use(server);
        // the service fetches the table itself: here, a VOTable its own sync endpoint serves
        var source = new Uri(url + "/sync?LANG=ADQL&RESPONSEFORMAT=votable/td&QUERY=" +
                             Uri.EscapeDataString("SELECT TOP 4 obs_id FROM ivoa.obscore ORDER BY obs_id DESC"));
        var r = await _tap.QueryAsync(new TapQuery("SELECT u.obs_id, o.dataproduct_type FROM TAP_UPLOAD.byurl AS u JOIN ivoa.obscore AS o ON o.obs_id = u.obs_id ORDER BY u.obs_id")
        {
            Uploads = [TapUpload.FromUrl("byurl", source)],
        });
        Assert.That(r.Table.RowCount, Is.EqualTo(4));
        Assert.That(r.Table.FindColumn("obs_id")!.FormatCell(3), Is.EqualTo("spec_0050"));
        Assert.That(r.Table.FindColumn("dataproduct_type")!.FormatCell(0), Is.EqualTo("spectrum"));
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task OverflowAtUserMaxrecIsFlaggedWithoutWarning(string server)
    {
        Use(server);
        var r = await _tap.QueryAsync(new TapQuery("SELECT * FROM cat_a.main") { MaxRec = 5 });
        Assert.That(r.Table.RowCount, Is.EqualTo(5));
        Assert.That(r.Truncated, Is.True);
        Assert.That(r.Cause, Is.EqualTo(TruncationCause.UserMaxRec));
        Assert.That(r.Warnings, Is.Empty);
        var full = await _tap.QueryAsync(new TapQuery("SELECT TOP 5 * FROM cat_a.main") { MaxRec = 10 });
        Assert.That(full.Truncated, Is.False, "TOP below MAXREC is no overflow");
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task BadAdqlShowsTheServicesMessage(string server)
    {
        var url = Use(server);
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => _tap.QueryAsync(new TapQuery("SELECT nosuchcolumn FROM cat_a.main")));
        Assert.That(e!.Summary, Does.StartWith("TAP query failed; the service says: "));
        Assert.That(e.ServiceMessage, Does.Contain("nosuchcolumn"));
        Assert.That(e.Message, Does.Contain("URL: " + url + "/sync"));
        if (server == TapServers.Dachs)
            Assert.That(e.Message, Does.Contain("HTTP status: 200 OK"), "DaCHS sends its ERROR VOTable with 200");
        else
            Assert.That(e.Message, Does.Contain("HTTP status: 400"), "voscript serve sends it with 400");
        var je = await Assert.ThrowsAsync<TapJobException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT FROM WHERE"), Quick));
        Assert.That(je!.Phase, Is.EqualTo("ERROR"));
        Assert.That(je.ServiceMessage, Is.Not.Empty);
        Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(je.JobUrl), url), Is.True, "a failed job is deleted too");
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task RunningJobCanBeAbortedAndDeleted(string server)
    {
        var url = Use(server);
        var job = await _tap.SubmitAsync(new TapQuery(Slow(server)));
        try
        {
            await job.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await job.GetInfoAsync()).Phase != UwsPhase.Executing && DateTime.UtcNow < deadline) await Task.Delay(300);
            Assert.That(job.LastPhase, Is.EqualTo(UwsPhase.Executing));
            Assert.That(await job.AbortAsync(), Is.True);
            deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(await job.GetInfoAsync()).Phase.IsFinal() && DateTime.UtcNow < deadline) await Task.Delay(300);
            Assert.That(job.LastPhase, Is.EqualTo(UwsPhase.Aborted));
        }
        finally
        {
            Assert.That(await job.DeleteAsync(), Is.True);
        }
        Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(job.Url), url), Is.True);
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task CancelledRunAbortsAndDeletesTheJob(string server)
    {
        var url = Use(server);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        Assert.That(async () => await _tap.RunAsyncQuery(new TapQuery(Slow(server)), Quick, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        var jobUrl = _events.OfType<JobCreated>().Single().JobUrl;
        Assert.That(_events.OfType<JobPhaseChanged>().Select(p => p.Phase), Does.Contain("EXECUTING"));
        Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(jobUrl), url), Is.True);
    }

    [Test]
    public async Task VosiTablesDescribeColumnsAsDaCHSDoes()
    {
        Use();
        var set = await _tap.GetTablesAsync();
        var b = set.Find("cat_b.main")!;
        Assert.That(b.Columns.Select(c => c.Name), Does.Contain("\"2MASS\"").And.Contain("hmag"));
        var hmag = b.Columns.Single(c => c.Name == "hmag");
        Assert.That(hmag.Unit, Is.EqualTo("mags"));
        Assert.That(b.Columns.Single(c => c.Name == "kmag").Unit, Is.Null);
        Assert.That(set.Find("ivoa.obscore"), Is.Not.Null);
        Assert.That(await _tap.GetTablesAsync(), Is.SameAs(set), "cached per service object");
        var caps = await _tap.GetCapabilitiesAsync();
        Assert.That(caps.Tap!.OutputLimit!.Hard, Is.EqualTo(20000000));
        Assert.That(caps.SupportsUpload("inline"), Is.True);
        Assert.That(caps.HasDataModel("ivo://ivoa.net/std/RegTAP"), Is.True);
        Assert.That((await _tap.GetAvailabilityAsync()).Available, Is.True);
    }

    [Test]
    public async Task RegistryFindsServicesByTableWavebandAndKeyword()
    {
        Use();
        var reg = new RegistryClient(_tap);
        var obscore = await reg.SearchAsync(new RegistryQuery { Kinds = [ServiceProtocol.Tap], TableName = "ivoa.obscore" });
        Assert.That(obscore.Select(s => s.Ivoid), Does.Contain("ivo://rig.test/tap"));
        Assert.That(obscore.All(s => s.Kind == ServiceProtocol.Tap), Is.True);
        Assert.That(obscore.Select(s => (s.Ivoid, s.StandardId)).Distinct().Count(), Is.EqualTo(obscore.Count), "de-duplicated by IVOID and capability");
        var cones = await reg.SearchAsync(new RegistryQuery { Kinds = [ServiceProtocol.Scs] });
        Assert.That(cones.Select(s => s.Ivoid), Is.EquivalentTo(new[] { "ivo://rig.test/cat_a/q/cone", "ivo://rig.test/cat_b/q/cone" }));
        var ir = await reg.SearchAsync(new RegistryQuery { Kinds = [ServiceProtocol.Scs], Waveband = "Infrared" });
        Assert.That(ir.Single().Ivoid, Is.EqualTo("ivo://rig.test/cat_b/q/cone"));
        var kw = await reg.SearchAsync(new RegistryQuery { Kinds = [ServiceProtocol.Tap], Keywords = ["spectra"] });
        Assert.That(kw.Select(s => s.Ivoid), Does.Contain("ivo://rig.test/specs/q/main"));
        Assert.That(kw.Select(s => s.Ivoid), Does.Not.Contain("ivo://rig.test/cat_b/q/main"));
        var dm = await reg.SearchAsync(new RegistryQuery { Kinds = [ServiceProtocol.Tap], DataModel = "ivo://ivoa.net/std/obscore" });
        Assert.That(dm.Single().Ivoid, Is.EqualTo("ivo://rig.test/tap"));
    }

    [Test]
    public async Task Sia2OnDaChsSitewideServiceAnswersAndReportsUsageFaults()
    {
        Use();
        // DaCHS's built-in SIAv2 over ivoa.obscore only returns images and cubes; the rig has spectra only.
        var sia = new Sia2Service(new Uri(DachsRig.Origin, "/__system__/siap2/sitewide/siap2.xml"), _http);
        var r = await sia.SearchAsync(new Sia2Query { Pos = [Sia2Query.Circle(150, 2.2, 0.1)] });
        Assert.That(r.Table.RowCount, Is.EqualTo(0));
        Assert.That(r.Table.FindColumn("access_url"), Is.Not.Null, "an ObsCore-shaped result");
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => sia.SearchAsync(new Sia2Query { Pos = ["CIRCLE abc"] }));
        Assert.That(e!.Summary, Does.StartWith("SIA2 query failed; the service says: UsageFault: Field POS: Invalid SIAPv2 coordinates"));
    }

    [Test]
    public async Task DataLinkGivesTheFileOfEachObsCoreRow()
    {
        Use();
        var rows = await _tap.QueryAsync(new TapQuery("SELECT TOP 2 obs_publisher_did, access_url, access_format FROM ivoa.obscore ORDER BY obs_id"));
        var dids = Enumerable.Range(0, 2).Select(i => rows.Table.FindColumn("obs_publisher_did")!.FormatCell(i)).ToList();
        var dl = new DataLinkService(new Uri(DachsRig.Origin, "/specs/q/dl/dlmeta"), _http);
        var links = await dl.GetLinksAsync([.. dids, "ivo://rig.test/~?specs/data/nosuch.fits"]);
        for (var i = 0; i < 2; i++)
        {
            var self = links.WithSemantics("#this").Single(l => l.Id == dids[i]);
            Assert.That(self.AccessUrl!.ToString(), Is.EqualTo(rows.Table.FindColumn("access_url")!.FormatCell(i)));
            Assert.That(self.ContentType, Is.EqualTo(rows.Table.FindColumn("access_format")!.FormatCell(i)));
            Assert.That(self.ContentLength, Is.GreaterThan(0));
        }
        var missing = links.Rows.Single(r => r.Id.EndsWith("nosuch.fits"));
        Assert.That(missing.AccessUrl, Is.Null);
        Assert.That(missing.ErrorMessage, Does.StartWith("NotFoundFault"));
    }

    [Test]
    public async Task ConeSearchOnTheRigReturnsTheNearbySources()
    {
        Use();
        var cone = new ConeSearchService(new Uri(DachsRig.Origin, "/cat_a/q/cone/scs.xml?"), _http);
        var r = await cone.SearchAsync(150.0, 2.2, 0.02);
        var tapCount = await _tap.QueryAsync(new TapQuery(
            "SELECT COUNT(*) AS n FROM cat_a.main WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 150.0, 2.2, 0.02))"));
        Assert.That(r.Table.RowCount, Is.GreaterThan(0));
        Assert.That(r.Table.RowCount, Is.EqualTo((int)tapCount.Table.Columns[0].GetDouble(0)));
        var empty = await cone.SearchAsync(10, -40, 0.01);
        Assert.That(empty.Table.RowCount, Is.EqualTo(0), "an empty cone is not an error");
    }
}
