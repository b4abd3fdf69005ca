using System.CommandLine;
using Spectre.Console;
using VoScript.Engine;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Registry;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript services [--tap|--scs|--sia|--ssa] [--table NAME] [--keywords "…"] [--waveband W] [--registry URL]</c>.</summary>
internal static class ServicesCommand
{
    public static Command Create()
    {
        var tap = new Option<bool>("--tap") { Description = "TAP services" };
        var scs = new Option<bool>("--scs") { Description = "Simple Cone Search services" };
        var sia = new Option<bool>("--sia") { Description = "SIA 2.0 services" };
        var ssa = new Option<bool>("--ssa") { Description = "SSA services" };
        var table = new Option<string?>("--table") { Description = "only services with this table, e.g. ivoa.obscore" };
        var keywords = new Option<string?>("--keywords") { Description = "words that must all appear in title, description or subjects" };
        var waveband = new Option<string?>("--waveband") { Description = "radio, millimeter, infrared, optical, uv, euv, x-ray, gamma-ray" };
        var registry = new Option<string?>("--registry") { Description = $"RegTAP service URL (default {RegistryClient.DefaultRegistryUrl})" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log each request as an equivalent curl command" };
        var cmd = new Command("services", "Find VO services in the Registry (RegTAP)") { tap, scs, sia, ssa, table, keywords, waveband, registry, verbose };
        cmd.SetAction(async (pr, ct) =>
        {
            var kinds = new List<ServiceProtocol>();
            if (pr.GetValue(tap)) kinds.Add(ServiceProtocol.Tap);
            if (pr.GetValue(scs)) kinds.Add(ServiceProtocol.Scs);
            if (pr.GetValue(sia)) kinds.Add(ServiceProtocol.Sia);
            if (pr.GetValue(ssa)) kinds.Add(ServiceProtocol.Ssa);
            var q = new RegistryQuery
            {
                Kinds = kinds,
                TableName = pr.GetValue(table),
                Keywords = (pr.GetValue(keywords) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Waveband = pr.GetValue(waveband),
            };
            return await RunAsync(q, pr.GetValue(registry), pr.GetValue(verbose), Console.Error, ct);
        });
        return cmd;
    }

    public static void Register(RootCommand root) => root.Subcommands.Add(Create());

    public static async Task<int> RunAsync(RegistryQuery query, string? registryUrl, bool verbose, TextWriter err, CancellationToken ct, IAnsiConsole? console = null)
    {
        try
        {
            using var http = new VoHttpClient(new VoHttpOptions { Verbose = verbose });
            ProtocolConsole.Attach(http, err, verbose);
            var url = registryUrl is null ? null : ProtocolConsole.ParseHttpUrl(registryUrl, "Registry URL").ToString();
            var reg = new RegistryClient(http, url);
            var found = await reg.SearchAsync(query, ct);
            var grid = new Table().Border(TableBorder.Simple);
            grid.AddColumn("kind"); grid.AddColumn("ivoid"); grid.AddColumn("access URL"); grid.AddColumn("title");
            foreach (var s in found)
                grid.AddRow(new Text(Kind(s.Kind)), new Text(s.Ivoid), new Text(s.AccessUrl.ToString()), new Text(s.Title ?? ""));
            console ??= AnsiConsole.Console;
            console.Write(grid);
            console.WriteLine(found.Count == 1 ? "1 service" : $"{found.Count} services");
            return 0;
        }
        catch (OperationCanceledException)
        {
            err.WriteLine("cancelled");
            return 130;
        }
        catch (VoScriptException e)
        {
            err.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private static string Kind(ServiceProtocol k) => k switch
    {
        ServiceProtocol.Tap => "tap",
        ServiceProtocol.Scs => "scs",
        ServiceProtocol.Sia => "sia2",
        _ => "ssa",
    };
}
