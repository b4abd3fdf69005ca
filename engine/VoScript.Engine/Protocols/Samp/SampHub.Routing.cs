using System.Collections.Concurrent;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>Message routing: calls and their replies, hub events, and each client's ordered delivery queue.</summary>
public sealed partial class SampHub
{
    private sealed record PendingCall(string SenderId, string RecipientId, string? Tag, TaskCompletionSource<SampResponse>? Waiter);

    private readonly ConcurrentDictionary<string, PendingCall> _calls = new(StringComparer.Ordinal);
    private long _msgCounter;

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

    private static string MType(IReadOnlyDictionary<string, object> msg) => (string)msg["samp.mtype"];

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

    /// <summary>
    /// A call whose reply the caller waits for (<c>callAndWait</c>): at most <paramref name="seconds"/> (0 or less: the
    /// longest the hub allows), ended early when the hub stops.
    /// </summary>
    private async Task<object> CallAndWaitAsync(Client cl, Client to, IReadOnlyDictionary<string, object> msg, double seconds, CancellationToken ct)
    {
        var timeout = seconds > 0 ? TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxCallAndWait.TotalSeconds)) : _options.MaxCallAndWait;
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
}
