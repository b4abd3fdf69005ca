using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace VoScript.Cli.Commands;

/// <summary>
/// The CLI is built twice from the same code (the <c>voscript</c> launcher builds both): a native executable compiled
/// ahead of time (NativeAOT: starts in a few milliseconds, no JIT), and the JIT build on the .NET runtime (ReadyToRun).
/// The native one runs every command but those that need what only the runtime has: csharp blocks (Roslyn compiles
/// and loads assemblies at run time), the REPL (Terminal.Gui) and <c>serve</c> (ASP.NET Core, DuckDB). For those it
/// replaces itself with the JIT build (<c>execv</c>, same arguments, same process id), before doing anything the
/// user could see. In the native build <see cref="IsNative"/> is the constant true, so the code behind those commands
/// is not compiled into it at all.
/// </summary>
internal static partial class NativeBuild
{
    private const string Switch = "VoScript.Cli.Native";

    /// <summary>True in the native build (a feature switch the ahead-of-time compiler treats as a constant).</summary>
    [FeatureSwitchDefinition(Switch)]
    public static bool IsNative => AppContext.TryGetSwitch(Switch, out var on) && on;

    /// <summary>The variable naming the JIT build's executable; else it is <c>../cli/voscript</c> beside the native one.</summary>
    public const string JitBuildVariable = "VOSCRIPT_JIT_BUILD";

    /// <summary>Thrown in the native build where the JIT build must take over; Program.Main hands over.</summary>
    public sealed class HandOverException(string why) : Exception(why);

    /// <summary>The JIT build's executable, or null when there is none.</summary>
    internal static string? JitBuildPath()
    {
        var named = Environment.GetEnvironmentVariable(JitBuildVariable);
        var path = !string.IsNullOrEmpty(named) ? named : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "cli", "voscript"));
        return File.Exists(path) ? path : null;
    }

    /// <summary>Replaces this process with the JIT build, same arguments; returns an exit code only if that fails.</summary>
    public static int HandOver(string[] args, string why, TextWriter stderr)
    {
        var jit = JitBuildPath();
        if (jit is null)
        {
            stderr.WriteLine($"voscript: this native build hands {why} to the JIT build of voscript, and there is none beside it " +
                             $"(./voscript builds both; or name its executable in {JitBuildVariable})");
            return ScriptInput.Failed;
        }
        if (VoScript.Engine.Timings.Enabled) VoScript.Engine.Timings.Print($"native build: {why}: handed over to the JIT build", 0);
        Console.Out.Flush();
        Console.Error.Flush();
        var argv = new nint[args.Length + 2];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(jit);
            for (var i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
            Execv(jit, argv);
            var errno = Marshal.GetLastPInvokeError();
            stderr.WriteLine($"voscript: could not start the JIT build {jit} for {why}: {Marshal.GetPInvokeErrorMessage(errno)}");
            return ScriptInput.Failed;
        }
        finally
        {
            foreach (var p in argv) if (p != 0) Marshal.FreeCoTaskMem(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, nint[] argv);
}
