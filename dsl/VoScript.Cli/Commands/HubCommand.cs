using System.CommandLine;
using System.Runtime.InteropServices;
using VoScript.Engine;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript hub</c>: runs a SAMP 1.3 hub (Standard Profile) until Ctrl-C or SIGTERM.</summary>
internal static class HubCommand
{
    public static Command Create()
    {
        var lockfile = new Option<string?>("--lockfile")
        {
            Description = "Lockfile to write (default: the file named by SAMP_HUB=std-lockurl:file:///path, else ~/.samp)",
        };
        var port = CliOptions.Number("--port", "N", "TCP port on 127.0.0.1 (default 0: any free port)", 0, 0, 65535);
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Log registrations and failed deliveries",
        };
        var command = new Command("hub", "Run a SAMP hub (Standard Profile, loopback only) so that scripts and SAMP tools (TOPCAT, Aladin, astropy) can exchange data")
        {
            lockfile, port, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var log = parse.GetValue(verbose) ? (Action<string>)(m => parse.InvocationConfiguration.Error.WriteLine($"hub: {m}")) : null;
            return await RunAsync(parse.GetValue(lockfile), parse.GetValue(port), log, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(string? lockfile, int port, Action<string>? log, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        SampHub hub;
        try
        {
            hub = await SampHub.StartAsync(new SampHubOptions { LockfilePath = lockfile, Port = port, Log = log }, stop.Token).ConfigureAwait(false);
        }
        catch (VoScriptException e)
        {
            Console.Error.WriteLine($"voscript: {e.Message}");
            return 1;
        }
        await using (hub.ConfigureAwait(false))
        {
            Console.WriteLine($"SAMP hub running at {hub.XmlRpcUrl}");
            Console.WriteLine($"lockfile {hub.LockfilePath}");
            var def = Engine.Protocols.Samp.SampLockfile.DefaultHome() is { } h ? Path.Combine(h, ".samp") : null;
            if (!string.Equals(hub.LockfilePath, def, StringComparison.Ordinal))
                Console.WriteLine($"clients: export SAMP_HUB=std-lockurl:file://{hub.LockfilePath}");
            Console.WriteLine("press Ctrl-C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            Console.WriteLine("SAMP hub stopping");
        }
        return 0;
    }
}
