using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using VoScript.Integration.Tests.Protocols;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// The two TAP services the language-level tests run against: the DaCHS rig ("dachs",
/// tests/dachs-rig) and <c>voscript serve</c> of the repository's sample field ("serve",
/// scripts/data/field, the same data and quirks). A test takes the name as a test-case
/// argument: <c>[TestCase("dachs")] [TestCase("serve")]</c>.
/// </summary>
public static class TapServers
{
    public const string Dachs = "dachs";
    public const string Serve = "serve";

    /// <summary>The TAP URL of the named server; fails the test with a clear message when it is not there.</summary>
    public static Uri Url(string server) => server switch
    {
        Dachs => RequireDachs(),
        Serve => ServeRig.TapUrl,
        _ => throw new ArgumentOutOfRangeException(nameof(server), server, "dachs or serve"),
    };

    private static Uri RequireDachs()
    {
        DachsRig.RequireUp();
        return DachsRig.TapUrl;
    }

    /// <summary>The --param that points scripts/local/*.vos at the named server.</summary>
    public static Dictionary<string, string> Params(string server) => new() { ["tap_url"] = Url(server).ToString() };

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// <c>voscript serve</c> of scripts/data/field as a child process on a free port, started
/// on first use and stopped when the test run ends (<see cref="ServeRigTeardown"/>).
/// </summary>
public static class ServeRig
{
    private static readonly Lock Gate = new();
    private static Process? _process;
    private static Uri? _url;
    private static string? _failure;
    private static readonly StringBuilder Stderr = new();

    /// <summary>The folder of the served field: catalogues, obscore.vot, spectra/, truth/.</summary>
    public static string FieldDirectory => Path.Combine(TapServers.RepoRoot, "scripts", "data", "field");

    /// <summary>The arguments after <c>voscript serve</c> for the sample field (the same as scripts/main-job.sh gives).</summary>
    public static string[] Arguments(string field) =>
    [
        "--table", Path.Combine(field, "cat_a.vot") + "=cat_a.main",
        "--table", Path.Combine(field, "cat_b.vot") + "=cat_b.main",
        "--table", Path.Combine(field, "cat_c.vot") + "=cat_c.main",
        "--obscore", Path.Combine(field, "obscore.vot"), "--port", "0",
    ];

    public static Uri TapUrl
    {
        get
        {
            lock (Gate)
            {
                if (_url is null && _failure is null) Start();
                if (_failure is not null) Assert.Fail(_failure);
                return _url!;
            }
        }
    }

    public static Uri Origin => new(TapUrl.GetLeftPart(UriPartial.Authority));

    private static void Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "voscript.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TapServers.RepoRoot };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("serve");
        foreach (var a in Arguments(FieldDirectory)) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Stderr) Stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        var first = p.StandardOutput.ReadLineAsync();
        if (!first.Wait(TimeSpan.FromSeconds(60)) || first.Result is not { } line || !line.StartsWith("TAP service: ", StringComparison.Ordinal))
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
            lock (Stderr)
                _failure = $"voscript serve of {FieldDirectory} did not print 'TAP service: URL' as its first line within 60 s " +
                           $"(first line: '{(first.IsCompletedSuccessfully ? first.Result : null)}'; stderr: {Stderr.ToString().Trim()})";
            p.Dispose();
            return;
        }
        _ = p.StandardOutput.ReadToEndAsync();   // keep the pipe drained
        _process = p;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();   // a backstop: never leave the server behind
        _url = new Uri(line["TAP service: ".Length..].Trim().TrimEnd('/'));
    }

    /// <summary>Stops the server (SIGTERM-like end of a child process) if it was started.</summary>
    public static void Stop()
    {
        lock (Gate)
        {
            if (_process is null) return;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
            _process = null;
            _url = null;
        }
    }
}
