using System.CommandLine;
using System.Security.Cryptography;
using NUnit.Framework;
using VoScript.Cli.Commands;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Integration.Tests.Samp;

/// <summary>Our hub (SampHub, `voscript hub`) with clients nobody here wrote: astropy's and JSAMP's.</summary>
[Category("Integration")]
[NonParallelizable]
public class OurHubInteropTests
{
    private static SampClientOptions Options(string lockPath) => new()
    {
        LockfilePath = lockPath,
        ReplyTimeout = TimeSpan.FromSeconds(20),
        ServeGrace = TimeSpan.FromSeconds(5),
        Log = m => TestContext.Progress.WriteLine(m),
    };

    private static SampHubOptions HubOptions(string lockPath) => new()
    {
        LockfilePath = lockPath,
        Log = m => TestContext.Progress.WriteLine("hub: " + m),
    };

    [Test]
    public async Task JsampHubTesterPassesAgainstOurHub()
    {
        await using var rig = new SampRig();
        await using var hub = await SampHub.StartAsync(HubOptions(rig.LockPath));
        // JSAMP's own conformance test of a running hub: silent, exit 0 on success
        var (code, stdout, stderr) = rig.Exec("jsamp.sh", null, 120, "hubtester");
        Assert.That(code, Is.Zero, $"hubtester failed:\n{stdout}\n{stderr}");
    }

    [Test]
    public async Task AstropyReceiverGetsOurTableThroughOurHub()
    {
        await using var rig = new SampRig();
        await using var hub = await SampHub.StartAsync(HubOptions(rig.LockPath));
        var log = rig.ReceiverUp();
        var (vot, _) = rig.MakeData(7);
        await using var client = await SampClient.ConnectAsync(Options(rig.LockPath));
        var sent = await client.SendVOTableFileAsync("test-receiver", vot);
        Assert.That(sent.Result.Deliveries.Single().Response!.Result["x-rig.rows"], Is.EqualTo("7"));
        var msg = (await log.WaitAsync("table.load.votable")).Single();
        Assert.That(msg.GetProperty("data").GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(vot)))));
        Assert.That(msg.GetProperty("sender_name").GetString(), Is.EqualTo("voscript"));
        await client.PointAtAsync("all", 10, 20);
        Assert.That((await log.WaitAsync("coord.pointAt.sky")).Single().GetProperty("params").GetProperty("ra").GetString(), Is.EqualTo("10"));
    }

    [Test]
    public async Task AstropyClientSendsToOurClientThroughOurHub()
    {
        await using var rig = new SampRig();
        await using var hub = await SampHub.StartAsync(HubOptions(rig.LockPath));
        var (vot, _) = rig.MakeData(5);
        await using var client = await SampClient.ConnectAsync(Options(rig.LockPath));
        var wait = client.ReceiveTableAsync(null, TimeSpan.FromSeconds(30));
        // astropy's callAndWait through our hub, then our reply travels back to it
        var output = rig.Run("samptool.py", "send", "--mtype", "table.load.votable", "--param", "url", new Uri(vot).AbsoluteUri,
            "--target", "voscript", "--mode", "call", "--timeout", "20");
        var got = await wait;
        Assert.That(got.Content, Is.EqualTo(File.ReadAllBytes(vot)));
        Assert.That(got.SenderName, Is.EqualTo("samptool-sender"));
        Assert.That(output, Does.Contain("\"samp.status\": \"samp.ok\""));
        Assert.That(output, Does.Contain("voscript.bytes"));
        // and ping the other way: astropy answers samp.app.ping itself
        var log = rig.ReceiverUp();
        var ping = await client.PingAsync("test-receiver");
        Assert.That(ping.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
    }

    [Test]
    public async Task JsampMessageSenderReachesOurClientThroughOurHub()
    {
        await using var rig = new SampRig();
        await using var hub = await SampHub.StartAsync(HubOptions(rig.LockPath));
        var (vot, _) = rig.MakeData(4);
        await using var client = await SampClient.ConnectAsync(Options(rig.LockPath));
        var wait = client.ReceiveTableAsync("jsender", TimeSpan.FromSeconds(60));
        var output = rig.RunEnv("jsamp.sh", null, 60, "messagesender", "-sendername", "jsender", "-mtype", "table.load.votable",
            "-param", "url", new Uri(vot).AbsoluteUri, "-param", "name", "via jsamp", "-targetname", "voscript", "-mode", "sync");
        var got = await wait;
        Assert.That(got.Content, Is.EqualTo(File.ReadAllBytes(vot)));
        Assert.That(got.Name, Is.EqualTo("via jsamp"));
        Assert.That(output, Does.Contain("samp.ok"));
        // and as a notification (no reply expected)
        var wait2 = client.ReceiveTableAsync("jsender", TimeSpan.FromSeconds(60));
        rig.RunEnv("jsamp.sh", null, 60, "messagesender", "-sendername", "jsender", "-mtype", "table.load.votable",
            "-param", "url", new Uri(vot).AbsoluteUri, "-param", "name", "notified", "-targetname", "voscript", "-mode", "notify");
        var got2 = await wait2;
        Assert.That(got2.Name, Is.EqualTo("notified"));
        Assert.That(got2.Table.RowCount, Is.EqualTo(4));
    }

    [Test]
    public async Task AstropyReceiverNoticesOurHubShuttingDown()
    {
        await using var rig = new SampRig();
        var hub = await SampHub.StartAsync(HubOptions(rig.LockPath));
        var log = rig.ReceiverUp();
        await hub.DisposeAsync();
        Assert.That(File.Exists(rig.LockPath), Is.False);
        var end = DateTime.UtcNow.AddSeconds(15);
        while (!log.Lines().Any(l => l.GetProperty("event").GetString() == "stopped") && DateTime.UtcNow < end) await Task.Delay(100);
        var stopped = log.Lines().Single(l => l.GetProperty("event").GetString() == "stopped");
        Assert.That(stopped.GetProperty("reason").GetString(), Does.Contain("shutdown"));
    }

    [Test]
    public async Task HubCommandRunsAHubUntilCancelled()
    {
        await using var rig = new SampRig();
        using var cts = new CancellationTokenSource();
        var cmd = HubCommand.Create();
        var root = new RootCommand { cmd };
        var run = root.Parse(["hub", "--lockfile", rig.LockPath]).InvokeAsync(cancellationToken: cts.Token);
        var end = DateTime.UtcNow.AddSeconds(20);
        while (SampLockfile.TryRead(rig.LockPath) is null && DateTime.UtcNow < end) await Task.Delay(100);
        Assert.That(SampLockfile.TryRead(rig.LockPath), Is.Not.Null, "voscript hub wrote no lockfile");
        var log = rig.ReceiverUp();
        await using (var client = await SampClient.ConnectAsync(Options(rig.LockPath)))
        {
            var ping = await client.PingAsync("test-receiver");
            Assert.That(ping.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
        }
        await cts.CancelAsync();
        Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        Assert.That(File.Exists(rig.LockPath), Is.False);
    }
}
