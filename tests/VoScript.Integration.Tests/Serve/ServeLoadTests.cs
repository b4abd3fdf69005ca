using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace VoScript.Integration.Tests.Serve;

/// <summary>
/// 200 concurrent clients against a real <c>voscript serve</c> (loopback only): sync and async, keep-alive and
/// <c>Connection: close</c>. Every answer is correct or a clean 503 with Retry-After — never a reset, never a 400 —
/// within a bounded time; afterwards the service answers and its memory stays under 1 GB.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ServeLoadTests
{
    private const int Clients = 200;

    [TestCase("--max-requests", "4", "--max-queued", "16")]   // small: many 503s
    [TestCase("--max-queued", "64")]                          // the defaults of this machine
    public async Task TwoHundredConcurrentClientsGetAnswersOrClean503s(params string[] limits)
    {
        var dir = Directory.CreateTempSubdirectory("voscript-serve-load").FullName;
        try
        {
            var stars = ServeProcess.WriteStars(dir, 20_000);
            await using var serve = await ServeProcess.StartAsync([stars, .. limits]);
            var tap = new Uri(serve.TapUrl);
            var sw = Stopwatch.StartNew();
            using var keepAlive = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1000, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(120) };
            var tasks = Enumerable.Range(0, Clients).Select(i => (i % 4) switch
            {
                0 => SyncKeepAliveAsync(keepAlive, serve.TapUrl),
                1 => RawSyncConnectionCloseAsync(tap),
                2 => AsyncJobAsync(keepAlive, serve.TapUrl, close: false),
                _ => AsyncJobAsync(keepAlive, serve.TapUrl, close: true),
            }).ToList();
            var outcomes = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(180));
            var counts = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            TestContext.Out.WriteLine($"{Clients} clients in {sw.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))}; RSS {serve.ResidentBytes >> 20} MB");
            var bad = outcomes.Where(o => o is not ("ok" or "503")).ToList();
            Assert.That(bad, Is.Empty, string.Join("\n", bad.Distinct().Take(10)));
            Assert.That(counts.GetValueOrDefault("ok"), Is.GreaterThan(0));
            Assert.That(serve.ResidentBytes, Is.LessThan(1L << 30));
            using var next = await keepAlive.GetAsync(serve.TapUrl + "/availability");
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// The shape of the original report: N concurrent sync queries, every one with <c>Connection: close</c>, from curl
    /// itself (as the report used) and from raw sockets. Each gets a full answer or a clean 503; curl never sees
    /// "Connection reset by peer".
    /// </summary>
    [TestCase(50)]
    [TestCase(200)]
    public async Task ConcurrentConnectionCloseSyncQueriesAreNeverReset(int clients)
    {
        var dir = Directory.CreateTempSubdirectory("voscript-serve-close").FullName;
        try
        {
            var stars = ServeProcess.WriteStars(dir, 20_000);
            await using var serve = await ServeProcess.StartAsync([stars]);
            var tap = new Uri(serve.TapUrl);
            var raw = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => RawSyncConnectionCloseAsync(tap))).WaitAsync(TimeSpan.FromSeconds(180));
            var curl = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => CurlConnectionCloseAsync(serve.TapUrl))).WaitAsync(TimeSpan.FromSeconds(180));
            TestContext.Out.WriteLine($"{clients} raw: {string.Join(", ", raw.GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}"))}; " +
                                      $"{clients} curl: {string.Join(", ", curl.GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}"))}");
            var bad = raw.Concat(curl).Where(o => o is not ("ok" or "503" or "no curl")).ToList();
            Assert.That(bad, Is.Empty, string.Join("\n", bad.Distinct().Take(10)));
            Assert.That(raw.Count(o => o == "ok"), Is.GreaterThan(0));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>curl's own sync POST with <c>Connection: close</c>; a reset shows as curl's exit code 56 and its message.</summary>
    private static async Task<string> CurlConnectionCloseAsync(string tap)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-sS", "-H", "Connection: close", "--data-urlencode", "LANG=ADQL", "--data-urlencode", "QUERY=" + Query,
                     "-D", "-", "--max-time", "150", tap + "/sync" })
            psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { return "no curl"; }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) return $"curl exit {p.ExitCode}: {(await err).Trim()}";
            if (text.StartsWith("HTTP/1.1 503", StringComparison.Ordinal))
                return text.Contains("Retry-After: 5", StringComparison.OrdinalIgnoreCase) && text.Contains("QUERY_STATUS", StringComparison.Ordinal) ? "503" : "503 without Retry-After or DALI error";
            return text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && Rows(text) == 500 ? "ok" : $"curl: {text[..Math.Min(200, text.Length)]}";
        }
    }

    private const string Query = "SELECT TOP 500 id, ra, dec FROM data.stars ORDER BY id";

    private static string? Busy(HttpResponseMessage r, string body) =>
        r.StatusCode == HttpStatusCode.ServiceUnavailable
            ? r.Headers.RetryAfter is not null && body.Contains("QUERY_STATUS", StringComparison.Ordinal) ? "503" : "503 without Retry-After or DALI error"
            : null;

    private static async Task<string> SyncKeepAliveAsync(HttpClient http, string tap)
    {
        try
        {
            using var r = await http.GetAsync($"{tap}/sync?LANG=ADQL&QUERY={Uri.EscapeDataString(Query)}");
            var body = await r.Content.ReadAsStringAsync();
            return Busy(r, body) ?? (r.StatusCode == HttpStatusCode.OK && Rows(body) == 500 ? "ok" : $"sync keep-alive: {(int)r.StatusCode} {body[..Math.Min(200, body.Length)]}");
        }
        catch (Exception e) { return $"sync keep-alive: {e.GetType().Name}: {e.Message}"; }
    }

    /// <summary>A sync POST over a raw socket with <c>Connection: close</c>: what curl does, so a reset shows as one.</summary>
    private static async Task<string> RawSyncConnectionCloseAsync(Uri tap)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, tap.Port);
            var stream = tcp.GetStream();
            var form = $"LANG=ADQL&QUERY={Uri.EscapeDataString(Query)}";
            var request = $"POST {tap.AbsolutePath}/sync HTTP/1.1\r\nHost: 127.0.0.1:{tap.Port}\r\nConnection: close\r\n" +
                          $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {form.Length}\r\n\r\n{form}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            using var ms = new MemoryStream();
            await stream.CopyToAsync(ms).WaitAsync(TimeSpan.FromSeconds(150));
            var text = Encoding.UTF8.GetString(ms.ToArray());
            if (text.StartsWith("HTTP/1.1 503", StringComparison.Ordinal))
                return text.Contains("Retry-After: 5", StringComparison.OrdinalIgnoreCase) && text.Contains("QUERY_STATUS", StringComparison.Ordinal) ? "503" : "503 without Retry-After or DALI error";
            return text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && Rows(text) == 500 ? "ok" : $"sync close: {text[..Math.Min(200, text.Length)]}";
        }
        catch (Exception e) { return $"sync close: {e.GetType().Name}: {e.Message}"; }
    }

    private static async Task<string> AsyncJobAsync(HttpClient http, string tap, bool close)
    {
        try
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, tap + "/async")
            {
                Content = new FormUrlEncodedContent([new("LANG", "ADQL"), new("QUERY", Query), new("PHASE", "RUN")]),
            };
            create.Headers.ConnectionClose = close;
            using var r = await http.SendAsync(create);
            var body = await r.Content.ReadAsStringAsync();
            if (Busy(r, body) is { } b) return b;
            if (r.StatusCode != HttpStatusCode.SeeOther) return $"async create: {(int)r.StatusCode} {body[..Math.Min(200, body.Length)]}";
            var job = r.Headers.Location!.ToString();
            for (var attempt = 0; attempt < 60; attempt++)
            {
                using var poll = new HttpRequestMessage(HttpMethod.Get, job + "/phase");
                poll.Headers.ConnectionClose = close;
                using var pr = await http.SendAsync(poll);
                var phase = await pr.Content.ReadAsStringAsync();
                if (pr.StatusCode == HttpStatusCode.ServiceUnavailable) { await Task.Delay(1000); continue; } // busy: retry as told
                if (phase == "COMPLETED") break;
                if (phase is "ERROR" or "ABORTED") return $"async job {phase}";
                await Task.Delay(250);
            }
            for (var attempt = 0; attempt < 60; attempt++)
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, job + "/results/result");
                get.Headers.ConnectionClose = close;
                using var rr = await http.SendAsync(get);
                var result = await rr.Content.ReadAsStringAsync();
                if (rr.StatusCode == HttpStatusCode.ServiceUnavailable) { await Task.Delay(1000); continue; }
                return rr.StatusCode == HttpStatusCode.OK && Rows(result) == 500 ? "ok" : $"async result: {(int)rr.StatusCode} {result[..Math.Min(200, result.Length)]}";
            }
            return "async: still busy after 60 retries";
        }
        catch (Exception e) { return $"async: {e.GetType().Name}: {e.Message}"; }
    }

    /// <summary>Rows of a BINARY2 or TABLEDATA result: its nrows-free count through the reader.</summary>
    private static int Rows(string body)
    {
        var start = body.IndexOf("<?xml", StringComparison.Ordinal);
        if (start < 0) return -1;
        try
        {
            return VoScript.Engine.Formats.VOTable.VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(body[start..]))).RowCount;
        }
        catch (VoScript.Engine.VoScriptException) { return -2; }
    }
}
