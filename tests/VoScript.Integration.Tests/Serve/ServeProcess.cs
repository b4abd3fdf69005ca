using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Language;

namespace VoScript.Integration.Tests.Serve;

/// <summary>
/// A real <c>voscript serve</c> process (the CLI's voscript.dll next to the tests) on a free port: the one way the
/// integration tests start the service. Started with <c>--port 0</c>; the first stdout line must be
/// <c>TAP service: URL</c>; stopped with SIGTERM on dispose. Every process still running when the tests end is
/// stopped by <see cref="ServeProcessBackstop"/> (and, should that not run, when the test process exits).
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private const string UrlPrefix = "TAP service: ";
    private static readonly Lock LiveGate = new();
    private static readonly HashSet<ServeProcess> Live = [];

    private readonly Process _p;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err;
    private Task _stdoutRead = Task.CompletedTask;

    static ServeProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ServeProcess(Process p, string url, List<string> startup, StringBuilder err)
    {
        _p = p;
        _err = err;
        TapUrl = url;
        Startup = startup;
    }

    /// <summary>The TAP URL from the first stdout line, e.g. <c>http://127.0.0.1:40123/tap</c> (no trailing slash).</summary>
    public string TapUrl { get; }

    /// <summary>The stdout lines up to and with <c>press Ctrl-C to stop</c>.</summary>
    public IReadOnlyList<string> Startup { get; }
    public string Stderr { get { lock (_err) return _err.ToString(); } }

    /// <summary>What stdout printed after the startup lines.</summary>
    public string Stdout { get { lock (_out) return _out.ToString(); } }
    public int? ExitCode { get; private set; }

    /// <summary>The process id (for /proc/PID/status).</summary>
    public int ProcessId => _p.Id;

    /// <summary>The process's resident memory now, in bytes (Linux: VmRSS of /proc/PID/status).</summary>
    public long ResidentBytes
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{_p.Id}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            return 0;
        }
    }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "voscript.dll");

    /// <summary>
    /// Starts <c>voscript serve --port 0 ARGS</c> in <paramref name="workingDirectory"/> (the repository root when null)
    /// and reads its startup lines; a <see cref="ServeStartException"/> with its output when it does not come up within 60 s.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TapServers.RepoRoot,
        };
        psi.ArgumentList.Add(CliDll);
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add("0");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = Process.Start(psi)!;
        var err = new StringBuilder();
        _ = Task.Run(async () =>
        {
            string? l;
            while ((l = await p.StandardError.ReadLineAsync()) is not null) lock (err) err.AppendLine(l);
        });
        var startup = new List<string>();
        string Failure(string what)
        {
            lock (err) return $"voscript serve {string.Join(' ', psi.ArgumentList.Skip(2))} {what}; stdout so far:\n{string.Join('\n', startup)}\nstderr:\n{err.ToString().Trim()}";
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var line = await p.StandardOutput.ReadLineAsync(cts.Token);
                if (line is null)
                {
                    await p.WaitForExitAsync(CancellationToken.None);
                    await Task.Delay(100);   // the rest of stderr
                    throw new ServeStartException(Failure($"exited {p.ExitCode} before it was ready"));
                }
                startup.Add(line);
                if (startup.Count == 1 && !line.StartsWith(UrlPrefix + "http://", StringComparison.Ordinal))
                    throw new ServeStartException(Failure($"did not print '{UrlPrefix}URL' as its first line"));
                if (line == "press Ctrl-C to stop") break;
            }
        }
        catch (Exception e) when (e is ServeStartException or OperationCanceledException)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None);
            p.Dispose();
            if (e is ServeStartException) throw;
            throw new ServeStartException(Failure("was not ready within 60 s"));
        }
        var s = new ServeProcess(p, startup[0][UrlPrefix.Length..].Trim().TrimEnd('/'), startup, err);
        lock (LiveGate) Live.Add(s);
        s._stdoutRead = Task.Run(async () =>
        {
            string? l;
            while ((l = await p.StandardOutput.ReadLineAsync()) is not null) lock (s._out) s._out.AppendLine(l);
        });
        return s;
    }

    /// <summary>Sends SIGTERM and waits for the exit (code kept in <see cref="ExitCode"/>); kills it after 30 s.</summary>
    public async Task<int> StopAsync()
    {
        if (ExitCode is { } c) return c;
        lock (LiveGate) Live.Remove(this);
        if (!_p.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill!.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _p.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                _p.Kill(entireProcessTree: true);
                await _p.WaitForExitAsync(CancellationToken.None);
                throw new InvalidOperationException("voscript serve did not stop within 30 s of SIGTERM; killed it");
            }
        }
        await _p.WaitForExitAsync(CancellationToken.None);
        await _stdoutRead.WaitAsync(TimeSpan.FromSeconds(10));   // the last lines ("TAP service stopping…") are in Stdout
        ExitCode = _p.ExitCode;
        return _p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally { _p.Dispose(); }
    }

    /// <summary>Stops every process this class started that is still running (the end-of-run backstop).</summary>
    public static async Task StopAllAsync()
    {
        List<ServeProcess> left;
        lock (LiveGate) left = [.. Live];
        foreach (var s in left) await s.DisposeAsync();
    }

    private static void KillAll()
    {
        lock (LiveGate)
        {
            foreach (var s in Live)
                try { if (!s._p.HasExited) s._p.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }   // already gone
            Live.Clear();
        }
    }

    /// <summary>A table of <paramref name="n"/> stars (id 1…n, ra, dec in deg, mag, name) written as a BINARY2 VOTable in <paramref name="dir"/>.</summary>
    public static string WriteStars(string dir, int n = 200)
    {
        var t = new Table("stars") { Description = "Synthetic stars for the serve integration tests" };
        var rnd = new Random(42);
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main", Description = "Star number" },
            Enumerable.Range(1, n).Select(i => (long)i).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = "Right ascension (ICRS)" },
            Enumerable.Range(0, n).Select(_ => 150 + rnd.NextDouble() * 0.2).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main", Description = "Declination (ICRS)" },
            Enumerable.Range(0, n).Select(_ => 2.1 + rnd.NextDouble() * 0.2).ToArray()));
        var mag = new ScalarColumn<float>(new Field("mag", DataType.Float) { Unit = "mag", Ucd = "phot.mag;em.opt.V", Description = "V magnitude" },
            Enumerable.Range(0, n).Select(_ => (float)Math.Round(12 + rnd.NextDouble() * 8, 2)).ToArray());
        mag.SetNull(n / 2);
        t.AddColumn(mag);
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable) { Ucd = "meta.id", Description = "Designation" },
            Enumerable.Range(1, n).Select(i => $"S{i:0000}").ToArray()));
        var path = Path.Combine(dir, "stars.vot");
        VOTableWriter.WriteFile(t, path, new VOTableWriteOptions { Serialization = VOTableSerialization.Binary2 });
        return path;
    }

    public static string RepoPath(string relative) => Path.Combine(TapServers.RepoRoot, relative);

    /// <summary>Runs a program to its end; (exit code, stdout, stderr).</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string exe, IEnumerable<string> args, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{exe} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        return (p.ExitCode, await o, await e);
    }
}

/// <summary><c>voscript serve</c> did not come up; the message has its arguments, output and exit code.</summary>
internal sealed class ServeStartException(string message) : Exception(message);
