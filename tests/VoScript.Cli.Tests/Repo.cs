using System.Diagnostics;

namespace VoScript.Cli.Tests;

/// <summary>Finds the repository and runs the CLI, in process or through the ./voscript launcher.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public sealed record Result(int ExitCode, string Out, string Err);

    /// <summary>Runs <c>voscript ARGS</c> in this process (fast), from the repository root.</summary>
    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var cwd = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Root;
            var code = Program.Run(args, o, e);
            return new Result(code, o.ToString(), e.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }

    /// <summary>Runs a shell command line from the repository root (e.g. "./voscript show …").</summary>
    public static Result Shell(string commandLine, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo("bash", ["-c", commandLine])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish in {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, so.Result, se.Result);
    }
}
