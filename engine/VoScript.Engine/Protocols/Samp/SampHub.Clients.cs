using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>The hub's state: registered clients (by id and by private key), their metadata, subscriptions and callbacks.</summary>
public sealed partial class SampHub
{
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

    private readonly Dictionary<string, Client> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Client> _byKey = new(StringComparer.Ordinal);
    private long _clientCounter;

    /// <summary>Registered client ids (the hub itself included).</summary>
    public IReadOnlyList<string> ClientIds
    {
        get { lock (_gate) return [.. _byId.Keys]; }
    }


    /// <summary>Registers a client that knows the secret: a new id and private key, its delivery queue started, the event sent.</summary>
    private Dictionary<string, object> Register(string secret)
    {
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
}
