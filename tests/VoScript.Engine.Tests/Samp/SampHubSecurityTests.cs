using System.Net;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

/// <summary>The hub refuses callback URLs off this machine and oversized calls (413, chunked too), and keeps serving.</summary>
public class SampHubSecurityTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("vs-samp-sec").FullName;

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static HttpClient NewHttp() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<object> CallAsync(HttpClient http, Uri hub, string method, params object[] args)
    {
        using var content = new ByteArrayContent(XmlRpc.WriteCall(method, args));
        content.Headers.ContentType = new("text/xml");
        using var resp = await http.PostAsync(hub, content);
        return XmlRpc.ReadResponse(await resp.Content.ReadAsStreamAsync());
    }

    [TestCase("http://192.168.1.20:4000/xmlrpc", false)]
    [TestCase("http://10.0.0.1/", false)]
    [TestCase("http://example.org:80/x", false)]
    [TestCase("http://[fe80::1]:80/x", false)]
    [TestCase("http://127.0.0.1:4000/xmlrpc", true)]
    [TestCase("http://127.1.2.3:4000/xmlrpc", true)]
    [TestCase("http://[::1]:4000/xmlrpc", true)]
    [TestCase("http://localhost:4000/xmlrpc", true)]
    public async Task Callback_urls_must_be_on_this_machine(string url, bool accepted)
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = Path.Combine(_dir, "lock") });
        using var http = NewHttp();
        var secret = SampLockfile.TryRead(Path.Combine(_dir, "lock"))!.Secret;
        var reg = (IReadOnlyDictionary<string, object>)await CallAsync(http, hub.XmlRpcUrl, "samp.hub.register", secret);
        var key = (string)reg["samp.private-key"];
        if (accepted)
            Assert.That(await CallAsync(http, hub.XmlRpcUrl, "samp.hub.setXmlrpcCallback", key, url), Is.EqualTo(""));
        else
        {
            var e = (await Assert.ThrowsAsync<XmlRpcFaultException>(() => CallAsync(http, hub.XmlRpcUrl, "samp.hub.setXmlrpcCallback", key, url)))!;
            Assert.That(e.Message, Does.Contain("not on this machine").And.Contain("--allow-remote"));
        }
    }

    /// <summary>A host name is judged by the addresses it resolves to, not by its spelling.</summary>
    [TestCase("alias-of-this-machine", "127.0.1.1", true)]
    [TestCase("v6-alias", "::1", true)]
    [TestCase("mapped", "::ffff:127.0.0.1", true)]
    [TestCase("box-on-the-lan", "192.168.1.5", false)]
    [TestCase("mixed", "127.0.0.1 10.0.0.1", false)]
    [TestCase("unknown", "", false)]
    public void A_callback_host_name_is_local_when_it_resolves_only_to_loopback(string host, string addresses, bool local)
    {
        IPAddress[] Resolve(string h)
        {
            Assert.That(h, Is.EqualTo(host));
            if (addresses.Length == 0) throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
            return addresses.Split(' ').Select(IPAddress.Parse).ToArray();
        }
        Assert.That(SampHub.IsLoopbackHost(host, Resolve), Is.EqualTo(local));
    }

    [Test]
    public async Task The_machines_own_host_name_is_accepted_when_it_resolves_to_loopback()
    {
        var self = Dns.GetHostName();
        var addresses = await Dns.GetHostAddressesAsync(self);
        var expected = addresses.Length > 0 && addresses.All(a => IPAddress.IsLoopback(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a));
        Assert.That(SampHub.IsLocalHost(new Uri($"http://{self}:4000/xmlrpc")), Is.EqualTo(expected), $"{self} resolves to {string.Join(", ", (object[])addresses)}");
        // and through the hub: the same decision
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = Path.Combine(_dir, "lock") });
        using var http = NewHttp();
        var secret = SampLockfile.TryRead(Path.Combine(_dir, "lock"))!.Secret;
        var reg = (IReadOnlyDictionary<string, object>)await CallAsync(http, hub.XmlRpcUrl, "samp.hub.register", secret);
        var call = CallAsync(http, hub.XmlRpcUrl, "samp.hub.setXmlrpcCallback", (string)reg["samp.private-key"], $"http://{self}:4000/xmlrpc");
        if (expected) Assert.That(await call, Is.EqualTo(""));
        else Assert.That((await Assert.ThrowsAsync<XmlRpcFaultException>(() => call))!.Message, Does.Contain("not on this machine"));
    }

    [Test]
    public async Task Remote_callbacks_are_accepted_when_allowed()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = Path.Combine(_dir, "lock"), AllowRemoteCallbacks = true });
        using var http = NewHttp();
        var secret = SampLockfile.TryRead(Path.Combine(_dir, "lock"))!.Secret;
        var reg = (IReadOnlyDictionary<string, object>)await CallAsync(http, hub.XmlRpcUrl, "samp.hub.register", secret);
        Assert.That(await CallAsync(http, hub.XmlRpcUrl, "samp.hub.setXmlrpcCallback", (string)reg["samp.private-key"], "http://192.168.1.20:4000/"), Is.EqualTo(""));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Oversized_calls_get_413_and_the_hub_keeps_serving(bool chunked)
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = Path.Combine(_dir, "lock") });
        using var http = NewHttp();
        // a register call whose secret is 70 MB long
        var head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><methodCall><methodName>samp.hub.register</methodName><params><param><value><string>");
        var body = new byte[head.Length + (70 << 20)];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length).Fill((byte)'a');
        var content = chunked ? (HttpContent)new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new("text/xml");
        using var req = new HttpRequestMessage(HttpMethod.Post, hub.XmlRpcUrl) { Content = content };
        req.Headers.TransferEncodingChunked = chunked;
        var before = GC.GetTotalMemory(false);
        try
        {
            using var resp = await http.SendAsync(req);
            Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        }
        catch (HttpRequestException)
        {
            // the hub may close the connection while the client is still sending: also a refusal, never a fault
        }
        Assert.That(await CallAsync(http, hub.XmlRpcUrl, "samp.hub.ping"), Is.EqualTo(""));
        body = null;
        GC.Collect();
        Assert.That(GC.GetTotalMemory(true) - before, Is.LessThan(64L << 20), "the refused body is not kept");
    }
}
