using System.Globalization;
using System.Net.Http.Headers;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>A SAMP message: an MType and its parameters (strings, lists and maps only).</summary>
internal sealed record SampMessage(string MType, IReadOnlyDictionary<string, object> Params)
{
    /// <summary>Keys other than samp.mtype/samp.params that a hub added (astropy adds host and user).</summary>
    public IReadOnlyDictionary<string, object> Extra { get; init; } = new Dictionary<string, object>();

    public SampMessage(string mtype) : this(mtype, new Dictionary<string, object>()) { }

    public string? Param(string key) => Params.GetValueOrDefault(key) as string;

    internal Dictionary<string, object> ToMap() => new(StringComparer.Ordinal)
    {
        ["samp.mtype"] = MType,
        ["samp.params"] = Params,
    };

    internal static SampMessage FromMap(object value)
    {
        if (value is not IReadOnlyDictionary<string, object> map || map.GetValueOrDefault("samp.mtype") is not string mtype)
            throw new SampException("SAMP message is not a map with a samp.mtype");
        var ps = map.GetValueOrDefault("samp.params") as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>();
        var extra = map.Where(kv => kv.Key is not ("samp.mtype" or "samp.params")).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new SampMessage(mtype, ps) { Extra = extra };
    }
}

/// <summary>The status of a SAMP response.</summary>
internal enum SampStatus { Ok, Warning, Error }

/// <summary>A SAMP response (samp.status, samp.result, samp.error).</summary>
internal sealed record SampResponse(SampStatus Status, IReadOnlyDictionary<string, object> Result, IReadOnlyDictionary<string, object>? Error)
{
    public static SampResponse Ok(IReadOnlyDictionary<string, object>? result = null) =>
        new(SampStatus.Ok, result ?? new Dictionary<string, object>(), null);

    public static SampResponse Fail(string errorText, string? code = null)
    {
        var err = new Dictionary<string, object> { ["samp.errortxt"] = errorText };
        if (code is not null) err["samp.code"] = code;
        return new(SampStatus.Error, new Dictionary<string, object>(), err);
    }

    /// <summary>samp.errortxt, or samp.usertxt, or a placeholder.</summary>
    public string ErrorText =>
        Error?.GetValueOrDefault("samp.errortxt") as string
        ?? Error?.GetValueOrDefault("samp.usertxt") as string
        ?? "(no error text given)";

    internal Dictionary<string, object> ToMap()
    {
        var m = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["samp.status"] = Status switch { SampStatus.Ok => "samp.ok", SampStatus.Warning => "samp.warning", _ => "samp.error" },
            ["samp.result"] = Result,
        };
        if (Error is not null) m["samp.error"] = Error;
        return m;
    }

    internal static SampResponse FromMap(object value)
    {
        var map = value as IReadOnlyDictionary<string, object>
            ?? throw new SampException("SAMP response is not a map");
        var status = (map.GetValueOrDefault("samp.status") as string) switch
        {
            "samp.ok" => SampStatus.Ok,
            "samp.warning" => SampStatus.Warning,
            _ => SampStatus.Error,
        };
        return new SampResponse(status,
            map.GetValueOrDefault("samp.result") as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>(),
            map.GetValueOrDefault("samp.error") as IReadOnlyDictionary<string, object>);
    }
}

/// <summary>Another client as the hub describes it.</summary>
internal sealed record SampClientInfo(string Id, IReadOnlyDictionary<string, object> Metadata, IReadOnlyDictionary<string, object> Subscriptions)
{
    /// <summary>samp.name, or the id when the client declared no name.</summary>
    public string Name => Metadata.GetValueOrDefault("samp.name") as string ?? Id;

    public bool HasName => Metadata.GetValueOrDefault("samp.name") is string;

    public bool IsSubscribed(string mtype) => Subscriptions.Keys.Any(p => SampMTypes.Matches(p, mtype));
}

/// <summary>MType helpers.</summary>
internal static class SampMTypes
{
    public const string TableLoadVOTable = "table.load.votable";
    public const string TableHighlightRow = "table.highlight.row";
    public const string TableSelectRowList = "table.select.rowList";
    public const string ImageLoadFits = "image.load.fits";
    public const string SpectrumLoadSsa = "spectrum.load.ssa-generic";
    public const string CoordPointAtSky = "coord.pointAt.sky";
    public const string Ping = "samp.app.ping";
    public const string HubShutdown = "samp.hub.event.shutdown";
    public const string HubRegister = "samp.hub.event.register";
    public const string HubUnregister = "samp.hub.event.unregister";
    public const string HubMetadata = "samp.hub.event.metadata";
    public const string HubSubscriptions = "samp.hub.event.subscriptions";
    public const string HubDisconnect = "samp.hub.disconnect";

    /// <summary>SAMP §3.2 subscription patterns: <c>*</c>, an exact MType, or <c>prefix.*</c>.</summary>
    public static bool Matches(string pattern, string mtype)
    {
        if (pattern == "*" || pattern == mtype) return true;
        if (pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            var prefix = pattern[..^1]; // keeps the dot
            return mtype.StartsWith(prefix, StringComparison.Ordinal);
        }
        return false;
    }

    /// <summary>A SAMP float: invariant, round-trippable, never NaN or infinity.</summary>
    public static string Float(double v)
    {
        if (!double.IsFinite(v)) throw new SampException($"SAMP float cannot be {v}");
        return v.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// XML-RPC over HttpClient with a timeout on every call. Connections are never pooled:
/// the JSAMP and astropy hubs answer HTTP/1.0 and close, and a pooled connection they
/// closed fails the next call ("response ended prematurely"), measured at 5 to 30 % of
/// back-to-back calls here; one connection per call costs nothing on loopback.
/// </summary>
internal sealed class XmlRpcClient(bool loopbackOnly = false) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        // the hub's callbacks: connect only to a loopback address, checked on the address actually connected to
        // (a name that resolved to loopback when the callback was set may resolve elsewhere later)
        ConnectCallback = loopbackOnly ? ConnectLoopbackAsync : null,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await System.Net.Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        var loopback = addresses.Where(SampHub.IsLoopback).ToArray();
        if (loopback.Length == 0 || loopback.Length != addresses.Length)
            throw new HttpRequestException($"{host} does not resolve only to loopback addresses; the hub calls back only this machine");
        var socket = new System.Net.Sockets.Socket(loopback[0].AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new System.Net.IPEndPoint(loopback[0], context.DnsEndPoint.Port), ct).ConfigureAwait(false);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => http.Dispose();

    public async Task<object> CallAsync(Uri url, string method, IReadOnlyList<object> args, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var body = new ByteArrayContent(XmlRpc.WriteCall(method, args));
        body.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        // Hubs (JSAMP, astropy) answer HTTP/1.0 and close the connection: never reuse one.
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = body, Version = System.Net.HttpVersion.Version11 };
        req.Headers.ConnectionClose = true;
        try
        {
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            if (!resp.IsSuccessStatusCode)
                throw new SampException($"{method} at {url} answered HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}");
            if (resp.Content.Headers.ContentLength > XmlRpcLimits.MaxDocumentBytes)
                throw new SampException($"{method} at {url} answered with {resp.Content.Headers.ContentLength} bytes, more than the limit of {XmlRpcLimits.MaxDocumentBytes} bytes for an XML-RPC document (XmlRpcLimits.MaxDocumentBytes)");
            await using var s = await resp.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            using var ms = new MemoryStream();
            var buf = new byte[81920];
            for (int n; (n = await s.ReadAsync(buf, cts.Token).ConfigureAwait(false)) > 0;)
            {
                if (ms.Length + n > XmlRpcLimits.MaxDocumentBytes)
                    throw new SampException($"{method} at {url} answered with more than the limit of {XmlRpcLimits.MaxDocumentBytes} bytes for an XML-RPC document (XmlRpcLimits.MaxDocumentBytes)");
                ms.Write(buf, 0, n);
            }
            ms.Position = 0;
            return XmlRpc.ReadResponse(ms);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SampTimeoutException($"{method} at {url} did not answer within {timeout.TotalSeconds:0.#} s");
        }
    }
}

/// <summary>A peer did not answer in time.</summary>
internal sealed class SampTimeoutException(string message) : SampException(message);
