using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

/// <summary>
/// A bare-bones SAMP client built on the XML-RPC layer only, for situations our
/// SampClient never creates: a receiver that answers samp.error, one that never
/// replies, one that records the raw calls it gets.
/// </summary>
internal sealed class RawSampPeer : IAsyncDisposable
{
    public enum Behaviour { ReplyOk, ReplyError, NeverReply }

    private readonly XmlRpcClient _rpc;
    private readonly Uri _hub;
    private LoopbackHttpServer? _server;
    private readonly Behaviour _behaviour;

    public List<XmlRpcCall> Received { get; } = [];
    public string Key { get; private set; } = "";
    public string Id { get; private set; } = "";

    private RawSampPeer(Uri hub, Behaviour behaviour)
    {
        _rpc = new XmlRpcClient();
        _hub = hub;
        _behaviour = behaviour;
    }

    public static async Task<RawSampPeer> StartAsync(SampLockfile lockfile, string name, Behaviour behaviour, params string[] mtypes)
    {
        var p = new RawSampPeer(lockfile.HubUrl, behaviour);
        var reg = (IReadOnlyDictionary<string, object>)await p._rpc.CallAsync(p._hub, "samp.hub.register", [lockfile.Secret], TimeSpan.FromSeconds(5), default);
        p.Key = (string)reg["samp.private-key"];
        p.Id = (string)reg["samp.self-id"];
        p._server = await LoopbackHttpServer.StartAsync(p.HandleAsync);
        await p.CallAsync("samp.hub.setXmlrpcCallback", new Uri(p._server.BaseUri, "x").ToString());
        await p.CallAsync("samp.hub.declareMetadata", new Dictionary<string, object> { ["samp.name"] = name });
        await p.CallAsync("samp.hub.declareSubscriptions", mtypes.ToDictionary(m => m, object (_) => new Dictionary<string, object>()));
        return p;
    }

    public Task<object> CallAsync(string method, params object[] args) =>
        _rpc.CallAsync(_hub, method, [Key, .. args], TimeSpan.FromSeconds(5), default);

    private async Task HandleAsync(LoopbackContext ctx)
    {
        var call = await XmlRpcHttp.ReadCallAsync(ctx);
        lock (Received) Received.Add(call);
        await XmlRpcHttp.WriteAsync(ctx, XmlRpc.WriteResponse(""));
        if (call.Method == "samp.client.receiveCall" && _behaviour != Behaviour.NeverReply)
        {
            var msgId = (string)call.Params[2];
            var response = _behaviour == Behaviour.ReplyOk
                ? SampResponse.Ok(new Dictionary<string, object> { ["echo"] = SampMessage.FromMap(call.Params[3]).MType })
                : SampResponse.Fail("cannot load: the file is not a VOTable", "x-test");
            _ = Task.Run(() => CallAsync("samp.hub.reply", msgId, response.ToMap()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await CallAsync("samp.hub.unregister"); } catch (Exception e) when (e is SampException or HttpRequestException) { }
        if (_server is not null) await _server.DisposeAsync();
        _rpc.Dispose();
    }
}
