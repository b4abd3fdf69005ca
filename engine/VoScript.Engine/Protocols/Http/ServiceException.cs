using System.Net;
using System.Text;

namespace VoScript.Engine.Protocols.Http;

/// <summary>
/// A remote service failed or answered something unusable. The message always
/// names the URL, the HTTP status (when a response came) and the start of the
/// body, so that a user can see what the service actually said.
/// </summary>
public class ServiceException : VoScriptException
{
    /// <summary>A service failure: what failed, where, the HTTP status and the start of the body.</summary>
    public ServiceException(string summary, Uri? url, int? status, string? bodyStart, string? serviceMessage = null, Exception? inner = null)
        : this(summary, url, status, bodyStart, serviceMessage, inner, true) { }

    /// <summary>As the public constructor; <paramref name="showMissingStatus"/> says "no status" in the message when there is none.</summary>
    protected ServiceException(string summary, Uri? url, int? status, string? bodyStart, string? serviceMessage, Exception? inner, bool showMissingStatus)
        : base(Compose(summary, url, status, string.IsNullOrWhiteSpace(serviceMessage) ? bodyStart : null, showMissingStatus),
               inner ?? new InvalidOperationException(summary))
    {
        // the raw body only when the service's own message could not be extracted; Detailed has it always
        Detailed = Compose(summary, url, status, bodyStart, showMissingStatus);
        Summary = summary;
        Url = url;
        StatusCode = status;
        BodyStart = bodyStart;
        ServiceMessage = serviceMessage;
    }

    /// <summary>The message with the start of the body even when the service's own message was extracted from it (for verbose output).</summary>
    public string Detailed { get; }

    /// <summary>The first line of the message, without URL/status/body.</summary>
    public string Summary { get; }
    /// <summary>The URL that failed.</summary>
    public Uri? Url { get; }
    /// <summary>The HTTP status, if a response came.</summary>
    public int? StatusCode { get; }
    /// <summary>The start of the response body, if any.</summary>
    public string? BodyStart { get; }
    /// <summary>The service's own error text, when it sent one.</summary>
    public string? ServiceMessage { get; }

    /// <summary>True when repeating the same request might succeed (no response, 5xx, 408, 429, cut connection).</summary>
    public bool IsTransient { get; init; }

    /// <summary>The failure happened while reading a body (cut connection, empty body): repeating the whole request may help.</summary>
    public bool IsBodyFailure { get; init; }

    internal static string Compose(string summary, Uri? url, int? status, string? bodyStart, bool showMissingStatus = true)
    {
        var sb = new StringBuilder(summary);
        if (url is not null) sb.Append("\n  URL: ").Append(Redact(url));
        if (status is { } s)
        {
            var reason = Enum.IsDefined(typeof(HttpStatusCode), s) ? " " + ((HttpStatusCode)s) : "";
            sb.Append("\n  HTTP status: ").Append(s).Append(reason);
        }
        else if (url is not null && showMissingStatus) sb.Append("\n  HTTP status: none (no response)");
        if (!string.IsNullOrWhiteSpace(bodyStart)) sb.Append("\n  body starts: ").Append(bodyStart);
        return sb.ToString();
    }

    /// <summary>The URL without user name or password.</summary>
    public static string Redact(Uri url)
    {
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.UserInfo)) return url.ToString();
        var b = new UriBuilder(url) { UserName = "", Password = "" };
        return b.Uri.ToString();
    }

    /// <summary>Up to <paramref name="max"/> characters of a body, whitespace collapsed, for messages.</summary>
    public static string Excerpt(string? body, int max = 300)
    {
        if (string.IsNullOrEmpty(body)) return "";
        var sb = new StringBuilder(Math.Min(body.Length, max + 1));
        var space = false;
        foreach (var ch in body)
        {
            if (ch == '\uFEFF') continue;
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                if (sb.Length > 0) space = true;
                continue;
            }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(ch);
            if (sb.Length >= max) { sb.Append('…'); break; }
        }
        return sb.ToString();
    }
}

/// <summary>A TAP/DAL service said the query failed (QUERY_STATUS=ERROR, a DALI error document, an SCS Error INFO).</summary>
internal sealed class ServiceQueryException : ServiceException
{
    public ServiceQueryException(string summary, Uri? url, int? status, string? bodyStart, string serviceMessage)
        : base(summary, url, status, bodyStart, serviceMessage) { }
}
