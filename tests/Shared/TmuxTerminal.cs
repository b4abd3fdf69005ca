using System.Diagnostics;
using NUnit.Framework;

// Compiled into the test projects that drive `voscript repl` in a real terminal (a linked file in their .csproj).
namespace VoScript;

/// <summary>
/// A real terminal for end-to-end tests: a private tmux server (its own socket, killed on dispose)
/// with one session, <c>repl</c>, driven by send-keys and read back with capture-pane.
/// </summary>
internal sealed class TmuxTerminal(string name) : IDisposable
{
    private readonly string _socket = name + "-" + Guid.NewGuid().ToString("N")[..8];

    public static bool Installed => Run("-V").Code == 0;

    /// <summary>Starts <paramref name="command"/> in the session, in <paramref name="workingDirectory"/>; the exit code is tmux's.</summary>
    public int Start(string workingDirectory, string command, int width = 100, int height = 30) =>
        Tmux("new-session", "-d", "-s", "repl", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", workingDirectory, command).Code;

    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", "repl", .. keys]);

    /// <summary>The screen's text; with <paramref name="escapes"/>, its colour escape sequences too.</summary>
    public string Capture(bool escapes = false) =>
        (escapes ? Tmux("capture-pane", "-e", "-p", "-t", "repl") : Tmux("capture-pane", "-p", "-t", "repl")).Out;

    /// <summary>The screen once <paramref name="condition"/> holds; fails the test with the last screen after <paramref name="seconds"/>.</summary>
    public string WaitFor(Func<string, bool> condition, string what, int seconds)
    {
        var clock = Stopwatch.StartNew();
        var screen = "";
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            screen = Capture();
            if (condition(screen)) return screen;
            Thread.Sleep(200);
        }
        Assert.Fail($"waited {seconds} s for {what}; the screen was:\n{screen}");
        return screen;
    }

    public void Dispose() => Tmux("kill-server");

    private (int Code, string Out) Tmux(params string[] args) => Run(["-L", _socket, .. args]);

    private static (int Code, string Out) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var p = Process.Start(psi)!;
            var o = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, o);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "");
        }
    }
}
