using System.Text;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Protocols.Dal;

/// <summary>
/// Turns an HTTP response of a DAL service (TAP, SCS, SIA2, SSA, DataLink) into a
/// table or one clear error: HTTP errors with the service's own message, HTML
/// pages instead of VOTables, cut or malformed VOTables, QUERY_STATUS=ERROR
/// (with HTTP 200 too), and the SCS <c>Error</c> INFO/PARAM.
/// </summary>
internal static class DalResponseReader
{
    private const int PeekBytes = 2048;

    /// <summary>Reads the result table; <paramref name="what"/> names the operation in messages ("TAP query").</summary>
    public static async Task<Table> ReadTableAsync(VoHttpResponse resp, string what, CancellationToken ct)
    {
        if (!resp.IsSuccess) throw await ErrorFromFailedResponseAsync(resp, what, ct).ConfigureAwait(false);

        ResponseBody body;
        ReadOnlyMemory<byte> head;
        try
        {
            body = await resp.GetBodyAsync(ct).ConfigureAwait(false);
            head = await body.PeekAsync(PeekBytes, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ServiceException($"{what}: the connection dropped before the result arrived ({e.GetBaseException().Message}).",
                resp.Url, resp.StatusCode, null, inner: e) { IsTransient = true, IsBodyFailure = true };
        }
        var headText = DecodeHead(head.Span);
        var excerpt = ServiceException.Excerpt(headText);
        var kind = Sniff(headText);
        if (kind == BodyKind.Empty)
            throw new ServiceException($"{what}: the service answered with an empty body instead of a VOTable.", resp.Url, resp.StatusCode, null) { IsTransient = true, IsBodyFailure = true };
        if (kind == BodyKind.Html)
            throw new ServiceException($"{what}: the service answered with an HTML page instead of a VOTable (an error or login page?).", resp.Url, resp.StatusCode, excerpt);
        if (kind == BodyKind.Other)
            throw new ServiceException($"{what}: the service answered with {resp.MediaType ?? "an unknown content type"} instead of a VOTable.", resp.Url, resp.StatusCode, excerpt);

        Table table;
        try
        {
            table = await VOTableReader.ReadAsync(body, new VOTableReadOptions(), ct).ConfigureAwait(false);
        }
        catch (VOTableFormatException e) when (Transport(e) is { } io)
        {
            throw new ServiceException($"{what}: the connection dropped after {body.BytesRead} bytes of the result ({io.Message}).",
                resp.Url, resp.StatusCode, excerpt, inner: e) { IsTransient = true, IsBodyFailure = true };
        }
        catch (VOTableFormatException e)
        {
            throw new ServiceException($"{what}: the VOTable from the service is malformed or cut short: {e.Message}", resp.Url, resp.StatusCode, excerpt, inner: e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ServiceException($"{what}: the connection dropped after {body.BytesRead} bytes of the result ({e.GetBaseException().Message}).",
                resp.Url, resp.StatusCode, excerpt, inner: e) { IsTransient = true, IsBodyFailure = true };
        }

        if (ErrorMessage(table) is { } message)
            throw new ServiceQueryException($"{what} failed; the service says: {message}", resp.Url, resp.StatusCode, excerpt, message);
        return table;
    }

    /// <summary>The I/O failure behind a reader error, if the stream itself broke (cut connection, stall).</summary>
    private static Exception? Transport(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            if (x is IOException or HttpRequestException) return x;
        return null;
    }

    /// <summary>An exception for a 4xx/5xx answer, with the service's message when the body has one.</summary>
    public static async Task<ServiceException> ErrorFromFailedResponseAsync(VoHttpResponse resp, string what, CancellationToken ct)
    {
        var text = await resp.ReadTextAsync(ct, 256 * 1024).ConfigureAwait(false);
        var excerpt = ServiceException.Excerpt(text);
        var message = ServiceMessageFromText(text, resp.MediaType);
        if (message is not null)
            return new ServiceQueryException($"{what} failed; the service says: {message}", resp.Url, resp.StatusCode, excerpt, message);
        return new ServiceException($"{what} failed with HTTP {resp.StatusCode}.", resp.Url, resp.StatusCode, excerpt)
        {
            IsTransient = VoHttpClient.IsTransientStatus(resp.StatusCode),
        };
    }

    /// <summary>
    /// The error text of a DALI error document: the QUERY_STATUS=ERROR INFO of a
    /// VOTable, the SCS Error INFO/PARAM, or plain text. Null when the body is none of these.
    /// </summary>
    public static string? ServiceMessageFromText(string text, string? mediaType)
    {
        var kind = Sniff(text);
        if (kind == BodyKind.Xml)
        {
            try
            {
                using var ms = new MemoryStream(Encoding.UTF8.GetBytes(text));
                var t = VOTableReader.Read(ms, new VOTableReadOptions());
                return ErrorMessage(t);
            }
            catch (Exception e) when (e is VoScriptException or NotSupportedException or System.Xml.XmlException)
            {
                return null;
            }
        }
        if (kind == BodyKind.Other && (mediaType is null || mediaType.StartsWith("text/plain", StringComparison.Ordinal)))
        {
            var t = text.Trim();
            return t.Length == 0 ? null : ServiceException.Excerpt(t, 2000);
        }
        return null;
    }

    /// <summary>The error a result document reports, or null: last QUERY_STATUS=ERROR, or an SCS <c>Error</c> INFO/PARAM.</summary>
    public static string? ErrorMessage(Table table)
    {
        if (table.QueryStatus is { } qs && string.Equals(qs.Value?.Trim(), "ERROR", StringComparison.OrdinalIgnoreCase))
            return MessageOf(qs) ?? "(no message)";
        foreach (var holder in new[] { table.Document, table.Resource })
        {
            if (holder is null) continue;
            if (holder.Infos.FirstOrDefault(i => string.Equals(i.Name, "Error", StringComparison.OrdinalIgnoreCase)) is { } info)
                return MessageOf(info) ?? "(no message)";
            if (holder.Params.FirstOrDefault(p => string.Equals(p.Name, "Error", StringComparison.OrdinalIgnoreCase)) is { } p)
                return string.IsNullOrWhiteSpace(p.Value) ? p.Description ?? "(no message)" : p.Value.Trim();
        }
        if (table.Infos.FirstOrDefault(i => string.Equals(i.Name, "Error", StringComparison.OrdinalIgnoreCase)) is { } ti)
            return MessageOf(ti) ?? "(no message)";
        return null;
    }

    /// <summary>True when the last QUERY_STATUS says OVERFLOW.</summary>
    public static bool IsOverflow(Table table) =>
        table.QueryStatus is { } qs && string.Equals(qs.Value?.Trim(), "OVERFLOW", StringComparison.OrdinalIgnoreCase);

    private static string? MessageOf(Info i)
    {
        var c = i.Content?.Trim();
        if (!string.IsNullOrEmpty(c)) return c;
        var v = i.Value?.Trim();
        return string.IsNullOrEmpty(v) || string.Equals(v, "ERROR", StringComparison.OrdinalIgnoreCase) ? null : v;
    }

    internal enum BodyKind { Empty, Xml, Html, Other }

    internal static BodyKind Sniff(string head)
    {
        var t = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (t.Length == 0) return BodyKind.Empty;
        if (t[0] != '<') return BodyKind.Other;
        var lower = t.Length > 512 ? t[..512].ToLowerInvariant() : t.ToLowerInvariant();
        if (lower.StartsWith("<!doctype html", StringComparison.Ordinal) || lower.StartsWith("<html", StringComparison.Ordinal)) return BodyKind.Html;
        // XML declaration, comments or PIs first: look at the first element.
        var idx = 0;
        while (idx < lower.Length)
        {
            var lt = lower.IndexOf('<', idx);
            if (lt < 0 || lt + 1 >= lower.Length) break;
            var c = lower[lt + 1];
            if (c is '?' or '!')
            {
                if (lower.AsSpan(lt).StartsWith("<!doctype html")) return BodyKind.Html;
                var end = lower.IndexOf('>', lt);
                if (end < 0) break;
                idx = end + 1;
                continue;
            }
            return lower.AsSpan(lt).StartsWith("<html") ? BodyKind.Html : BodyKind.Xml;
        }
        return BodyKind.Xml;
    }

    private static string DecodeHead(ReadOnlySpan<byte> bytes)
    {
        // A cut multi-byte sequence at the end only costs a replacement char.
        return Encoding.UTF8.GetString(bytes);
    }
}
