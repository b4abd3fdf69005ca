using System.Diagnostics;

namespace VoScript.Cli.Tests.Repl;

/// <summary>
/// End to end: <c>./voscript repl</c> in a real terminal (tmux, 100×30), driven by
/// send-keys and read back with capture-pane.
/// </summary>
[NonParallelizable]
public class ReplTmuxTests
{
    private TmuxTerminal _term = null!;
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        if (!TmuxTerminal.Installed) Assert.Ignore("tmux is not installed");
        _term = new TmuxTerminal("vos-repl");
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-tmux-" + Guid.NewGuid().ToString("N")));
    }

    [TearDown]
    public void TearDown()
    {
        _term.Dispose();
        Directory.Delete(_dir, true);
    }

    private void Keys(params string[] keys) => _term.Keys(keys);

    private string WaitFor(Func<string, bool> condition, string what, int seconds = 20) => _term.WaitFor(condition, what, seconds);

    [Test]
    public void LoadShowCompleteSyntaxErrorAndQuitInARealTerminal()
    {
        var exit = Path.Combine(_dir, "exit");
        var history = Path.Combine(_dir, "history");
        var started = _term.Start(Repo.Root, $"./voscript repl --history '{history}'; echo $? > '{exit}'");
        Assert.That(started, Is.EqualTo(0), "tmux session started");
        // the launcher may build the CLI first
        WaitFor(s => s.Contains("Workspace") && s.Contains("Ctrl-Q quit"), "the REPL to start", 280);

        Keys("load \"scripts/data/sample.vot\" as t", "Enter");
        WaitFor(s => s.Contains("t 40×8") && s.Contains("t: 40 rows, 8 columns"), "the table in the workspace pane");

        // the output text is drawn in colours one can read (not the theme's grey-on-grey read-only colours)
        var coloured = _term.Capture(escapes: true).Split('\n').First(l => l.Contains("t: 40 rows"));
        Assert.That(System.Text.RegularExpressions.Regex.IsMatch(coloured, @"\e\[38;2;(\d+;\d+;\d+)m\e\[48;2;\1m"), Is.False, coloured);

        Keys("sh", "Tab");
        WaitFor(s => s.Contains("│show "), "'sh' completed to 'show'");
        Keys("t", "Enter");
        var shown = WaitFor(s => s.Contains("Table t: 40 rows"), "the table view");
        Assert.That(shown, Does.Contain("source_id").And.Contain("3834000000000016081"));

        Keys("Escape"); // back to the output text (a key right after ESC would read as Alt+key)
        WaitFor(s => s.Contains("┤Output├"), "the output pane back");
        Keys("show t limt 5");
        var lines = WaitFor(s => s.Contains("^^^^"), "the diagnostic with its caret").Split('\n');
        var source = Array.FindIndex(lines, l => l.Contains("│  show t limt 5"));
        Assert.That(source, Is.GreaterThan(0));
        Assert.That(lines[source - 1], Does.Contain("input:1:8: error VOS0001: expected end of line or 'limit', found 'limt'"));
        Assert.That(lines[source + 1].IndexOf("^^^^", StringComparison.Ordinal), Is.EqualTo(lines[source].IndexOf("limt", StringComparison.Ordinal)));

        Keys("C-c"); // clears the input: nothing is running
        Keys(":save session out.vos", "Enter");
        WaitFor(s => s.Contains("saved 2 statements"), "the session saved");
        Keys(":quit", "Enter");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(exit) && clock.Elapsed.TotalSeconds < 20) Thread.Sleep(200);
        Assert.That(File.Exists(exit) ? File.ReadAllText(exit).Trim() : "(still running)", Is.EqualTo("0"), "voscript repl ended with exit code 0");
        Assert.That(File.ReadAllLines(history), Does.Contain("load \"scripts/data/sample.vot\" as t").And.Contain(":quit"));
        var saved = Repo.PathOf("out.vos");
        try
        {
            Assert.That(File.ReadAllText(saved), Does.EndWith("load \"scripts/data/sample.vot\" as t\nshow t\n"));
        }
        finally
        {
            File.Delete(saved);
        }
    }
}

public class ReplCommandLineTests
{
    [Test]
    public void WithoutATerminalTheReplRefusesWithUsageExitCode()
    {
        var r = Repo.Shell("./voscript repl --no-history < /dev/null | cat");
        Assert.That(r.ExitCode, Is.EqualTo(0), "the pipeline's status is cat's");
        var direct = Repo.Shell("./voscript repl --no-history < /dev/null > /dev/null");
        Assert.That(direct.ExitCode, Is.EqualTo(2));
        Assert.That(direct.Err, Does.Contain("voscript repl: needs a terminal").And.Contain("voscript run"));
    }
}
