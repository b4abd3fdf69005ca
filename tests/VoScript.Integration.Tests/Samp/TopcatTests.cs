using System.Text.Json;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Integration.Tests.Samp;

/// <summary>TOPCAT under Xvfb, a real application, receives our table (through the JSAMP hub and through ours).</summary>
[Category("Integration")]
[NonParallelizable]
public class TopcatTests
{
    [TestCase("jsamp")]
    [TestCase("voscript")]
    public async Task TopcatLoadsOurTableAndSendsItBackIntact(string hubImpl)
    {
        await using var rig = new SampRig();
        SampHub? ourHub = null;
        try
        {
            if (hubImpl == "voscript") ourHub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = rig.LockPath });
            else rig.HubUp(hubImpl);
            rig.TopcatUp();
            var (vot, _) = rig.MakeData(9);
            await using var client = await SampClient.ConnectAsync(new SampClientOptions
            {
                LockfilePath = rig.LockPath,
                ReplyTimeout = TimeSpan.FromSeconds(60),
                Log = m => TestContext.Progress.WriteLine(m),
            });

            // TOPCAT answers samp.ok to table.load.votable only once the table is loaded
            var sent = await client.SendVOTableFileAsync("TOPCAT", vot, "from voscript");
            Assert.That(sent.Result.Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));

            // TOPCAT's own table.get.stil serves its current table back: same rows and columns
            // (TOPCAT makes the table "current" a moment after the samp.ok, on its GUI thread: ask again until it has)
            var getStil = new SampMessage("table.get.stil", new Dictionary<string, object> { ["format"] = "votable" });
            SampResponse got;
            var until = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                got = (await client.SendAsync("topcat", getStil)).Deliveries.Single().Response!;
                if (got.Status == SampStatus.Ok || DateTime.UtcNow > until) break;
                await Task.Delay(200);
            }
            Assert.That(got.Status, Is.EqualTo(SampStatus.Ok), got.ErrorText);
            var url = got.Result["url"] as string;
            Assert.That(url, Does.StartWith("http://127.0.0.1:"));
            var summary = JsonDocument.Parse(rig.Run("samptool.py", "table-summary", url!)).RootElement;
            Assert.That(summary.GetProperty("rows").GetInt32(), Is.EqualTo(9));
            Assert.That(summary.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));

            // highlight and select rows of the loaded table
            Assert.That((await client.HighlightRowAsync("topcat", sent.Ref, 2)).Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));
            Assert.That((await client.SelectRowsAsync("topcat", sent.Ref, [0, 4])).Deliveries.Single().Response!.Status, Is.EqualTo(SampStatus.Ok));

            // a user clicks "Broadcast table" in TOPCAT: the script receives the table back
            var back = client.ReceiveTableAsync("TOPCAT", TimeSpan.FromSeconds(30));
            rig.Run("topcat-broadcast.sh");
            var received = await back;
            Assert.That(received.Url, Does.StartWith("http://127.0.0.1:"));
            Assert.That(received.Table.RowCount, Is.EqualTo(9));
            Assert.That(received.Table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
            Assert.That(received.Table.FindColumn("dec")!.Field.Unit, Is.EqualTo("deg"));
        }
        finally
        {
            if (ourHub is not null) await ourHub.DisposeAsync();
        }
    }
}
