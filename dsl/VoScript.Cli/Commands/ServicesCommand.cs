using System.CommandLine;
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
        var format = TableOutput.FormatOption("every service in each");
        var cmd = new Command("services", "Find VO services in the Registry (RegTAP)") { tap, scs, sia, ssa, table, keywords, waveband, registry, verbose, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var kinds = new List<ServiceKind>();
            if (pr.GetValue(tap)) kinds.Add(ServiceKind.Tap);
            if (pr.GetValue(scs)) kinds.Add(ServiceKind.ConeSearch);
            if (pr.GetValue(sia)) kinds.Add(ServiceKind.Sia2);
            if (pr.GetValue(ssa)) kinds.Add(ServiceKind.Ssa);
            var q = new RegistryQuery
            {
                Kinds = kinds,
                TableName = pr.GetValue(table),
                Keywords = (pr.GetValue(keywords) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Waveband = pr.GetValue(waveband),
            };
            return await RunAsync(q, pr.GetValue(registry), pr.GetValue(verbose), pr.InvocationConfiguration.Error, ct,
                pr.InvocationConfiguration.Output, pr.GetValue(format)!);
        });
        return cmd;
    }

    public static void Register(RootCommand root) => root.Subcommands.Add(Create());

    public static async Task<int> RunAsync(RegistryQuery query, string? registryUrl, bool verbose, TextWriter err, CancellationToken ct, TextWriter? output = null, string format = TableOutput.Text)
    {
        try
        {
            using var http = new VoHttpClient(new VoHttpOptions { Verbose = verbose });
            ProtocolConsole.Attach(http, err, verbose);
            var url = registryUrl is null ? null : ProtocolConsole.ParseHttpUrl(registryUrl, "Registry URL").ToString();
            var reg = new RegistryClient(http, url);
            var found = await reg.SearchAsync(query, ct);
            output ??= Console.Out;
            string[] headers = ["kind", "ivoid", "access URL", "title"];
            var rows = found.Select(s => new[] { Kind(s.Kind), s.Ivoid, s.AccessUrl.ToString(), s.Title ?? "" }).ToList();
            if (format != TableOutput.Text)
            {
                TableOutput.WriteDelimited(output, format, headers, rows);
                return 0;
            }
            // One line per service, never wrapped: URLs stay whole (titles are cut on a terminal only).
            var grid = new TextTable(headers) { MaxCellWidth = TableOutput.IsTerminal(output) ? 80 : int.MaxValue };
            foreach (var r in rows) grid.Add(r);
            grid.WriteTo(output);
            output.WriteLine(found.Count == 1 ? "1 service" : $"{found.Count} services");
            return 0;
        }
        catch (OperationCanceledException)
        {
            err.WriteLine("voscript: cancelled");
            return 130;
        }
        catch (VoScriptException e)
        {
            err.WriteLine("voscript: " + e.Message);
            return 1;
        }
    }

    private static string Kind(ServiceKind k) => k switch
    {
        ServiceKind.Tap => "tap",
        ServiceKind.ConeSearch => "scs",
        ServiceKind.Sia2 => "sia2",
        _ => "ssa",
    };
}
