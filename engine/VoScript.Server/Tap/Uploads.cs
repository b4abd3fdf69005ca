using VoScript.Engine;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using VoScript.Hosting;

namespace VoScript.Server.Tap;

/// <summary>Turns <c>UPLOAD=name,uri</c> pairs into tables: <c>param:</c> parts of the same request, or http(s) URLs fetched with the upload size limit.</summary>
internal sealed class Uploads(HttpClient http, long limitBytes)
{
    /// <summary>Reader limits for uploads: <see cref="ReaderLimits.Network"/>, decoded bytes at most 16 times the upload limit (at least 64 MB).</summary>
    private readonly ReaderLimits limits = ReaderLimits.Network with
    {
        MaxDecodedBytes = Math.Max(64L << 20, limitBytes * 16),
        MaxInflatedBytes = Math.Max(64L << 20, limitBytes * 16),
    };

    public async Task<Dictionary<string, Table>> ResolveAsync(IReadOnlyList<UploadSpec> specs, TapParameters parameters, CancellationToken ct)
    {
        var tables = new Dictionary<string, Table>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
        {
            byte[] bytes;
            if (spec.Uri.StartsWith("param:", StringComparison.OrdinalIgnoreCase))
            {
                var part = spec.Uri["param:".Length..];
                if (!parameters.InlineParts.TryGetValue(part, out bytes!))
                    throw new TapRequestException($"UPLOAD={spec.Name},{spec.Uri}: the request has no multipart file part named '{part}'; send the VOTable as a multipart/form-data part of that name in the same POST");
            }
            else if (Uri.TryCreate(spec.Uri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                bytes = await FetchAsync(spec, uri, ct).ConfigureAwait(false);
            }
            else
            {
                throw new TapRequestException($"UPLOAD={spec.Name},{spec.Uri}: the URI must be param:PART (inline) or an http(s) URL");
            }
            if (bytes.LongLength > limitBytes)
                throw new TapRequestException($"upload '{spec.Name}' has {bytes.LongLength} bytes, more than the limit of {limitBytes} bytes", 413);
            tables[spec.Name] = Parse(spec.Name, bytes, limits, ct);
        }
        return tables;
    }

    /// <summary>
    /// Reads an uploaded VOTable with the network limits: no BaseDirectory and no HttpClient, so its STREAM hrefs
    /// (local files or URLs) are refused; the request's cancellation stops the reader.
    /// </summary>
    private static Table Parse(string name, byte[] bytes, ReaderLimits limits, CancellationToken ct)
    {
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            var table = VOTableReader.Read(ms, new VOTableReadOptions { Limits = limits }, ct);
            table.Name = name;
            return table;
        }
        catch (VOTableFormatException e)
        {
            throw new TapRequestException($"upload '{name}' is not a readable VOTable: {e.Message}");
        }
        catch (VoScriptException e)
        {
            throw new TapRequestException($"upload '{name}' cannot be read: {e.Message}");
        }
    }

    private async Task<byte[]> FetchAsync(UploadSpec spec, Uri uri, CancellationToken ct)
    {
        try
        {
            using var resp = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!resp.IsSuccessStatusCode)
                throw new TapRequestException($"upload '{spec.Name}': {uri} answered HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}");
            if (resp.Content.Headers.ContentLength > limitBytes)
                throw new TapRequestException($"upload '{spec.Name}' at {uri} has {resp.Content.Headers.ContentLength} bytes, more than the limit of {limitBytes} bytes", 413);
            await using var s = await resp.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var ms = new MemoryStream();
            var buf = new byte[81920];
            for (int n; (n = await s.ReadAsync(buf, ct).ConfigureAwait(false)) > 0;)
            {
                if (ms.Length + n > limitBytes)
                    throw new TapRequestException($"upload '{spec.Name}' at {uri} is larger than the limit of {limitBytes} bytes", 413);
                ms.Write(buf, 0, n);
            }
            return ms.ToArray();
        }
        catch (HttpRequestException e)
        {
            var inner = e;
            while (inner.InnerException is HttpRequestException deeper) inner = deeper;
            throw new TapRequestException($"upload '{spec.Name}': cannot fetch {uri}: {inner.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TapRequestException($"upload '{spec.Name}': fetching {uri} timed out");
        }
    }
}
