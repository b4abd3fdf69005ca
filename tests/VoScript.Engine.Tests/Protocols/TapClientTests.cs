using System.Net;
using NUnit.Framework;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Tests.Protocols;

public class TapClientTests
{
    private FakeTapServer _server = null!;
    private VoHttpClient _http = null!;
    private TapService _tap = null!;
    private List<ProtocolEvent> _events = null!;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeTapServer();
        _http = new VoHttpClient(new VoHttpOptions { PrimaryHandler = _server.Handler, RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 2 });
        _events = [];
        _http.Events += e => { lock (_events) _events.Add(e); };
        _tap = new TapService(FakeTapServer.Base, _http);
    }

    [TearDown]
    public void TearDown() => _http.Dispose();

    private static AsyncJobOptions Fast(TimeSpan? timeout = null, JobKeepMode keep = JobKeepMode.Never) => new()
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
        MinPollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100),
        Keep = keep,
    };

    private List<string> Calls() => _server.Requests.Select(r => r.Method + " " + r.Url.PathAndQuery).ToList();

    [Test]
    public async Task SyncQuerySendsLangQueryAndMaxrec()
    {
        var r = await _tap.QueryAsync(new TapQuery("SELECT * FROM t") { MaxRec = 10 });
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(r.Truncated, Is.False);
        var body = _server.Requests.Single().Body;
        Assert.That(body, Does.Contain("LANG=ADQL").And.Contain("QUERY=SELECT+%2A+FROM+t").And.Contain("MAXREC=10"));
    }

    [Test]
    public async Task ErrorDocumentWithStatus200ShowsTheServiceMessage()
    {
        _server.SyncBody = Docs.ErrorDoc("Could not parse your query: expected FROM");
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => _tap.QueryAsync(new TapQuery("SELECT")));
        Assert.That(e!.Message, Does.StartWith("TAP query failed; the service says: Could not parse your query: expected FROM"));
        Assert.That(e.Message, Does.Contain("URL: http://fake.test/tap/sync"));
        Assert.That(e.Message, Does.Contain("HTTP status: 200 OK"));
        Assert.That(e.Message, Does.Not.Contain("body starts"), "the service's own message was extracted: the raw body is not repeated");
        Assert.That(e.Detailed, Does.Contain("body starts: <?xml"), "verbose output keeps it");
    }

    [Test]
    public async Task ErrorDocumentWithStatus400ShowsTheServiceMessage()
    {
        _server.SyncStatus = HttpStatusCode.BadRequest;
        _server.SyncBody = Docs.ErrorDoc("Unknown table nosuch");
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => _tap.QueryAsync(new TapQuery("SELECT * FROM nosuch")));
        Assert.That(e!.ServiceMessage, Is.EqualTo("Unknown table nosuch"));
        Assert.That(e.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task PlainTextErrorIsShown()
    {
        _server.SyncStatus = HttpStatusCode.BadRequest;
        _server.SyncBody = "Query syntax error near line 1";
        _server.SyncMediaType = "text/plain";
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => _tap.QueryAsync(new TapQuery("SELECT")));
        Assert.That(e!.Summary, Is.EqualTo("TAP query failed; the service says: Query syntax error near line 1"));
    }

    [Test]
    public async Task HtmlPageInsteadOfVOTableIsAClearError()
    {
        _server.SyncBody = "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>";
        _server.SyncMediaType = "text/html";
        var e = await Assert.ThrowsAsync<ServiceException>(() => _tap.QueryAsync(new TapQuery("SELECT 1")));
        Assert.That(e!.Summary, Is.EqualTo("TAP query: the service answered with an HTML page instead of a VOTable (an error or login page?)."));
        Assert.That(e.Message, Does.Contain("body starts: <!DOCTYPE html><html><body><h1>Maintenance"));
    }

    [Test]
    public async Task OverflowAtUserMaxrecIsTruncatedWithoutWarning()
    {
        _server.SyncBody = Docs.OverflowTable;
        var r = await _tap.QueryAsync(new TapQuery("SELECT id FROM t") { MaxRec = 2 });
        Assert.That(r.Truncated, Is.True);
        Assert.That(r.Cause, Is.EqualTo(TruncationCause.UserMaxRec));
        Assert.That(r.Warnings, Is.Empty);
        Assert.That(r.IsCacheable, Is.False);
    }

    [Test]
    public async Task OverflowAtServiceLimitWarnsHowToGetMore()
    {
        _server.SyncBody = Docs.OverflowTable;
        var r = await _tap.QueryAsync(new TapQuery("SELECT id FROM t"));
        Assert.That(r.Cause, Is.EqualTo(TruncationCause.ServiceLimit));
        Assert.That(r.Warnings.Single(), Does.StartWith("The result was truncated at 2 rows by the service's output limit; set a larger MAXREC"));
    }

    [Test]
    public async Task AsyncLifecycleRunsFetchesAndDeletesWithoutFollowingTheDeleteRedirect()
    {
        var r = await _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast());
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(r.JobUrl!.ToString(), Is.EqualTo("http://fake.test/tap/async/j1"));
        var calls = Calls();
        Assert.That(calls[0], Is.EqualTo("POST /tap/async"));
        Assert.That(calls[1], Is.EqualTo("POST /tap/async/j1/phase"));
        Assert.That(_server.Requests.ElementAt(1).Body, Is.EqualTo("PHASE=RUN"));
        Assert.That(calls, Does.Contain("GET /tap/async/j1/results/result"));
        Assert.That(calls[^1], Is.EqualTo("DELETE /tap/async/j1"));
        Assert.That(calls, Has.No.Member("GET /tap/async"), "the redirect after DELETE leads to the job list and is not followed");
        Assert.That(_server.Jobs["j1"].Deleted, Is.True);
        var phases = _events.OfType<JobPhaseChanged>().Select(p => p.Phase).ToList();
        Assert.That(phases, Is.EqualTo(new[] { "QUEUED", "EXECUTING", "COMPLETED" }));
    }

    [Test]
    public async Task AsyncCreationIsNeverRetried()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.ServiceUnavailable, "overloaded", "text/plain"));
        using var http = new VoHttpClient(new VoHttpOptions { PrimaryHandler = h, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        var tap = new TapService(FakeTapServer.Base, http);
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast()));
        Assert.That(h.Seen, Has.Count.EqualTo(1));
        Assert.That(e!.Summary, Is.EqualTo("Creating the TAP job failed; the service says: overloaded"));
    }

    [Test]
    public async Task ResultNotNamedResultIsFoundFromTheResultList()
    {
        _server.ResultName = "votable-output";
        _server.ResultsInJobDocument = false;
        var r = await _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast());
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(Calls(), Does.Contain("GET /tap/async/j1/results").And.Contain("GET /tap/async/j1/results/votable-output"));
    }

    [Test]
    public async Task JobStuckInQueuedIsAbortedAndDeletedAtItsDeadline()
    {
        _server.Advance = _ => { };
        var e = await Assert.ThrowsAsync<TapTimeoutException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast(TimeSpan.FromSeconds(1.5))));
        Assert.That(e!.LastPhase, Is.EqualTo("QUEUED"));
        Assert.That(e.Summary, Does.StartWith("The TAP job did not finish within 1.5 s (last phase QUEUED); it was aborted and deleted."));
        var bodies = _server.Requests.Where(r => r.Url.AbsolutePath.EndsWith("/phase")).Select(r => r.Body).ToList();
        Assert.That(bodies, Does.Contain("PHASE=ABORT"));
        Assert.That(_server.Jobs["j1"].Deleted, Is.True);
    }

    [Test]
    public async Task IgnoredWaitStillLeavesAMinimumIntervalThatGrows()
    {
        _server.Advance = _ => { };
        var opts = new AsyncJobOptions { Timeout = TimeSpan.FromSeconds(3), MinPollInterval = TimeSpan.FromMilliseconds(200), PollBackoff = 2, MaxPollInterval = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<TapTimeoutException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT 1"), opts));
        var polls = _server.Requests.Count(r => r.Method == "GET" && r.Url.AbsolutePath == "/tap/async/j1");
        // Polls at 0, 0.2, 0.6, 1.4 and 3.0 s fit into 3 s; without the interval it would be hundreds.
        Assert.That(polls, Is.InRange(3, 6), string.Join("\n", Calls()));
        Assert.That(_server.Requests.First(r => r.Method == "GET").Url.Query, Does.Not.Contain("WAIT="), "the first look does not block");
        Assert.That(_server.Requests.Where(r => r.Method == "GET").Skip(1).First().Url.Query, Does.Contain("WAIT=1"), "later looks block, never past the deadline");
    }

    [Test]
    public async Task HeldJobIsAskedToRunAgain()
    {
        var runs = 0;
        _server.OnRun = j => { runs++; j.Phase = runs == 1 ? "HELD" : "QUEUED"; };
        var r = await _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast());
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(_server.Jobs["j1"].RunRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task PendingJobWhoseRunWasIgnoredGetsRunAgain()
    {
        var runs = 0;
        _server.OnRun = j => { if (++runs >= 2) j.Phase = "QUEUED"; };
        var r = await _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast());
        Assert.That(r.Table.RowCount, Is.EqualTo(3));
        Assert.That(_server.Jobs["j1"].RunRequests, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task FailedJobReportsTheErrorDocumentAndIsDeleted()
    {
        _server.Advance = j => j.Phase = j.Phase == "QUEUED" ? "ERROR" : j.Phase;
        var e = await Assert.ThrowsAsync<TapJobException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT * FROM nosuch"), Fast()));
        Assert.That(e!.Summary, Is.EqualTo("The TAP job failed; the service says: Table 'nosuch' does not exist"));
        Assert.That(e.Phase, Is.EqualTo("ERROR"));
        Assert.That(_server.Jobs["j1"].Deleted, Is.True);
    }

    [Test]
    public async Task KeepOnFailureLeavesTheFailedJobOnTheService()
    {
        _server.Advance = j => j.Phase = j.Phase == "QUEUED" ? "ERROR" : j.Phase;
        await Assert.ThrowsAsync<TapJobException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast(keep: JobKeepMode.OnFailure)));
        Assert.That(_server.Jobs["j1"].Deleted, Is.False);
        Assert.That(_events.OfType<ProtocolNotice>().Select(n => n.Message), Does.Contain("Job kept on the service: http://fake.test/tap/async/j1"));
    }

    [Test]
    public async Task CancelAbortsAndDeletesTheJob()
    {
        _server.Advance = _ => { };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        Assert.That(async () => await _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast(), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_server.Requests.Select(r => r.Body), Does.Contain("PHASE=ABORT"));
        await Task.Delay(50);
        Assert.That(_server.Jobs["j1"].Deleted, Is.True);
    }

    [Test]
    public async Task JobDeletedBySomeoneElseIsReported()
    {
        _server.Advance = j => j.Deleted = j.Polls >= 2;
        var e = await Assert.ThrowsAsync<TapJobException>(() => _tap.RunAsyncQuery(new TapQuery("SELECT 1"), Fast()));
        Assert.That(e!.Summary, Does.StartWith("The TAP job disappeared from the service while running"));
    }

    [Test]
    public void UploadNamesMustBeAdqlIdentifiers()
    {
        Assert.That(() => TapUpload.FromUrl("1bad", new Uri("http://x.test/t.xml")),
            Throws.InstanceOf<VoScriptException>().With.Message.EqualTo("Upload name '1bad' is not allowed: it must start with a letter and contain only letters, digits and '_' (DALI 1.1 §3.4.5)."));
        Assert.That(() => TapUpload.FromUrl("t", new Uri("file:///etc/passwd")), Throws.InstanceOf<VoScriptException>());
    }

    [Test]
    public async Task UploadByUrlIsSentAsUploadParameter()
    {
        await _tap.QueryAsync(new TapQuery("SELECT * FROM TAP_UPLOAD.t1") { Uploads = [TapUpload.FromUrl("t1", new Uri("http://data.test/t1.xml"))] });
        Assert.That(_server.Requests.Single().Body, Does.Contain("UPLOAD=t1%2Chttp%3A%2F%2Fdata.test%2Ft1.xml"));
    }

    [Test]
    public async Task InlineAndUrlUploadsGoInOneMultipartPost()
    {
        var t = new VoScript.Engine.Model.Table("t1");
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<int>(new VoScript.Engine.Model.Field("n", VoScript.Engine.Model.DataType.Int), [1, 2]));
        await _tap.QueryAsync(new TapQuery("SELECT * FROM TAP_UPLOAD.t1 JOIN TAP_UPLOAD.t2 USING (n)")
        {
            Uploads = [TapUpload.Inline("t1", t), TapUpload.FromUrl("t2", new Uri("http://data.test/q?a=1;b=2&c=x y"))],
        });
        var req = _server.Requests.Single();
        Assert.That(req.ContentType, Does.StartWith("multipart/form-data; boundary="));
        Assert.That(req.Body, Does.Contain("t1,param:t1;t2,http://data.test/q?a=1%3Bb=2&c=x%20y"));
        Assert.That(req.Body, Does.Contain("name=t1; filename=t1.xml").Or.Contain("name=\"t1\"; filename=\"t1.xml\""));
        Assert.That(req.Body, Does.Contain("Content-Type: application/x-votable+xml"));
        Assert.That(req.Body, Does.Contain("<TD>2</TD>"), "the table goes as TABLEDATA");
    }

    [Test]
    public async Task CapabilitiesAreCachedPerService()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.OK, VosiDocs.Capabilities));
        using var http = new VoHttpClient(new VoHttpOptions { PrimaryHandler = h });
        var tap = new TapService(FakeTapServer.Base, http);
        var a = await tap.GetCapabilitiesAsync();
        var b = await tap.GetCapabilitiesAsync();
        Assert.That(b, Is.SameAs(a));
        Assert.That(h.Seen, Has.Count.EqualTo(1));
        Assert.That(h.Seen[0].Url.ToString(), Is.EqualTo("http://fake.test/tap/capabilities"));
    }

    [Test]
    public async Task FailedCapabilitiesAreNotCached()
    {
        var h = new ScriptedHandler((_, i) => i == 0
            ? ScriptedHandler.Text(HttpStatusCode.NotFound, "nope", "text/plain")
            : ScriptedHandler.Text(HttpStatusCode.OK, VosiDocs.Capabilities));
        using var http = new VoHttpClient(new VoHttpOptions { PrimaryHandler = h });
        var tap = new TapService(FakeTapServer.Base, http);
        var e = await Assert.ThrowsAsync<ServiceException>(() => tap.GetCapabilitiesAsync());
        Assert.That(e!.Summary, Is.EqualTo("Reading the VOSI capabilities failed with HTTP 404."));
        var caps = await tap.GetCapabilitiesAsync();
        Assert.That(caps.Tap, Is.Not.Null);
    }
}
