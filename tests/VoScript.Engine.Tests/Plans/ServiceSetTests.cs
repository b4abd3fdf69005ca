using System.Net;
using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Registry;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Plans;

[TestFixture]
public class ServiceSetTests
{
    private static StringColumn S(string name, params string?[] values) => new(new Field(name, DataType.Char, ArraySize.Variable), values);

    [TestCase("http://Example.ORG:80/tap/", "http://example.org/tap")]
    [TestCase("HTTPS://example.org:443/tap", "https://example.org/tap")]
    [TestCase("http://example.org:8080/tap//", "http://example.org:8080/tap")]
    [TestCase("http://example.org/", "http://example.org")]
    [TestCase("http://example.org/TAP?x=1#frag", "http://example.org/TAP?x=1")]
    public void AccessUrlsAreComparedNormalised(string url, string expected) =>
        Assert.That(ServiceSets.NormaliseUrl(url), Is.EqualTo(expected));

    [TestCase("ftp://example.org/tap")]
    [TestCase("not a url")]
    [TestCase("")]
    public void OnlyHttpUrlsAreAccessUrls(string url) => Assert.That(ServiceSets.NormaliseUrl(url), Is.Null);

    [Test]
    public void RecordsWithTheSameAccessUrlAreOneEndpointThatNamesThemAll()
    {
        var set = new Table("set");
        set.AddColumn(S("ivoid", "ivo://rig.test/tap", "ivo://rig.test/specs/q/main", "ivo://other/tap"));
        set.AddColumn(S("short_name", "rig", null, "other"));
        set.AddColumn(S("standard_id", "ivo://ivoa.net/std/tap", "ivo://ivoa.net/std/tap#aux", "ivo://ivoa.net/std/tap"));
        set.AddColumn(S("access_url", "http://localhost:8080/tap", "http://LOCALHOST:8080/tap/", "http://other.test/tap"));
        var endpoints = ServiceSets.Endpoints(set, "set");
        Assert.That(endpoints, Has.Count.EqualTo(2));
        Assert.That(endpoints[0].Name, Is.EqualTo("rig"));
        Assert.That(endpoints[0].Records, Is.EqualTo(new[] { "ivo://rig.test/tap", "ivo://rig.test/specs/q/main (aux)" }));
        Assert.That(endpoints[0].IsMerged, Is.True);
        Assert.That(endpoints[1].Records, Is.EqualTo(new[] { "ivo://other/tap" }));
    }

    [Test]
    public void ATableWithAUrlColumnBecomesAServiceSet()
    {
        var t = new Table("mine");
        t.AddColumn(S("name", "a", "b", "c"));
        t.AddColumn(S("url", "http://a.test/tap", null, "https://c.test/tap"));
        var set = ServiceSets.FromTable("svc", t, null, ServiceProtocol.Tap, out var skipped);
        Assert.That(set.Columns.Select(c => c.Name), Is.EqualTo(ServiceSets.ColumnNames));
        Assert.That(set.RowCount, Is.EqualTo(2));
        Assert.That(skipped, Is.EqualTo(1));
        Assert.That(set.FindColumn("short_name")!.FormatCell(1), Is.EqualTo("c"));
        Assert.That(set.FindColumn("access_url")!.FormatCell(1), Is.EqualTo("https://c.test/tap"));
        Assert.That(set.FindColumn("standard_id")!.FormatCell(0), Is.EqualTo("ivo://ivoa.net/std/tap"));
    }

    [Test]
    public void TheUrlColumnCanBeNamedOrFoundByUcd()
    {
        var t = new Table("mine");
        t.AddColumn(S("endpoint_a", "http://a.test/tap"));
        t.AddColumn(new StringColumn(new Field("where", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url" }, ["http://b.test/tap"]));
        Assert.That(ServiceSets.FromTable("s", t, null, ServiceProtocol.Tap, out _).FindColumn("access_url")!.FormatCell(0), Is.EqualTo("http://b.test/tap"));
        Assert.That(ServiceSets.FromTable("s", t, "endpoint_a", ServiceProtocol.Tap, out _).FindColumn("access_url")!.FormatCell(0), Is.EqualTo("http://a.test/tap"));
        var e = Assert.Throws<VoScriptException>(() => ServiceSets.FromTable("s", t, "nosuch", ServiceProtocol.Tap, out _))!;
        Assert.That(e.Message, Does.Contain("no column 'nosuch'").And.Contain("endpoint_a"));
    }

    [Test]
    public void ATableWithoutUrlsOrWithABadOneIsRefusedWithTheRow()
    {
        var t = new Table("mine");
        t.AddColumn(S("name", "a"));
        Assert.That(Assert.Throws<VoScriptException>(() => ServiceSets.FromTable("s", t, null, ServiceProtocol.Tap, out _))!.Message,
            Does.Contain("no column of service URLs").And.Contain("column NAME"));
        var bad = new Table("mine");
        bad.AddColumn(S("access_url", "http://a.test/tap", "a.test/tap"));
        Assert.That(Assert.Throws<VoScriptException>(() => ServiceSets.FromTable("s", bad, null, ServiceProtocol.Tap, out _))!.Message,
            Does.Contain("row 2").And.Contain("'a.test/tap'").And.Contain("not an http(s) URL"));
    }

    private static async Task<(RunSummary Summary, Workspace Ws, List<ExecutionEvent> Events)> Run(HttpMessageHandler handler, Table set, params PlanStep[] steps)
    {
        var events = new List<ExecutionEvent>();
        var ws = new Workspace();
        ws.SetTable("set", set);
        var options = new ProtocolHandlerOptions
        {
            Http = new VoHttpOptions { PrimaryHandler = handler, RetryBaseDelay = TimeSpan.FromMilliseconds(5) },
            MinPollInterval = TimeSpan.FromMilliseconds(1),
        };
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(options)]), new ExecutorOptions { Events = events.Add })
            .RunAsync(new Plan([new PlanService("svc", ServiceProtocol.Tap, FakeTapServer.Base)], steps), ws);
        return (summary, ws, events);
    }

    [Test]
    public async Task QueryEachAsksEachAccessUrlOnceAndNamesTheMergedRecords()
    {
        var server = new FakeTapServer();
        var set = new Table("set");
        set.AddColumn(S("ivoid", "ivo://rig.test/tap", "ivo://rig.test/specs/q/main"));
        set.AddColumn(S("short_name", "rig", null));
        set.AddColumn(S("standard_id", "ivo://ivoa.net/std/tap", "ivo://ivoa.net/std/tap#aux"));
        set.AddColumn(S("access_url", FakeTapServer.Base, FakeTapServer.Base.Replace("fake.test", "FAKE.test:80") + "/"));
        var (summary, ws, events) = await Run(server.Handler, set,
            new QueryEachStep { Id = "s1", ServiceSet = "set", Output = "rows", Adql = "SELECT id, name FROM t" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(server.Requests.Count(r => r.Url.AbsolutePath == "/tap/sync"), Is.EqualTo(1));
        var rows = ws.GetTable("rows");
        Assert.That(rows.RowCount, Is.EqualTo(3), "each row once");
        Assert.That(rows.Columns[0].Name, Is.EqualTo("service"));
        Assert.That(rows.Columns[1].Name, Is.EqualTo("service_records"));
        Assert.That(rows.Columns[1].FormatCell(0), Is.EqualTo("ivo://rig.test/tap, ivo://rig.test/specs/q/main (aux)"));
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message),
            Has.Some.Contains("ivo://rig.test/tap and ivo://rig.test/specs/q/main (aux) have the same access URL"));
    }

    [Test]
    public async Task AServiceSetFromATableIsQueriedLikeARegistryOne()
    {
        var server = new FakeTapServer();
        var mine = new Table("mine");
        mine.AddColumn(S("tap", FakeTapServer.Base, FakeTapServer.Base + "/"));
        var events = new List<ExecutionEvent>();
        var ws = new Workspace();
        ws.SetTable("mine", mine);
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { Http = new VoHttpOptions { PrimaryHandler = server.Handler } })]), new ExecutorOptions { Events = events.Add })
            .RunAsync(new Plan([], [
                new ServiceSetFromTableStep { Id = "s1", Protocol = ServiceProtocol.Tap, Table = "mine", Column = "tap", Output = "svc" },
                new QueryEachStep { Id = "s2", DependsOn = ["s1"], ServiceSet = "svc", Output = "rows", Adql = "SELECT id FROM t" },
            ]), ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        Assert.That(ws.GetTable("svc").RowCount, Is.EqualTo(2));
        Assert.That(events.OfType<StepProgress>().Select(p => p.Message), Has.Some.Contains("2 services (1 distinct access URLs)"));
        Assert.That(ws.GetTable("rows").RowCount, Is.EqualTo(3));
    }

    [Test]
    public async Task RetriesShowInTheProgress()
    {
        var calls = 0;
        var handler = new ScriptedHandler((r, i) => Interlocked.Increment(ref calls) <= 2
            ? ScriptedHandler.Text(HttpStatusCode.ServiceUnavailable, "busy", "text/plain")
            : ScriptedHandler.Text(HttpStatusCode.OK, Docs.OkTable, "application/x-votable+xml"));
        var (summary, ws, events) = await Run(handler, new Table("set"),
            new QueryStep { Id = "s1", Service = "svc", Output = "rows", Adql = "SELECT id FROM t" });
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var retries = events.OfType<StepProgress>().Select(p => p.Message).Where(m => m.Contains("retry")).ToList();
        Assert.That(retries, Has.Count.EqualTo(2));
        Assert.That(retries[0], Does.Contain("HTTP 503").And.Contain("retry 1"));
        Assert.That(retries[1], Does.Contain("retry 2"));
    }
}

