using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>
/// A SAMP 1.3 hub, Standard Profile: XML-RPC on 127.0.0.1 only, a lockfile
/// readable by its owner only, the secret checked at registration and the
/// private key on every call, messages forwarded in order per recipient,
/// <c>samp.hub.event.*</c> sent to subscribers, shutdown announced and the
/// lockfile removed on dispose.
/// This file is the hub's lifetime (start, lockfile, shutdown); its clients, registration and subscriptions are in
/// <c>SampHub.Clients.cs</c>, message routing and delivery in <c>SampHub.Routing.cs</c>, and its HTTP / XML-RPC
/// server side (the hub methods) in <c>SampHub.Server.cs</c>, over the <see cref="LoopbackHttpServer"/>.
/// </summary>
public sealed partial class SampHub : IAsyncDisposable
{
    private const string HubId = "hub";

    private readonly SampHubOptions _options;
    private readonly string _secret;
    private readonly string _lockPath;
    private readonly object _gate = new();
    private readonly XmlRpcClient _rpc;
    private readonly CancellationTokenSource _life = new();
    private LoopbackHttpServer? _server;
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
