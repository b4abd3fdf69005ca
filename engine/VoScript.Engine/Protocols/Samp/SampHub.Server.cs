namespace VoScript.Engine.Protocols.Samp;

/// <summary>The hub's server side: XML-RPC calls over HTTP, their arguments, and the hub methods they reach.</summary>
public sealed partial class SampHub
{
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

    internal async Task<object> DispatchAsync(XmlRpcCall c, CancellationToken ct)
    {
        var name = c.Method.StartsWith("samp.hub.", StringComparison.Ordinal) ? c.Method["samp.hub.".Length..] : c.Method;
        switch (name)
        {
            case "ping":
                return "";
            case "register":
                return Register(Str(c, 0));
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
                return await CallAndWaitAsync(cl, to, msg, secs, ct).ConfigureAwait(false);
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

    private static IReadOnlyDictionary<string, object> Message(XmlRpcCall c, int i)
    {
        var m = Map(c, i);
        if (m.GetValueOrDefault("samp.mtype") is not string mt || mt.Length == 0)
            throw new SampException($"{c.Method}: the message has no samp.mtype");
        if (m.TryGetValue("samp.params", out var p) && p is not IReadOnlyDictionary<string, object>)
            throw new SampException($"{c.Method}: samp.params must be a map");
        return m;
    }
}
