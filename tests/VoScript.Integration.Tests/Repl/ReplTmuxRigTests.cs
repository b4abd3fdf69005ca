using System.Diagnostics;
using NUnit.Framework;
using VoScript.Integration.Tests.Protocols;

namespace VoScript.Integration.Tests.Repl;

/// <summary><c>./voscript repl</c> in tmux against the DaCHS rig: a query typed over three lines, its table, Ctrl-C on an awaited job.</summary>
[Category("Integration")]
[NonParallelizable]
public class ReplTmuxRigTests
{
    private TmuxTerminal _term = null!;
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        DachsRig.RequireUp();
        if (!TmuxTerminal.Installed) Assert.Ignore("tmux is not installed");
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) d = d.Parent!;
        _root = d.FullName;
        _term = new TmuxTerminal("vos-repl-rig");
    }

    [TearDown]
    public void TearDown() => _term.Dispose();

    private void Keys(params string[] keys) => _term.Keys(keys);

    private string WaitFor(Func<string, bool> condition, string what, int seconds = 30) => _term.WaitFor(condition, what, seconds);

    [Test]
    public async Task QueryThenCtrlCOnAnAwaitedJobDeletesItAndTheReplGoesOn()
    {
        var jobsBefore = await DachsRig.JobIds();
        Assert.That(_term.Start(_root, "./voscript repl --no-history"), Is.EqualTo(0));
        WaitFor(s => s.Contains("Workspace") && s.Contains("Ctrl-Q quit"), "the REPL to start", 280);

        Keys($"service rig = tap \"{DachsRig.TapUrl}\"", "Enter");
        Keys("query rig as bright maxrec 5 {", "Enter", "  SELECT source_id, g_mag FROM cat_a.main ORDER BY g_mag", "Enter", "}", "Enter");
        WaitFor(s => s.Contains("bright: 5 rows, 2 columns") && s.Contains("bright 5×2"), "the query's table");

        Keys("query rig async as slow {", "Enter",
            "  SELECT COUNT(*) FROM cat_a.main AS a, cat_a.main AS b, cat_a.main AS c, cat_a.main AS d", "Enter",
            "  WHERE a.ra + b.ra + c.ra + d.ra < 0", "Enter", "}", "Enter");
        WaitFor(s => s.Contains("slow EXECUTING"), "the job executing in the workspace pane");
        var running = (await DachsRig.JobIds()).Except(jobsBefore).ToList();
        Assert.That(running, Has.Count.EqualTo(1), "one job on the server");

        Keys("await slow", "Enter");
        WaitFor(s => s.Contains("running…"), "the await running");
        Keys("C-c");
        WaitFor(s => s.Contains("cancelled: await slow") && s.Contains("cancelled: query rig async as slow"), "both cancelled");
        Assert.That(await DachsRig.JobIsGone(running[0]), Is.True, "the job was deleted on the server");

        Keys("show bright", "Enter");
        WaitFor(s => s.Contains("Table bright: 5 rows"), "the REPL still working after Ctrl-C");
        Keys(":quit", "Enter");
        WaitFor(s => !s.Contains("Workspace"), "the REPL to end");
        Assert.That((await DachsRig.JobIds()).Except(jobsBefore), Is.Empty);
    }
}
