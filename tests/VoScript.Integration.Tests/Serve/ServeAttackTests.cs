using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Integration.Tests.Serve;

/// <summary>
/// Issue 13's attacks against real processes: a <c>voscript serve</c> (gzip bomb upload, deep ADQL, arraysize 0 and
/// overflowing multi-dimensional arraysize, a huge TABLEDATA body, an href to a local file) and a <c>voscript hub</c>
/// (a 70 MB chunked body). Each ends in a clear error within seconds; the process's peak resident memory (VmHWM of
/// /proc/PID/status) stays under 1 GB; the next request is answered.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ServeAttackTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("voscript-attack").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static long Status(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static string Doc(string fields, string data) =>
        $"<?xml version=\"1.0\"?><VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE><TABLE>{fields}<DATA>{data}</DATA></TABLE></RESOURCE></VOTABLE>";

    private static byte[] GzipZeros(long n)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            for (long done = 0; done < n; done += chunk.Length) gz.Write(chunk);
        }
        return ms.ToArray();
    }

    /// <summary>Every upload attack: the name, the VOTable bytes, and what the error must say.</summary>
    private static IEnumerable<(string Name, Func<byte[]> Body, string Expect)> UploadAttacks()
    {
        yield return ("inline gzip bomb (4 GB of zeros)", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"unsignedByte\" arraysize=\"1000\"/>",
            "<BINARY><STREAM encoding=\"gzip\">" + Convert.ToBase64String(GzipZeros(4L << 30)) + "</STREAM></BINARY>")), "ReaderLimits.Max");
        yield return ("arraysize=\"0\"", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"int\" arraysize=\"0\"/>",
            "<BINARY><STREAM encoding=\"base64\">" + Convert.ToBase64String(new byte[3000]) + "</STREAM></BINARY>")), "takes no bytes");
        yield return ("arraysize=\"7x0\" (a product of 0)", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"int\" arraysize=\"7x0\"/>",
            "<BINARY><STREAM encoding=\"base64\">" + Convert.ToBase64String(new byte[3000]) + "</STREAM></BINARY>")), "takes no bytes");
        yield return ("arraysize=\"65536x65536\" (2^32 wraps to 0)", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"int\" arraysize=\"65536x65536\"/>",
            "<BINARY><STREAM encoding=\"base64\">" + Convert.ToBase64String(new byte[300]) + "</STREAM></BINARY>")), "ReaderLimits.MaxArrayElements");
        yield return ("arraysize=\"2147483647x3*\"", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"double\" arraysize=\"2147483647x3*\"/>",
            "<BINARY2><STREAM encoding=\"base64\">AAAAAA==</STREAM></BINARY2>")), "ReaderLimits.MaxArrayElements");
        yield return ("STREAM href to /etc/passwd", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"char\" arraysize=\"*\"/>",
            "<BINARY><STREAM href=\"file:///etc/passwd\"/></BINARY>")), "refused");
        yield return ("relative STREAM href", () => Encoding.ASCII.GetBytes(Doc("<FIELD name=\"a\" datatype=\"char\" arraysize=\"*\"/>",
            "<BINARY><STREAM href=\"scripts/data/sample.vot\"/></BINARY>")), "refused");
    }

    [Test]
    public async Task Every_attack_on_serve_ends_in_a_clear_error_within_seconds_with_bounded_memory()
    {
        var stars = ServeProcess.WriteStars(_dir, 200);
        await using var serve = await ServeProcess.StartAsync([stars]);
        var pid = ServeProcessId(serve);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(120) };
        var report = new List<string>();

        async Task NextRequestIsAnswered(string after)
        {
            using var r = await http.GetAsync($"{serve.TapUrl}/sync?LANG=ADQL&QUERY={Uri.EscapeDataString("SELECT COUNT(*) AS n FROM data.stars")}");
            var body = await r.Content.ReadAsStringAsync();
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"after {after}: {body}");
            Assert.That(body, Does.Contain("200"), $"after {after}");
        }

        foreach (var (name, make, expect) in UploadAttacks())
        {
            var bytes = make();
            using var form = new MultipartFormDataContent
            {
                { new StringContent("doQuery"), "REQUEST" },
                { new StringContent("ADQL"), "LANG" },
                { new StringContent("SELECT * FROM TAP_UPLOAD.x"), "QUERY" },
                { new StringContent("x,param:x"), "UPLOAD" },
            };
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/x-votable+xml");
            form.Add(part, "x", "x.vot");
            var sw = Stopwatch.StartNew();
            using var r = await http.PostAsync(serve.TapUrl + "/sync", form);
            var body = await r.Content.ReadAsStringAsync();
            sw.Stop();
            report.Add($"{name}: {(int)r.StatusCode} in {sw.Elapsed.TotalSeconds:0.0} s, peak RSS {Status(pid, "VmHWM") >> 20} MB: {Message(body)}");
            Assert.That((int)r.StatusCode, Is.InRange(400, 499), $"{name}: {body}");
            Assert.That(body, Does.Contain("QUERY_STATUS").And.Contain("ERROR").And.Not.Contain("   at "), name);
            Assert.That(body, Does.Contain(expect), name);
            Assert.That(body, Does.Not.Contain("root:"), name);
            Assert.That(sw.Elapsed, Is.LessThan(Quick), name);
            await NextRequestIsAnswered(name);
        }

        // a huge TABLEDATA body (40 MB, chunked: no length announced): 413 as soon as it passes --upload-limit
        {
            var sw = Stopwatch.StartNew();
            var status = await PostChunkedAsync(new Uri(serve.TapUrl + "/sync"), "multipart/form-data; boundary=b",
                Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"x\"; filename=\"x.vot\"\r\n\r\n" +
                    "<?xml version=\"1.0\"?><VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA>"),
                Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<TR><TD>1</TD></TR>", 4096))), 40L << 20);
            report.Add($"40 MB chunked TABLEDATA: {status} in {sw.Elapsed.TotalSeconds:0.0} s, peak RSS {Status(pid, "VmHWM") >> 20} MB");
            Assert.That(status, Is.EqualTo("413").Or.EqualTo("closed"), "huge TABLEDATA");
            Assert.That(sw.Elapsed, Is.LessThan(Quick));
            await NextRequestIsAnswered("huge TABLEDATA");
        }

        // deep ADQL: parentheses, function calls, subqueries, signs
        foreach (var (name, adql) in new[]
                 {
                     ("6000 nested parentheses", "SELECT " + new string('(', 6000) + "1" + new string(')', 6000) + " AS x FROM data.stars"),
                     ("3000 nested function calls", "SELECT " + string.Concat(Enumerable.Repeat("ABS(", 3000)) + "1" + new string(')', 3000) + " AS x FROM data.stars"),
                     ("600 nested subqueries", "SELECT * FROM " + string.Concat(Enumerable.Repeat("(SELECT * FROM ", 600)) + "data.stars" + string.Concat(Enumerable.Repeat(") AS q", 600))),
                     ("5000 signs", "SELECT " + string.Concat(Enumerable.Repeat("- ", 5000)) + "1 AS x FROM data.stars"),
                 })
        {
            foreach (var async in new[] { false, true })
            {
                var sw = Stopwatch.StartNew();
                using var form = new FormUrlEncodedContent([new("LANG", "ADQL"), new("QUERY", adql), new("PHASE", "RUN")]);
                using var r = await http.PostAsync(serve.TapUrl + (async ? "/async" : "/sync"), form);
                var body = await r.Content.ReadAsStringAsync();
                if (async && r.StatusCode == HttpStatusCode.SeeOther)
                {
                    // the job ends in ERROR with the same message
                    var job = r.Headers.Location!.ToString();
                    for (var i = 0; i < 100 && (body = await http.GetStringAsync(job + "/phase")) is not ("ERROR" or "COMPLETED"); i++) await Task.Delay(100);
                    Assert.That(body, Is.EqualTo("ERROR"), $"{name} (async)");
                    body = await http.GetStringAsync(job + "/error");
                }
                else Assert.That((int)r.StatusCode, Is.EqualTo(400), $"{name}: {body}");
                report.Add($"{name}{(async ? " (async)" : "")}: {sw.Elapsed.TotalSeconds:0.0} s, peak RSS {Status(pid, "VmHWM") >> 20} MB: {Message(body)}");
                Assert.That(body, Does.Contain("nested deeper than").And.Not.Contain("   at "), name);
                Assert.That(sw.Elapsed, Is.LessThan(Quick), name);
                await NextRequestIsAnswered(name);
            }
        }

        TestContext.Out.WriteLine(string.Join("\n", report));
        Assert.That(Status(pid, "VmHWM"), Is.LessThan(1L << 30), "peak resident memory of voscript serve");
    }

    [Test]
    public async Task A_70_MB_chunked_body_to_the_hub_is_413_with_bounded_memory()
    {
        var lockfile = Path.Combine(_dir, "samp-lock");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { ServeProcess.CliDll, "hub", "--lockfile", lockfile }) psi.ArgumentList.Add(a);
        using var hub = Process.Start(psi)!;
        try
        {
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                while (await hub.StandardOutput.ReadLineAsync(cts.Token) is { } line && line != "press Ctrl-C to stop") { }
            var info = SampLockfile.TryRead(lockfile)!;
            var sw = Stopwatch.StartNew();
            var status = await PostChunkedAsync(info.HubUrl, "text/xml",
                Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><methodCall><methodName>samp.hub.register</methodName><params><param><value><string>"),
                Encoding.ASCII.GetBytes(new string('a', 1 << 16)), 70L << 20);
            TestContext.Out.WriteLine($"70 MB chunked call to the hub: {status} in {sw.Elapsed.TotalSeconds:0.0} s, peak RSS {Status(hub.Id, "VmHWM") >> 20} MB");
            Assert.That(status, Is.EqualTo("413").Or.EqualTo("closed"));
            Assert.That(sw.Elapsed, Is.LessThan(Quick));
            // the hub answers the next call
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using var ping = new ByteArrayContent(XmlRpc.WriteCall("samp.hub.ping", []));
            ping.Headers.ContentType = new("text/xml");
            using var r = await http.PostAsync(info.HubUrl, ping);
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(XmlRpc.ReadResponse(await r.Content.ReadAsStreamAsync()), Is.EqualTo(""));
            Assert.That(Status(hub.Id, "VmHWM"), Is.LessThan(1L << 30), "peak resident memory of voscript hub");
        }
        finally
        {
            if (!hub.HasExited) hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }
    }

    /// <summary>
    /// POSTs <paramref name="head"/> then <paramref name="unit"/> repeated up to <paramref name="total"/> bytes, chunked, over
    /// a raw socket; "413" (or another status) when the server answers, "closed" when it closes the connection while the
    /// body is still being sent without answering first.
    /// </summary>
    private static async Task<string> PostChunkedAsync(Uri url, string contentType, byte[] head, byte[] unit, long total)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, url.Port);
        var s = tcp.GetStream();
        var reading = Task.Run(async () =>
        {
            var buf = new byte[4096];
            var n = 0;
            try { n = await s.ReadAsync(buf); }
            catch (IOException) { }
            return Encoding.ASCII.GetString(buf, 0, n);
        });
        async Task Chunk(byte[] b)
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes($"{b.Length:x}\r\n"));
            await s.WriteAsync(b);
            await s.WriteAsync("\r\n"u8.ToArray());
        }
        try
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{url.Port}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n"));
            await Chunk(head);
            for (long sent = head.Length; sent < total && !reading.IsCompleted; sent += unit.Length) await Chunk(unit);
            await s.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException) { }
        var answer = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        return answer.StartsWith("HTTP/1.", StringComparison.Ordinal) ? answer.Split(' ')[1] : "closed";
    }

    private static string Message(string body)
    {
        var i = body.IndexOf("<INFO name=\"QUERY_STATUS\"", StringComparison.Ordinal);
        var text = i >= 0 ? body[i..] : body;
        text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ").Trim();
        return text.Length > 160 ? text[..160] + "…" : text;
    }

    private static int ServeProcessId(ServeProcess s) => s.ProcessId;
}
