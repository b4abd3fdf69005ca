using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>The SAMP client, the hub connection: registration, hub calls, the watchdog that re-registers when a hub comes back.</summary>
internal sealed partial class SampClient
{
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
}
