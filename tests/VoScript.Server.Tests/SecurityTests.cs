using System.Net;
using System.Text;
using VoScript.Adql;
using VoScript.Server.Storage;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary>Attacks on the service end in clear errors, and the service answers the next request.</summary>
public class SecurityTests
{
    [TestCase(6000, "(", ")")]
    [TestCase(3000, "abs(", ")")]
    [TestCase(3000, "- ", "")]
    [TestCase(3000, "NOT ", "")]
    public void Deep_nesting_is_an_adql_error_not_a_stack_overflow(int n, string open, string close)
    {
        var inner = open == "NOT " ? "1=1" : "1";
        var where = open == "NOT " ? " WHERE " + string.Concat(Enumerable.Repeat(open, n)) + inner : "";
        var select = open == "NOT " ? "1" : string.Concat(Enumerable.Repeat(open, n)) + inner + string.Concat(Enumerable.Repeat(close, n));
        var e = Assert.Throws<AdqlException>(() => AdqlParser.Parse($"SELECT {select} FROM t{where}"))!;
        Assert.That(e.Message, Does.Contain($"nested deeper than {AdqlParser.MaxDepth} levels"));
    }

    [Test]
    public void Deep_subqueries_and_long_chains_are_adql_errors()
    {
        var sub = string.Concat(Enumerable.Repeat("SELECT * FROM (", 2000)) + "SELECT 1 AS x FROM t" + string.Concat(Enumerable.Repeat(") AS q", 2000));
        Assert.That(Assert.Throws<AdqlException>(() => AdqlParser.Parse(sub))!.Message, Does.Contain("nested deeper than"));
        var chain = "SELECT " + string.Join("+", Enumerable.Repeat("1", 50_000)) + " FROM t";
        Assert.That(Assert.Throws<AdqlException>(() => AdqlParser.Parse(chain))!.Message, Does.Contain("chain of operators"));
        var ok = "SELECT " + string.Join("+", Enumerable.Repeat("1", 400)) + " AS x FROM t";
        Assert.That(AdqlParser.Parse(ok), Is.Not.Null);
    }

    [Test]
    public async Task Queries_nested_to_the_limit_run_and_deeper_ones_fail_cleanly_in_the_service()
    {
        await using var s = await TapTestServer.StartAsync();
        var deep = "SELECT " + new string('(', 6000) + "1" + new string(')', 6000) + " AS x FROM data.stars";
        using var r = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", deep));
        Assert.That((int)r.StatusCode, Is.EqualTo(400));
        Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("nested deeper than"));
        var okay = "SELECT " + string.Join("+", Enumerable.Repeat("mag", 450)) + " AS x FROM data.stars";
        using var r2 = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", okay));
        Assert.That((int)r2.StatusCode, Is.EqualTo(200), await r2.Content.ReadAsStringAsync());
    }

    [TestCase("127.0.0.1", false)]
    [TestCase("127.5.6.7", false)]
    [TestCase("10.1.2.3", false)]
    [TestCase("172.16.0.1", false)]
    [TestCase("172.31.255.255", false)]
    [TestCase("192.168.1.1", false)]
    [TestCase("169.254.169.254", false)]
    [TestCase("100.64.0.1", false)]
    [TestCase("0.0.0.0", false)]
    [TestCase("224.0.0.1", false)]
    [TestCase("255.255.255.255", false)]
    [TestCase("::1", false)]
    [TestCase("::", false)]
    [TestCase("fe80::1", false)]
    [TestCase("fc00::1", false)]
    [TestCase("fd12:3456::1", false)]
    [TestCase("ff02::1", false)]
    [TestCase("::ffff:127.0.0.1", false)]
    [TestCase("::ffff:10.0.0.1", false)]
    [TestCase("::127.0.0.1", false)]
    [TestCase("64:ff9b::a00:1", false)]
    [TestCase("2002:7f00:1::", false)]
    [TestCase("8.8.8.8", true)]
    [TestCase("172.32.0.1", true)]
    [TestCase("2a00:1450:4001::1", true)]
    [TestCase("::ffff:8.8.8.8", true)]
    public void Upload_addresses(string address, bool isPublic) =>
        Assert.That(UploadHttp.IsPublic(IPAddress.Parse(address)), Is.EqualTo(isPublic));

    [TestCase("http://127.0.0.1:{0}/tap/tables")]
    [TestCase("http://localhost:{0}/tap/tables")]
    [TestCase("http://[::ffff:127.0.0.1]:{0}/tap/tables")]
    [TestCase("http://[::1]:{0}/tap/tables")]
    public async Task Upload_urls_to_local_addresses_are_refused(string url)
    {
        await using var s = await TapTestServer.StartAsync();
        using var r = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.x"), ("UPLOAD", "x," + string.Format(url, s.Server.Port)));
        var body = await r.Content.ReadAsStringAsync();
        Assert.That((int)r.StatusCode, Is.EqualTo(400));
        Assert.That(body, Does.Contain("--allow-local-uploads"));
    }

    [Test]
    public async Task The_upload_client_refuses_local_addresses_when_it_connects()
    {
        using var http = UploadHttp.Create(allowLocal: false);
        try
        {
            using var r = await http.GetAsync("http://127.0.0.1:9/");
            Assert.Fail("a loopback connection was made");
        }
        catch (HttpRequestException e)
        {
            Assert.That(e.ToString(), Does.Contain("non-public"));
        }
    }

    [Test]
    public async Task Uploaded_votable_hrefs_are_refused_without_revealing_files()
    {
        await using var s = await TapTestServer.StartAsync();
        string Ask(string href) =>
            $"<?xml version=\"1.0\"?><VOTABLE version=\"1.4\"><RESOURCE><TABLE><FIELD name=\"l\" datatype=\"char\" arraysize=\"*\"/><DATA><BINARY><STREAM href=\"{href}\"/></BINARY></DATA></TABLE></RESOURCE></VOTABLE>";
        var answers = new List<string>();
        foreach (var href in new[] { "file:///etc/passwd", "/etc/passwd", "../../../../etc/passwd", "file:///no/such/file", "http://127.0.0.1:1/x" })
        {
            using var content = TapTestServer.Multipart([("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_UPLOAD.x"), ("UPLOAD", "x,param:p")], [("p", Encoding.UTF8.GetBytes(Ask(href)))]);
            using var r = await s.Http.PostAsync(s.Tap + "/sync", content);
            var body = await r.Content.ReadAsStringAsync();
            Assert.That((int)r.StatusCode, Is.EqualTo(400), href);
            Assert.That(body, Does.Contain("refused").And.Not.Contain("root:"), href);
            answers.Add(body.Replace(href, "HREF"));
        }
        Assert.That(answers[0], Is.EqualTo(answers[3]), "an existing and a missing file get the same answer");
        using var next = await s.GetAsync("/availability");
        Assert.That((int)next.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Beyond_the_queue_requests_get_503_with_retry_after()
    {
        var slow = new TaskCompletionSource();
        await using var s = await TapTestServer.StartAsync(new TapServiceOptions { MaxConcurrentRequests = 1, MaxQueuedRequests = 1 });
        // hold the only slot and the only queue place with WAIT on a job that never finishes
        using var job = await s.PostAsync("/async", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM data.stars"));
        var jobUrl = job.Headers.Location!.ToString();
        var held = Enumerable.Range(0, 2).Select(_ => s.Http.GetAsync(jobUrl + "?WAIT=5")).ToList();
        await Task.Delay(500);
        using var r = await s.GetAsync("/availability");
        Assert.That((int)r.StatusCode, Is.EqualTo(503));
        Assert.That(r.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("the service is busy"));
        foreach (var h in held) (await h).Dispose();
        using var after = await s.GetAsync("/availability");
        Assert.That((int)after.StatusCode, Is.EqualTo(200));
        slow.SetResult();
    }

    [Test]
    public async Task The_locked_store_refuses_configuration_changes_and_file_access()
    {
        await using var store = new Storage.DuckDbTableStore();
        store.LockDown(new StoreLimits { MemoryLimitBytes = 512L << 20, Threads = 1 });
        Assert.That(store.Locked);
        foreach (var sql in new[] { "SET enable_external_access = true", "SET memory_limit = '100GB'", "SELECT * FROM read_csv('/etc/passwd')", "INSTALL httpfs", "ATTACH '/tmp/x.db' AS x" })
            Assert.That(() => store.RawSql(sql), Throws.InstanceOf<DuckDB.NET.Data.DuckDBException>(), sql);
        Assert.That(store.RawSql("SELECT current_setting('memory_limit')"), Does.Contain("MiB").Or.Contain("MB"));
        Assert.That(store.RawSql("SELECT current_setting('threads')"), Is.EqualTo("1"));
    }
}
