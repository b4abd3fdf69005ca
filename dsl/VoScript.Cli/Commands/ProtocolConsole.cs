using System.Globalization;
using System.Text;
using VoScript.Engine.Protocols.Http;
using Table = VoScript.Engine.Model.Table;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Commands;

/// <summary>Shared console plumbing of the protocol commands: progress lines on stderr, table display and output files.</summary>
internal static class ProtocolConsole
{
    /// <summary>Writes job phases, retries, notices (and curl lines when verbose) to stderr as they happen.</summary>
    public static void Attach(VoHttpClient http, TextWriter err, bool verbose)
    {
        var start = DateTime.UtcNow;
        string Stamp() => ((DateTime.UtcNow - start).TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(6) + "s ";
        http.Events += e =>
        {
            var line = e switch
            {
                JobCreated j => $"job created: {j.JobUrl}",
                JobPhaseChanged p => $"job phase: {p.Phase}",
                RetryScheduled r => $"retrying {r.Method} in {r.Delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s ({r.Reason}{(r.FromRetryAfter ? ", as the service asked" : "")})",
                ProtocolNotice n => n.Message,
                RequestLogged c when verbose => c.CurlCommand,
                RequestFinished f when verbose => $"{f.Method} {ServiceException.Redact(f.Url)} -> {(f.Status?.ToString(CultureInfo.InvariantCulture) ?? f.Error)} in {f.Elapsed.TotalMilliseconds:0} ms",
                BytesReceived b when verbose && b.Complete => $"received {b.Total} bytes from {ServiceException.Redact(b.Url)}",
                _ => null,
            };
            if (line is not null)
                lock (err) err.WriteLine(Stamp() + line);
        };
    }

    /// <summary>Writes a table: .csv as CSV, anything else as VOTable (BINARY2).</summary>
    public static void Save(Table t, string path)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            using var w = new StreamWriter(path, false, new UTF8Encoding(false));
            w.WriteLine(string.Join(',', t.Columns.Select(c => Csv(c.Name))));
            for (var r = 0; r < t.RowCount; r++)
                w.WriteLine(string.Join(',', t.Columns.Select(c => c.IsNull(r) ? "" : Csv(c.FormatCell(r)))));
            return;
        }
        VOTableWriter.WriteFile(t, path);
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Parses http(s) URLs given on the command line.</summary>
    public static Uri ParseHttpUrl(string text, string what)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https")) return u;
        throw new Engine.VoScriptException($"{what} '{text}' is not an http(s) URL.");
    }
}
