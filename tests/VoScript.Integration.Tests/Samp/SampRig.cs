using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace VoScript.Integration.Tests.Samp;

/// <summary>
/// Drives tests/samp-rig (real third-party SAMP peers: the JSAMP hub, the astropy hub,
/// astropy's client as a logging receiver, JSAMP tools) in a private state directory,
/// and stops everything it started on dispose.
/// </summary>
internal sealed class SampRig : IAsyncDisposable
{
    private readonly List<string> _receiverDirs = [];
    private bool _hubUp;

    public SampRig()
    {
        RigHome = FindRig();
        StateDir = Path.Combine(Path.GetTempPath(), "vs-samp-rig-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(StateDir);
        LockPath = Path.Combine(StateDir, "samp.lock");
        foreach (var exe in new[] { "/usr/share/java/jsamp.jar", "/usr/bin/python3" })
            if (!File.Exists(exe)) Assert.Fail($"{exe} is missing: run tests/samp-rig/install-deps.sh");
    }

    public string RigHome { get; }
    public string StateDir { get; }
    public string LockPath { get; }

    private static string FindRig()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            var rig = Path.Combine(d.FullName, "tests", "samp-rig");
            if (File.Exists(Path.Combine(rig, "hub-up.sh"))) return rig;
        }
        throw new InvalidOperationException("tests/samp-rig not found above the test directory");
    }

    /// <summary>Runs a rig script (or any command) with this rig's environment; returns stdout, fails the test on a non-zero exit.</summary>
    public string Run(string script, params string[] args) => RunEnv(script, null, 60, args);

    public string RunEnv(string script, IDictionary<string, string>? env, int timeoutSeconds, params string[] args)
    {
        var (code, stdout, stderr) = Exec(script, env, timeoutSeconds, args);
        if (code != 0) Assert.Fail($"{script} {string.Join(' ', args)} exited {code}\n{stdout}\n{stderr}");
        return stdout.Trim();
    }

    public (int Code, string Stdout, string Stderr) Exec(string script, IDictionary<string, string>? env, int timeoutSeconds, params string[] args)
    {
        var psi = new ProcessStartInfo(script.Contains('/') ? script : Path.Combine(RigHome, script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RigHome,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["SAMP_RIG_DIR"] = StateDir;
        psi.Environment["SAMP_HUB"] = "std-lockurl:file://" + LockPath;
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{script} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }

    public string HubUp(string impl)
    {
        var lockPath = Run("hub-up.sh", "--impl", impl, "--lockfile", LockPath);
        _hubUp = true;
        Assert.That(lockPath, Is.EqualTo(LockPath));
        return lockPath;
    }

    public void HubDown()
    {
        Run("hub-down.sh");
        _hubUp = false;
    }

    /// <summary>Starts receiver.py (in its own state dir, so several can run); returns its log.</summary>
    public ReceiverLog ReceiverUp(string name = "test-receiver", params string[] extra)
    {
        var dir = Path.Combine(StateDir, "recv-" + name);
        Directory.CreateDirectory(dir);
        _receiverDirs.Add(dir);
        var log = RunEnv("receiver-up.sh", new Dictionary<string, string> { ["SAMP_RIG_DIR"] = dir }, 60, ["--name", name, .. extra]);
        return new ReceiverLog(log);
    }

    public void ReceiversDown()
    {
        foreach (var d in _receiverDirs)
            Exec("receiver-down.sh", new Dictionary<string, string> { ["SAMP_RIG_DIR"] = d }, 30);
        _receiverDirs.Clear();
    }

    /// <summary>A small deterministic VOTable written by astropy (and a FITS image).</summary>
    public (string VOTable, string Fits) MakeData(int rows)
    {
        var vot = Path.Combine(StateDir, $"t{rows}.vot");
        var fits = Path.Combine(StateDir, $"img{rows}.fits");
        RunEnv("/usr/bin/python3", null, 60, Path.Combine(RigHome, "make_votable.py"), vot, "--rows", rows.ToString(), "--fits", fits);
        return (vot, fits);
    }

    private bool _topcatUp;

    /// <summary>TOPCAT (-samp -nohub) on a private Xvfb display, registered with the hub.</summary>
    public void TopcatUp()
    {
        if (!File.Exists("/usr/share/java/starlink-topcat.jar") || !File.Exists("/usr/bin/Xvfb"))
            Assert.Fail("TOPCAT or Xvfb is missing: run tests/samp-rig/install-deps.sh");
        var display = ":" + Random.Shared.Next(150, 990);
        _topcatUp = true;
        RunEnv("topcat-up.sh", null, 150, "--display", display);
    }

    public async ValueTask DisposeAsync()
    {
        if (_topcatUp) Exec("topcat-down.sh", null, 30);
        ReceiversDown();
        if (_hubUp) Exec("hub-down.sh", null, 30);
        await Task.CompletedTask;
        try { Directory.Delete(StateDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>receiver.py's JSON-lines log.</summary>
internal sealed class ReceiverLog(string path)
{
    public string Path { get; } = path;

    public List<JsonElement> Lines()
    {
        var list = new List<JsonElement>();
        if (!File.Exists(Path)) return list;
        using var f = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(f);
        while (r.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            try { list.Add(JsonDocument.Parse(line).RootElement.Clone()); }
            catch (JsonException) { } // a line still being written
        }
        return list;
    }

    public List<JsonElement> Messages(string mtype) =>
        Lines().Where(l => l.GetProperty("event").GetString() == "message" && l.GetProperty("mtype").GetString() == mtype).ToList();

    /// <summary>Waits until <paramref name="count"/> messages of that MType were logged.</summary>
    public async Task<List<JsonElement>> WaitAsync(string mtype, int count = 1, double seconds = 20)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var m = Messages(mtype);
            if (m.Count >= count) return m;
            if (DateTime.UtcNow > end)
                Assert.Fail($"receiver logged {m.Count} {mtype} messages, expected {count}; log:\n{string.Join('\n', Lines())}");
            await Task.Delay(100);
        }
    }
}
