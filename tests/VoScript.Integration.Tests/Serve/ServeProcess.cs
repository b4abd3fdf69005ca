using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Tables;
using VoScript.Engine.VOTable;

namespace VoScript.Integration.Tests.Serve;

/// <summary>A real <c>voscript serve</c> process (the CLI's voscript.dll next to the tests) on a free port; SIGTERM on dispose.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err;

    private ServeProcess(Process p, string url, List<string> startup, StringBuilder err)
    {
        _p = p;
        _err = err;
        TapUrl = url;
        Startup = startup;
    }

    public string TapUrl { get; }
    public IReadOnlyList<string> Startup { get; }
    public string Stderr { get { lock (_err) return _err.ToString(); } }
    public string Stdout { get { lock (_out) return _out.ToString(); } }
    public int? ExitCode { get; private set; }

    public static string CliDll => Path.Combine(TestContext.CurrentContext.TestDirectory, "voscript.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliDll);
        psi.ArgumentList.Add("serve");
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts the server and reads its startup lines up to "press Ctrl-C to stop".</summary>
    public static async Task<ServeProcess> StartAsync(params string[] args)
    {
        var p = Process.Start(StartInfo(["--port", "0", .. args]))!;
        var startup = new List<string>();
        var err = new StringBuilder();
        _ = Task.Run(async () =>
        {
            string? l;
            while ((l = await p.StandardError.ReadLineAsync()) is not null) lock (err) err.AppendLine(l);
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await p.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
            {
                await p.WaitForExitAsync();
                Assert.Fail($"voscript serve exited {p.ExitCode} before it was ready:\n{string.Join('\n', startup)}\n{err}");
            }
            startup.Add(line!);
            if (line == "press Ctrl-C to stop") break;
        }
        const string prefix = "TAP service: ";
        Assert.That(startup[0], Does.StartWith(prefix + "http://127.0.0.1:"));
        var s = new ServeProcess(p, startup[0][prefix.Length..], startup, err);
        _ = Task.Run(async () =>
        {
            string? l;
            while ((l = await p.StandardOutput.ReadLineAsync()) is not null) lock (s._out) s._out.AppendLine(l);
        });
        return s;
    }

    /// <summary>Sends SIGTERM and waits for the exit (code kept in <see cref="ExitCode"/>).</summary>
    public async Task<int> StopAsync()
    {
        if (ExitCode is { } c) return c;
        using (var kill = Process.Start("kill", ["-TERM", _p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill!.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            _p.Kill(entireProcessTree: true);
            Assert.Fail("voscript serve did not stop within 30 s of SIGTERM");
        }
        await Task.Delay(100);
        ExitCode = _p.ExitCode;
        return _p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_p.HasExited) await StopAsync();
        _p.Dispose();
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

    public static string RepoPath(string relative)
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) return Path.Combine(d.FullName, relative);
        throw new InvalidOperationException("repository root not found above the test directory");
    }

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
