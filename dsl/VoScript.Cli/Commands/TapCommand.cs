using System.CommandLine;
using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript tap URL "ADQL" [--async] [--maxrec N] [--upload NAME=FILE]… [-o OUT]</c>: one query, its result written or shown.</summary>
internal static class TapCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "TAP service base URL (the one with /sync and /async below it)" };
        var adql = new Argument<string>("adql") { Description = "the ADQL query" };
        var isAsync = new Option<bool>("--async") { Description = "run as an async (UWS) job, showing its phases" };
        var maxrec = CliOptions.OptionalNumber("--maxrec", "N", "MAXREC: at most this many rows (0: only the metadata)", 0L, long.MaxValue, "rows");
        var uploads = new Option<string[]>("--upload") { Description = "NAME=FILE (a VOTable) or NAME=URL, queried as TAP_UPLOAD.NAME", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string?>("--output", "-o") { Description = "write the result here (.csv as CSV, otherwise VOTable); without it the rows are shown" };
        var timeout = CliOptions.Number("--timeout", "SECONDS", "seconds allowed for an async job (default 3600, at most a week)", 3600.0, 0.0, 7 * 86_400.0, "seconds", minExclusive: true);
        var keep = CliOptions.Choice("--keep", "keep the async job on the service: never, on-failure, always (async only)", "never", "never", "on-failure", "always");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log each request as an equivalent curl command" };
        var format = TableOutput.FormatOption("text shows the first 20 rows; csv and tsv print every row");
        var cmd = new Command("tap", "Run one ADQL query on a TAP service") { url, adql, isAsync, maxrec, uploads, output, timeout, keep, verbose, format };
        cmd.SetAction(async (pr, ct) => await RunAsync(
            pr.GetValue(url)!, pr.GetValue(adql)!, pr.GetValue(isAsync), pr.GetValue(maxrec), pr.GetValue(uploads) ?? [],
            pr.GetValue(output), pr.GetValue(timeout), pr.GetValue(keep)!, pr.GetValue(verbose), pr.InvocationConfiguration.Error, ct,
            pr.InvocationConfiguration.Output, pr.GetValue(format)!));
        return cmd;
    }

    public static void Register(RootCommand root) => root.Subcommands.Add(Create());

    public static async Task<int> RunAsync(string url, string adql, bool isAsync, long? maxrec, string[] uploads, string? output,
        double timeoutSeconds, string keep, bool verbose, TextWriter err, CancellationToken ct, TextWriter? stdout = null, string format = TableOutput.Text)
    {
        try
        {
            using var http = new VoHttpClient(new VoHttpOptions { Verbose = verbose });
            ProtocolConsole.Attach(http, err, verbose);
            var tap = new TapService(ProtocolConsole.ParseHttpUrl(url, "TAP URL"), http);
            var query = new TapQuery(adql) { MaxRec = maxrec, Uploads = uploads.Select(ParseUpload).ToList() };
            TapResult result;
            if (isAsync)
            {
                var opts = new AsyncJobOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds), Keep = ParseKeep(keep) };
                result = await tap.RunAsyncQuery(query, opts, ct);
            }
            else result = await tap.QueryAsync(query, ct);
            foreach (var w in result.Warnings) err.WriteLine("warning: " + w);
            if (result.Truncated && result.Cause == TruncationCause.UserMaxRec)
                err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: result cut at MAXREC={maxrec}, as asked."));
            if (output is not null)
            {
                ProtocolConsole.Save(result.Table, output);
                err.WriteLine($"{result.Table.RowCount} rows written to {output}");
            }
            else TableOutput.Write(result.Table, stdout ?? Console.Out, format, 20, "use --format csv or -o FILE for all");
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

    internal static TapUpload ParseUpload(string spec)
    {
        var eq = spec.IndexOf('=');
        if (eq <= 0 || eq == spec.Length - 1)
            throw new VoScriptException($"--upload '{spec}': expected NAME=FILE or NAME=URL.");
        var name = spec[..eq];
        var what = spec[(eq + 1)..];
        if (Uri.TryCreate(what, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ftp")
            return TapUpload.FromUrl(name, u);
        return TapUpload.Inline(name, VoScript.Engine.Formats.TableFiles.Read(what));
    }

    internal static JobKeepMode ParseKeep(string s) => s.Trim().ToLowerInvariant() switch
    {
        "never" => JobKeepMode.Never,
        "on-failure" or "onfailure" => JobKeepMode.OnFailure,
        "always" => JobKeepMode.Always,
        _ => throw new VoScriptException($"--keep '{s}': use never, on-failure or always."),
    };
}
