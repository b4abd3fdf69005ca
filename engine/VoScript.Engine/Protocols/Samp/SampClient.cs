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
internal sealed class SampClient : IAsyncDisposable
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

    // ---- connection ----------------------------------------------------------

    private async Task<Connection> ConnectCoreAsync(CancellationToken ct)
    {
        await _connectLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_conn is { } c) return c;
            var path = _options.LockfilePath ?? SampLockfile.LocatePath();
            var lockfile = SampLockfile.TryRead(path)
                ?? throw new SampNoHubException($"No SAMP hub is running: there is no lockfile at {path}. {SampNoHubException.Advice}");
            var url = lockfile.HubUrl;
            try
            {
                await _rpc.CallAsync(url, "samp.hub.ping", [], TimeSpan.FromSeconds(Math.Min(3, _options.HubTimeout.TotalSeconds)), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or SampTimeoutException)
            {
                throw new SampNoHubException(
                    $"No SAMP hub is running: the lockfile {path} names {url}, which does not answer ({Inner(e)}); it was probably left by a hub that died. {SampNoHubException.Advice}", e);
            }
            object reg;
            try
            {
                reg = await _rpc.CallAsync(url, "samp.hub.register", [lockfile.Secret], _options.HubTimeout, ct).ConfigureAwait(false);
            }
            catch (XmlRpcFaultException f)
            {
                throw new SampException($"the SAMP hub at {url} refused registration: {f.FaultString}", f);
            }
            catch (HttpRequestException e)
            {
                throw new SampNoHubException($"the SAMP hub at {url} went away while registering ({Inner(e)}). {SampNoHubException.Advice}", e);
            }
            var map = reg as IReadOnlyDictionary<string, object>
                ?? throw new SampException($"the SAMP hub at {url} answered register with no map");
            string Get(string k) => map.GetValueOrDefault(k) as string
                ?? throw new SampException($"the SAMP hub at {url} answered register without {k}");
            var conn = new Connection(lockfile, url, Get("samp.private-key"), Get("samp.self-id"), Get("samp.hub-id"));
            _registering = conn; // callbacks may come before the declarations below return
            try
            {
                await HubCallAsync(conn, "samp.hub.setXmlrpcCallback", CallbackUrl.ToString()).ConfigureAwait(false);
                await HubCallAsync(conn, "samp.hub.declareMetadata", Metadata()).ConfigureAwait(false);
                await HubCallAsync(conn, "samp.hub.declareSubscriptions", Subscriptions()).ConfigureAwait(false);
            }
            finally
            {
                _registering = null;
            }
            _names.Clear();
            _conn = conn;
            return conn;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private Dictionary<string, object> Metadata() => new()
    {
        ["samp.name"] = _options.Name,
        ["samp.description.text"] = _options.Description,
        ["samp.icon.url"] = _options.IconUrl ?? new Uri(_server.BaseUri, "icon.png").ToString(),
        ["voscript.version"] = _options.Version,
    };

    private static Dictionary<string, object> Subscriptions()
    {
        var empty = new Dictionary<string, object>();
        return new Dictionary<string, object>
        {
            [SampMTypes.Ping] = empty,
            [SampMTypes.TableLoadVOTable] = empty,
            [SampMTypes.HubShutdown] = empty,
            [SampMTypes.HubDisconnect] = empty,
            [SampMTypes.HubMetadata] = empty,
        };
    }

    /// <summary>The current registration, registering again if the hub went away and one is back.</summary>
    private async Task<Connection> EnsureConnectedAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_conn is { } c) return c;
        var conn = await ConnectCoreAsync(ct).ConfigureAwait(false);
        _options.Log?.Invoke($"SAMP: registered again with the hub at {conn.HubUrl} as {conn.SelfId}");
        return conn;
    }

    private void MarkLost(Connection conn, string why)
    {
        if (Interlocked.CompareExchange(ref _conn, null, conn) != conn) return;
        _options.Log?.Invoke($"SAMP: lost the hub at {conn.HubUrl} ({why}); will register again when a hub is back");
        // replies can no longer come: fail the waiting calls now instead of at their timeout
        foreach (var (tag, tcs) in _pending)
            if (_pending.TryRemove(tag, out _))
                tcs.TrySetException(new SampException($"the SAMP hub at {conn.HubUrl} went away before the reply came ({why})"));
    }

    private async Task<object> HubCallAsync(Connection conn, string method, params object[] args)
    {
        var all = new object[args.Length + 1];
        all[0] = conn.PrivateKey;
        args.CopyTo(all, 1);
        try
        {
            return await _rpc.CallAsync(conn.HubUrl, method, all, _options.HubTimeout, _life.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or SampTimeoutException)
        {
            MarkLost(conn, Inner(e));
            throw new SampHubLostException($"the SAMP hub at {conn.HubUrl} went away during {method} ({Inner(e)})", e);
        }
        catch (XmlRpcFaultException f)
        {
            throw new SampException($"the SAMP hub refused {method}: {f.FaultString}", f);
        }
    }

    /// <summary>Runs <paramref name="op"/>; if the hub went away meanwhile, registers again (when a hub is back) and retries once.</summary>
    private async Task<T> WithHubAsync<T>(Func<Connection, Task<T>> op, CancellationToken ct)
    {
        var conn = await EnsureConnectedAsync(ct).ConfigureAwait(false);
        try
        {
            return await op(conn).ConfigureAwait(false);
        }
        catch (SampHubLostException)
        {
            conn = await EnsureConnectedAsync(ct).ConfigureAwait(false);
            return await op(conn).ConfigureAwait(false);
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.WatchInterval, ct).ConfigureAwait(false);
                if (_conn is { } conn)
                {
                    try
                    {
                        await _rpc.CallAsync(conn.HubUrl, "samp.hub.ping", [], _options.HubTimeout, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is HttpRequestException or SampTimeoutException or XmlRpcFormatException)
                    {
                        MarkLost(conn, Inner(e));
                    }
                }
                else if (_disposed == 0)
                {
                    try { await EnsureConnectedAsync(ct).ConfigureAwait(false); }
                    catch (SampException) { /* still no hub: try again later */ }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _options.Log?.Invoke($"SAMP: hub watch: {e.Message}");
            }
        }
    }

    private static string Inner(Exception e)
    {
        var x = e;
        while (x.InnerException is { } i && x is not SocketException) x = i;
        return x.Message;
    }

    // ---- clients -------------------------------------------------------------

    /// <summary>The other registered clients with their metadata and subscriptions.</summary>
    public Task<IReadOnlyList<SampClientInfo>> GetClientsAsync(CancellationToken ct = default) =>
        WithHubAsync(conn => GetClientsAsync(conn), ct);

    private async Task<IReadOnlyList<SampClientInfo>> GetClientsAsync(Connection conn)
    {
        var ids = await HubCallAsync(conn, "samp.hub.getRegisteredClients").ConfigureAwait(false) as IReadOnlyList<object> ?? [];
        var list = new List<SampClientInfo>();
        foreach (var id in ids.OfType<string>())
        {
            if (id == conn.SelfId) continue;
            try
            {
                var md = await HubCallAsync(conn, "samp.hub.getMetadata", id).ConfigureAwait(false) as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>();
                var subs = await HubCallAsync(conn, "samp.hub.getSubscriptions", id).ConfigureAwait(false) as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>();
                list.Add(new SampClientInfo(id, md, subs));
            }
            catch (SampException) when (_conn is not null)
            {
                // unregistered between the two calls
            }
        }
        return list;
    }

    /// <summary>
    /// The clients a message for <paramref name="target"/> goes to: <c>all</c> means every client
    /// subscribed to the MType; otherwise clients whose samp.name equals it ignoring case.
    /// </summary>
    private async Task<IReadOnlyList<SampClientInfo>> ResolveAsync(Connection conn, string target, string mtype)
    {
        var clients = await GetClientsAsync(conn).ConfigureAwait(false);
        var isHub = (SampClientInfo c) => c.Id == conn.HubId;
        if (string.Equals(target, "all", StringComparison.OrdinalIgnoreCase))
        {
            var subscribed = clients.Where(c => !isHub(c) && c.IsSubscribed(mtype)).ToList();
            if (subscribed.Count == 0)
                throw new SampException($"no SAMP client accepts {mtype} (registered: {Names(clients.Where(c => !isHub(c)))})");
            return subscribed;
        }
        var named = clients.Where(c => string.Equals(c.Name, target, StringComparison.OrdinalIgnoreCase)
                                       || string.Equals(c.Id, target, StringComparison.Ordinal)).ToList();
        if (named.Count == 0)
            throw new SampException($"no SAMP client named '{target}' is registered with the hub (registered: {Names(clients.Where(c => !isHub(c)))}); start it and connect it to the hub, or send to 'all'");
        var ok = named.Where(c => c.IsSubscribed(mtype)).ToList();
        if (ok.Count == 0)
            throw new SampException($"SAMP client '{named[0].Name}' does not accept {mtype} (it subscribes to {string.Join(", ", named[0].Subscriptions.Keys.Take(12))})");
        return ok;
    }

    private static string Names(IEnumerable<SampClientInfo> cs)
    {
        var n = cs.Select(c => c.Name).ToList();
        return n.Count == 0 ? "none" : string.Join(", ", n);
    }

    // ---- sending ---------------------------------------------------------------

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="target"/> (a samp.name in any case, a client id, or <c>all</c>).
    /// With <paramref name="waitForReply"/> each recipient gets a call and the reply is awaited (at most
    /// <see cref="SampClientOptions.ReplyTimeout"/>); otherwise a notification.
    /// </summary>
    public Task<SampSendResult> SendAsync(string target, SampMessage message, bool waitForReply = true, CancellationToken ct = default) =>
        WithHubAsync(async conn =>
        {
            var recipients = await ResolveAsync(conn, target, message.MType).ConfigureAwait(false);
            var tasks = recipients.Select(r => DeliverAsync(conn, r, message, waitForReply, ct)).ToList();
            return new SampSendResult(message.MType, await Task.WhenAll(tasks).ConfigureAwait(false));
        }, ct);

    private async Task<SampDelivery> DeliverAsync(Connection conn, SampClientInfo to, SampMessage message, bool waitForReply, CancellationToken ct)
    {
        if (!waitForReply)
        {
            await HubCallAsync(conn, "samp.hub.notify", to.Id, message.ToMap()).ConfigureAwait(false);
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.Notified, null);
        }
        var tag = $"vs-{Interlocked.Increment(ref _counter)}";
        var tcs = new TaskCompletionSource<SampResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[tag] = tcs;
        try
        {
            await HubCallAsync(conn, "samp.hub.call", to.Id, tag, message.ToMap()).ConfigureAwait(false);
            var response = await tcs.Task.WaitAsync(_options.ReplyTimeout, ct).ConfigureAwait(false);
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.Replied, response);
        }
        catch (TimeoutException)
        {
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.TimedOut, null);
        }
        finally
        {
            _pending.TryRemove(tag, out _);
        }
    }

    private async Task<SampSendResult> SendCheckedAsync(string target, SampMessage message, bool waitForReply, CancellationToken ct)
    {
        var result = await SendAsync(target, message, waitForReply, ct).ConfigureAwait(false);
        return result.ThrowIfFailed(_options.ReplyTimeout);
    }

    /// <summary>
    /// Sends a VOTable with table.load.votable. <paramref name="writeVOTable"/> writes the document
    /// (normally VOTableWriter, metadata intact); it is written once to a private temporary file
    /// and served from our loopback HTTP server until this client is disposed.
    /// </summary>
    public async Task<SampSentTable> SendVOTableAsync(string target, string name, Func<Stream, CancellationToken, Task> writeVOTable,
        bool waitForReply = true, string? tableId = null, CancellationToken ct = default)
    {
        var (url, served) = await ServeAsync(SafeFileName(name) + ".vot", "application/x-votable+xml", writeVOTable, ct).ConfigureAwait(false);
        served.AwaitFetch = !waitForReply;
        tableId ??= $"voscript-{SafeFileName(name)}-{Interlocked.Increment(ref _counter)}";
        var msg = new SampMessage(SampMTypes.TableLoadVOTable, new Dictionary<string, object>
        {
            ["url"] = url,
            ["table-id"] = tableId,
            ["name"] = Ascii(name),
        });
        var result = await SendCheckedAsync(target, msg, waitForReply, ct).ConfigureAwait(false);
        return new SampSentTable(tableId, url, name, result);
    }

    /// <summary>
    /// Sends a table with table.load.votable, written by <see cref="Formats.VOTable.VOTableWriter"/> (PARAMs, INFOs,
    /// GROUPs and all), served from our loopback HTTP server.
    /// </summary>
    public Task<SampSentTable> SendTableAsync(string target, Model.Table table, string? name = null, Formats.VOTable.VOTableWriteOptions? options = null,
        bool waitForReply = true, CancellationToken ct = default) =>
        SendVOTableAsync(target, name ?? table.Name ?? "table", (s, _) =>
        {
            Formats.VOTable.VOTableWriter.Write(table, s, options);
            return Task.CompletedTask;
        }, waitForReply, null, ct);

    /// <summary>Sends a VOTable file as it is, byte for byte.</summary>
    public Task<SampSentTable> SendVOTableFileAsync(string target, string path, string? name = null, bool waitForReply = true, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new SampException($"cannot send {path}: no such file");
        return SendVOTableAsync(target, name ?? System.IO.Path.GetFileNameWithoutExtension(path), async (s, c) =>
        {
            await using var f = File.OpenRead(path);
            await f.CopyToAsync(s, c).ConfigureAwait(false);
        }, waitForReply, null, ct);
    }

    /// <summary>Sends image.load.fits for a local FITS file (served over loopback HTTP) or a URL.</summary>
    public async Task<SampSendResult> SendImageAsync(string target, string pathOrUrl, string? name = null, bool waitForReply = true, CancellationToken ct = default)
    {
        var url = ReceiverUrl(pathOrUrl, "application/fits", !waitForReply);
        var ps = new Dictionary<string, object>
        {
            ["url"] = url,
            ["image-id"] = $"voscript-image-{Interlocked.Increment(ref _counter)}",
        };
        if (name is not null) ps["name"] = Ascii(name);
        return await SendCheckedAsync(target, new SampMessage(SampMTypes.ImageLoadFits, ps), waitForReply, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One spectrum.load.ssa-generic per row of a table of access URLs (an SSA result, say).
    /// The URL column is the one with utype *Access.Reference, else UCD meta.ref.url, else a
    /// column named accref/access_url/url, unless <paramref name="urlColumn"/> names it. Each row's
    /// non-null cells go into <c>meta</c>, keyed by utype (namespace prefix dropped) and by UCD.
    /// </summary>
    public async Task<IReadOnlyList<SampSendResult>> SendSpectraAsync(string target, Model.Table table, string? urlColumn = null,
        bool waitForReply = true, CancellationToken ct = default)
    {
        var col = FindUrlColumn(table, urlColumn);
        var titleCol = table.Columns.FirstOrDefault(c => c.Field.Utype?.EndsWith("DataID.Title", StringComparison.OrdinalIgnoreCase) == true)
                       ?? table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';').Contains("meta.title", StringComparer.OrdinalIgnoreCase) == true);
        var results = new List<SampSendResult>();
        if (table.RowCount == 0) return results;
        // resolve the recipients once (not once per row); an unknown name fails before anything is sent
        var recipients = await WithHubAsync(conn => ResolveAsync(conn, target, SampMTypes.SpectrumLoadSsa), ct).ConfigureAwait(false);
        for (var row = 0; row < table.RowCount; row++)
        {
            if (col.IsNull(row) || string.IsNullOrWhiteSpace(col.FormatCell(row)))
                throw new SampException($"row {row + 1} of {table.Name ?? "the table"} has no access URL in column '{col.Name}'");
            var url = ReceiverUrl(col.FormatCell(row).Trim(), "application/octet-stream", !waitForReply);
            var ps = new Dictionary<string, object>
            {
                ["url"] = url,
                ["meta"] = SpectrumMeta(table, row),
                ["spectrum-id"] = $"voscript-spectrum-{Interlocked.Increment(ref _counter)}",
            };
            var title = titleCol is not null && !titleCol.IsNull(row) ? titleCol.FormatCell(row) : null;
            ps["name"] = Ascii(string.IsNullOrWhiteSpace(title) ? $"{table.Name ?? "spectrum"} row {row + 1}" : title);
            var msg = new SampMessage(SampMTypes.SpectrumLoadSsa, ps);
            var result = await WithHubAsync(async conn =>
            {
                var tasks = recipients.Select(r => DeliverAsync(conn, r, msg, waitForReply, ct)).ToList();
                return new SampSendResult(msg.MType, await Task.WhenAll(tasks).ConfigureAwait(false));
            }, ct).ConfigureAwait(false);
            results.Add(result.ThrowIfFailed(_options.ReplyTimeout));
        }
        return results;
    }

    internal static Model.Column FindUrlColumn(Model.Table table, string? name)
    {
        if (name is not null)
            return table.FindColumn(name) ?? throw new SampException($"{table.Name ?? "the table"} has no column '{name}'");
        return table.Columns.FirstOrDefault(c => c.Field.Utype?.EndsWith("Access.Reference", StringComparison.OrdinalIgnoreCase) == true)
            ?? table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';').Contains("meta.ref.url", StringComparer.OrdinalIgnoreCase) == true)
            ?? table.Columns.FirstOrDefault(c => c.Name.ToLowerInvariant() is "accref" or "access_url" or "url")
            ?? throw new SampException($"{table.Name ?? "the table"} has no access-URL column (utype ssa:Access.Reference or UCD meta.ref.url); name the column to use");
    }

    internal static Dictionary<string, object> SpectrumMeta(Model.Table table, int row)
    {
        var meta = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var c in table.Columns)
        {
            if (c.IsNull(row)) continue;
            var v = Ascii(c.FormatCell(row));
            if (c.Field.Utype is { Length: > 0 } ut)
            {
                var colon = ut.IndexOf(':');
                meta[colon >= 0 ? ut[(colon + 1)..] : ut] = v;
            }
            if (c.Field.Ucd is { Length: > 0 } ucd) meta.TryAdd(ucd, v);
        }
        return meta;
    }

    /// <summary>coord.pointAt.sky (ICRS degrees).</summary>
    public Task<SampSendResult> PointAtAsync(string target, double ra, double dec, bool waitForReply = true, CancellationToken ct = default)
    {
        if (!(dec is >= -90 and <= 90)) throw new SampException($"declination {dec} is outside -90..90 degrees");
        var r = ra is >= 0 and < 360 ? ra : ((ra % 360) + 360) % 360;
        return SendCheckedAsync(target, new SampMessage(SampMTypes.CoordPointAtSky, new Dictionary<string, object>
        {
            ["ra"] = SampMTypes.Float(r),
            ["dec"] = SampMTypes.Float(dec),
        }), waitForReply, ct);
    }

    /// <summary>table.highlight.row (0-based row) of a table sent before.</summary>
    public Task<SampSendResult> HighlightRowAsync(string target, SampTableRef table, long row, bool waitForReply = true, CancellationToken ct = default)
    {
        var ps = TableParams(table);
        ps["row"] = SampMTypes.Int(row);
        return SendCheckedAsync(target, new SampMessage(SampMTypes.TableHighlightRow, ps), waitForReply, ct);
    }

    /// <summary>table.select.rowList (0-based rows) of a table sent before.</summary>
    public Task<SampSendResult> SelectRowsAsync(string target, SampTableRef table, IEnumerable<long> rows, bool waitForReply = true, CancellationToken ct = default)
    {
        var ps = TableParams(table);
        ps["row-list"] = rows.Select(r => (object)SampMTypes.Int(r)).ToList();
        return SendCheckedAsync(target, new SampMessage(SampMTypes.TableSelectRowList, ps), waitForReply, ct);
    }

    private static Dictionary<string, object> TableParams(SampTableRef t)
    {
        if (t.TableId is null && t.Url is null) throw new SampException("a table reference needs a table-id or a URL");
        var ps = new Dictionary<string, object>();
        if (t.TableId is not null) ps["table-id"] = t.TableId;
        if (t.Url is not null) ps["url"] = t.Url;
        return ps;
    }

    /// <summary>samp.app.ping: every recipient must answer samp.ok in time.</summary>
    public Task<SampSendResult> PingAsync(string target, CancellationToken ct = default) =>
        SendCheckedAsync(target, new SampMessage(SampMTypes.Ping), true, ct);

    // ---- serving -------------------------------------------------------------

    private async Task<(string Url, Served Served)> ServeAsync(string fileName, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(_tempDir, token + "-" + fileName);
        await using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, true))
        {
            await write(f, ct).ConfigureAwait(false);
        }
        var served = new Served(path, contentType, false);
        _served[token] = served;
        return (new Uri(_server.BaseUri, $"samp/{token}/{Uri.EscapeDataString(fileName)}").ToString(), served);
    }

    /// <summary>An http/https/file URL as it is; an existing local file is served over loopback HTTP.</summary>
    private string ReceiverUrl(string pathOrUrl, string contentType, bool awaitFetch)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "file" or "ftp")
            return Ascii(u.AbsoluteUri);
        if (!File.Exists(pathOrUrl)) throw new SampException($"'{pathOrUrl}' is neither a URL nor an existing file");
        var full = System.IO.Path.GetFullPath(pathOrUrl);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _served[token] = new Served(full, contentType, awaitFetch);
        return new Uri(_server.BaseUri, $"samp/{token}/{Uri.EscapeDataString(System.IO.Path.GetFileName(full))}").ToString();
    }

    private static string SafeFileName(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return sb.Length == 0 ? "table" : sb.ToString();
    }

    /// <summary>SAMP strings are 7-bit ASCII: other characters are percent-encoded (UTF-8).</summary>
    internal static string Ascii(string s)
    {
        if (s.All(c => c is >= (char)0x20 and < (char)0x7f or '\t' or '\n' or '\r')) return s;
        var sb = new StringBuilder();
        Span<byte> b = stackalloc byte[4];
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value is >= 0x20 and < 0x7f or 0x09 or 0x0a or 0x0d) sb.Append((char)r.Value);
            else
            {
                var n = r.EncodeToUtf8(b);
                for (var i = 0; i < n; i++) sb.Append('%').Append(b[i].ToString("X2"));
            }
        }
        return sb.ToString();
    }

    // ---- receiving -----------------------------------------------------------

    /// <summary>
    /// Waits for a table.load.votable sent to us (by <paramref name="from"/>, a samp.name in any case,
    /// or by anyone), fetches it and returns its bytes. Tables that arrived before the call are taken
    /// first, oldest first.
    /// </summary>
    public async Task<SampReceivedTable> ReceiveTableAsync(string? from, TimeSpan timeout, CancellationToken ct = default)
    {
        await EnsureConnectedAsync(ct).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_inbox)
            {
                var i = _inbox.FindIndex(t => from is null || string.Equals(t.SenderName, from, StringComparison.OrdinalIgnoreCase) || t.SenderId == from);
                if (i >= 0)
                {
                    var t = _inbox[i];
                    _inbox.RemoveAt(i);
                    return t;
                }
                changed = _inboxChanged.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new SampTimeoutException(
                    $"no table arrived{(from is null ? "" : $" from '{from}'")} within {timeout.TotalSeconds:0.#} s; send one to '{_options.Name}' with table.load.votable (in TOPCAT: Interop → Send Table to → {_options.Name})");
            }
        }
    }

    private async Task<SampReceivedTable> FetchAsync(string senderId, SampMessage msg)
    {
        var url = msg.Param("url") ?? throw new SampException("table.load.votable without a url");
        byte[] bytes;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u))
            throw new SampException($"table.load.votable url '{url}' is not a URL");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        cts.CancelAfter(_options.DownloadTimeout);
        if (u.IsFile)
            bytes = await File.ReadAllBytesAsync(u.LocalPath, cts.Token).ConfigureAwait(false);
        else if (u.Scheme is "http" or "https")
            bytes = await _http.GetByteArrayAsync(u, cts.Token).ConfigureAwait(false);
        else
            throw new SampException($"cannot fetch '{url}': only file:, http: and https: URLs are supported");
        Model.Table table;
        try
        {
            table = Formats.VOTable.VOTableReader.Read(new MemoryStream(bytes, writable: false));
        }
        catch (Formats.VOTable.VOTableFormatException e)
        {
            throw new SampException($"{url} is not a readable VOTable: {e.Message}", e);
        }
        if (table.Name is null && msg.Param("name") is { Length: > 0 } n) table.Name = n;
        var name = await SenderNameAsync(senderId).ConfigureAwait(false);
        return new SampReceivedTable(senderId, name, url, msg.Param("table-id"), msg.Param("name"), bytes, table);
    }

    private async Task<string> SenderNameAsync(string id)
    {
        if (_names.TryGetValue(id, out var n)) return n;
        if (_conn is { } conn)
        {
            try
            {
                var md = await HubCallAsync(conn, "samp.hub.getMetadata", id).ConfigureAwait(false) as IReadOnlyDictionary<string, object>;
                if (md?.GetValueOrDefault("samp.name") is string s) return _names[id] = s;
            }
            catch (SampException) { }
        }
        return id;
    }

    private void Deliver(SampReceivedTable t)
    {
        lock (_inbox)
        {
            _inbox.Add(t);
            if (_inbox.Count > 32) _inbox.RemoveAt(0);
            var old = _inboxChanged;
            _inboxChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            old.TrySetResult();
        }
    }

    // ---- HTTP server -----------------------------------------------------------

    private async Task HandleAsync(LoopbackContext ctx)
    {
        var path = ctx.Path;
        if (ctx.IsPost && path == "/xmlrpc")
        {
            await HandleXmlRpcAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (ctx.IsGet || ctx.IsHead)
        {
            if (path == "/icon.png")
            {
                var png = Convert.FromBase64String(IconPng);
                ctx.ContentType = "image/png";
                ctx.ContentLength = png.Length;
                if (ctx.IsGet) await ctx.ResponseBody.WriteAsync(png, ctx.Aborted).ConfigureAwait(false);
                return;
            }
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "samp" && _served.TryGetValue(parts[1], out var served) && File.Exists(served.Path))
            {
                var info = new FileInfo(served.Path);
                ctx.ContentType = served.ContentType;
                ctx.ContentLength = info.Length;
                if (ctx.IsGet)
                {
                    await using var f = new FileStream(served.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, true);
                    await f.CopyToAsync(ctx.ResponseBody, ctx.Aborted).ConfigureAwait(false);
                    Interlocked.Increment(ref served.Fetches);
                }
                return;
            }
        }
        ctx.StatusCode = 404;
    }

    private async Task HandleXmlRpcAsync(LoopbackContext ctx)
    {
        XmlRpcCall call;
        try
        {
            call = await XmlRpcHttp.ReadCallAsync(ctx).ConfigureAwait(false);
        }
        catch (XmlRpcFormatException e)
        {
            await XmlRpcHttp.WriteAsync(ctx, XmlRpc.WriteFault(1, e.Message)).ConfigureAwait(false);
            return;
        }
        byte[] answer;
        try
        {
            HandleCallback(call);
            answer = XmlRpc.WriteResponse("");
        }
        catch (SampException e)
        {
            answer = XmlRpc.WriteFault(1, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _options.Log?.Invoke($"SAMP: internal error in a callback: {e}");
            answer = XmlRpc.WriteFault(2, $"internal client error: {e.Message}");
        }
        await XmlRpcHttp.WriteAsync(ctx, answer).ConfigureAwait(false);
    }

    /// <summary>Checks the private key and dispatches one hub callback.</summary>
    internal void HandleCallback(XmlRpcCall call)
    {
        var conn = _conn ?? _registering;
        var key = call.Params.Count > 0 ? call.Params[0] as string : null;
        if (conn is null || key is null || !KeyEquals(key, conn.PrivateKey))
            throw new SampException("bad private key: this callback is only for the SAMP hub this client registered with");
        string Arg(int i) => call.Params.Count > i && call.Params[i] is string s ? s : throw new SampException($"{call.Method}: argument {i + 1} is not a string");
        switch (call.Method)
        {
            case "samp.client.receiveNotification":
            {
                var sender = Arg(1);
                var msg = SampMessage.FromMap(call.Params.Count > 2 ? call.Params[2] : "");
                OnNotification(conn, sender, msg);
                break;
            }
            case "samp.client.receiveCall":
            {
                var sender = Arg(1);
                var msgId = Arg(2);
                var msg = SampMessage.FromMap(call.Params.Count > 3 ? call.Params[3] : "");
                _ = Task.Run(() => AnswerCallAsync(conn, sender, msgId, msg));
                break;
            }
            case "samp.client.receiveResponse":
            {
                var tag = Arg(2);
                var response = SampResponse.FromMap(call.Params.Count > 3 ? call.Params[3] : "");
                if (_pending.TryGetValue(tag, out var tcs)) tcs.TrySetResult(response);
                break;
            }
            default:
                throw new SampException($"unknown callback method {call.Method}");
        }
    }

    private static bool KeyEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private void OnNotification(Connection conn, string sender, SampMessage msg)
    {
        switch (msg.MType)
        {
            case SampMTypes.HubShutdown:
                MarkLost(conn, "the hub announced its shutdown");
                break;
            case SampMTypes.HubDisconnect:
                MarkLost(conn, "the hub disconnected us" + (msg.Param("reason") is { } r ? $": {r}" : ""));
                break;
            case SampMTypes.HubMetadata:
                if (msg.Param("id") is { } id && msg.Params.GetValueOrDefault("metadata") is IReadOnlyDictionary<string, object> md
                    && md.GetValueOrDefault("samp.name") is string name)
                    _names[id] = name;
                break;
            case SampMTypes.TableLoadVOTable:
                _ = Task.Run(async () =>
                {
                    try { Deliver(await FetchAsync(sender, msg).ConfigureAwait(false)); }
                    catch (Exception e) when (e is not OperationCanceledException || !_life.IsCancellationRequested)
                    {
                        _options.Log?.Invoke($"SAMP: could not fetch the table sent by {sender}: {e.Message}");
                    }
                });
                break;
        }
    }

    private async Task AnswerCallAsync(Connection conn, string sender, string msgId, SampMessage msg)
    {
        SampResponse response;
        SampReceivedTable? received = null;
        try
        {
            switch (msg.MType)
            {
                case SampMTypes.Ping:
                    response = SampResponse.Ok();
                    break;
                case SampMTypes.TableLoadVOTable:
                    var t = await FetchAsync(sender, msg).ConfigureAwait(false);
                    received = t;
                    response = SampResponse.Ok(new Dictionary<string, object> { ["voscript.bytes"] = SampMTypes.Int(t.Content.Length) });
                    break;
                default:
                    response = SampResponse.Fail($"{_options.Name} does not handle {msg.MType}");
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_life.IsCancellationRequested)
        {
            response = SampResponse.Fail($"{_options.Name} could not load the table: {e.Message}", e.GetType().Name);
        }
        try
        {
            await HubCallAsync(conn, "samp.hub.reply", msgId, response.ToMap()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SampException or OperationCanceledException)
        {
            _options.Log?.Invoke($"SAMP: could not reply to {sender}: {e.Message}");
        }
        finally
        {
            // handed to ReceiveTableAsync only after the reply went out: a script that ends right
            // after receiving (and unregisters) must not leave the sender with "unregistered before replying"
            if (received is not null) Deliver(received);
        }
    }

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
