using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

/// <summary>The loopback HTTP server behind SAMP callbacks, served tables and the hub.</summary>
public class LoopbackHttpServerTests
{
    private static HttpClient NewHttp() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    [Test]
    public async Task PortZeroPicksAFreeLoopbackPortAndServesTheHandlersAnswer()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            var body = Encoding.UTF8.GetBytes($"{ctx.Method} {ctx.Path}");
            ctx.ContentType = "text/plain";
            ctx.ContentLength = body.Length;
            await ctx.ResponseBody.WriteAsync(body, ctx.Aborted);
        });
        Assert.That(server.BaseUri.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(server.Port, Is.GreaterThan(0));
        using var http = NewHttp();
        using var resp = await http.GetAsync(new Uri(server.BaseUri, "samp/ab%20c/t.vot"));
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(resp.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(await resp.Content.ReadAsStringAsync(), Is.EqualTo("GET /samp/ab c/t.vot"));
    }

    [Test]
    public async Task ListensOnLoopbackOnly()
    {
        await using var server = await LoopbackHttpServer.StartAsync(_ => Task.CompletedTask);
        var other = Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (other is null) Assert.Ignore("this machine has no non-loopback IPv4 address to try");
        using var tcp = new TcpClient();
        Assert.That(async () => await tcp.ConnectAsync(other!, server.Port), Throws.InstanceOf<SocketException>());
    }

    [Test]
    public async Task RequestsNamingLocalhostAreServedToo()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ctx => { ctx.StatusCode = 204; return Task.CompletedTask; });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /icon.png HTTP/1.1\r\nHost: localhost:{server.Port}\r\n\r\n"));
        var buf = new byte[256];
        var n = await stream.ReadAsync(buf).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(Encoding.ASCII.GetString(buf, 0, n), Does.StartWith("HTTP/1.1 204"));
    }

    [Test]
    public async Task PostedBodyReachesTheHandlerAndXmlRpcAnswerGoesBack()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            var call = await XmlRpcHttp.ReadCallAsync(ctx);
            await XmlRpcHttp.WriteAsync(ctx, XmlRpc.WriteResponse($"{call.Method}:{call.Params[0]}"));
        });
        using var rpc = new XmlRpcClient();
        var answer = await rpc.CallAsync(server.BaseUri, "samp.test.echo", ["x"], TimeSpan.FromSeconds(10), default);
        Assert.That(answer, Is.EqualTo("samp.test.echo:x"));
    }

    [Test]
    public async Task HeadAnswerCarriesContentLengthButNoBody()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            ctx.ContentType = "image/png";
            ctx.ContentLength = 1234;
            if (ctx.IsGet) await ctx.ResponseBody.WriteAsync(new byte[1234], ctx.Aborted);
        });
        using var http = NewHttp();
        using var req = new HttpRequestMessage(HttpMethod.Head, new Uri(server.BaseUri, "icon.png"));
        using var resp = await http.SendAsync(req);
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(resp.Content.Headers.ContentLength, Is.EqualTo(1234));
        Assert.That(await resp.Content.ReadAsByteArrayAsync(), Is.Empty);
        // the connection is still usable: a GET on it gets the full body
        var bytes = await http.GetByteArrayAsync(new Uri(server.BaseUri, "icon.png"));
        Assert.That(bytes, Has.Length.EqualTo(1234));
    }

    [Test]
    public async Task DeclaredOversizedBodyGets413WithoutCallingTheHandler()
    {
        var called = false;
        await using var server = await LoopbackHttpServer.StartAsync(ctx => { called = true; return Task.CompletedTask; });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        var head = $"POST /xmlrpc HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nContent-Type: text/xml\r\nContent-Length: {LoopbackHttpServer.MaxRequestBodyBytes + 1}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buf = new byte[256];
        var n = await stream.ReadAsync(buf).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(Encoding.ASCII.GetString(buf, 0, n), Does.StartWith("HTTP/1.1 413"));
        Assert.That(called, Is.False);
    }

    [Test]
    public async Task ChunkedBodyOverTheLimitGets413()
    {
        Exception? seen = null;
        await using var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            try { await XmlRpcHttp.ReadCallAsync(ctx); }
            catch (Exception e) { seen = e; throw; }
        });
        using var http = NewHttp();
        var content = new StreamContent(new ZeroStream(LoopbackHttpServer.MaxRequestBodyBytes + 1));
        content.Headers.ContentType = new("text/xml");
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "xmlrpc")) { Content = content };
        req.Headers.TransferEncodingChunked = true;
        using var resp = await http.SendAsync(req);
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(seen, Is.InstanceOf<IOException>().And.Message.Contains("larger than"));
    }

    [Test]
    public async Task HandlerFailureBecomes500AndTheServerKeepsServing()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ctx =>
            ctx.Path == "/boom" ? throw new InvalidOperationException("bug") : Task.CompletedTask);
        using var http = NewHttp();
        using (var resp = await http.GetAsync(new Uri(server.BaseUri, "boom")))
            Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        using (var resp = await http.GetAsync(new Uri(server.BaseUri, "fine")))
            Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TakenExplicitPortIsASampExceptionNamingThePort()
    {
        var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        try
        {
            var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
            Assert.That(async () => await LoopbackHttpServer.StartAsync(_ => Task.CompletedTask, port),
                Throws.InstanceOf<SampException>().With.Message.Contains($"cannot listen on 127.0.0.1:{port}"));
        }
        finally
        {
            blocker.Stop();
        }
    }

    [Test]
    public async Task DisposeCancelsRunningHandlersAndStopsListening()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            entered.SetResult();
            try { await Task.Delay(Timeout.Infinite, ctx.Aborted); }
            catch (OperationCanceledException) { cancelled.SetResult(); throw; }
        });
        var port = server.Port;
        using var http = NewHttp();
        var pending = http.GetAsync(server.BaseUri);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var sw = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.That(sw.Elapsed, Is.GreaterThanOrEqualTo(LoopbackHttpServer.GracePeriod - TimeSpan.FromMilliseconds(100)));
        Assert.That(sw.Elapsed, Is.LessThan(LoopbackHttpServer.GracePeriod + TimeSpan.FromSeconds(2)));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(1));
        // answered 503, not with an empty 200
        using (var r = await pending) Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        using var tcp = new TcpClient();
        Assert.That(async () => await tcp.ConnectAsync(IPAddress.Loopback, port), Throws.InstanceOf<SocketException>());
    }

    [Test]
    public async Task DisposeLetsARequestInProgressFinishItsAnswer()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await LoopbackHttpServer.StartAsync(async ctx =>
        {
            entered.SetResult();
            await Task.Delay(300, ctx.Aborted);
            await XmlRpcHttp.WriteAsync(ctx, XmlRpc.WriteResponse("late but whole"));
        });
        using var rpc = new XmlRpcClient();
        var pending = rpc.CallAsync(server.BaseUri, "samp.test.slow", [], TimeSpan.FromSeconds(10), default);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var sw = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.That(await pending, Is.EqualTo("late but whole"));
        Assert.That(sw.Elapsed, Is.LessThan(LoopbackHttpServer.GracePeriod));
    }

    /// <summary>A stream of zero bytes of a given length, read without allocating it all.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _pos;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _pos);
            Array.Clear(buffer, offset, n);
            _pos += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
