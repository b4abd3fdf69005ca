using System.Reflection;
using System.Runtime.InteropServices;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;

namespace VoScript.Cli.Repl;

/// <summary>
/// What keeps an idle REPL idle (issue 14). Terminal.Gui's ANSI driver (the default on Unix) asks the terminal for
/// input every 20 ms and its main loop runs 25 iterations a second, each ending in a timer; every timer is a thread-pool
/// work item, and the pool's workers spin before they sleep: about 5 % of a core doing nothing. Here the REPL runs
/// Terminal.Gui's own ANSI driver with two changes:
/// <list type="bullet">
/// <item>its input thread waits in <c>poll(2)</c> until the terminal has something (in slices of <see cref="InputSliceMs"/>,
/// so stopping stays prompt) instead of polling and sleeping;</item>
/// <item>while the REPL is <see cref="Idle"/>, each main-loop iteration first waits until <see cref="Wake"/> is called
/// (a key, output of a run, a change of the workspace) or <see cref="IdleWaitMs"/> passes.</item>
/// </list>
/// An idle REPL then wakes about three times a second, cheaply. <c>VOSCRIPT_REPL_DRIVER=default</c> turns it off.
/// </summary>
internal sealed class QuietTerminal
{
    /// <summary>How long the input thread waits in one <c>poll(2)</c> before it looks whether the REPL is stopping.</summary>
    public const int InputSliceMs = 500;

    /// <summary>The longest an idle main loop waits between iterations (resizes and timers are seen this late).</summary>
    public const int IdleWaitMs = 1000;

    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private volatile bool _idle;
    private volatile bool _stopping;

    private QuietTerminal() { }

    /// <summary>
    /// A new, initialised Terminal.Gui application and the quiet loop that drives it, or a null loop where the
    /// quiet driver cannot be had (then Terminal.Gui's default driver runs as it is). Terminal.Gui 2.5 has no public
    /// way to give an application its own input (its driver registry is consulted for names only, and the constructor
    /// that takes a component factory is internal), so the factory is set on the application's private field by
    /// reflection before <c>Init</c> reads it; if a later Terminal.Gui renames the field, this falls back to the
    /// default driver (and <c>ReplIdleCpuTests</c> will say so).
    /// </summary>
    public static (IApplication App, QuietTerminal? Quiet) CreateApplication()
    {
        var app = Application.Create();
        QuietTerminal? quiet = null;
        if (Wanted())
        {
            var candidate = new QuietTerminal();
            if (TryUseFactory(app, new AnsiComponentFactory(new WaitingInput(candidate)))) quiet = candidate;
        }
        app.Init();
        if (quiet is not null) app.Iteration += (_, _) => quiet.WaitWhileIdle();
        return (app, quiet);
    }

    /// <summary>Whether nothing is going on: the main loop then waits for <see cref="Wake"/> between iterations.</summary>
    public bool Idle
    {
        get => _idle;
        set
        {
            _idle = value;
            if (!value) _wake.Set();
        }
    }

    /// <summary>Something happened (a key, output, a change): the next iteration runs now.</summary>
    public void Wake() => _wake.Set();

    /// <summary>The REPL is ending: the input thread stops waiting, so Terminal.Gui's shutdown does not wait for it.</summary>
    public void Stop()
    {
        _stopping = true;
        Idle = false;
    }

    private void WaitWhileIdle()
    {
        if (!_idle || _stopping) return;
        _wake.Wait(IdleWaitMs);
        _wake.Reset();
    }

    private static bool Wanted() =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        && string.IsNullOrEmpty(Application.ForceDriver)
        && Environment.GetEnvironmentVariable("VOSCRIPT_REPL_DRIVER") is null or "" or "quiet";

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075",
        Justification = "the REPL runs in the JIT build only, never trimmed; the native build hands it over (NativeBuild)")]
    private static bool TryUseFactory(IApplication app, IComponentFactory factory)
    {
        var field = app.GetType().GetField("_componentFactory", BindingFlags.Instance | BindingFlags.NonPublic);
        if (field is null || !field.FieldType.IsAssignableFrom(factory.GetType())) return false;
        field.SetValue(app, factory);
        return true;
    }

    /// <summary>Terminal.Gui's ANSI input whose <see cref="Peek"/> waits for the terminal instead of returning at once.</summary>
    private sealed class WaitingInput(QuietTerminal owner) : AnsiInput
    {
        public override bool Peek()
        {
            while (!owner._stopping)
            {
                if (base.Peek()) return true;
                if (!WaitForStdin(InputSliceMs)) continue;
                // readable (or closed): the base decides what there is. A closed or non-terminal stdin makes poll
                // return at once while the base (degraded) says false: then the caller's own 20 ms sleep paces it.
                return base.Peek();
            }
            return base.Peek();
        }

        /// <summary>The base's characters; once the caller has queued the last of them, the main loop leaves idling.</summary>
        public override IEnumerable<char> Read()
        {
            foreach (var c in base.Read()) yield return c;
            owner.Idle = false;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        private const short PollIn = 0x0001;

        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        private static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);

        private static bool WaitForStdin(int timeoutMs)
        {
            var fd = new PollFd { Fd = 0, Events = PollIn };
            try
            {
                // a signal (EINTR) returns -1: look again, as after a timeout
                return Poll(ref fd, 1, timeoutMs) > 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Thread.Sleep(20);
                return true; // no poll(2) here: behave as Terminal.Gui's own input (peek, sleep 20 ms)
            }
        }
    }
}
