using System.Net.Http.Headers;
using System.Text;

namespace VoScript.Engine.Protocols.Http;

/// <summary>One part of a multipart/form-data body: a plain value, or a file (bytes, file name, MIME type).</summary>
internal sealed record MultipartPart(string Name, string? Value, byte[]? Content = null, string? FileName = null, string? ContentType = null);

/// <summary>
/// A request as the protocol clients describe it. The body is kept as data (form
/// fields or multipart parts) so that it can be re-sent on a retry or a redirect
/// and shown as a curl command.
/// </summary>
internal sealed class VoRequest
{
    /// <summary>A request of <paramref name="method"/> to <paramref name="url"/>.</summary>
    public VoRequest(HttpMethod method, Uri url)
    {
        Method = method;
        Url = url;
        Retryable = method == HttpMethod.Get || method == HttpMethod.Head;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }
    /// <summary>The URL.</summary>
    public Uri Url { get; }

    /// <summary>application/x-www-form-urlencoded fields (POST).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Form { get; init; }

    /// <summary>multipart/form-data parts (POST with inline uploads).</summary>
    public IReadOnlyList<MultipartPart>? Multipart { get; init; }

    /// <summary>
    /// Whether repeating the request is harmless (GET, a sync query, PHASE=RUN).
    /// Only such requests are retried; creating a job never is.
    /// </summary>
    public bool Retryable { get; init; }

    /// <summary>Follow 3xx answers (303 → GET). False for DELETE and phase POSTs, whose redirects lead to job lists.</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary>Time allowed until the response headers arrive, per attempt; null = the client default.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Extra request headers (e.g. <c>Range</c> when a download is resumed).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A GET of <paramref name="url"/>.</summary>
    public static VoRequest Get(Uri url) => new(HttpMethod.Get, url);

    /// <summary>A GET of <paramref name="url"/> with <paramref name="query"/> appended.</summary>
    public static VoRequest Get(Uri url, IEnumerable<KeyValuePair<string, string>> query) => new(HttpMethod.Get, AppendQuery(url, query));

    /// <summary>A form POST; <paramref name="retryable"/> says if repeating it is safe.</summary>
    public static VoRequest PostForm(Uri url, IReadOnlyList<KeyValuePair<string, string>> form, bool retryable) =>
        new(HttpMethod.Post, url) { Form = form, Retryable = retryable };

    /// <summary>Adds query parameters to a URL that may already carry some (SCS base URLs end in ? or &amp;).</summary>
    public static Uri AppendQuery(Uri url, IEnumerable<KeyValuePair<string, string>> query)
    {
        var s = url.ToString();
        var sb = new StringBuilder(s);
        var first = true;
        foreach (var (k, v) in query)
        {
            if (first)
            {
                if (!s.Contains('?')) sb.Append('?');
                else if (!s.EndsWith('?') && !s.EndsWith('&')) sb.Append('&');
                first = false;
            }
            else sb.Append('&');
            sb.Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
        }
        return new Uri(sb.ToString());
    }

    internal HttpContent? BuildContent()
    {
        if (Multipart is { } parts)
        {
            var mp = new MultipartFormDataContent("VoScript-" + Guid.NewGuid().ToString("N"));
            foreach (var p in parts)
            {
                if (p.Content is { } bytes)
                {
                    var c = new ByteArrayContent(bytes);
                    c.Headers.ContentType = MediaTypeHeaderValue.Parse(p.ContentType ?? "application/octet-stream");
                    mp.Add(c, p.Name, p.FileName ?? p.Name);
                }
                else
                {
                    var c = new ByteArrayContent(Encoding.UTF8.GetBytes(p.Value ?? ""));
                    c.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + p.Name + "\"" };
                    mp.Add(c);
                }
            }
            return mp;
        }
        if (Form is { } form) return new FormUrlEncodedContent(form);
        return null;
    }
}
