using System.CommandLine;
using VoScript.Engine;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript lint URL</c>: checks a TAP service the way a script will use it; findings carry codes (E/W/I-AREA-NN).</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "TAP service base URL" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log each request as an equivalent curl command" };
        var cmd = new Command("lint", "Check a TAP service (VOSI, sync, MAXREC, errors, async UWS life cycle, upload)") { url, verbose };
        cmd.SetAction(async (pr, ct) => await RunAsync(pr.GetValue(url)!, pr.GetValue(verbose), pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct));
        return cmd;
    }

    public static void Register(RootCommand root) => root.Subcommands.Add(Create());

    public static async Task<int> RunAsync(string url, bool verbose, TextWriter output, TextWriter err, CancellationToken ct)
    {
        try
        {
            using var http = new VoHttpClient(new VoHttpOptions { Verbose = verbose, MaxRetries = 1, AttemptTimeout = TimeSpan.FromSeconds(30), ReadIdleTimeout = TimeSpan.FromSeconds(30) });
            if (verbose) ProtocolConsole.Attach(http, err, verbose);
            var lint = new TapLint(new TapService(ProtocolConsole.ParseHttpUrl(url, "TAP URL"), http));
            var findings = await lint.RunAsync(f => output.WriteLine(f.ToString()), ct);
            var e = findings.Count(f => f.Severity == LintSeverity.Error);
            var w = findings.Count(f => f.Severity == LintSeverity.Warning);
            output.WriteLine($"Errors: {e}; Warnings: {w}");
            return e > 0 ? 1 : 0;
        }
        catch (OperationCanceledException)
        {
            err.WriteLine("voscript: cancelled");
            return 130;
        }
        catch (VoScriptException ex)
        {
            err.WriteLine("voscript: " + ex.Message);
            return 1;
        }
    }
}
