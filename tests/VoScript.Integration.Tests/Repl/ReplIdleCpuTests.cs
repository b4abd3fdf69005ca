using NUnit.Framework;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests.Repl;

/// <summary>
/// Issue 14, item 8: an idle REPL costs (almost) nothing. <c>voscript repl</c> runs in tmux, waits for input for 20 s,
/// and its CPU time (utime + stime of /proc/PID/stat) over that time must stay under 1 % of one core.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ReplIdleCpuTests
{
    [Test]
    [Explicit("fails today: an idle REPL takes about 5 % of a core (1.1 s of CPU in 20 s, measured 2026-12-07), most of it " +
              "Terminal.Gui's own main loop and input polling, not VoScript's 250 ms timer; lowering " +
              "Application.MaximumIterationsPerSecond to 10 changed it only to 4.75 %. Issue 14 item 8 stays open until this passes.")]
    public void An_idle_REPL_uses_less_than_one_percent_of_a_core()
    {
        if (!TmuxTerminal.Installed) Assert.Ignore("tmux is not installed");
        var marker = Path.Combine(Path.GetTempPath(), $"vos-idle-{Guid.NewGuid():N}.history");
        using var term = new TmuxTerminal("vos-repl-idle");
        Assert.That(term.Start(AppContext.BaseDirectory, $"dotnet {ServeProcess.CliDll} repl --history {marker}", 160, 40), Is.EqualTo(0));
        term.WaitFor(s => s.Contains("Workspace"), "the REPL to start", 120);
        var pid = FindPid(marker);
        Thread.Sleep(5000); // start-up work (JIT, first paint) is over
        var (cpu0, clock0) = (CpuSeconds(pid), DateTime.UtcNow);
        Thread.Sleep(20_000);
        var (cpu1, clock1) = (CpuSeconds(pid), DateTime.UtcNow);
        var share = (cpu1 - cpu0) / (clock1 - clock0).TotalSeconds;
        TestContext.Out.WriteLine($"idle REPL: {cpu1 - cpu0:0.00} s of CPU in {(clock1 - clock0).TotalSeconds:0.0} s ({share:P2} of a core)");
        Assert.That(term.Capture(), Does.Contain("Workspace"), "the REPL is still up");
        Assert.That(share, Is.LessThan(0.01), "an idle REPL uses less than 1 % of a core");
        term.Keys(":quit", "Enter");
        File.Delete(marker);
    }

    /// <summary>The process whose command line names <paramref name="marker"/> (the REPL, whatever shell tmux put around it).</summary>
    private static int FindPid(string marker)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    if (cmd.Contains(marker) && cmd.Any(a => a.EndsWith("voscript.dll", StringComparison.Ordinal))) return pid;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            Thread.Sleep(100);
        }
        Assert.Fail("the REPL process was not found");
        return 0;
    }

    /// <summary>utime + stime of /proc/PID/stat in seconds (clock ticks of 1/100 s, the Linux USER_HZ).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // after "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }
}
