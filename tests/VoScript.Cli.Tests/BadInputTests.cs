using System.Net;
using System.Net.Sockets;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Tests;

/// <summary>
/// The bad input of issue 17's last paragraph, as a user meets it through the <c>voscript</c> command:
/// a pipe that closes early, a download that fails halfway, a FITS file cut short, a <c>.fits</c> name for
/// a table FITS cannot hold. Each is a clear message with its cause and what to do, exit code 0 or 1, no stack trace.
/// </summary>
[NonParallelizable]
public class BadInputTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vos-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static byte[] Bytes(int n, int seed) => Enumerable.Range(0, n).Select(i => (byte)((i * 13 + seed) % 251)).ToArray();

    /// <summary>
    /// A file server on a loopback port: <c>/good.fits</c> whole; <c>/broken.fits</c> announces its full length
    /// and sends half of what was asked, then drops the connection (Range requests too), until <see cref="Mend"/>.
    /// </summary>
    private sealed class CuttingServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        public readonly byte[] Good = Bytes(20_000, 1), Broken = Bytes(30_000, 2);
        public volatile bool Mend;
        public string Url { get; }

        public CuttingServer()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(Loop);
        }

        private async Task Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                try { Answer(c); }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
            }
        }

        private void Answer(HttpListenerContext c)
        {
            var path = c.Request.Url!.AbsolutePath;
            var data = path == "/good.fits" ? Good : path == "/broken.fits" ? Broken : null;
            if (data is null)
            {
                c.Response.StatusCode = 404;
                c.Response.Close();
                return;
            }
            var from = 0;
            if (c.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                from = int.Parse(range[6..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
                c.Response.StatusCode = 206;
                c.Response.Headers["Content-Range"] = $"bytes {from}-{data.Length - 1}/{data.Length}";
            }
            c.Response.ContentType = "application/fits";
            c.Response.ContentLength64 = data.Length - from;
            var send = data.Length - from;
            if (data == Broken && !Mend) send /= 2;
            c.Response.OutputStream.Write(data, from, send);
            c.Response.OutputStream.Flush();
            if (send < data.Length - from) c.Response.Abort(); // the connection drops mid-body
            else c.Response.Close();
        }

        public void Dispose() => _listener.Close();
    }

    private Repo.Result RunScript(string text, params string[] options)
    {
        var script = Path.Combine(_dir, "fetch.vos");
        File.WriteAllText(script, text);
        return Repo.Run(["run", script, .. options]);
    }

    private string FetchScript(CuttingServer server, bool continueOnError) => $"""
        load "{Path.Combine(_dir, "products.csv")}" as products
        fetch products to "{_dir}/files/" as files{(continueOnError ? " on error continue" : "")}
        save files to "{_dir}/files.vot"
        """;

    [Test]
    public void ADownloadThatFailsHalfwayIsAClearErrorKeepsItsPartAndIsResumedLater()
    {
        using var server = new CuttingServer();
        File.WriteAllText(Path.Combine(_dir, "products.csv"), $"obs_id,access_url\ngood,{server.Url}good.fits\nbroken,{server.Url}broken.fits\n");

        var r = RunScript(FetchScript(server, continueOnError: false));
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("1 of 2 files could not be downloaded: row 2: ").And.Contain("broke after"));
        Assert.That(r.Err, Does.Contain("add 'on error continue'"));
        Assert.That(r.Err, Does.Not.Contain("   at "));
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "files", "good.fits")), Is.EqualTo(server.Good));
        Assert.That(File.Exists(Path.Combine(_dir, "files", "broken.fits")), Is.False, "no half file under the real name");
        Assert.That(File.Exists(Path.Combine(_dir, "files", "broken.fits.part")), Is.True, "the part is kept for resuming");

        // on error continue: the same failure is a warning and the run succeeds, with the error in the table
        r = RunScript(FetchScript(server, continueOnError: true));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("warning: ").And.Contain("1 of 2 files could not be downloaded"));
        var files = VOTableReader.ReadFile(Path.Combine(_dir, "files.vot"));
        Assert.That(files.FindColumn("status")!.FormatCell(0), Is.EqualTo("kept"));
        Assert.That(files.FindColumn("status")!.FormatCell(1), Is.EqualTo("failed"));
        Assert.That(files.FindColumn("error")!.FormatCell(1), Does.Contain("broke after"));

        // --strict: on error continue no longer passes over it
        r = RunScript(FetchScript(server, continueOnError: true), "--strict");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("the run is strict"));

        // the server mended: the next run resumes the part and completes the file
        server.Mend = true;
        r = RunScript(FetchScript(server, continueOnError: false));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "files", "broken.fits")), Is.EqualTo(server.Broken));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "files"), "*.part"), Is.Empty);
        files = VOTableReader.ReadFile(Path.Combine(_dir, "files.vot"));
        Assert.That(files.FindColumn("status")!.FormatCell(1), Is.EqualTo("resumed"));
    }

    [Test]
    public void AFitsFileCutShortIsNamedAsSuch()
    {
        var whole = Path.Combine(_dir, "whole.fits");
        var r = RunScript($"""
            load "{Repo.PathOf("scripts/data/sample.vot")}" as t
            save t to "{whole}"
            """);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var bytes = File.ReadAllBytes(whole);
        var cut = Path.Combine(_dir, "cut.fits");
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 2880 - 100)]);
        foreach (var args in new[] { new[] { "show", cut }, ["convert", cut, Path.Combine(_dir, "out.csv")] })
        {
            var s = Repo.Run(args);
            Assert.That(s.ExitCode, Is.EqualTo(1), string.Join(' ', args) + ": " + s.Err);
            Assert.That(s.Err, Does.StartWith($"voscript: '{cut}' is cut short: ").And.Contain("copy or download it again"));
            Assert.That(s.Err, Does.Not.Contain("   at "));
        }
        Assert.That(File.Exists(Path.Combine(_dir, "out.csv")), Is.False);
        r = RunScript($"load \"{cut}\" as t\nprint t\n");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("cut short"));
    }

    [Test]
    public void AFitsNameForATableFitsCannotHoldSaysWhichColumnAndWhy()
    {
        // strings of varying number per cell (char arraysize 8x*), next to a column FITS holds
        var vot = Path.Combine(_dir, "tags.vot");
        File.WriteAllText(vot, """
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE name="tags">
            <FIELD name="id" datatype="int"/><FIELD name="tags" datatype="char" arraysize="8x*"/>
            <DATA><TABLEDATA><TR><TD>1</TD><TD>red     blue    </TD></TR><TR><TD>2</TD><TD>green   </TD></TR></TABLEDATA></DATA>
            </TABLE></RESOURCE></VOTABLE>
            """);
        var fits = Path.Combine(_dir, "tags.fits");
        var r = RunScript($"load \"{vot}\" as t\nsave t to \"{fits}\"\n");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("cannot write table 'tags' as FITS: column 'tags' (char[8x*])").And.Contain("Save it as VOTable").And.Not.Contain("'id'"));
        Assert.That(r.Err, Does.Not.Contain("   at "));
        Assert.That(File.Exists(fits), Is.False, "nothing half-written");
        var c = Repo.Run("convert", vot, fits);
        Assert.That(c.ExitCode, Is.EqualTo(1), c.Err);
        Assert.That(c.Err, Does.Contain("column 'tags' (char[8x*])").And.Contain("Save it as VOTable"));
        Assert.That(Directory.GetFiles(_dir, "*.fits*"), Is.Empty);
    }

    [Test]
    public void APipeThatClosesEarlyEndsTheCommandQuietly()
    {
        var build = Repo.Shell("./voscript --version", 900);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Err);
        // show writes thousands of rows into a pipe whose reader leaves after the first line
        var r = Repo.Shell("./voscript show scripts/data/field/cat_a.vot --limit 100000 | head -n 1; echo \"exit=${PIPESTATUS[0]}\"", 120);
        Assert.That(r.Err, Does.Not.Contain("   at ").And.Not.Contain("Unhandled"), r.Err);
        Assert.That(r.Out, Does.Match(@"exit=(0|141)\n"), r.Out + r.Err);
        var p = Repo.Shell("./voscript run -e 'load \"scripts/data/field/cat_a.vot\" as t; show t limit 100000; print \"after\"' | head -n 2; echo \"exit=${PIPESTATUS[0]}\"", 120);
        Assert.That(p.Err, Does.Not.Contain("   at ").And.Not.Contain("Unhandled"), p.Err);
        Assert.That(p.Out, Does.Match(@"exit=(0|141)\n"), p.Out + p.Err);
    }
}
