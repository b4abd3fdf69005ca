using NUnit.Framework;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests.Repl;

/// <summary>
/// Issue 14, item 8: an idle REPL costs (almost) nothing. <c>voscript repl</c> runs in tmux, waits for input for 20 s,
/// and its CPU time (utime + stime of /proc/PID/stat) over that time must stay under 1 % of one core.
/// Terminal.Gui's own driver took about 5 % (input polled every 20 ms, 25 main-loop iterations a second, each a
/// thread-pool timer); <c>QuietTerminal</c> waits in poll(2) and idles the main loop. The same REPL with
/// <c>VOSCRIPT_REPL_DRIVER=default</c> (Terminal.Gui's driver as it is) is measured too, to show the check can fail.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class ReplIdleCpuTests
{
    [Test]
    public void An_idle_REPL_uses_less_than_one_percent_of_a_core()
    {
        var share = IdleShare(quiet: true);
        Assert.That(share, Is.LessThan(0.01), "an idle REPL uses less than 1 % of a core");
    }

    [Test]
    public void The_measurement_sees_Terminal_Gui_s_polling_driver()
    {
        // the check above can fail: Terminal.Gui's driver as it is (polling) costs measurably more than the quiet one
        var polling = IdleShare(quiet: false);
        var quiet = IdleShare(quiet: true);
        Assert.That(quiet, Is.LessThan(polling / 2), $"quiet {quiet:P2} against polling {polling:P2}");
    }

    /// <summary>
    /// Starts <c>voscript repl</c> in tmux, lets start-up pass, and returns its CPU share of one core over 20 idle seconds;
    /// then quits it and checks it ends promptly (the quiet input thread must not hold the shutdown up).
    /// </summary>
    private static double IdleShare(bool quiet)
    {
        if (!TmuxTerminal.Installed) Assert.Ignore("tmux is not installed");
        var marker = Path.Combine(Path.GetTempPath(), $"vos-idle-{Guid.NewGuid():N}.history");
        using var term = new TmuxTerminal("vos-repl-idle");
        var driver = quiet ? "quiet" : "default";
        Assert.That(term.Start(AppContext.BaseDirectory, $"env VOSCRIPT_REPL_DRIVER={driver} dotnet {ServeProcess.CliDll} repl --history {marker}", 160, 40), Is.EqualTo(0));
        term.WaitFor(s => s.Contains("Workspace"), "the REPL to start", 120);
        var pid = FindPid(marker);
        Thread.Sleep(10_000); // start-up work is over (first paint; the REPL's first 8 s run at full rate so the JIT compiles the loop)
        var (cpu0, clock0) = (CpuSeconds(pid), DateTime.UtcNow);
        Thread.Sleep(20_000);
        var (cpu1, clock1) = (CpuSeconds(pid), DateTime.UtcNow);
        var share = (cpu1 - cpu0) / (clock1 - clock0).TotalSeconds;
        TestContext.Out.WriteLine($"idle REPL ({driver} driver): {cpu1 - cpu0:0.00} s of CPU in {(clock1 - clock0).TotalSeconds:0.0} s ({share:P2} of a core)");
        Assert.That(term.Capture(), Does.Contain("Workspace"), "the REPL is still up");
        term.Keys(":quit", "Enter");
        var quitAt = DateTime.UtcNow;
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow - quitAt < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the REPL ends within seconds of :quit");
        TestContext.Out.WriteLine($"  ended {(DateTime.UtcNow - quitAt).TotalSeconds:0.0} s after :quit");
        File.Delete(marker);
        return share;
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
