using System.Net;
using NUnit.Framework;
using VoScript.Integration.Tests.Language;

namespace VoScript.Integration.Tests.Serve;

/// <summary><c>voscript serve</c> as a process: its startup contract, stdout, exit codes, and conformance checked by STILTS taplint and PyVO.</summary>
[Category("Integration")]
[NonParallelizable]
public class ServeTests
{
    private string _dir = null!;
    private ServeProcess _serve = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _dir = Directory.CreateTempSubdirectory("voscript-serve-it").FullName;
        var stars = ServeProcess.WriteStars(_dir);
        _serve = await ServeProcess.StartAsync([stars]);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    [Test]
    public void StartupSaysWhereAndWhatAndThatItIsLoopbackOnly()
    {
        Assert.That(_serve.Startup[0], Does.Match(@"^TAP service: http://127\.0\.0\.1:\d+/tap$"));
        Assert.That(_serve.Startup, Does.Contain("  data.stars: 200 rows, 5 columns"));
        Assert.That(_serve.Startup, Does.Contain("loopback only (use --host to open it)"));
    }

    [Test]
    public async Task TaplintReportsNoErrors()
    {
        if (!File.Exists("/usr/bin/stilts")) Assert.Ignore("stilts is not installed (tests/run-all.sh installs it)");
        var (code, output, err) = await ServeProcess.RunAsync("/usr/bin/stilts", ["taplint", "tapurl=" + _serve.TapUrl, "maxtable=20"], 600);
        var lines = output.Split('\n');
        var errors = lines.Where(l => l.StartsWith("E-", StringComparison.Ordinal)).ToList();
        var warnings = lines.Where(l => l.StartsWith("W-", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine($"taplint: {errors.Count} errors, {warnings.Count} warnings");
        foreach (var w in warnings) TestContext.Out.WriteLine(w);
        Assert.That(errors, Is.Empty, $"taplint exit {code}; errors:\n{string.Join('\n', errors)}\n{err}");
        Assert.That(lines.Any(l => l.StartsWith("Totals:", StringComparison.Ordinal)), Is.True, "taplint ran to its end:\n" + output[^Math.Min(2000, output.Length)..]);
    }

    [Test]
    public async Task PyvoSyncAsyncUploadAndVosiWork()
    {
        if (!File.Exists("/usr/bin/python3")) Assert.Ignore("/usr/bin/python3 is missing");
        var script = ServeProcess.RepoPath("tests/VoScript.Integration.Tests/Serve/pyvo_serve.py");
        var (code, output, err) = await ServeProcess.RunAsync("/usr/bin/python3", [script, _serve.TapUrl], 300);
        if (code != 0 && err.Contains("No module named 'pyvo'", StringComparison.Ordinal)) Assert.Ignore("python3-pyvo is not installed");
        Assert.That(code, Is.EqualTo(0), output + "\n" + err);
        Assert.That(output, Does.Contain("all pyvo checks passed"));
    }

    [Test]
    public async Task MalformedUploadGetsADaliErrorAndTheServerGoesOn()
    {
        using var http = new HttpClient();
        using var content = new MultipartFormDataContent
        {
            { new StringContent("ADQL"), "LANG" },
            { new StringContent("SELECT * FROM TAP_UPLOAD.bad"), "QUERY" },
            { new StringContent("bad,param:p"), "UPLOAD" },
            { new ByteArrayContent("<VOTABLE><RESOURCE><TABLE><DATA>"u8.ToArray()), "p", "p.vot" },
        };
        using var r = await http.PostAsync(_serve.TapUrl + "/sync", content);
        var body = await r.Content.ReadAsStringAsync();
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">upload 'bad' is not a readable VOTable"));
        var avail = await http.GetStringAsync(_serve.TapUrl + "/availability");
        Assert.That(avail, Does.Contain("true"));
    }

    [Test]
    public async Task OversizedUploadGetsA413DaliErrorAndTheServerGoesOn()
    {
        using var http = new HttpClient();
        var big = new byte[17 * 1024 * 1024];
        using var content = new MultipartFormDataContent
        {
            { new StringContent("ADQL"), "LANG" },
            { new StringContent("SELECT * FROM TAP_UPLOAD.big"), "QUERY" },
            { new StringContent("big,param:p"), "UPLOAD" },
            { new ByteArrayContent(big), "p", "p.vot" },
        };
        using var r = await http.PostAsync(_serve.TapUrl + "/sync", content);
        var body = await r.Content.ReadAsStringAsync();
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(body, Does.Contain("more than the upload limit of 16777216 bytes"));
        using var q = await http.GetAsync(_serve.TapUrl + "/sync?LANG=ADQL&QUERY=" + Uri.EscapeDataString("SELECT COUNT(*) AS n FROM data.stars"));
        Assert.That(q.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

/// <summary>Exit codes and messages of <c>voscript serve</c> that need their own process.</summary>
[Category("Integration")]
public class ServeLifecycleTests
{
    [Test]
    public async Task SigtermDeletesJobsAndExitsZero()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-serve-it").FullName;
        try
        {
            var serve = await ServeProcess.StartAsync([ServeProcess.WriteStars(dir, 10)]);
            await using (serve)
            {
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                using var r = await http.PostAsync(serve.TapUrl + "/async", new FormUrlEncodedContent([new("LANG", "ADQL"), new("QUERY", "SELECT * FROM data.stars")]));
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
                Assert.That(await serve.StopAsync(), Is.EqualTo(0));
                Assert.That(serve.Stdout, Does.Contain("TAP service stopping; deleting 1 async job(s)"));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public async Task TheLauncherSaysWhyAServerDidNotStart()
    {
        var e = await Assert.ThrowsAsync<ServeStartException>(() => ServeProcess.StartAsync(["no-such-file.vot"]));
        Assert.That(e!.Message, Does.Contain("exited 1 before it was ready").And.Contain("voscript: cannot read 'no-such-file.vot': no such file"));
    }

    [TestCase("no-such-file.vot", "voscript: cannot read 'no-such-file.vot': no such file")]
    public async Task BadFilesAreAClearErrorWithExitOne(string file, string message)
    {
        var (code, stdout, stderr) = await ServeProcess.RunAsync("dotnet", [ServeProcess.CliDll, "serve", "--port", "0", file], 60);
        Assert.That((code, stdout, stderr.Trim()), Is.EqualTo((1, "", message)));
    }

    [Test]
    public async Task AFileThatIsNoTableIsAClearErrorWithExitOne()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-serve-it").FullName;
        try
        {
            var bad = Path.Combine(dir, "broken.vot");
            await File.WriteAllTextAsync(bad, "<VOTABLE version=\"1.4\"><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>x</TD></TR>");
            var (code, stdout, stderr) = await ServeProcess.RunAsync("dotnet", [ServeProcess.CliDll, "serve", "--port", "0", bad], 60);
            Assert.That((code, stdout), Is.EqualTo((1, "")));
            Assert.That(stderr, Does.StartWith($"voscript: {bad}: "));
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>
/// The sample field of scripts/data/field served with its ObsCore table (the shared server of <see cref="ServeRig"/>):
/// taplint (with its ObsCore stage) and the data files.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ServeFieldTests
{
    private ServeProcess _serve = null!;
    private string _field = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _field = ServeRig.FieldDirectory;
        _serve = ServeRig.Process;
    }

    [Test]
    public void StartupListsTheObsCoreTableAndItsFiles()
    {
        Assert.That(_serve.Startup, Does.Contain("  ivoa.obscore: 50 rows, 38 columns"));
        Assert.That(_serve.Startup, Does.Contain("  cat_a.main: 271 rows, 6 columns"));
        Assert.That(_serve.Startup.Any(l => l.StartsWith("  data files of ivoa.obscore under http://127.0.0.1:", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task AccessUrlsDownloadTheFilesNextToTheObsCoreTable()
    {
        using var http = new HttpClient();
        var csv = await http.GetStringAsync(_serve.TapUrl + "/sync?LANG=ADQL&RESPONSEFORMAT=csv&QUERY=" +
            Uri.EscapeDataString("SELECT obs_id, access_url, access_format FROM ivoa.obscore WHERE obs_id IN ('spec_0001', 'spec_0002') ORDER BY obs_id"));
        var rows = csv.Trim().Split('\n').Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "spec_0001", "spec_0002" }));
        foreach (var r in rows)
        {
            Assert.That(r[1], Does.StartWith(new Uri(new Uri(_serve.TapUrl), "/files/spectra/").ToString()));
            using var resp = await http.GetAsync(r[1]);
            Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(resp.Content.Headers.ContentType!.MediaType, Is.EqualTo(r[2]));
            var local = Path.Combine(_field, "spectra", r[1][(r[1].LastIndexOf('/') + 1)..]);
            Assert.That(await resp.Content.ReadAsByteArrayAsync(), Is.EqualTo(await File.ReadAllBytesAsync(local)));
        }
    }

    [Test]
    public async Task TaplintWithTheObsCoreStageReportsNoErrors()
    {
        if (!File.Exists("/usr/bin/stilts")) Assert.Ignore("stilts is not installed (tests/run-all.sh installs it)");
        var (code, output, err) = await ServeProcess.RunAsync("/usr/bin/stilts", ["taplint", "tapurl=" + _serve.TapUrl], 600);
        var lines = output.Split('\n');
        Assert.That(lines.Where(l => l.StartsWith("I-OBS-DMID", StringComparison.Ordinal)), Is.Not.Empty, "the ObsCore stage ran");
        var errors = lines.Where(l => l.StartsWith("E-", StringComparison.Ordinal)).ToList();
        foreach (var w in lines.Where(l => l.StartsWith("W-", StringComparison.Ordinal))) TestContext.Out.WriteLine(w);
        Assert.That(errors, Is.Empty, $"taplint exit {code}; errors:\n{string.Join('\n', errors)}\n{err}");
    }
}
