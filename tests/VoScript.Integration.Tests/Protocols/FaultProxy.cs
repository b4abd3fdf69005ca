using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>A request as the proxy received it; <see cref="Nth"/> counts requests with the same method and path (from 1).</summary>
public sealed record ProxyRequest(string Method, string PathAndQuery, string Path, byte[] Body, int Nth)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>What the proxy does with one request.</summary>
public abstract record FaultAction
{
    public static readonly FaultAction Forward = new ForwardAction(null, null);
    /// <summary>Forward, then change the (origin-rewritten) text body before answering.</summary>
    public static FaultAction ForwardEdited(Func<string, string> edit) => new ForwardAction(null, edit);
    /// <summary>Forward to another upstream path (and query).</summary>
    public static FaultAction ForwardTo(string pathAndQuery, Func<string, string>? edit = null) => new ForwardAction(pathAndQuery, edit);
    public static FaultAction Respond(int status, string body, string contentType = "text/plain", params (string Name, string Value)[] headers) =>
        new RespondAction(status, body, contentType, headers);
    /// <summary>Close the connection with a TCP reset, before any response.</summary>
    public static readonly FaultAction Reset = new ResetAction();
    /// <summary>Accept the request and never answer (until the client gives up).</summary>
    public static readonly FaultAction Stall = new StallAction();
    /// <summary>Forward, but send only the first half of the body, then reset the connection.</summary>
    public static readonly FaultAction CutBody = new CutBodyAction();
}

internal sealed record ForwardAction(string? PathAndQuery, Func<string, string>? Edit) : FaultAction;
internal sealed record RespondAction(int Status, string Body, string ContentType, (string Name, string Value)[] Headers) : FaultAction;
internal sealed record ResetAction : FaultAction;
internal sealed record StallAction : FaultAction;
internal sealed record CutBodyAction : FaultAction;

/// <summary>
/// A small HTTP/1.1 proxy on loopback between the client and DaCHS that injects
/// faults a real network has. Absolute URLs of the upstream in bodies and
/// Location headers are rewritten to the proxy, so that the client keeps
/// talking through it (job URLs, result links, VOSI access URLs).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _upstream;
    private readonly string _upstreamOrigin;
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly Task _loop;

    public FaultProxy(Uri upstream)
    {
        _upstreamOrigin = upstream.GetLeftPart(UriPartial.Authority);
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        { Timeout = TimeSpan.FromMinutes(2) };
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Origin = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Origin { get; }

    /// <summary>Decides the fate of each request; the default forwards everything.</summary>
    public Func<ProxyRequest, FaultAction> Rule { get; set; } = _ => FaultAction.Forward;

    public ConcurrentQueue<ProxyRequest> Seen { get; } = new();

    /// <summary>Maps an upstream URL to the same URL through the proxy.</summary>
    public string Through(string upstreamUrl) => upstreamUrl.Replace(_upstreamOrigin, Origin);

    /// <summary>Maps a proxy URL back to the upstream URL.</summary>
    public string Upstream(string proxyUrl) => proxyUrl.Replace(Origin, _upstreamOrigin);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try { s = await _listener.AcceptSocketAsync(_stop.Token); }
            catch { return; }
            _ = Task.Run(() => Serve(s));
        }
    }

    private async Task Serve(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var req = await ReadRequest(stream);
            if (req is null) return;
            var (method, target, headers, body) = req.Value;
            var path = target.Split('?')[0];
            var nth = _counts.AddOrUpdate(method + " " + path, 1, (_, n) => n + 1);
            var pr = new ProxyRequest(method, target, path, body, nth);
            Seen.Enqueue(pr);
            switch (Rule(pr))
            {
                case ResetAction:
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                case StallAction:
                    try { await Task.Delay(TimeSpan.FromMinutes(2), _stop.Token); } catch (OperationCanceledException) { }
                    return;
                case RespondAction r:
                    await Write(stream, r.Status, r.Headers.Append(("Content-Type", r.ContentType)).ToList(), Encoding.UTF8.GetBytes(r.Body));
                    return;
                case CutBodyAction:
                    {
                        var (status, h, b) = await Forward(method, target, headers, body, null);
                        await Write(stream, status, h, b, cutAt: b.Length / 2);
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        return;
                    }
                case ForwardAction f:
                    {
                        var (status, h, b) = await Forward(method, f.PathAndQuery ?? target, headers, body, f.Edit);
                        await Write(stream, status, h, b);
                        return;
                    }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task<(int, List<(string, string)>, byte[])> Forward(string method, string target, List<(string Name, string Value)> headers, byte[] body, Func<string, string>? edit)
    {
        using var msg = new HttpRequestMessage(new HttpMethod(method), _upstreamOrigin + target);
        if (body.Length > 0 || method == "POST")
        {
            msg.Content = new ByteArrayContent(body);
            foreach (var (n, v) in headers.Where(h => h.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                msg.Content.Headers.TryAddWithoutValidation(n, v);
        }
        foreach (var (n, v) in headers)
        {
            if (n.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || n is "Host" or "Connection" or "Accept-Encoding" or "Transfer-Encoding") continue;
            msg.Headers.TryAddWithoutValidation(n, v);
        }
        using var resp = await _upstream.SendAsync(msg);
        var bytes = await resp.Content.ReadAsByteArrayAsync();
        var outHeaders = new List<(string, string)>();
        foreach (var h in resp.Headers.Concat(resp.Content.Headers))
        {
            if (h.Key is "Transfer-Encoding" or "Connection" or "Content-Length" or "Keep-Alive") continue;
            foreach (var v in h.Value) outHeaders.Add((h.Key, h.Key == "Location" ? Through(v) : v));
        }
        var type = resp.Content.Headers.ContentType?.MediaType ?? "";
        if (type.Contains("xml") || type.StartsWith("text/") || edit is not null)
        {
            var text = Encoding.UTF8.GetString(bytes).Replace(_upstreamOrigin, Origin);
            if (edit is not null) text = edit(text);
            bytes = Encoding.UTF8.GetBytes(text);
        }
        return ((int)resp.StatusCode, outHeaders, bytes);
    }

    private static async Task Write(Stream s, int status, List<(string Name, string Value)> headers, byte[] body, int? cutAt = null)
    {
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 ").Append(status).Append(' ').Append(((HttpStatusCode)status).ToString()).Append("\r\n");
        foreach (var (n, v) in headers) sb.Append(n).Append(": ").Append(v).Append("\r\n");
        sb.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        await s.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()));
        await s.WriteAsync(body.AsMemory(0, cutAt ?? body.Length));
        await s.FlushAsync();
    }

    private static async Task<(string, string, List<(string Name, string Value)>, byte[])?> ReadRequest(Stream s)
    {
        var buf = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await s.ReadAsync(one);
            if (n == 0) return null;
            buf.Add(one[0]);
            var c = buf.Count;
            if (c >= 4 && buf[c - 4] == '\r' && buf[c - 3] == '\n' && buf[c - 2] == '\r' && buf[c - 1] == '\n') break;
            if (c > 64 * 1024) return null;
        }
        var lines = Encoding.ASCII.GetString(buf.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => { var i = l.IndexOf(':'); return (l[..i].Trim(), l[(i + 1)..].Trim()); }).ToList();
        var len = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Item2)).FirstOrDefault();
        var body = new byte[len];
        var read = 0;
        while (read < len)
        {
            var n = await s.ReadAsync(body.AsMemory(read));
            if (n == 0) return null;
            read += n;
        }
        return (first[0], first[1], headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch { }
        _upstream.Dispose();
    }
}
