using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

/// <summary>Our client against our hub, all on 127.0.0.1 (no other software needed).</summary>
public class SampHubClientTests
{
    private string _dir = "";
    private string _lock = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vs-samp-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _lock = Path.Combine(_dir, "samp.lock");
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SampClientOptions Options(string name, TimeSpan? reply = null, TimeSpan? watch = null) => new()
    {
        Name = name,
        LockfilePath = _lock,
        ReplyTimeout = reply ?? TimeSpan.FromSeconds(5),
        WatchInterval = watch ?? TimeSpan.FromSeconds(2),
        ServeGrace = TimeSpan.Zero,
    };

    private string WriteVOTable(string rows)
    {
        var path = Path.Combine(_dir, "t.vot");
        File.WriteAllText(path, $"""
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
            <RESOURCE><TABLE name="t"><FIELD name="id" datatype="int"/><DATA><TABLEDATA>{rows}</TABLEDATA></DATA></TABLE></RESOURCE>
            </VOTABLE>
            """);
        return path;
    }

    [Test]
    public async Task HubWritesOwnerOnlyLockfileAndRemovesItOnDispose()
    {
        await using (var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock }))
        {
            var l = SampLockfile.TryRead(_lock)!;
            Assert.That(l.HubUrl, Is.EqualTo(hub.XmlRpcUrl));
            Assert.That(l.HubUrl.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(l.ProfileVersion, Is.EqualTo("1.3"));
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(_lock), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
        Assert.That(File.Exists(_lock), Is.False);
    }

    [Test]
    public async Task SecondHubOnALiveLockfileIsRefused()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        Assert.That(async () => await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock }),
            Throws.TypeOf<SampException>().With.Message.StartsWith($"a SAMP hub is already running at {hub.XmlRpcUrl}"));
    }

    [Test]
    public async Task WrongSecretIsRefusedByTheHub()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        using var rpc = new XmlRpcClient();
        var e = await Assert.ThrowsAsync<XmlRpcFaultException>(() => rpc.CallAsync(hub.XmlRpcUrl, "samp.hub.register", ["not-the-secret"], TimeSpan.FromSeconds(5), default));
        Assert.That(e!.FaultString, Does.StartWith("bad secret"));
        var e2 = await Assert.ThrowsAsync<XmlRpcFaultException>(() => rpc.CallAsync(hub.XmlRpcUrl, "samp.hub.getRegisteredClients", ["forged-key"], TimeSpan.FromSeconds(5), default));
        Assert.That(e2!.FaultString, Does.StartWith("bad private key"));
    }

    [Test]
    public async Task MalformedRequestToTheHubGetsAFault()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        using var http = new HttpClient();
        using var resp = await http.PostAsync(hub.XmlRpcUrl, new StringContent("<methodCall><methodName>samp.hub.ping</methodName><params><param>"));
        Assert.That((int)resp.StatusCode, Is.EqualTo(200));
        var e = Assert.Throws<XmlRpcFaultException>(() => XmlRpc.ReadResponse(resp.Content.ReadAsStream()));
        Assert.That(e!.Code, Is.EqualTo(1));
        Assert.That(e.FaultString, Does.StartWith("malformed XML-RPC call"));
    }

    [Test]
    public async Task NoLockfileGivesAMessageThatSaysHowToStartAHub()
    {
        var e = await Assert.ThrowsAsync<SampNoHubException>(() => SampClient.ConnectAsync(Options("a")));
        Assert.That(e!.Message, Does.StartWith($"No SAMP hub is running: there is no lockfile at {_lock}."));
        Assert.That(e.Message, Does.Contain("run 'voscript hub'"));
    }

    [Test]
    public async Task StaleLockfileIsReportedAsNoHub()
    {
        File.WriteAllText(_lock, "samp.secret=x\nsamp.hub.xmlrpc.url=http://127.0.0.1:9/xmlrpc\nsamp.profile.version=1.3\n");
        var e = await Assert.ThrowsAsync<SampNoHubException>(() => SampClient.ConnectAsync(Options("a")));
        Assert.That(e!.Message, Does.Contain("names http://127.0.0.1:9/xmlrpc, which does not answer"));
        Assert.That(e.Message, Does.Contain("voscript hub"));
    }

    [Test]
    public async Task TableSentByOneClientIsReceivedByAnotherByteForByte()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var sender = await SampClient.ConnectAsync(Options("sender"));
        await using var receiver = await SampClient.ConnectAsync(Options("Receiver"));
        var path = WriteVOTable("<TR><TD>1</TD></TR><TR><TD>2</TD></TR>");
        var sent = await sender.SendVOTableFileAsync("RECEIVER", path, "my table");
        var got = await receiver.ReceiveTableAsync("sender", TimeSpan.FromSeconds(5));
        Assert.That(got.Content, Is.EqualTo(File.ReadAllBytes(path)));
        Assert.That(got.SenderName, Is.EqualTo("sender"));
        Assert.That(got.Name, Is.EqualTo("my table"));
        Assert.That(got.TableId, Is.EqualTo(sent.TableId));
        Assert.That(got.Url, Does.StartWith(sender.ServerUri.ToString() + "samp/"));
        Assert.That(got.Table.RowCount, Is.EqualTo(2));
        Assert.That(got.Table.Columns.Single().Name, Is.EqualTo("id"));
        Assert.That(sent.Result.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
        Assert.That(sent.Result.Deliveries.Single().Response!.Result["voscript.bytes"], Is.EqualTo(new FileInfo(path).Length.ToString()));
    }

    [Test]
    public async Task TableObjectIsSentWithItsMetadataIntact()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var sender = await SampClient.ConnectAsync(Options("sender"));
        await using var receiver = await SampClient.ConnectAsync(Options("receiver"));
        var table = Engine.Formats.VOTable.VOTableReader.ReadFile(WriteVOTable("<TR><TD>7</TD></TR><TR><TD>8</TD></TR><TR><TD/></TR>"));
        table.Params.Add(new Engine.Model.Param("survey", Engine.Model.DataType.Char, "test survey", Engine.Model.ArraySize.Variable) { Ucd = "meta.id" });
        await sender.SendTableAsync("receiver", table, "with params");
        var got = (await receiver.ReceiveTableAsync(null, TimeSpan.FromSeconds(5))).Table;
        Assert.That(got.RowCount, Is.EqualTo(3));
        Assert.That(got.Columns[0].GetValue(1), Is.EqualTo(8));
        Assert.That(got.Columns[0].IsNull(2), Is.True);
        Assert.That(got.Params.Single().Value, Is.EqualTo("test survey"));
        Assert.That(got.Params.Single().Ucd, Is.EqualTo("meta.id"));
    }

    [Test]
    public async Task SenderOfSomethingThatIsNotAVOTableGetsSampError()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var sender = await SampClient.ConnectAsync(Options("sender"));
        await using var receiver = await SampClient.ConnectAsync(Options("receiver"));
        var path = Path.Combine(_dir, "page.html");
        File.WriteAllText(path, "<html><body>login</body></html>");
        var e = await Assert.ThrowsAsync<SampException>(() => sender.SendVOTableFileAsync("receiver", path));
        Assert.That(e!.Message, Does.StartWith("receiver refused table.load.votable: receiver could not load the table: http://127.0.0.1:"));
        Assert.That(e.Message, Does.Contain("is not a readable VOTable"));
    }

    [Test]
    public async Task ReceiveTimesOutWithAClearMessage()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var c = await SampClient.ConnectAsync(Options("voscript"));
        var e = await Assert.ThrowsAsync<SampTimeoutException>(() => c.ReceiveTableAsync("topcat", TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Does.StartWith("no table arrived from 'topcat' within 0.3 s"));
    }

    [Test]
    public async Task UnknownRecipientNameIsReportedWithTheRegisteredNames()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var a = await SampClient.ConnectAsync(Options("a"));
        await using var b = await SampClient.ConnectAsync(Options("bee"));
        var e = await Assert.ThrowsAsync<SampException>(() => a.PingAsync("topcat"));
        Assert.That(e!.Message, Does.StartWith("no SAMP client named 'topcat' is registered with the hub (registered: bee)"));
    }

    [Test]
    public async Task RecipientNotSubscribedIsReported()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var a = await SampClient.ConnectAsync(Options("a"));
        await using var b = await SampClient.ConnectAsync(Options("b"));
        var e = await Assert.ThrowsAsync<SampException>(() => a.PointAtAsync("B", 10, 20));
        Assert.That(e!.Message, Does.StartWith("SAMP client 'b' does not accept coord.pointAt.sky"));
    }

    [Test]
    public async Task PingToAllReachesEveryClientIncludingTheHub()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var a = await SampClient.ConnectAsync(Options("a"));
        await using var b = await SampClient.ConnectAsync(Options("b"));
        await using var c = await SampClient.ConnectAsync(Options("c"));
        var r = await a.PingAsync("all");
        Assert.That(r.Deliveries.Select(d => d.ClientName), Is.EquivalentTo(new[] { "b", "c" }));
        Assert.That(r.Deliveries.All(d => d.Response!.Status == SampStatus.Ok));
        var viaHub = await a.PingAsync("VoScript Hub");
        Assert.That(viaHub.Deliveries.Single().ClientId, Is.EqualTo("hub"));
    }

    [Test]
    public async Task SampErrorReplyIsReportedWithTheReceiversMessage()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await RawSampPeer.StartAsync(SampLockfile.TryRead(_lock)!, "grumpy", RawSampPeer.Behaviour.ReplyError, "table.load.votable");
        await using var a = await SampClient.ConnectAsync(Options("a"));
        var e = await Assert.ThrowsAsync<SampException>(() => a.SendVOTableFileAsync("grumpy", WriteVOTable("")));
        Assert.That(e!.Message, Is.EqualTo("grumpy refused table.load.votable: cannot load: the file is not a VOTable"));
    }

    [Test]
    public async Task ReceiverThatNeverRepliesTimesOut()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await RawSampPeer.StartAsync(SampLockfile.TryRead(_lock)!, "silent", RawSampPeer.Behaviour.NeverReply, "samp.app.ping");
        await using var a = await SampClient.ConnectAsync(Options("a", reply: TimeSpan.FromMilliseconds(500)));
        var t0 = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<SampException>(() => a.PingAsync("silent"));
        Assert.That(e!.Message, Is.EqualTo("silent did not reply to samp.app.ping within 0.5 s"));
        Assert.That(DateTime.UtcNow - t0, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task MessagesArriveWithSampTypesOnly()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await RawSampPeer.StartAsync(SampLockfile.TryRead(_lock)!, "rec", RawSampPeer.Behaviour.ReplyOk,
            "coord.pointAt.sky", "table.select.rowList", "table.highlight.row");
        await using var a = await SampClient.ConnectAsync(Options("a"));
        await a.PointAtAsync("rec", -10.5, 41.25);
        var tref = new SampTableRef("t-1", "http://127.0.0.1:1/t.vot");
        await a.SelectRowsAsync("rec", tref, [0, 2, 5]);
        await a.HighlightRowAsync("rec", tref, 3, waitForReply: false);
        await WaitUntil(() => peer.Received.Count(c => c.Method == "samp.client.receiveNotification" && SampMessage.FromMap(c.Params[2]).MType == "table.highlight.row") == 1);
        List<SampMessage> calls;
        lock (peer.Received)
            calls = peer.Received.Where(c => c.Method == "samp.client.receiveCall").Select(c => SampMessage.FromMap(c.Params[3])).ToList();
        var point = calls.Single(m => m.MType == "coord.pointAt.sky");
        Assert.That(point.Param("ra"), Is.EqualTo("349.5"));
        Assert.That(point.Param("dec"), Is.EqualTo("41.25"));
        var sel = calls.Single(m => m.MType == "table.select.rowList");
        Assert.That(sel.Params["row-list"], Is.EqualTo(new List<object> { "0", "2", "5" }));
        Assert.That(sel.Param("table-id"), Is.EqualTo("t-1"));
    }

    [Test]
    public async Task CallbackWithAWrongPrivateKeyIsRefused()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var a = await SampClient.ConnectAsync(Options("a"));
        using var rpc = new XmlRpcClient();
        var msg = new SampMessage("table.load.votable", new Dictionary<string, object> { ["url"] = "file:///etc/passwd" }).ToMap();
        var e = await Assert.ThrowsAsync<XmlRpcFaultException>(() => rpc.CallAsync(a.CallbackUrl, "samp.client.receiveNotification",
            ["k-guessed", "c9", msg], TimeSpan.FromSeconds(5), default));
        Assert.That(e!.FaultString, Does.StartWith("bad private key"));
        Assert.That(() => a.ReceiveTableAsync(null, TimeSpan.FromMilliseconds(300)), Throws.TypeOf<SampTimeoutException>());
    }

    [Test]
    public async Task ClientNoticesHubShutdownAndRegistersWithTheNextHub()
    {
        var logs = new List<string>();
        var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        var opts = new SampClientOptions { Name = "a", LockfilePath = _lock, WatchInterval = TimeSpan.FromMilliseconds(200), ServeGrace = TimeSpan.Zero, Log = m => { lock (logs) logs.Add(m); } };
        await using var a = await SampClient.ConnectAsync(opts);
        Assert.That(a.IsRegistered, Is.True);
        await hub.DisposeAsync();
        await WaitUntil(() => !a.IsRegistered);
        lock (logs) Assert.That(logs, Has.Some.Contains("the hub announced its shutdown"));
        var e = await Assert.ThrowsAsync<SampNoHubException>(() => a.PingAsync("all"));
        Assert.That(e!.Message, Does.Contain("voscript hub"));
        await using var hub2 = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await WaitUntil(() => a.IsRegistered);
        await using var b = await SampClient.ConnectAsync(Options("b"));
        var r = await a.PingAsync("b");
        Assert.That(r.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
        lock (logs) Assert.That(logs, Has.Some.Contains("registered again"));
    }

    [Test]
    public async Task HubSendsRegisterMetadataAndUnregisterEventsToSubscribers()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var watcher = await RawSampPeer.StartAsync(SampLockfile.TryRead(_lock)!, "watcher", RawSampPeer.Behaviour.ReplyOk, "samp.hub.event.*");
        var b = await SampClient.ConnectAsync(Options("b"));
        var id = b.SelfId!;
        await b.DisposeAsync();
        await WaitUntil(() => Events(watcher).Contains(("samp.hub.event.unregister", id)));
        var ev = Events(watcher);
        Assert.That(ev.IndexOf(("samp.hub.event.register", id)), Is.LessThan(ev.IndexOf(("samp.hub.event.metadata", id))));
        Assert.That(ev.IndexOf(("samp.hub.event.metadata", id)), Is.LessThan(ev.IndexOf(("samp.hub.event.unregister", id))));
        Assert.That(ev, Does.Contain(("samp.hub.event.subscriptions", id)));
    }

    [Test]
    public async Task CancellingAWaitStopsItAndDisposeUnregisters()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        var a = await SampClient.ConnectAsync(Options("a"));
        var id = a.SelfId;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await a.ReceiveTableAsync(null, TimeSpan.FromMinutes(5), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(hub.ClientIds, Does.Contain(id));
        await a.DisposeAsync();
        Assert.That(hub.ClientIds, Does.Not.Contain(id));
    }

    [Test]
    public async Task PendingCallFailsAtOnceWhenTheHubShutsDown()
    {
        var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var peer = await RawSampPeer.StartAsync(SampLockfile.TryRead(_lock)!, "silent", RawSampPeer.Behaviour.NeverReply, "samp.app.ping");
        await using var a = await SampClient.ConnectAsync(Options("a", reply: TimeSpan.FromMinutes(2)));
        var ping = a.PingAsync("silent");
        await Task.Delay(300);
        var t0 = DateTime.UtcNow;
        await hub.DisposeAsync();
        var e = await Assert.ThrowsAsync<SampException>(() => ping);
        Assert.That(e!.Message, Does.Contain("went away before the reply came (the hub announced its shutdown)"));
        Assert.That(DateTime.UtcNow - t0, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task MetadataNamesTheClientAndItsIconIsServed()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        await using var a = await SampClient.ConnectAsync(Options("voscript"));
        await using var b = await SampClient.ConnectAsync(Options("other"));
        var info = (await b.GetClientsAsync()).Single(c => c.Id == a.SelfId);
        Assert.That(info.Name, Is.EqualTo("voscript"));
        Assert.That(info.Metadata["samp.description.text"], Is.EqualTo("VoScript: scripted Virtual Observatory workflows"));
        Assert.That(info.Metadata["voscript.version"], Is.EqualTo("0.1.0"));
        Assert.That(info.Subscriptions.Keys, Is.SupersetOf(new[] { "samp.app.ping", "table.load.votable", "samp.hub.event.shutdown" }));
        using var http = new HttpClient();
        using var icon = await http.GetAsync((string)info.Metadata["samp.icon.url"]);
        Assert.That(icon.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That((await icon.Content.ReadAsByteArrayAsync())[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
    }

    [Test]
    public async Task NotifyAllAndCallAllReachEverySubscriber()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        var lf = SampLockfile.TryRead(_lock)!;
        await using var sender = await RawSampPeer.StartAsync(lf, "sender", RawSampPeer.Behaviour.ReplyOk, "x.none");
        await using var r1 = await RawSampPeer.StartAsync(lf, "r1", RawSampPeer.Behaviour.ReplyOk, "test.*");
        await using var r2 = await RawSampPeer.StartAsync(lf, "r2", RawSampPeer.Behaviour.ReplyOk, "*");
        await using var r3 = await RawSampPeer.StartAsync(lf, "r3", RawSampPeer.Behaviour.ReplyOk, "other.mtype");
        var msg = new SampMessage("test.hello", new Dictionary<string, object> { ["k"] = "v" }).ToMap();
        var notified = (IReadOnlyList<object>)await sender.CallAsync("samp.hub.notifyAll", msg);
        Assert.That(notified, Is.EquivalentTo(new[] { r1.Id, r2.Id }));
        var called = (IReadOnlyDictionary<string, object>)await sender.CallAsync("samp.hub.callAll", "tag-9", msg);
        Assert.That(called.Keys, Is.EquivalentTo(new[] { r1.Id, r2.Id }));
        // both replies come back to the sender as receiveResponse with its tag
        await WaitUntil(() => { lock (sender.Received) return sender.Received.Count(c => c.Method == "samp.client.receiveResponse") == 2; });
        lock (sender.Received)
        {
            var responses = sender.Received.Where(c => c.Method == "samp.client.receiveResponse").ToList();
            Assert.That(responses.Select(c => c.Params[1]), Is.EquivalentTo(new[] { r1.Id, r2.Id }));
            Assert.That(responses.Select(c => c.Params[2]), Is.All.EqualTo("tag-9"));
            Assert.That(responses.Select(c => SampResponse.FromMap(c.Params[3]).Status), Is.All.EqualTo(SampStatus.Ok));
        }
        lock (r3.Received) Assert.That(r3.Received.Where(c => c.Method != "samp.client.receiveNotification" || !((string)((IReadOnlyDictionary<string, object>)c.Params[2])["samp.mtype"]).StartsWith("samp.hub.")), Is.Empty);
    }

    [Test]
    public async Task HubCallAndWaitTimesOutOnASilentRecipient()
    {
        await using var hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = _lock });
        var lf = SampLockfile.TryRead(_lock)!;
        await using var sender = await RawSampPeer.StartAsync(lf, "sender", RawSampPeer.Behaviour.ReplyOk, "x.none");
        await using var silent = await RawSampPeer.StartAsync(lf, "silent", RawSampPeer.Behaviour.NeverReply, "samp.app.ping");
        await using var ok = await RawSampPeer.StartAsync(lf, "ok", RawSampPeer.Behaviour.ReplyOk, "samp.app.ping");
        var ping = new SampMessage("samp.app.ping").ToMap();
        var e = await Assert.ThrowsAsync<XmlRpcFaultException>(() => sender.CallAsync("samp.hub.callAndWait", silent.Id, ping, "1"));
        Assert.That(e!.FaultString, Is.EqualTo($"callAndWait: {silent.Id} did not reply within 1 s"));
        var r = SampResponse.FromMap(await sender.CallAsync("samp.hub.callAndWait", ok.Id, ping, "5"));
        Assert.That(r.Status, Is.EqualTo(SampStatus.Ok));
        Assert.That(r.Result["echo"], Is.EqualTo("samp.app.ping"));
    }

    private static List<(string, string)> Events(RawSampPeer p)
    {
        lock (p.Received)
            return p.Received.Where(c => c.Method == "samp.client.receiveNotification")
                .Select(c => SampMessage.FromMap(c.Params[2]))
                .Select(m => (m.MType, m.Param("id") ?? "")).ToList();
    }

    private static async Task WaitUntil(Func<bool> cond, double seconds = 10)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (!cond())
        {
            if (DateTime.UtcNow > end) Assert.Fail("condition not met in time");
            await Task.Delay(50);
        }
    }
}
