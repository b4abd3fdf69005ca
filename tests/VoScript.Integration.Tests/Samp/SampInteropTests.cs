using System.Security.Cryptography;
using System.Text.Json;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Integration.Tests.Samp;

/// <summary>
/// Our SAMP client and hub against software nobody here wrote: the JSAMP hub, the astropy hub,
/// astropy's client (receiver.py, samptool.py) and JSAMP's tools. Each test starts its peers and stops them.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class SampInteropTests
{
    private static SampClientOptions Options(string lockPath, TimeSpan? reply = null, Action<string>? log = null) => new()
    {
        LockfilePath = lockPath,
        ReplyTimeout = reply ?? TimeSpan.FromSeconds(20),
        WatchInterval = TimeSpan.FromMilliseconds(300),
        ServeGrace = TimeSpan.FromSeconds(5),
        Log = log ?? (m => TestContext.Progress.WriteLine(m)),
    };

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static Table SpectraTable(string url, int rows)
    {
        var t = new Table("ssa_result");
        var acc = new Field("accref", DataType.Char, ArraySize.Variable) { Utype = "ssa:Access.Reference", Ucd = "meta.ref.url" };
        var fmt = new Field("format", DataType.Char, ArraySize.Variable) { Utype = "ssa:Access.Format", Ucd = "meta.code.mime" };
        var title = new Field("title", DataType.Char, ArraySize.Variable) { Utype = "ssa:DataID.Title", Ucd = "meta.title" };
        var ra = new Field("ra", DataType.Double) { Ucd = "pos.eq.ra", Unit = "deg" };
        t.AddColumn(new StringColumn(acc, Enumerable.Repeat<string?>(url, rows).ToArray()));
        t.AddColumn(new StringColumn(fmt, Enumerable.Repeat<string?>("application/x-votable+xml", rows).ToArray()));
        t.AddColumn(new StringColumn(title, Enumerable.Range(0, rows).Select(i => (string?)$"spec {i}").ToArray()));
        t.AddColumn(new ScalarColumn<double>(ra, Enumerable.Range(0, rows).Select(i => 10.0 + i).ToArray()));
        return t;
    }

    [TestCase("jsamp")]
    [TestCase("astropy")]
    public async Task EveryMessageReachesTheAstropyReceiverThroughARealHub(string impl)
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp(impl);
        var log = rig.ReceiverUp();
        var (vot, fits) = rig.MakeData(9);
        await using var client = await SampClient.ConnectAsync(Options(lockPath));

        // table.load.votable: the receiver fetches our loopback URL and gets the very bytes
        var sent = await client.SendVOTableFileAsync("TEST-RECEIVER", vot, "rig table");
        var reply = sent.Result.Deliveries.Single().Response!;
        Assert.That(reply.Status, Is.EqualTo(SampStatus.Ok));
        Assert.That(reply.Result["x-rig.rows"], Is.EqualTo("9"));
        var table = (await log.WaitAsync("table.load.votable")).Single();
        var data = table.GetProperty("data");
        Assert.That(data.GetProperty("ok").GetBoolean(), Is.True, table.ToString());
        Assert.That(data.GetProperty("rows").GetInt32(), Is.EqualTo(9));
        Assert.That(data.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
        Assert.That(data.GetProperty("sha256").GetString(), Is.EqualTo(Sha256(vot)));
        Assert.That(data.GetProperty("url").GetString(), Does.StartWith("http://127.0.0.1:"));
        Assert.That(table.GetProperty("params").GetProperty("table-id").GetString(), Is.EqualTo(sent.TableId));
        Assert.That(table.GetProperty("sender_name").GetString(), Is.EqualTo("voscript"));
        Assert.That(table.GetProperty("lint").GetArrayLength(), Is.Zero);

        // a Table (read by our VOTable reader, PARAM added) written by VOTableWriter: every row, metadata intact
        var t = VOTableReader.ReadFile(vot);
        t.Params.Add(new Param("origin", DataType.Char, "voscript test", ArraySize.Variable) { Ucd = "meta.note" });
        var expected = new MemoryStream();
        VOTableWriter.Write(t, expected);
        var sentTable = await client.SendTableAsync("test-receiver", t, "written");
        Assert.That(sentTable.Result.Deliveries.Single().Response!.Result["x-rig.rows"], Is.EqualTo("9"));
        var second = (await log.WaitAsync("table.load.votable", 2))[1].GetProperty("data");
        Assert.That(second.GetProperty("ok").GetBoolean(), Is.True, second.ToString());
        Assert.That(second.GetProperty("rows").GetInt32(), Is.EqualTo(9));
        Assert.That(second.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
        Assert.That(second.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray()))));

        // highlight and select refer to the table just loaded
        await client.HighlightRowAsync("test-receiver", sent.Ref, 4);
        await client.SelectRowsAsync("test-receiver", sent.Ref, [1, 3, 5]);
        var hl = (await log.WaitAsync("table.highlight.row")).Single();
        Assert.That(hl.GetProperty("refers_to_loaded_table").GetBoolean(), Is.True);
        Assert.That(hl.GetProperty("params").GetProperty("row").GetString(), Is.EqualTo("4"));
        var sel = (await log.WaitAsync("table.select.rowList")).Single();
        Assert.That(sel.GetProperty("params").GetProperty("row-list").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "1", "3", "5" }));
        Assert.That(sel.GetProperty("lint").GetArrayLength(), Is.Zero);

        // coord.pointAt.sky as a notification
        await client.PointAtAsync("test-receiver", 83.633, -5.391, waitForReply: false);
        var pt = (await log.WaitAsync("coord.pointAt.sky")).Single();
        Assert.That(pt.GetProperty("kind").GetString(), Is.EqualTo("notification"));
        Assert.That(pt.GetProperty("params").GetProperty("ra").GetString(), Is.EqualTo("83.633"));
        Assert.That(pt.GetProperty("params").GetProperty("dec").GetString(), Is.EqualTo("-5.391"));
        Assert.That(pt.GetProperty("lint").GetArrayLength(), Is.Zero);

        // image.load.fits of a local file: served over loopback HTTP
        await client.SendImageAsync("test-receiver", fits, "rig image");
        var img = (await log.WaitAsync("image.load.fits")).Single();
        Assert.That(img.GetProperty("data").GetProperty("sha256").GetString(), Is.EqualTo(Sha256(fits)));
        Assert.That(img.GetProperty("data").GetProperty("ok").GetBoolean(), Is.True, img.ToString());

        // spectrum.load.ssa-generic: one per row, with the row's metadata
        var results = await client.SendSpectraAsync("test-receiver", SpectraTable(new Uri(vot).AbsoluteUri, 3));
        Assert.That(results, Has.Count.EqualTo(3));
        var specs = await log.WaitAsync("spectrum.load.ssa-generic", 3);
        Assert.That(specs.Select(s => s.GetProperty("params").GetProperty("name").GetString()), Is.EqualTo(new[] { "spec 0", "spec 1", "spec 2" }));
        var meta = specs[1].GetProperty("params").GetProperty("meta");
        Assert.That(meta.GetProperty("Access.Format").GetString(), Is.EqualTo("application/x-votable+xml"));
        Assert.That(meta.GetProperty("Access.Reference").GetString(), Is.EqualTo(new Uri(vot).AbsoluteUri));
        Assert.That(meta.GetProperty("pos.eq.ra").GetString(), Is.EqualTo("11"));
        Assert.That(specs.All(s => s.GetProperty("lint").GetArrayLength() == 0 && s.GetProperty("data").GetProperty("ok").GetBoolean()));

        // image.load.fits per row of a table of images (send … as images): the same row loop as spectra, named by obs_title
        var images = new Table("imgs");
        images.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url" }, [fits, fits]));
        images.AddColumn(new StringColumn(new Field("obs_title", DataType.Char, ArraySize.Variable), ["first image", null]));
        var sentImages = await client.SendImagesAsync("test-receiver", images);
        Assert.That(sentImages, Has.Count.EqualTo(2));
        var imgs = await log.WaitAsync("image.load.fits", 3);
        Assert.That(imgs.Skip(1).Select(i => i.GetProperty("params").GetProperty("name").GetString()), Is.EqualTo(new[] { "first image", "imgs row 2" }));
        Assert.That(imgs.Skip(1).All(i => i.GetProperty("data").GetProperty("sha256").GetString() == Sha256(fits)));

        // samp.app.ping (answered by astropy itself)
        var ping = await client.PingAsync("test-receiver");
        Assert.That(ping.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
    }

    /// <summary>
    /// A table made by <c>fetch</c> (issue 17, item 7): each row's downloaded file is sent (as a file URL), not the
    /// remote access URL (here one that nobody answers); a row whose download failed would send its URL.
    /// </summary>
    [Test]
    public async Task SpectraOfATableOfFetchedFilesAreSentFromTheFiles()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("astropy");
        var log = rig.ReceiverUp();
        var (vot, _) = rig.MakeData(4);
        await using var client = await SampClient.ConnectAsync(Options(lockPath));
        var t = SpectraTable("http://127.0.0.1:9/never/answers.vot", 2);
        t.AddColumn(new StringColumn(new Field("path", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url;meta.file" }, [vot, vot]));
        var results = await client.SendSpectraAsync("test-receiver", t);
        Assert.That(results, Has.Count.EqualTo(2));
        var specs = await log.WaitAsync("spectrum.load.ssa-generic", 2);
        foreach (var spec in specs)
        {
            var data = spec.GetProperty("data");
            Assert.That(data.GetProperty("ok").GetBoolean(), Is.True, spec.ToString());
            Assert.That(data.GetProperty("url").GetString(), Is.EqualTo(new Uri(vot).AbsoluteUri), "the local file, not the remote URL");
            Assert.That(data.GetProperty("sha256").GetString(), Is.EqualTo(Sha256(vot)));
        }
    }

    [TestCase("jsamp")]
    [TestCase("astropy")]
    public async Task ReceiverAnsweringSampErrorIsReportedWithItsMessage(string impl)
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp(impl);
        rig.ReceiverUp("grumpy", "--reply", "error");
        var (vot, _) = rig.MakeData(3);
        await using var client = await SampClient.ConnectAsync(Options(lockPath));
        var e = await Assert.ThrowsAsync<SampException>(() => client.SendVOTableFileAsync("grumpy", vot));
        Assert.That(e!.Message, Is.EqualTo("grumpy refused table.load.votable: forced error (--reply error)"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task ReceiverThatNeverRepliesTimesOutWithoutHangingTheRun()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        var log = rig.ReceiverUp("silent", "--reply", "none");
        var (vot, _) = rig.MakeData(3);
        await using var client = await SampClient.ConnectAsync(Options(lockPath, reply: TimeSpan.FromSeconds(2)));
        var t0 = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<SampException>(() => client.SendVOTableFileAsync("silent", vot));
        Assert.That(e!.Message, Is.EqualTo("silent did not reply to table.load.votable within 2 s"));
        Assert.That(DateTime.UtcNow - t0, Is.LessThan(TimeSpan.FromSeconds(10)));
        // it did get (and fetch) the table, it just never answered
        Assert.That((await log.WaitAsync("table.load.votable")).Single().GetProperty("data").GetProperty("rows").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task HubGoingAwayIsNoticedAndRegistrationIsRedoneWhenItComesBack()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        var logs = new List<string>();
        await using var client = await SampClient.ConnectAsync(Options(lockPath, log: m => { lock (logs) logs.Add(m); }));
        var firstId = client.SelfId;
        rig.HubDown();
        await WaitUntil(() => !client.IsRegistered, 10);
        var e = await Assert.ThrowsAsync<SampNoHubException>(() => client.PingAsync("all"));
        Assert.That(e!.Message, Does.StartWith("No SAMP hub is running").And.Contains("voscript hub"));

        rig.HubUp("astropy");
        var log = rig.ReceiverUp();
        await WaitUntil(() => client.IsRegistered, 15);
        var (vot, _) = rig.MakeData(4);
        var sent = await client.SendVOTableFileAsync("test-receiver", vot);
        Assert.That(sent.Result.Deliveries.Single().Response!.Result["x-rig.rows"], Is.EqualTo("4"));
        Assert.That((await log.WaitAsync("table.load.votable")).Single().GetProperty("sender_name").GetString(), Is.EqualTo("voscript"));
        lock (logs)
        {
            Assert.That(logs, Has.Some.Contains("lost the hub"));
            Assert.That(logs, Has.Some.Contains("registered again"));
        }
        Assert.That(client.SelfId, Is.Not.Null);
        TestContext.Progress.WriteLine($"ids: {firstId} then {client.SelfId}");
    }

    [TestCase("jsamp")]
    [TestCase("astropy")]
    public async Task TableSentByAstropyClientIsReceived(string impl)
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp(impl);
        var (vot, _) = rig.MakeData(6);
        await using var client = await SampClient.ConnectAsync(Options(lockPath));
        var wait = client.ReceiveTableAsync("samptool-sender", TimeSpan.FromSeconds(30));
        var output = rig.Run("samptool.py", "send", "--mtype", "table.load.votable", "--param", "url", new Uri(vot).AbsoluteUri,
            "--param", "name", "from astropy", "--target", "VOSCRIPT", "--mode", "call", "--timeout", "20");
        var got = await wait;
        Assert.That(got.Content, Is.EqualTo(File.ReadAllBytes(vot)));
        Assert.That(got.Name, Is.EqualTo("from astropy"));
        Assert.That(got.Table.RowCount, Is.EqualTo(6));
        Assert.That(got.Table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
        Assert.That(got.Table.FindColumn("ra")!.Field.Unit, Is.EqualTo("deg"));
        Assert.That(output, Does.Contain("samp.ok"));
    }

    [Test]
    public async Task NonAsciiNamesArePercentEncodedSoTheStrictJsampHubAcceptsThem()
    {
        await using var rig = new SampRig();
        var lockPath = rig.HubUp("jsamp");
        var log = rig.ReceiverUp();
        var (vot, _) = rig.MakeData(2);
        await using var client = await SampClient.ConnectAsync(Options(lockPath));
        await client.SendVOTableFileAsync("test-receiver", vot, "Ångström – test");
        var msg = (await log.WaitAsync("table.load.votable")).Single();
        Assert.That(msg.GetProperty("params").GetProperty("name").GetString(), Is.EqualTo("%C3%85ngstr%C3%B6m %E2%80%93 test"));
        Assert.That(msg.GetProperty("lint").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task NoHubMessageSaysHowToStartOne()
    {
        await using var rig = new SampRig();
        var e = await Assert.ThrowsAsync<SampNoHubException>(() => SampClient.ConnectAsync(Options(rig.LockPath)));
        Assert.That(e!.Message, Is.EqualTo($"No SAMP hub is running: there is no lockfile at {rig.LockPath}. {SampNoHubException.Advice}"));
        await Task.CompletedTask;
    }

    internal static async Task WaitUntil(Func<bool> cond, double seconds)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (!cond())
        {
            if (DateTime.UtcNow > end) Assert.Fail($"condition not met within {seconds} s");
            await Task.Delay(100);
        }
    }
}
