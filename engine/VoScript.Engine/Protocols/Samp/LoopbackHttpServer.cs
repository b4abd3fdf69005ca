using System.Net;
using System.Net.Sockets;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>
/// One HTTP exchange seen by a <see cref="LoopbackHttpServer"/> handler: the request's
/// method, path and body, and the response's status, headers and body. It hides the
/// HTTP server implementation (System.Net.HttpListener) from the SAMP client and hub.
/// </summary>
internal sealed class LoopbackContext
{
    private readonly HttpListenerResponse _response;

    internal LoopbackContext(HttpListenerContext ctx, CancellationToken aborted)
    {
        var req = ctx.Request;
        _response = ctx.Response;
        Method = req.HttpMethod;
        // like the rest of the engine, compare paths decoded ("/samp/abc/x y.vot")
        Path = Uri.UnescapeDataString(req.Url?.AbsolutePath ?? "/");
        RequestContentLength = req.ContentLength64 >= 0 && req.HasEntityBody ? req.ContentLength64 : null;
        RequestBody = new LimitedReadStream(req.InputStream, LoopbackHttpServer.MaxRequestBodyBytes);
        Aborted = aborted;
    }

    public string Method { get; }

    /// <summary>The decoded path, starting with '/'.</summary>
    public string Path { get; }

    /// <summary>The request body; reading more than <see cref="LoopbackHttpServer.MaxRequestBodyBytes"/> throws <see cref="RequestTooLargeException"/>.</summary>
    public Stream RequestBody { get; }

    /// <summary>The request's Content-Length, null when absent (chunked or no body).</summary>
    public long? RequestContentLength { get; }

    /// <summary>Cancelled when the server stops; a handler passes it to its awaits.</summary>
    public CancellationToken Aborted { get; }

    public bool IsGet => Method == "GET";
    public bool IsHead => Method == "HEAD";
    public bool IsPost => Method == "POST";

    /// <summary>Set before the first write to <see cref="ResponseBody"/>; 200 unless set.</summary>
    public int StatusCode
    {
        get => _response.StatusCode;
        set => _response.StatusCode = value;
    }

    public string? ContentType
    {
        get => _response.ContentType;
        set => _response.ContentType = value;
    }

    /// <summary>The response's Content-Length; when not set the body is sent chunked.</summary>
    public long? ContentLength
    {
        get => _response.ContentLength64 >= 0 && HasContentLength ? _response.ContentLength64 : null;
        set
        {
            HasContentLength = value is not null;
            _response.ContentLength64 = value ?? 0;
        }
    }

    internal bool HasContentLength { get; private set; }

    /// <summary>The response body; the first write sends the status and headers.</summary>
    public Stream ResponseBody => _response.OutputStream;

    /// <summary>Thrown by <see cref="RequestBody"/> when the body exceeds the limit; the server answers 413.</summary>
    internal sealed class RequestTooLargeException(long limit)
        : IOException($"request body larger than {limit} bytes");

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit) throw new RequestTooLargeException(limit);
            return n;
        }
    }
}

/// <summary>
/// An HTTP server (System.Net.HttpListener, part of the base .NET runtime) bound to
/// 127.0.0.1 only, with one request handler. Used for SAMP callbacks, for serving
/// tables to receivers, and by the hub.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    /// <summary>Largest request body accepted (an XML-RPC document); larger requests get 413.</summary>
    /// SAMP calls are small (tables travel by URL), so 8 MB is far more than any real call.
    public const long MaxRequestBodyBytes = XmlRpcLimits.MaxDocumentBytes;

    private const int PortAttempts = 5;

    private readonly HttpListener _listener;
    private readonly Func<LoopbackContext, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<HttpListenerContext, Task> _inFlight = new();
    private volatile bool _stopping;
    private Task _accept = Task.CompletedTask;
    private int _disposed;

    private LoopbackHttpServer(HttpListener listener, Func<LoopbackContext, Task> handler, int port)
    {
        _listener = listener;
        _handler = handler;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri BaseUri { get; }

    public int Port => BaseUri.Port;

    /// <summary>
    /// Starts listening on 127.0.0.1:<paramref name="port"/>; port 0 picks a free port.
    /// Throws <see cref="SampException"/> when the port cannot be had.
    /// </summary>
    public static Task<LoopbackHttpServer> StartAsync(Func<LoopbackContext, Task> handler, int port = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (port is < 0 or > 65535) throw new SampException($"port {port} is out of range: give 0 (any free port) or 1-65535");
        var attempts = port == 0 ? PortAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var p = port == 0 ? FreeLoopbackPort() : port;
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{p}/");
            // HttpListener dispatches on the Host header: also answer http://localhost:PORT/ (same loopback socket)
            listener.Prefixes.Add($"http://localhost:{p}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                // with port 0, another process may have taken the free port between the probe and Start: try another one
                if (attempt < attempts) continue;
                throw new SampException(port == 0
                    ? $"cannot listen on a free port of 127.0.0.1 ({attempts} attempts): {e.Message}"
                    : $"cannot listen on 127.0.0.1:{port}: {e.Message} (is another program using that port? give another port, or 0 for any)", e);
            }
            var server = new LoopbackHttpServer(listener, handler, p);
            server._accept = Task.Run(server.AcceptLoopAsync, CancellationToken.None);
            return Task.FromResult(server);
        }
    }

    private static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
        finally { probe.Stop(); }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping) return;
                continue; // a connection that failed before its request was read
            }
            if (_stopping)
            {
                // keep taking connections until Stop, so that none is left queued for HttpListener to close with an empty 200
                Drop(ctx.Response);
                continue;
            }
            // registered before it starts, so it cannot finish (and unregister) before it is registered
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = start.Task.ContinueWith(_ => ProcessAsync(ctx), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _inFlight[ctx] = task;
            _ = task.ContinueWith(_ => _inFlight.TryRemove(ctx, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            start.SetResult();
        }
    }

    private async Task ProcessAsync(HttpListenerContext ctx)
    {
        var response = ctx.Response;
        try
        {
            if (_stopping)
            {
                Drop(response);
                return;
            }
            if (ctx.Request.ContentLength64 > MaxRequestBodyBytes)
            {
                Finish(response, 413);
                return;
            }
            var c = new LoopbackContext(ctx, _stop.Token);
            try
            {
                await _handler(c).ConfigureAwait(false);
            }
            catch (LoopbackContext.RequestTooLargeException)
            {
                Finish(response, 413);
                ReleaseMemory();
                return;
            }
            if (c.HasContentLength && c.IsHead) response.SendChunked = false;
            response.Close();
        }
        catch (Exception e) when (e is IOException or HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // the peer went away or the server is stopping: drop the connection
            Drop(response);
        }
        catch (Exception)
        {
            // a handler bug: answer 500 when the headers have not gone out yet, never crash the process
            try { Finish(response, 500); }
            catch (Exception e) when (e is InvalidOperationException or HttpListenerException or ObjectDisposedException or IOException) { Drop(response); }
        }
    }

    /// <summary>
    /// Ends an exchange that cannot be answered. HttpListener's Abort still sends the headers when
    /// they have not gone out, so make them say 503 (never a bogus empty 200); when they have gone
    /// out with a Content-Length, the short body tells the client the answer is incomplete.
    /// </summary>
    private static void Drop(HttpListenerResponse response)
    {
        try
        {
            response.StatusCode = 503;
            response.ContentLength64 = 0;
            response.KeepAlive = false;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException) { }
        try { response.Abort(); }
        catch (Exception e) when (e is IOException or HttpListenerException or ObjectDisposedException) { }
    }

    private static long _lastRelease;

    /// <summary>After refusing an oversized body, give the memory it took back to the system (at most once a second).</summary>
    private static void ReleaseMemory()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRelease);
        if (now - last < 1000 || Interlocked.CompareExchange(ref _lastRelease, now, last) != last) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static void Finish(HttpListenerResponse response, int status)
    {
        response.StatusCode = status;
        response.ContentLength64 = 0;
        response.KeepAlive = false;
        response.Close();
    }

    /// <summary>
    /// Stops: new requests are refused, requests in progress get <see cref="GracePeriod"/> to finish,
    /// then their <see cref="LoopbackContext.Aborted"/> token fires, and whatever is still open is
    /// dropped (never answered with an empty 200).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        await WaitInFlightAsync(GracePeriod).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await WaitInFlightAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        foreach (var ctx in _inFlight.Keys) Drop(ctx.Response);
        try { _listener.Stop(); }
        catch (ObjectDisposedException) { }
        try { await _accept.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false); }
        catch (TimeoutException) { }
        _listener.Close();
        _stop.Dispose();
    }

    /// <summary>How long <see cref="DisposeAsync"/> lets requests in progress finish normally.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private async Task WaitInFlightAsync(TimeSpan limit)
    {
        try { await Task.WhenAll(_inFlight.Values).WaitAsync(limit).ConfigureAwait(false); }
        catch (TimeoutException) { }
    }
}

/// <summary>Helpers for answering XML-RPC over HTTP.</summary>
internal static class XmlRpcHttp
{
    public static async Task WriteAsync(LoopbackContext ctx, byte[] body)
    {
        ctx.StatusCode = 200;
        ctx.ContentType = "text/xml; charset=utf-8";
        ctx.ContentLength = body.Length;
        await ctx.ResponseBody.WriteAsync(body, ctx.Aborted).ConfigureAwait(false);
    }

    /// <summary>Reads the request body into memory (XML-RPC documents are small) and decodes the call.</summary>
    public static async Task<XmlRpcCall> ReadCallAsync(LoopbackContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.RequestBody.CopyToAsync(ms, ctx.Aborted).ConfigureAwait(false);
        ms.Position = 0;
        return XmlRpc.ReadCall(ms);
    }
}
