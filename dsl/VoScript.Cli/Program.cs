using System.CommandLine;
using VoScript.Cli.Commands;
using VoScript.Cli.Repl;
using VoScript.Engine;

namespace VoScript.Cli;

/// <summary>The <c>voscript</c> command. Exit codes: 0 success, 1 bad input or failed work, 2 wrong usage, 130 cancelled.</summary>
internal static class Program
{
    public const int Success = ScriptInput.Success;
    public const int Failure = ScriptInput.Failed;
    public const int Usage = ScriptInput.Usage;
    public const int Cancelled = ScriptInput.Cancelled;

    public static int Main(string[] args)
    {
        if (Timings.Enabled)
            Timings.Print($"process start to Main (cpu {Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} ms)", (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds);
        HugePages.AdviseHeap();   // before the first large allocation
        var start = Timings.Start();
        int code;
        try
        {
            code = Run(args, Console.Out, Console.Error);
        }
        catch (NativeBuild.HandOverException e)
        {
            return NativeBuild.HandOver(args, e.Message, Console.Error);
        }
        Timings.Stop(start, "Main");
        if (Timings.Enabled)
            Timings.Print($"garbage collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen 0/1/2), paused", GC.GetTotalPauseDuration().TotalMilliseconds);
        return code;
    }

    /// <summary>The informational version, as System.CommandLine's --version prints it.</summary>
    internal static string Version =>
        typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute a, ..] ? a.InformationalVersion : "0.0.0";

    /// <summary>The root command with every subcommand registered (one line each).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("VoScript: scripts for the astronomical Virtual Observatory.\n" +
                                   "Query TAP services, convert and inspect VOTables, run .vos workflows.");
        root.Add(RunCommand.Create());
        root.Add(CheckCommand.Create());
        root.Add(PlanCommand.Create());
        root.Add(SyntaxCommand.Create());
        root.Add(ShowCommand.Create());
        root.Add(ConvertCommand.Create());
        root.Add(TapCommand.Create());
        root.Add(ServicesCommand.Create());
        root.Add(LintCommand.Create());
        root.Add(HubCommand.Create());
        root.Add(ReplCommand.Create());
        root.Add(ServeCommand.Create());
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // `voscript --version` alone answers before the commands are built (start-up time)
        if (args is ["--version"]) { stdout.WriteLine(Version); return Success; }
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"voscript: {e.Message}");
            var cmd = parse.CommandResult.Command;
            var path = cmd == root ? "voscript" : "voscript " + cmd.Name;
            stderr.WriteLine($"Run '{path} --help' for usage.");
            return Usage;
        }
        try
        {
            // Ctrl-C cancels the command's token; allow time for async jobs to be aborted and deleted.
            var config = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
                ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            };
            return parse.InvokeAsync(config).GetAwaiter().GetResult();
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"voscript: {e.Message}");
            return Usage;
        }
        catch (VoScriptException e)
        {
            stderr.WriteLine($"voscript: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("voscript: cancelled");
            return Cancelled;
        }
        catch (IOException e) when (e.HResult == 32 || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase))
        {
            // stdout closed by the reader (e.g. `| head`): not an error of ours.
            return Success;
        }
    }
}
