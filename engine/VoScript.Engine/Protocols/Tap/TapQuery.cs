using System.Globalization;
using System.Text.RegularExpressions;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>One TAP query: ADQL text and the DALI/TAP parameters that go with it.</summary>
public sealed record TapQuery(string Query)
{
    /// <summary>LANG (ADQL, or a versioned form such as ADQL-2.0).</summary>
    public string Lang { get; init; } = "ADQL";

    /// <summary>MAXREC asked for by the user; null leaves the service default.</summary>
    public long? MaxRec { get; init; }

    /// <summary>RESPONSEFORMAT; null leaves the service default (a VOTable). Results are read as VOTable.</summary>
    public string? ResponseFormat { get; init; }

    /// <summary>The UWS RUNID (to find the job again).</summary>
    public string? RunId { get; init; }

    /// <summary>Tables uploaded with the query.</summary>
    public IReadOnlyList<TapUpload> Uploads { get; init; } = [];

    /// <summary>Further parameters sent as they are.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    internal List<KeyValuePair<string, string>> Parameters()
    {
        var p = new List<KeyValuePair<string, string>>
        {
            new("REQUEST", "doQuery"),
            new("LANG", Lang),
            new("QUERY", Query),
        };
        if (MaxRec is { } m) p.Add(new("MAXREC", m.ToString(CultureInfo.InvariantCulture)));
        if (ResponseFormat is { } f) p.Add(new("RESPONSEFORMAT", f));
        if (RunId is { } r) p.Add(new("RUNID", r));
        if (Uploads.Count > 0)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var u in Uploads)
                if (!names.Add(u.Name))
                    throw new VoScriptException($"Two uploads are named '{u.Name}' (names are compared ignoring case); give each upload its own name.");
            p.Add(new("UPLOAD", string.Join(';', Uploads.Select(u => u.Name + "," + u.Reference))));
        }
        p.AddRange(Extra);
        return p;
    }
}

/// <summary>A table sent with a query, read there as <c>TAP_UPLOAD.name</c>: inline (a VOTable in the request) or by URL.</summary>
public sealed partial class TapUpload
{
    private TapUpload(string name, Table? table, Uri? url)
    {
        if (!NameRegex().IsMatch(name))
            throw new VoScriptException($"Upload name '{name}' is not allowed: it must start with a letter and contain only letters, digits and '_' (DALI 1.1 §3.4.5).");
        Name = name;
        Table = table;
        Url = url;
    }

    /// <summary>The upload's table name (<c>TAP_UPLOAD.name</c>).</summary>
    public string Name { get; }
    /// <summary>The table sent inline, if so.</summary>
    public Table? Table { get; }
    /// <summary>The URL the service fetches, if so.</summary>
    public Uri? Url { get; }
    /// <summary>The table is sent with the request.</summary>
    public bool IsInline => Table is not null;

    /// <summary>The value after <c>name,</c> in the UPLOAD parameter.</summary>
    /// <remarks>The URL is sent escaped (Uri.ToString would unescape it) and with ';' escaped, since ';' separates uploads.</remarks>
    internal string Reference => Table is not null ? "param:" + Name : Url!.AbsoluteUri.Replace(";", "%3B");

    /// <summary>An inline upload of <paramref name="table"/>.</summary>
    public static TapUpload Inline(string name, Table table) => new(name, table, null);

    /// <summary>An upload the service fetches from <paramref name="url"/>.</summary>
    public static TapUpload FromUrl(string name, Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != "http" && url.Scheme != "https" && url.Scheme != "ftp"))
            throw new VoScriptException($"Upload '{name}': the URL must be absolute http, https or ftp, not '{url}'.");
        return new(name, null, url);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex NameRegex();
}

/// <summary>Why a result has fewer rows than the query would give.</summary>
public enum TruncationCause
{
    /// <summary>The user's MAXREC cut it: asked for, so no warning.</summary>
    UserMaxRec,
    /// <summary>The service's own output limit cut it.</summary>
    ServiceLimit,
}

/// <summary>The table a TAP query returned, with truncation and warnings.</summary>
public sealed class TapResult
{
    internal TapResult(Table table, Uri url, bool truncated, TruncationCause? cause, IReadOnlyList<string> warnings, Uri? jobUrl)
    {
        Table = table;
        Url = url;
        Truncated = truncated;
        Cause = cause;
        Warnings = warnings;
        JobUrl = jobUrl;
    }

    /// <summary>The result table.</summary>
    public Table Table { get; }
    /// <summary>Where the result came from.</summary>
    public Uri Url { get; }
    /// <summary>QUERY_STATUS said OVERFLOW: more rows exist.</summary>
    public bool Truncated { get; }
    /// <summary>Why the result was cut short, if it was.</summary>
    public TruncationCause? Cause { get; }
    /// <summary>Things the user should know (service limit hit, …); empty when the user asked for the cut.</summary>
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>The UWS job that produced it (async only; may be deleted by now).</summary>
    public Uri? JobUrl { get; }

    /// <summary>Never cache a truncated result (or a failed one, which never becomes a TapResult).</summary>
    public bool IsCacheable => !Truncated;
}
