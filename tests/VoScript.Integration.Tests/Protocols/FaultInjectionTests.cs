using System.Text.RegularExpressions;
using NUnit.Framework;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>
/// Faults of a real network, injected by <see cref="FaultProxy"/> between the
/// client and DaCHS. Each case ends in success after retries or in one clear
/// error, and never leaves a job on the server.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public partial class FaultInjectionTests
{
    private FaultProxy _proxy = null!;
    private VoHttpClient _http = null!;
    private TapService _tap = null!;
    private List<ProtocolEvent> _events = null!;
    private HashSet<string> _jobsBefore = null!;

    private const string Query = "SELECT TOP 20 source_id, ra, dec FROM cat_a.main ORDER BY source_id";

    [SetUp]
    public async Task SetUp()
    {
        DachsRig.RequireUp();
        _jobsBefore = await DachsRig.JobIds();
        _proxy = new FaultProxy(DachsRig.TapUrl);
        _events = [];
        _http = DachsRig.Client(_events, new VoHttpOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(200),
            RetryAfterCap = TimeSpan.FromSeconds(3),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            ReadIdleTimeout = TimeSpan.FromSeconds(5),
            MaxRetries = 3,
        });
        _tap = new TapService(new Uri(_proxy.Through(DachsRig.TapUrl.ToString())), _http) { SyncAttemptTimeout = TimeSpan.FromSeconds(5) };
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_proxy is null) return; // the rig was down: SetUp already failed with the reason
        _http.Dispose();
        await _proxy.DisposeAsync();
        // Nothing left behind: every job created through the proxy is gone.
        foreach (var created in _events.OfType<JobCreated>())
            Assert.That(await DachsRig.JobIsGone(DachsRig.JobId(created.JobUrl)), Is.True, $"job {created.JobUrl} was left on the server");
        var leftover = (await DachsRig.JobIds()).Except(_jobsBefore).ToList();
        Assert.That(leftover.Where(id => _events.OfType<JobCreated>().Any(c => c.JobUrl.ToString().EndsWith(id))), Is.Empty);
    }

    private static AsyncJobOptions Opts(double timeoutSeconds = 60) => new()
    {
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        MinPollInterval = TimeSpan.FromMilliseconds(300),
        MaxPollInterval = TimeSpan.FromSeconds(2),
    };

    private static bool IsJob(ProxyRequest r) => JobPath().IsMatch(r.Path);

    [GeneratedRegex(@"/async/[^/]+$")]
    private static partial Regex JobPath();

    [Test]
    public async Task ServiceUnavailableWithRetryAfterEndsInSuccess()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync") && r.Nth <= 2
            ? FaultAction.Respond(r.Nth == 1 ? 503 : 500, "try later", "text/plain", ("Retry-After", "1"))
            : FaultAction.Forward;
        var result = await _tap.QueryAsync(new TapQuery(Query));
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        var retries = _events.OfType<RetryScheduled>().ToList();
        Assert.That(retries, Has.Count.EqualTo(2));
        Assert.That(retries.All(r => r.FromRetryAfter && r.Delay == TimeSpan.FromSeconds(1)), Is.True);
    }

    [Test]
    public async Task PersistentServerErrorIsOneClearError()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync") ? FaultAction.Respond(500, "Internal Server Error: database gone", "text/plain") : FaultAction.Forward;
        var e = await Assert.ThrowsAsync<ServiceQueryException>(() => _tap.QueryAsync(new TapQuery(Query)));
        Assert.That(e!.Summary, Is.EqualTo("TAP query failed; the service says: Internal Server Error: database gone"));
        Assert.That(e.Message, Does.Contain("HTTP status: 500 InternalServerError"));
        Assert.That(_proxy.Seen.Count(r => r.Path.EndsWith("/sync")), Is.EqualTo(4), "1 attempt + 3 retries");
    }

    [Test]
    public async Task ConnectionResetIsRetried()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync") && r.Nth == 1 ? FaultAction.Reset : FaultAction.Forward;
        var result = await _tap.QueryAsync(new TapQuery(Query));
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        Assert.That(_events.OfType<RetryScheduled>().Single().Reason, Is.Not.Empty);
    }

    [Test]
    public async Task StalledResponseTimesOutAndIsRetried()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync") && r.Nth == 1 ? FaultAction.Stall : FaultAction.Forward;
        var result = await _tap.QueryAsync(new TapQuery(Query));
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        Assert.That(_events.OfType<RetryScheduled>().Single().Reason, Is.EqualTo("no response within 5 s"));
    }

    [Test]
    public async Task HtmlErrorPageInsteadOfVOTableIsOneClearError()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync")
            ? FaultAction.Respond(200, "<!DOCTYPE html>\n<html><head><title>Proxy error</title></head><body>Upstream unavailable</body></html>", "text/html")
            : FaultAction.Forward;
        var e = await Assert.ThrowsAsync<ServiceException>(() => _tap.QueryAsync(new TapQuery(Query)));
        Assert.That(e!.Summary, Is.EqualTo("TAP query: the service answered with an HTML page instead of a VOTable (an error or login page?)."));
        Assert.That(e.Message, Does.Contain("URL: " + _proxy.Origin + "/tap/sync"));
        Assert.That(e.Message, Does.Contain("body starts: <!DOCTYPE html> <html><head><title>Proxy error"));
    }

    [Test]
    public async Task TruncatedVOTableIsOneClearError()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync")
            ? FaultAction.ForwardEdited(t => t[..(t.IndexOf("<TR>", StringComparison.Ordinal) + 60)])
            : FaultAction.Forward;
        var e = await Assert.ThrowsAsync<ServiceException>(() => _tap.QueryAsync(new TapQuery(Query) { ResponseFormat = "votable/td" }));
        Assert.That(e!.Summary, Does.StartWith("TAP query: the VOTable from the service is malformed or cut short:"));
        Assert.That(e.Message, Does.Contain("HTTP status: 200 OK"));
    }

    [Test]
    public async Task ConnectionCutMidBodyIsRepeated()
    {
        _proxy.Rule = r => r.Path.EndsWith("/sync") && r.Nth == 1 ? FaultAction.CutBody : FaultAction.Forward;
        var result = await _tap.QueryAsync(new TapQuery("SELECT * FROM cat_a.main"));
        Assert.That(result.Table.RowCount, Is.EqualTo(271));
        Assert.That(_proxy.Seen.Count(r => r.Path.EndsWith("/sync")), Is.EqualTo(2));
    }

    [Test]
    public async Task JobThatNeverLeavesQueuedTimesOutIsAbortedAndDeleted()
    {
        _proxy.Rule = r => r.Method == "GET" && IsJob(r)
            ? FaultAction.ForwardEdited(t => PhaseElement().Replace(t, "<uws:phase>QUEUED</uws:phase>"))
            : FaultAction.Forward;
        var e = await Assert.ThrowsAsync<TapTimeoutException>(() => _tap.RunAsyncQuery(new TapQuery(Query), Opts(5)));
        Assert.That(e!.LastPhase, Is.EqualTo("QUEUED"));
        Assert.That(e.Summary, Does.StartWith("The TAP job did not finish within 5 s (last phase QUEUED); it was aborted and deleted."));
        Assert.That(_proxy.Seen.Any(r => r.Path.EndsWith("/phase") && r.BodyText == "PHASE=ABORT"), Is.True);
        Assert.That(_proxy.Seen.Any(r => r.Method == "DELETE"), Is.True);
    }

    [GeneratedRegex("<uws:phase>[A-Z]+</uws:phase>")]
    private static partial Regex PhaseElement();

    [Test]
    public async Task IgnoredPhaseRunIsSentAgain()
    {
        // The first PHASE=RUN is answered but never reaches DaCHS: the job sits in PENDING.
        _proxy.Rule = r => r.Path.EndsWith("/phase") && r.Nth == 1
            ? FaultAction.Respond(303, "", "text/plain", ("Location", _proxy.Origin + "/tap/async"))
            : FaultAction.Forward;
        var result = await _tap.RunAsyncQuery(new TapQuery(Query), Opts());
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        Assert.That(_proxy.Seen.Count(r => r.Path.EndsWith("/phase") && r.BodyText == "PHASE=RUN"), Is.GreaterThanOrEqualTo(2));
        Assert.That(_events.OfType<ProtocolNotice>().Any(n => n.Message.EndsWith("is still PENDING; sending PHASE=RUN again.")), Is.True);
    }

    [Test]
    public async Task ServiceIgnoringWaitIsPolledAtAMinimumInterval()
    {
        // Strip WAIT before it reaches DaCHS: every poll returns at once.
        _proxy.Rule = r => r.Method == "GET" && IsJob(r) && r.PathAndQuery.Contains("WAIT=")
            ? FaultAction.ForwardTo(r.Path)
            : FaultAction.Forward;
        var result = await _tap.RunAsyncQuery(new TapQuery(Query), Opts());
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        var polls = _proxy.Seen.Where(r => r.Method == "GET" && IsJob(r)).ToList();
        Assert.That(polls.Count, Is.InRange(2, 15), "DaCHS takes about 2 s; 300 ms growing by 1.5 gives a handful of polls");
    }

    [Test]
    public async Task DeleteAnsweredWithRedirectToTheJobListIsNotFollowed()
    {
        var result = await _tap.RunAsyncQuery(new TapQuery(Query), Opts());
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        var seen = _proxy.Seen.ToList();
        var delete = seen.FindIndex(r => r.Method == "DELETE");
        Assert.That(delete, Is.GreaterThan(0));
        Assert.That(seen.Skip(delete + 1).Any(r => r.Method == "GET" && r.Path.EndsWith("/async")), Is.False);
    }

    [Test]
    public async Task ResultNotNamedResultIsFound()
    {
        _proxy.Rule = r =>
        {
            if (r.Method == "GET" && (IsJob(r) || r.Path.EndsWith("/results")))
                return FaultAction.ForwardEdited(t => t.Replace("id=\"result\"", "id=\"table-1\"").Replace("/results/result\"", "/results/table-1\""));
            if (r.Method == "GET" && r.Path.EndsWith("/results/table-1"))
                return FaultAction.ForwardTo(r.Path.Replace("/results/table-1", "/results/result"));
            if (r.Path.EndsWith("/results/result")) return FaultAction.Respond(404, "no such result", "text/plain");
            return FaultAction.Forward;
        };
        var result = await _tap.RunAsyncQuery(new TapQuery(Query), Opts());
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        Assert.That(result.Url.AbsolutePath, Does.EndWith("/results/table-1"));
    }

    [Test]
    public async Task ConnectionDroppedDuringAPollIsRetriedWhileTimeRemains()
    {
        _proxy.Rule = r => r.Method == "GET" && IsJob(r) && r.Nth is 2 or 3 ? FaultAction.Reset : FaultAction.Forward;
        var result = await _tap.RunAsyncQuery(new TapQuery(Query), Opts());
        Assert.That(result.Table.RowCount, Is.EqualTo(20));
        Assert.That(_events.OfType<RetryScheduled>().Count(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task PollsFailingForGoodStillEndInOneErrorAndNoJobLeft()
    {
        _proxy.Rule = r => r.Method == "GET" && IsJob(r) && r.Nth >= 2 ? FaultAction.Respond(503, "down", "text/plain") : FaultAction.Forward;
        var e = await Assert.ThrowsAsync<TapTimeoutException>(() => _tap.RunAsyncQuery(new TapQuery(Query), Opts(6)));
        Assert.That(e!.Summary, Does.StartWith("The TAP job did not finish within 6 s"));
        Assert.That(_events.OfType<ProtocolNotice>().Any(n => n.Message.StartsWith("Polling job ")), Is.True);
    }
}
