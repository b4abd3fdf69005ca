using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>The SAMP client, receiving: tables sent to this client, and the XML-RPC callback server that hubs call.</summary>
internal sealed partial class SampClient
{
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
}
