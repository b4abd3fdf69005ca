using System.Text;

namespace VoScript.Engine.Protocols.Http;

/// <summary>Writes a request as an equivalent curl command line (no credentials, ever).</summary>
internal static class CurlFormatter
{
    public static string Format(HttpMethod method, Uri url, VoRequest? body, string userAgent)
    {
        var sb = new StringBuilder("curl -sS");
        if (method == HttpMethod.Post && body?.Form is null && body?.Multipart is null) sb.Append(" -X POST");
        else if (method != HttpMethod.Get && method != HttpMethod.Post) sb.Append(" -X ").Append(method.Method);
        sb.Append(" -A ").Append(Quote(userAgent));
        if (body?.Multipart is { } parts)
        {
            foreach (var p in parts)
            {
                if (p.Content is not null)
                    sb.Append(" -F ").Append(Quote($"{p.Name}=@{p.FileName ?? p.Name};type={p.ContentType ?? "application/octet-stream"}"));
                else
                    sb.Append(" -F ").Append(Quote($"{p.Name}={p.Value}"));
            }
        }
        else if (body?.Form is { } form)
        {
            foreach (var (k, v) in form) sb.Append(" --data-urlencode ").Append(Quote($"{k}={v}"));
        }
        sb.Append(' ').Append(Quote(ServiceException.Redact(url)));
        return sb.ToString();
    }

    /// <summary>POSIX shell single quoting.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
