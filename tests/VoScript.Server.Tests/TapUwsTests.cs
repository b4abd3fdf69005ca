using System.Net;
using System.Xml.Linq;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

public class TapUwsTests
{
    private static readonly XNamespace Uws = TapTestServer.Uws;
    private static readonly XNamespace XLink = UwsXml.XLink;
    private TapTestServer _s = null!;

    [OneTimeSetUp]
    public async Task Start() => _s = await TapTestServer.StartAsync(new TapServiceOptions
    {
        DefaultExecutionDuration = TimeSpan.FromSeconds(60), MaxExecutionDuration = TimeSpan.FromSeconds(120),
        DefaultRetention = TimeSpan.FromHours(1), MaxRetention = TimeSpan.FromHours(2), MaxWait = TimeSpan.FromSeconds(3),
    });

    [OneTimeTearDown]
    public async Task Stop() => await _s.DisposeAsync();

    private static readonly (string, string)[] GoodQuery = [("LANG", "ADQL"), ("QUERY", "SELECT TOP 3 * FROM data.stars")];

    [Test]
    public async Task JobRunsToCompletedAndServesItsResult()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        Assert.That(job, Does.StartWith(_s.Tap + "/async/"));
        Assert.That(await _s.PhaseAsync(job), Is.EqualTo("PENDING"));
        using (var r = await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "RUN")])))
        {
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(r.Headers.Location!.ToString(), Is.EqualTo(job));
        }
        var doc = await _s.WaitFinishedAsync(job);
        var root = doc.Root!;
        Assert.That(root.Attribute("version")?.Value, Is.EqualTo("1.1"));
        Assert.That(root.Elements().Select(e => e.Name.LocalName).ToArray(), Is.EqualTo(new[]
        {
            "jobId", "ownerId", "phase", "quote", "creationTime", "startTime", "endTime", "executionDuration", "destruction", "parameters", "results",
        }));
        Assert.That(root.Element(Uws + "phase")!.Value, Is.EqualTo("COMPLETED"));
        Assert.That(root.Element(Uws + "parameters")!.Elements().Select(p => (p.Attribute("id")!.Value, p.Value)),
            Is.EqualTo(new[] { ("lang", "ADQL"), ("query", "SELECT TOP 3 * FROM data.stars") }));
        var href = root.Element(Uws + "results")!.Element(Uws + "result")!.Attribute(XLink + "href")!.Value;
        Assert.That(href, Is.EqualTo(job + "/results/result"));
        using var res = await _s.Http.GetAsync(href);
        Assert.That(res.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-votable+xml"));
        var t = TapTestServer.ReadVOTable(await res.Content.ReadAsByteArrayAsync());
        Assert.That((t.RowCount, t.QueryStatus?.Value), Is.EqualTo((3, "OK")));
    }

    [Test]
    public async Task PhaseRunAtCreationStartsTheJob()
    {
        var job = await _s.CreateJobAsync([.. GoodQuery, ("PHASE", "RUN")]);
        var doc = await _s.WaitFinishedAsync(job);
        Assert.That(doc.Root!.Element(Uws + "phase")!.Value, Is.EqualTo("COMPLETED"));
        Assert.That(doc.Root!.Element(Uws + "parameters")!.Elements().Any(p => p.Attribute("id")!.Value == "phase"), Is.False);
    }

    [Test]
    public async Task BadQueryEndsInErrorWithADaliErrorDocumentServedWith200()
    {
        var job = await _s.CreateJobAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.nosuchtable"), ("PHASE", "RUN"));
        var doc = await _s.WaitFinishedAsync(job);
        Assert.That(doc.Root!.Element(Uws + "phase")!.Value, Is.EqualTo("ERROR"));
        var summary = doc.Root!.Element(Uws + "errorSummary")!;
        Assert.That(summary.Attribute("type")!.Value, Is.EqualTo("fatal"));
        Assert.That(summary.Element(Uws + "message")!.Value, Does.Contain("nosuchtable"));
        using var r = await _s.Http.GetAsync(job + "/error");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That(t.QueryStatus?.Value, Is.EqualTo("ERROR"));
        Assert.That(t.QueryStatus?.Content, Is.EqualTo(summary.Element(Uws + "message")!.Value));
    }

    [Test]
    public async Task ParametersAreCheckedWhenTheJobRunsNotWhenItIsCreated()
    {
        var job = await _s.CreateJobAsync(("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"), ("MAXREC", "many"));
        Assert.That(await _s.PhaseAsync(job), Is.EqualTo("PENDING"));
        using (var r = await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "RUN")]))) { }
        var doc = await _s.WaitFinishedAsync(job);
        Assert.That(doc.Root!.Element(Uws + "errorSummary")!.Element(Uws + "message")!.Value, Is.EqualTo("MAXREC=many is not a non-negative integer"));
    }

    [Test]
    public async Task AbortOfAPendingJobMakesItAborted()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using (var r = await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "ABORT")])))
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(await _s.PhaseAsync(job), Is.EqualTo("ABORTED"));
        // RUN after ABORT changes nothing
        using (var r = await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "RUN")]))) { }
        Assert.That(await _s.PhaseAsync(job), Is.EqualTo("ABORTED"));
    }

    [Test]
    public async Task UnknownPhaseValueIsRefused()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using var r = await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "SUSPEND")]));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content,
            Is.EqualTo("PHASE=SUSPEND is not supported; give PHASE=RUN or PHASE=ABORT"));
    }

    [TestCase("DELETE")]
    [TestCase("ACTION")]
    public async Task DeleteRemovesTheJob(string how)
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using var r = how == "DELETE"
            ? await _s.Http.DeleteAsync(job)
            : await _s.Http.PostAsync(job, new FormUrlEncodedContent([new("ACTION", "DELETE")]));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(r.Headers.Location!.ToString(), Is.EqualTo(_s.Tap + "/async"));
        using var gone = await _s.Http.GetAsync(job);
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var list = await _s.GetXmlAsync("/async");
        Assert.That(list.Root!.Elements(Uws + "jobref").Select(j => j.Attribute("id")!.Value), Does.Not.Contain(job[(job.LastIndexOf('/') + 1)..]));
    }

    [Test]
    public async Task JobListFiltersByPhaseAfterAndLast()
    {
        var pending = await _s.CreateJobAsync(GoodQuery);
        var done = await _s.CreateJobAsync([.. GoodQuery, ("PHASE", "RUN")]);
        await _s.WaitFinishedAsync(done);
        string Id(string url) => url[(url.LastIndexOf('/') + 1)..];
        var pend = await _s.GetXmlAsync("/async?PHASE=PENDING");
        var ids = pend.Root!.Elements(Uws + "jobref").Select(j => j.Attribute("id")!.Value).ToList();
        Assert.That(ids, Does.Contain(Id(pending)).And.Not.Contain(Id(done)));
        Assert.That(pend.Root!.Elements(Uws + "jobref").All(j => j.Element(Uws + "phase")!.Value == "PENDING"), Is.True);
        var both = await _s.GetXmlAsync("/async?PHASE=PENDING&PHASE=COMPLETED");
        Assert.That(both.Root!.Elements(Uws + "jobref").Select(j => j.Attribute("id")!.Value), Does.Contain(Id(pending)).And.Contain(Id(done)));
        var last = await _s.GetXmlAsync("/async?LAST=1");
        Assert.That(last.Root!.Elements(Uws + "jobref").Count(), Is.EqualTo(1));
        var future = await _s.GetXmlAsync("/async?AFTER=2100-01-01T00:00:00Z");
        Assert.That(future.Root!.Elements(Uws + "jobref"), Is.Empty);
        using var bad = await _s.GetAsync("/async?PHASE=SLEEPING");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ExecutionDurationAndDestructionCanBeSetAndAreCapped()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using (await _s.Http.PostAsync(job + "/executionduration", new FormUrlEncodedContent([new("EXECUTIONDURATION", "30")]))) { }
        Assert.That(await _s.Http.GetStringAsync(job + "/executionduration"), Is.EqualTo("30"));
        using (await _s.Http.PostAsync(job + "/executionduration", new FormUrlEncodedContent([new("EXECUTIONDURATION", "100000")]))) { }
        Assert.That(await _s.Http.GetStringAsync(job + "/executionduration"), Is.EqualTo("120"));
        var creation = DateTimeOffset.Parse(XDocument.Parse(await _s.Http.GetStringAsync(job)).Root!.Element(Uws + "creationTime")!.Value);
        using (await _s.Http.PostAsync(job + "/destruction", new FormUrlEncodedContent([new("DESTRUCTION", "2100-01-01T00:00:00Z")]))) { }
        var destruction = DateTimeOffset.Parse(await _s.Http.GetStringAsync(job + "/destruction"));
        Assert.That(destruction - creation, Is.EqualTo(TimeSpan.FromHours(2)).Within(TimeSpan.FromSeconds(1)));
        var quote = DateTimeOffset.Parse(await _s.Http.GetStringAsync(job + "/quote"));
        Assert.That(quote, Is.GreaterThan(creation));
    }

    [Test]
    public async Task ParametersChangeOnlyWhilePending()
    {
        var job = await _s.CreateJobAsync(("LANG", "ADQL"));
        using (var r = await _s.Http.PostAsync(job + "/parameters", new FormUrlEncodedContent([new("QUERY", "SELECT TOP 1 * FROM data.stars")])))
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        using (await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "RUN")]))) { }
        var doc = await _s.WaitFinishedAsync(job);
        Assert.That(doc.Root!.Element(Uws + "phase")!.Value, Is.EqualTo("COMPLETED"));
        using var late = await _s.Http.PostAsync(job + "/parameters", new FormUrlEncodedContent([new("MAXREC", "1")]));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(TapTestServer.ReadVOTable(await late.Content.ReadAsByteArrayAsync()).QueryStatus?.Content,
            Is.EqualTo($"job {job[(job.LastIndexOf('/') + 1)..]} is COMPLETED: parameters can only change while it is PENDING"));
    }

    [Test]
    public async Task WaitReturnsAtOnceForAFinishedJobAndAfterTheCapForAPendingOne()
    {
        var done = await _s.CreateJobAsync([.. GoodQuery, ("PHASE", "RUN")]);
        await _s.WaitFinishedAsync(done);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await _s.Http.GetStringAsync(done + "?WAIT=30");
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        var pending = await _s.CreateJobAsync(GoodQuery);
        sw.Restart();
        await _s.Http.GetStringAsync(pending + "?WAIT=-1");
        Assert.That(sw.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(2.5)).And.LessThan(TimeSpan.FromSeconds(10)));
        sw.Restart();
        await _s.Http.GetStringAsync(pending + "?WAIT=30&PHASE=EXECUTING");
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "PHASE does not match: no waiting");
    }

    [Test]
    public async Task WaitEndsWhenThePhaseChanges()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var waiting = _s.Http.GetStringAsync(job + "?WAIT=30");
        await Task.Delay(300);
        using (await _s.Http.PostAsync(job + "/phase", new FormUrlEncodedContent([new("PHASE", "ABORT")]))) { }
        var doc = XDocument.Parse(await waiting);
        Assert.That(doc.Root!.Element(Uws + "phase")!.Value, Is.EqualTo("ABORTED"));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2.5)));
    }

    [Test]
    public async Task JobsPastTheirDestructionAreDeleted()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using (await _s.Http.PostAsync(job + "/destruction", new FormUrlEncodedContent([new("DESTRUCTION", "2000-01-01T00:00:00Z")]))) { }
        _s.Server.Jobs.Sweep();
        using var r = await _s.Http.GetAsync(job);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task UnknownJobIsA404DaliError()
    {
        using var r = await _s.GetAsync("/async/nosuchjob/phase");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync()).QueryStatus?.Content,
            Does.StartWith("no job nosuchjob"));
    }

    [Test]
    public async Task ResultOfAnUnfinishedJobIsA404()
    {
        var job = await _s.CreateJobAsync(GoodQuery);
        using var r = await _s.Http.GetAsync(job + "/results/result");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var results = XDocument.Parse(await _s.Http.GetStringAsync(job + "/results"));
        Assert.That(results.Root!.Elements(), Is.Empty);
    }
}

public class TapParametersTests
{
    [Test]
    public void PostingAParameterAgainReplacesItsValue()
    {
        var p = new Tap.TapParameters();
        p.Add("LANG", "ADQL");
        p.Add("RUNID", "one");
        var more = new Tap.TapParameters();
        more.Add("runid", "two");
        p.SetRange(more);
        Assert.That(p.All.ToArray(), Is.EqualTo(new[] { ("LANG", "ADQL"), ("RUNID", "two") }));
    }

    [Test]
    public void ARepeatedSingleValuedParameterIsRefused()
    {
        var p = new Tap.TapParameters();
        p.Add("MAXREC", "1");
        p.Add("maxrec", "2");
        Assert.That(() => p.GetSingle("MAXREC"), Throws.TypeOf<Tap.TapRequestException>()
            .With.Message.EqualTo("parameter MAXREC is given 2 times with different values; give it once"));
    }
}
