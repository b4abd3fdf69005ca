using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>Settings of a <see cref="SampHub"/>.</summary>
public sealed class SampHubOptions
{
    /// <summary>Lockfile to write; null means SAMP_HUB (std-lockurl:file:…) or ~/.samp.</summary>
    public string? LockfilePath { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How long a callback to a client may take before it counts as failed.</summary>
    public TimeSpan CallbackTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound for callAndWait when a client asks for no timeout (0).</summary>
    public TimeSpan MaxCallAndWait { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Accept callback URLs whose host is not this machine (off: only loopback addresses, localhost and this machine's name).</summary>
    public bool AllowRemoteCallbacks { get; init; }

    /// <summary>Events for the host (client registered, message forwarded, …).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// A SAMP 1.3 hub, Standard Profile: XML-RPC on 127.0.0.1 only, a lockfile
/// readable by its owner only, the secret checked at registration and the
/// private key on every call, messages forwarded in order per recipient,
/// <c>samp.hub.event.*</c> sent to subscribers, shutdown announced and the
/// lockfile removed on dispose.
/// </summary>
public sealed class SampHub : IAsyncDisposable
{
    private const string HubId = "hub";

    private sealed class Client(string id, string key)
    {
        public string Id { get; } = id;
        public string Key { get; } = key;
        public Dictionary<string, object> Metadata { get; set; } = new();
        public Dictionary<string, object> Subscriptions { get; set; } = new();
        public Uri? Callback { get; set; }
        public Channel<(string Method, object[] Args, Action<Exception>? OnFail)> Queue { get; } =
            Channel.CreateUnbounded<(string, object[], Action<Exception>?)>(new UnboundedChannelOptions { SingleReader = true });
        public Task? Pump { get; set; }
    }

    private sealed record PendingCall(string SenderId, string RecipientId, string? Tag, TaskCompletionSource<SampResponse>? Waiter);

    private readonly SampHubOptions _options;
    private readonly string _secret;
    private readonly string _lockPath;
    private readonly object _gate = new();
    private readonly Dictionary<string, Client> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Client> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingCall> _calls = new(StringComparer.Ordinal);
    private readonly XmlRpcClient _rpc;
    private readonly CancellationTokenSource _life = new();
    private LoopbackHttpServer? _server;
    private long _clientCounter;
    private long _msgCounter;
    private int _disposed;

    private SampHub(SampHubOptions options, string lockPath)
    {
        _options = options;
        _lockPath = lockPath;
        _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _rpc = new XmlRpcClient(loopbackOnly: !options.AllowRemoteCallbacks);
    }

    /// <summary>The hub's XML-RPC endpoint (<c>http://127.0.0.1:PORT/xmlrpc</c>).</summary>
    public Uri XmlRpcUrl => new(_server!.BaseUri, "xmlrpc");

    /// <summary>The path of the hub's lockfile.</summary>
    public string LockfilePath => _lockPath;

    /// <summary>Registered client ids (the hub itself included).</summary>
    public IReadOnlyList<string> ClientIds
    {
        get { lock (_gate) return [.. _byId.Keys]; }
    }

    /// <summary>
    /// Starts the hub and writes the lockfile. A lockfile whose hub still answers is an error;
    /// a stale one (hub dead) is replaced.
    /// </summary>
    public static async Task<SampHub> StartAsync(SampHubOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SampHubOptions();
        var path = Path.GetFullPath(options.LockfilePath ?? SampLockfile.LocatePath());
        var hub = new SampHub(options, path);
        try
        {
            await hub.CheckNoLiveHubAsync(ct).ConfigureAwait(false);
            hub._server = await LoopbackHttpServer.StartAsync(hub.HandleAsync, options.Port, ct).ConfigureAwait(false);
            hub.RegisterSelf();
            hub.WriteLockfile();
            return hub;
        }
        catch
        {
            await hub.DisposeCoreAsync(deleteLock: false).ConfigureAwait(false);
            throw;
        }
    }

    private async Task CheckNoLiveHubAsync(CancellationToken ct)
    {
        SampLockfile? existing;
        try { existing = SampLockfile.TryRead(_lockPath); }
        catch (SampException) { existing = null; } // unreadable or half-written: treat as stale
        if (existing is null) return;
        try
        {
            await _rpc.CallAsync(existing.HubUrl, "samp.hub.ping", [], TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or SampTimeoutException or XmlRpcFormatException or XmlRpcFaultException)
        {
            _options.Log?.Invoke($"replacing stale lockfile {_lockPath} (its hub at {existing.HubUrl} does not answer)");
            return;
        }
        throw new SampException($"a SAMP hub is already running at {existing.HubUrl} (lockfile {_lockPath}); use it, or stop it first, or give this hub another lockfile");
    }

    private void WriteLockfile()
    {
        var dir = Path.GetDirectoryName(_lockPath);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var text = SampLockfile.Format(
        [
            new(SampLockfile.SecretKey, _secret),
            new(SampLockfile.UrlKey, XmlRpcUrl.ToString()),
            new(SampLockfile.VersionKey, "1.3"),
            new("hub.impl", "VoScript.SampHub"),
            new("hub.start.date", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
        ], "SAMP Standard Profile lockfile written by voscript hub");
        var tmp = _lockPath + ".tmp-" + Environment.ProcessId;
        var opts = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) opts.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(tmp, opts))
        {
            f.Write(Encoding.ASCII.GetBytes(text));
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, _lockPath, overwrite: true);
    }

    private void RegisterSelf()
    {
        var self = new Client(HubId, "hub-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
        {
            Metadata = new Dictionary<string, object>
            {
                ["samp.name"] = "VoScript Hub",
                ["samp.description.text"] = "SAMP hub of VoScript (voscript hub)",
                ["voscript.version"] = typeof(SampHub).Assembly.GetName().Version?.ToString(3) ?? "0",
            },
            Subscriptions = new Dictionary<string, object> { [SampMTypes.Ping] = new Dictionary<string, object>() },
        };
        lock (_gate)
        {
            _byId[self.Id] = self;
            _byKey[self.Key] = self;
        }
    }

    // ---- HTTP / XML-RPC ----------------------------------------------------------

    private async Task HandleAsync(LoopbackContext ctx)
    {
        if (!ctx.IsPost)
        {
            ctx.StatusCode = 405;
            return;
        }
        byte[] answer;
        try
        {
            var call = await XmlRpcHttp.ReadCallAsync(ctx).ConfigureAwait(false);
            var result = await DispatchAsync(call, ctx.Aborted).ConfigureAwait(false);
            answer = XmlRpc.WriteResponse(result);
        }
        catch (Exception e) when (e is SampException or XmlRpcFormatException)
        {
            answer = XmlRpc.WriteFault(1, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException and not LoopbackContext.RequestTooLargeException)
        {
            // a hub must answer every call: a bug here becomes a fault, not a dropped connection
            _options.Log?.Invoke($"internal error: {e}");
            answer = XmlRpc.WriteFault(2, $"internal hub error: {e.Message}");
        }
        await XmlRpcHttp.WriteAsync(ctx, answer).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a callback URL's host is this machine's loopback: a loopback address literal (127.0.0.0/8, ::1, IPv4-mapped),
    /// or a name (<c>localhost</c>, this machine's own host name, an alias) every address of which is loopback. A name is
    /// judged by what it resolves to, never by its spelling: a host name that resolves to a network address is refused.
    /// </summary>
    internal static bool IsLocalHost(Uri u) => IsLoopbackHost(u.Host, ResolveQuickly);

    /// <summary><see cref="IsLocalHost"/> with the resolver given (for tests); a name that does not resolve is not local.</summary>
    internal static bool IsLoopbackHost(string host, Func<string, System.Net.IPAddress[]> resolve)
    {
        host = host.Trim('[', ']');
        if (System.Net.IPAddress.TryParse(host, out var ip)) return IsLoopback(ip);
        System.Net.IPAddress[] addresses;
        try { addresses = resolve(host); }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException or TimeoutException or OperationCanceledException) { return false; }
        return addresses.Length > 0 && addresses.All(IsLoopback);
    }

    internal static bool IsLoopback(System.Net.IPAddress ip) => System.Net.IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);

    /// <summary>DNS resolution bounded to 3 s (a hub must answer promptly; a name that takes longer is not this machine's).</summary>
    private static System.Net.IPAddress[] ResolveQuickly(string host)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var t = System.Net.Dns.GetHostAddressesAsync(host, cts.Token);
        if (!((IAsyncResult)t).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(3))) throw new TimeoutException($"resolving {host} took more than 3 s");
        return t.GetAwaiter().GetResult();
    }

    private static string Str(XmlRpcCall c, int i) =>
        c.Params.Count > i && c.Params[i] is string s ? s : throw new SampException($"{c.Method}: argument {i + 1} must be a string");

    private static IReadOnlyDictionary<string, object> Map(XmlRpcCall c, int i) =>
        c.Params.Count > i && c.Params[i] is IReadOnlyDictionary<string, object> m ? m : throw new SampException($"{c.Method}: argument {i + 1} must be a map");

    private Client Caller(XmlRpcCall c)
    {
        var key = Str(c, 0);
        lock (_gate)
        {
            return _byKey.TryGetValue(key, out var cl) && cl.Id != HubId ? cl
                : throw new SampException("bad private key (unknown or unregistered client)");
        }
    }

    private bool Recipient(string id, out Client client)
    {
        lock (_gate) return _byId.TryGetValue(id, out client!);
    }

    private Client Recipient(string id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out var cl) ? cl : throw new SampException($"no client with id {id} is registered");
        }
    }

    internal async Task<object> DispatchAsync(XmlRpcCall c, CancellationToken ct)
    {
        var name = c.Method.StartsWith("samp.hub.", StringComparison.Ordinal) ? c.Method["samp.hub.".Length..] : c.Method;
        switch (name)
        {
            case "ping":
                return "";
            case "register":
            {
                var secret = Str(c, 0);
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(_secret)))
                    throw new SampException("bad secret: registration refused (read samp.secret from the lockfile)");
                var id = "c" + Interlocked.Increment(ref _clientCounter);
                var cl = new Client(id, "k-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
                lock (_gate)
                {
                    _byId[id] = cl;
                    _byKey[cl.Key] = cl;
                }
                cl.Pump = Task.Run(() => PumpAsync(cl));
                _options.Log?.Invoke($"registered {id}");
                Event(SampMTypes.HubRegister, new Dictionary<string, object> { ["id"] = id });
                return new Dictionary<string, object>
                {
                    ["samp.private-key"] = cl.Key,
                    ["samp.self-id"] = id,
                    ["samp.hub-id"] = HubId,
                };
            }
            case "unregister":
            {
                var cl = Caller(c);
                Remove(cl);
                return "";
            }
            case "declareMetadata":
            {
                var cl = Caller(c);
                cl.Metadata = new Dictionary<string, object>(Map(c, 1));
                if (cl.Metadata.GetValueOrDefault("samp.name") is string n) _options.Log?.Invoke($"{cl.Id} is {n}");
                Event(SampMTypes.HubMetadata, new Dictionary<string, object> { ["id"] = cl.Id, ["metadata"] = cl.Metadata });
                return "";
            }
            case "getMetadata":
                Caller(c);
                return Recipient(Str(c, 1)).Metadata;
            case "declareSubscriptions":
            {
                var cl = Caller(c);
                cl.Subscriptions = new Dictionary<string, object>(Map(c, 1));
                Event(SampMTypes.HubSubscriptions, new Dictionary<string, object> { ["id"] = cl.Id, ["subscriptions"] = cl.Subscriptions });
                return "";
            }
            case "getSubscriptions":
                Caller(c);
                return Recipient(Str(c, 1)).Subscriptions;
            case "getRegisteredClients":
            {
                var cl = Caller(c);
                lock (_gate) return _byId.Keys.Where(k => k != cl.Id).Select(k => (object)k).ToList();
            }
            case "getSubscribedClients":
            {
                var cl = Caller(c);
                var mtype = Str(c, 1);
                var map = new Dictionary<string, object>();
                foreach (var other in Snapshot().Where(o => o.Id != cl.Id))
                    if (Annotation(other, mtype) is { } ann) map[other.Id] = ann;
                return map;
            }
            case "setXmlrpcCallback":
            {
                var cl = Caller(c);
                var url = Str(c, 1);
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                    throw new SampException($"callback URL '{url}' is not an http URL");
                if (!_options.AllowRemoteCallbacks && !IsLocalHost(u))
                    throw new SampException($"callback URL '{url}' is not on this machine: the hub calls back only loopback addresses (127.0.0.1, ::1, or a name such as localhost that resolves only to them); start the hub with --allow-remote to permit others");
                cl.Callback = u;
                return "";
            }
            case "notify":
            {
                var cl = Caller(c);
                var to = Recipient(Str(c, 1));
                var msg = Message(c, 2);
                CheckSubscribed(to, msg);
                Forward(to, "samp.client.receiveNotification", [to.Key, cl.Id, msg], null);
                return "";
            }
            case "notifyAll":
            {
                var cl = Caller(c);
                var msg = Message(c, 1);
                var ids = new List<object>();
                foreach (var to in Recipients(cl, msg))
                {
                    Forward(to, "samp.client.receiveNotification", [to.Key, cl.Id, msg], null);
                    ids.Add(to.Id);
                }
                return ids;
            }
            case "call":
            {
                var cl = Caller(c);
                var to = Recipient(Str(c, 1));
                var tag = Str(c, 2);
                var msg = Message(c, 3);
                CheckSubscribed(to, msg);
                return StartCall(cl, to, tag, msg, null);
            }
            case "callAll":
            {
                var cl = Caller(c);
                var tag = Str(c, 1);
                var msg = Message(c, 2);
                var ids = new Dictionary<string, object>();
                foreach (var to in Recipients(cl, msg)) ids[to.Id] = StartCall(cl, to, tag, msg, null);
                return ids;
            }
            case "callAndWait":
            {
                var cl = Caller(c);
                var to = Recipient(Str(c, 1));
                var msg = Message(c, 2);
                var timeoutText = Str(c, 3);
                CheckSubscribed(to, msg);
                if (!double.TryParse(timeoutText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var secs))
                    throw new SampException($"callAndWait timeout '{timeoutText}' is not a number of seconds");
                var timeout = secs > 0 ? TimeSpan.FromSeconds(Math.Min(secs, _options.MaxCallAndWait.TotalSeconds)) : _options.MaxCallAndWait;
                var waiter = new TaskCompletionSource<SampResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                var msgId = StartCall(cl, to, null, msg, waiter);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _life.Token);
                try
                {
                    var r = await waiter.Task.WaitAsync(timeout, linked.Token).ConfigureAwait(false);
                    return r.ToMap();
                }
                catch (TimeoutException)
                {
                    throw new SampException($"callAndWait: {to.Id} did not reply within {timeout.TotalSeconds:0.#} s");
                }
                finally
                {
                    _calls.TryRemove(msgId, out _);
                }
            }
            case "reply":
            {
                var cl = Caller(c);
                DeliverReply(cl, Str(c, 1), Map(c, 2));
                return "";
            }
            default:
                throw new SampException($"unknown method {c.Method}");
        }
    }

    private void DeliverReply(Client responder, string msgId, IReadOnlyDictionary<string, object> response)
    {
        if (!_calls.TryGetValue(msgId, out var pending) || pending.RecipientId != responder.Id)
            throw new SampException($"reply to unknown message id {msgId}");
        _calls.TryRemove(msgId, out _);
        if (pending.Waiter is { } w)
        {
            w.TrySetResult(SampResponse.FromMap(response));
        }
        else if (Recipient(pending.SenderId, out var sender))
        {
            Forward(sender, "samp.client.receiveResponse", [sender.Key, responder.Id, pending.Tag!, response], null);
        }
    }

    private static IReadOnlyDictionary<string, object> Message(XmlRpcCall c, int i)
    {
        var m = Map(c, i);
        if (m.GetValueOrDefault("samp.mtype") is not string mt || mt.Length == 0)
            throw new SampException($"{c.Method}: the message has no samp.mtype");
        if (m.TryGetValue("samp.params", out var p) && p is not IReadOnlyDictionary<string, object>)
            throw new SampException($"{c.Method}: samp.params must be a map");
        return m;
    }

    private static string MType(IReadOnlyDictionary<string, object> msg) => (string)msg["samp.mtype"];

    private static object? Annotation(Client cl, string mtype)
    {
        foreach (var (pattern, ann) in cl.Subscriptions)
            if (SampMTypes.Matches(pattern, mtype)) return ann;
        return null;
    }

    private static void CheckSubscribed(Client to, IReadOnlyDictionary<string, object> msg)
    {
        if (Annotation(to, MType(msg)) is null)
            throw new SampException($"client {to.Id} is not subscribed to {MType(msg)}");
    }

    private List<Client> Snapshot()
    {
        lock (_gate) return [.. _byId.Values];
    }

    private IEnumerable<Client> Recipients(Client sender, IReadOnlyDictionary<string, object> msg) =>
        Snapshot().Where(o => o.Id != sender.Id && Annotation(o, MType(msg)) is not null);

    private string StartCall(Client sender, Client to, string? tag, IReadOnlyDictionary<string, object> msg, TaskCompletionSource<SampResponse>? waiter)
    {
        var msgId = $"{sender.Id}_{Interlocked.Increment(ref _msgCounter)}_{(tag is null ? "w" : "t")}";
        _calls[msgId] = new PendingCall(sender.Id, to.Id, tag, waiter);
        if (to.Id == HubId)
        {
            _ = Task.Run(() => HubReceivesCall(msgId, msg));
            return msgId;
        }
        Forward(to, "samp.client.receiveCall", [to.Key, sender.Id, msgId, msg], e =>
        {
            // the recipient cannot be reached: answer the sender ourselves
            var fail = SampResponse.Fail($"the hub could not deliver the message to {to.Id}: {e.Message}");
            try { DeliverReply(to, msgId, fail.ToMap()); }
            catch (SampException) { /* already answered */ }
        });
        return msgId;
    }

    private void HubReceivesCall(string msgId, IReadOnlyDictionary<string, object> msg)
    {
        Client self;
        lock (_gate) self = _byId[HubId];
        var response = MType(msg) == SampMTypes.Ping ? SampResponse.Ok() : SampResponse.Fail($"the hub does not handle {MType(msg)}");
        DeliverReply(self, msgId, response.ToMap());
    }

    /// <summary>Sends a hub event (notification from the hub) to every client subscribed to it.</summary>
    private void Event(string mtype, Dictionary<string, object> ps)
    {
        var msg = new Dictionary<string, object> { ["samp.mtype"] = mtype, ["samp.params"] = ps };
        foreach (var to in Snapshot())
            if (to.Id != HubId && Annotation(to, mtype) is not null)
                Forward(to, "samp.client.receiveNotification", [to.Key, HubId, msg], null);
    }

    private void Forward(Client to, string method, object[] args, Action<Exception>? onFail)
    {
        if (to.Callback is null)
        {
            onFail?.Invoke(new SampException($"{to.Id} has no callback address (it cannot receive messages)"));
            return;
        }
        if (!to.Queue.Writer.TryWrite((method, args, onFail)))
            onFail?.Invoke(new SampException($"{to.Id} has unregistered"));
    }

    /// <summary>Delivers one client's callbacks in order; a client whose callback keeps failing is dropped.</summary>
    private async Task PumpAsync(Client cl)
    {
        var failures = 0;
        await foreach (var (method, args, onFail) in cl.Queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (cl.Callback is null) continue;
            try
            {
                await _rpc.CallAsync(cl.Callback, method, args, _options.CallbackTimeout, _life.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (XmlRpcFaultException e)
            {
                // the client answered but refused; not a dead client
                _options.Log?.Invoke($"{cl.Id} refused {method}: {e.FaultString}");
                onFail?.Invoke(e);
            }
            catch (Exception e) when (e is HttpRequestException or SampException or XmlRpcFormatException or OperationCanceledException)
            {
                if (_life.IsCancellationRequested) break;
                _options.Log?.Invoke($"callback to {cl.Id} failed: {e.Message}");
                onFail?.Invoke(e);
                if (e is HttpRequestException && ++failures >= 3)
                {
                    _options.Log?.Invoke($"dropping {cl.Id}: its callback does not answer");
                    Remove(cl);
                }
            }
        }
    }

    private void Remove(Client cl)
    {
        lock (_gate)
        {
            if (!_byId.Remove(cl.Id)) return;
            _byKey.Remove(cl.Key);
        }
        cl.Queue.Writer.TryComplete();
        foreach (var (id, p) in _calls)
        {
            if (p.RecipientId != cl.Id) continue;
            var fail = SampResponse.Fail($"{cl.Id} unregistered before replying");
            _calls.TryRemove(id, out _);
            if (p.Waiter is { } w) w.TrySetResult(fail);
            else if (Recipient(p.SenderId, out var sender))
                Forward(sender, "samp.client.receiveResponse", [sender.Key, cl.Id, p.Tag!, fail.ToMap()], null);
        }
        _options.Log?.Invoke($"unregistered {cl.Id}");
        Event(SampMTypes.HubUnregister, new Dictionary<string, object> { ["id"] = cl.Id });
    }

    // ---- shutdown --------------------------------------------------------------

    /// <summary>Announces samp.hub.event.shutdown, stops, and removes the lockfile (if it is still ours).</summary>
    public ValueTask DisposeAsync() => DisposeCoreAsync(deleteLock: true);

    private async ValueTask DisposeCoreAsync(bool deleteLock)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (deleteLock) DeleteLockIfOurs();
        var clients = Snapshot().Where(c => c.Id != HubId).ToList();
        if (_server is not null)
        {
            Event(SampMTypes.HubShutdown, new Dictionary<string, object>());
            foreach (var c in clients) c.Queue.Writer.TryComplete();
            var pumps = clients.Select(c => c.Pump).OfType<Task>().ToArray();
            await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
        }
        _life.Cancel();
        foreach (var p in _calls.Values) p.Waiter?.TrySetCanceled();
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        _rpc.Dispose();
        _life.Dispose();
    }

    private void DeleteLockIfOurs()
    {
        try
        {
            if (SampLockfile.TryRead(_lockPath) is { } l && l.Entries.GetValueOrDefault(SampLockfile.SecretKey) == _secret)
                File.Delete(_lockPath);
        }
        catch (Exception e) when (e is IOException or SampException or UnauthorizedAccessException)
        {
            _options.Log?.Invoke($"could not remove lockfile {_lockPath}: {e.Message}");
        }
    }
}
