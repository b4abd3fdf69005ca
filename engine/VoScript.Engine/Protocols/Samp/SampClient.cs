using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>Settings of a <see cref="SampClient"/>; the host sets them, the client never invents limits.</summary>
internal sealed class SampClientOptions
{
    /// <summary>samp.name declared to the hub.</summary>
    public string Name { get; init; } = "voscript";

    public string Description { get; init; } = "VoScript: scripted Virtual Observatory workflows";

    /// <summary>samp.icon.url; null serves VoScript's own icon from the callback server.</summary>
    public string? IconUrl { get; init; }

    public string Version { get; init; } = typeof(SampClient).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>Lockfile to use instead of SAMP_HUB / ~/.samp discovery.</summary>
    public string? LockfilePath { get; init; }

    /// <summary>How long to wait for a receiver's reply to one message.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one XML-RPC call to the hub may take.</summary>
    public TimeSpan HubTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to fetch a table sent to us.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>On dispose, how long to keep serving a table that was notified (not called) and not fetched yet.</summary>
    public TimeSpan ServeGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the hub is pinged (and, when it went away, looked for again); zero turns the watch off.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress and warnings for the host (hub lost, re-registered, …).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>HTTP client for the hub, callbacks and downloads; null makes one.</summary>
    public HttpClient? Http { get; init; }
}

/// <summary>What happened to a message sent to one client.</summary>
internal enum SampDeliveryOutcome { Replied, Notified, TimedOut }

/// <summary>The fate of a message at one recipient.</summary>
internal sealed record SampDelivery(string ClientId, string ClientName, SampDeliveryOutcome Outcome, SampResponse? Response)
{
    public bool Failed => Outcome == SampDeliveryOutcome.TimedOut || Response?.Status == SampStatus.Error;
}

/// <summary>The result of one send: one delivery per recipient.</summary>
internal sealed record SampSendResult(string MType, IReadOnlyList<SampDelivery> Deliveries)
{
    /// <summary>Throws a <see cref="SampException"/> naming each receiver that answered samp.error (with its message) or timed out.</summary>
    public SampSendResult ThrowIfFailed(TimeSpan timeout)
    {
        var bad = Deliveries.Where(d => d.Failed).ToList();
        if (bad.Count == 0) return this;
        var parts = bad.Select(d => d.Outcome == SampDeliveryOutcome.TimedOut
            ? $"{d.ClientName} did not reply to {MType} within {timeout.TotalSeconds:0.#} s"
            : $"{d.ClientName} refused {MType}: {d.Response!.ErrorText}");
        throw new SampException(string.Join("; ", parts));
    }
}

/// <summary>How a table we sent can be referred to later (highlight, select).</summary>
internal sealed record SampTableRef(string? TableId, string? Url);

/// <summary>A table sent by us: its id and URL, and the deliveries.</summary>
internal sealed record SampSentTable(string TableId, string Url, string Name, SampSendResult Result)
{
    public SampTableRef Ref => new(TableId, Url);
}

/// <summary>A table another client sent us with table.load.votable: fetched, and read with the VOTable reader.</summary>
internal sealed record SampReceivedTable(string SenderId, string SenderName, string Url, string? TableId, string? Name, byte[] Content, Model.Table Table);

/// <summary>
/// A SAMP 1.3 Standard Profile client: registers with the hub, serves its
/// XML-RPC callbacks and the tables it sends on 127.0.0.1 only, sends
/// messages with a timeout on every reply, receives tables, notices a hub
/// that goes away and registers again when one comes back.
/// </summary>
internal sealed partial class SampClient : IAsyncDisposable
{
    private const string IconPng = "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAmUlEQVR42u3XzQ2AIAwFYMZxEmdiHM8O5pkNMN6x6c8DnoYmvdLPamxJaYUx8lmqlNMKd4NYC0Mh0eIhhHTgth/NhCGshbUQd3FtYQ3EDHgOqldupgfhenokQES8tT4CUHdBevdoQBMhfXhRgKoL1ABELsD3AEiE+mc0CjBkELkHUm8A/zievpBQrGQUSynFWk5xMaG5mv02bue3T2+kpS/bAAAAAElFTkSuQmCC";

    private sealed record Connection(SampLockfile Lock, Uri HubUrl, string PrivateKey, string SelfId, string HubId);

    private sealed class Served(string path, string contentType, bool awaitFetch)
    {
        public string Path { get; } = path;
        public string ContentType { get; } = contentType;
        public bool AwaitFetch { get; set; } = awaitFetch;
        public int Fetches;
    }

    private readonly SampClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly XmlRpcClient _rpc;
    private readonly LoopbackHttpServer _server;
    private readonly string _tempDir;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SampResponse>> _pending = new();
    private readonly ConcurrentDictionary<string, Served> _served = new();
    private readonly List<SampReceivedTable> _inbox = [];
    private readonly ConcurrentDictionary<string, string> _names = new();
    private readonly CancellationTokenSource _life = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private TaskCompletionSource _inboxChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Connection? _conn;
    private volatile Connection? _registering;
    private Task? _watch;
    private long _counter;
    private int _disposed;

    private SampClient(SampClientOptions options, HttpClient http, bool ownsHttp, LoopbackHttpServer server, string tempDir)
    {
        _options = options;
        _http = http;
        _ownsHttp = ownsHttp;
        _rpc = new XmlRpcClient();
        _server = server;
        _tempDir = tempDir;
    }

    /// <summary>Our samp.self-id at the hub, or null while not registered.</summary>
    public string? SelfId => _conn?.SelfId;

    public bool IsRegistered => _conn is not null;

    /// <summary>The lockfile of the hub we are registered with.</summary>
    public string? LockfilePath => _conn?.Lock.Path;

    /// <summary>Our callback/table server, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri ServerUri => _server.BaseUri;

    internal Uri CallbackUrl => new(_server.BaseUri, "xmlrpc");

    /// <summary>Finds the hub, registers and declares metadata and subscriptions. No hub → <see cref="SampNoHubException"/>.</summary>
    public static async Task<SampClient> ConnectAsync(SampClientOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SampClientOptions();
        var ownsHttp = options.Http is null;
        var http = options.Http ?? new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var tempDir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "voscript-samp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(tempDir);
        else Directory.CreateDirectory(tempDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        SampClient? client = null;
        LoopbackHttpServer? server = null;
        try
        {
            var box = new StrongBox<SampClient?>();
            server = await LoopbackHttpServer.StartAsync(ctx => box.Value!.HandleAsync(ctx), 0, ct).ConfigureAwait(false);
            client = new SampClient(options, http, ownsHttp, server, tempDir);
            box.Value = client;
            await client.ConnectCoreAsync(ct).ConfigureAwait(false);
            if (options.WatchInterval > TimeSpan.Zero) client._watch = Task.Run(() => client.WatchAsync(client._life.Token), CancellationToken.None);
            return client;
        }
        catch
        {
            if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
            else
            {
                if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
                if (ownsHttp) http.Dispose();
                TryDeleteDir(tempDir);
            }
            throw;
        }
    }

    private sealed class StrongBox<T> { public T? Value; }

    // ---- shutdown ------------------------------------------------------------

    /// <summary>Unregisters (if the hub is still there), stops serving and deletes the served files.
    /// Notified tables not yet fetched are served for up to <see cref="SampClientOptions.ServeGrace"/> first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var deadline = DateTime.UtcNow + _options.ServeGrace;
        while (_served.Values.Any(s => s.AwaitFetch && Volatile.Read(ref s.Fetches) == 0) && DateTime.UtcNow < deadline)
            await Task.Delay(100).ConfigureAwait(false);
        _life.Cancel();
        if (_watch is not null)
        {
            try { await _watch.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        if (Interlocked.Exchange(ref _conn, null) is { } conn)
        {
            try
            {
                await _rpc.CallAsync(conn.HubUrl, "samp.hub.unregister", [conn.PrivateKey],
                    TimeSpan.FromSeconds(Math.Min(3, _options.HubTimeout.TotalSeconds)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SampException or HttpRequestException)
            {
                // the hub is gone already
            }
        }
        foreach (var t in _pending.Values) t.TrySetCanceled();
        await _server.DisposeAsync().ConfigureAwait(false);
        if (_ownsHttp) _http.Dispose();
        _rpc.Dispose();
        TryDeleteDir(_tempDir);
        _life.Dispose();
    }

    private static void TryDeleteDir(string dir)
    {
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The hub stopped answering in the middle of an operation.</summary>
internal sealed class SampHubLostException(string message, Exception inner) : SampException(message, inner);
