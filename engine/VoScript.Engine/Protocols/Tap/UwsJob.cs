using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>UWS 1.1 execution phases (UWS §2.1.3).</summary>
public enum UwsPhase
{
    /// <summary>Made, not yet queued.</summary>
    Pending,

    /// <summary>Waiting to run.</summary>
    Queued,

    /// <summary>Running.</summary>
    Executing,

    /// <summary>Finished with results.</summary>
    Completed,

    /// <summary>Failed.</summary>
    Error,

    /// <summary>Stopped by a client or the service.</summary>
    Aborted,

    /// <summary>The service does not know.</summary>
    Unknown,

    /// <summary>Held by the service.</summary>
    Held,

    /// <summary>Paused by the service.</summary>
    Suspended,

    /// <summary>Results gone, the job record kept.</summary>
    Archived,
}

/// <summary>UWS phases as the standard writes them.</summary>
public static class UwsPhases
{
    /// <summary>Parses a phase; non-standard words seen in the wild (RUN, RUNNING) count as EXECUTING.</summary>
    public static UwsPhase Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "PENDING" => UwsPhase.Pending,
        "QUEUED" => UwsPhase.Queued,
        "EXECUTING" or "RUN" or "RUNNING" => UwsPhase.Executing,
        "COMPLETED" => UwsPhase.Completed,
        "ERROR" => UwsPhase.Error,
        "ABORTED" => UwsPhase.Aborted,
        "HELD" => UwsPhase.Held,
        "SUSPENDED" => UwsPhase.Suspended,
        "ARCHIVED" => UwsPhase.Archived,
        _ => UwsPhase.Unknown,
    };

    /// <summary>The job will not change any more by itself.</summary>
    public static bool IsFinal(this UwsPhase p) => p is UwsPhase.Completed or UwsPhase.Error or UwsPhase.Aborted or UwsPhase.Archived;

    /// <summary>Phases in which WAIT blocks (UWS §2.2.1.2).</summary>
    public static bool IsActive(this UwsPhase p) => p is UwsPhase.Pending or UwsPhase.Queued or UwsPhase.Executing;

    /// <summary>The phase as UWS writes it (<c>EXECUTING</c>).</summary>
    public static string Name(this UwsPhase p) => p.ToString().ToUpperInvariant();

    /// <summary>Parses a phase name exactly (case aside), as a service must read a client's PHASE: no aliases, no numbers.</summary>
    public static bool TryParseExact(string s, out UwsPhase phase) =>
        Enum.TryParse(s.Trim(), ignoreCase: true, out phase) && Enum.IsDefined(phase) && !int.TryParse(s, out _);
}

/// <summary>A result of a job: id, link, MIME type, size.</summary>
internal sealed record UwsResult(string Id, Uri? Href, string? MimeType, long? Size);

/// <summary>The errorSummary of a job.</summary>
internal sealed record UwsErrorSummary(string? Type, bool HasDetail, string? Message);

/// <summary>A parsed <c>uws:job</c> document.</summary>
internal sealed class UwsJobInfo
{
    /// <summary>The job id.</summary>
    public string? JobId { get; init; }
    /// <summary>The RUNID.</summary>
    public string? RunId { get; init; }
    /// <summary>The owner.</summary>
    public string? OwnerId { get; init; }
    /// <summary>The phase.</summary>
    public UwsPhase Phase { get; init; }
    /// <summary>The phase word as the service wrote it.</summary>
    public string PhaseText { get; init; } = "";
    /// <summary>When the service expects the job to end.</summary>
    public DateTimeOffset? Quote { get; init; }
    /// <summary>When the job was made.</summary>
    public DateTimeOffset? CreationTime { get; init; }
    /// <summary>When it started.</summary>
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>The time limit in seconds (0: none).</summary>
    public long? ExecutionDuration { get; init; }
    /// <summary>When the service destroys the job.</summary>
    public DateTimeOffset? Destruction { get; init; }
    /// <summary>The job's parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>The job's results.</summary>
    public IReadOnlyList<UwsResult> Results { get; init; } = [];
    /// <summary>Why it failed, if it did.</summary>
    public UwsErrorSummary? ErrorSummary { get; init; }
    /// <summary>The version attribute (1.1), or null for UWS 1.0.</summary>
    public string? Version { get; init; }

    /// <summary>Parses a job document; relative result links are resolved against <paramref name="jobUrl"/>.</summary>
    public static UwsJobInfo Parse(string xml, Uri jobUrl)
    {
        XDocument doc;
        try { doc = SafeXml.Parse(xml); }
        catch (XmlException e) { throw new VoScriptException($"The UWS job document is not well-formed XML: {e.Message}", e); }
        var job = doc.Root;
        if (job is null || job.Name.LocalName != "job")
            throw new VoScriptException($"Expected a UWS <job> document but found <{job?.Name.LocalName ?? "nothing"}>.");
        var phaseText = job.ChildText("phase") ?? "";
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (job.Child("parameters") is { } ps)
            foreach (var p in ps.Children("parameter"))
                if (p.Attr("id") is { } id) parameters[id] = p.Value;
        UwsErrorSummary? err = null;
        if (job.Child("errorSummary") is { } es)
            err = new UwsErrorSummary(es.Attr("type"), string.Equals(es.Attr("hasDetail"), "true", StringComparison.OrdinalIgnoreCase), es.ChildText("message"));
        return new UwsJobInfo
        {
            JobId = job.ChildText("jobId"),
            RunId = job.ChildText("runId"),
            OwnerId = job.ChildText("ownerId"),
            Phase = UwsPhases.Parse(phaseText),
            PhaseText = phaseText,
            Quote = Time(job.ChildText("quote")),
            CreationTime = Time(job.ChildText("creationTime")),
            StartTime = Time(job.ChildText("startTime")),
            EndTime = Time(job.ChildText("endTime")),
            ExecutionDuration = long.TryParse(job.ChildText("executionDuration"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : null,
            Destruction = Time(job.ChildText("destruction")),
            Parameters = parameters,
            Results = job.Child("results") is { } rs ? ParseResults(rs, jobUrl) : [],
            ErrorSummary = err,
            Version = job.Attr("version"),
        };
    }

    /// <summary>Parses a <c>uws:results</c> element or document.</summary>
    public static IReadOnlyList<UwsResult> ParseResults(XElement results, Uri jobUrl)
    {
        var list = new List<UwsResult>();
        var baseUrl = new Uri(jobUrl.ToString().TrimEnd('/') + "/results/");
        foreach (var r in results.Children("result"))
        {
            var href = r.Attr("href");
            Uri? u = null;
            if (!string.IsNullOrWhiteSpace(href)) Uri.TryCreate(baseUrl, href.Trim(), out u);
            long? size = long.TryParse(r.Attr("size"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
            list.Add(new UwsResult(r.Attr("id") ?? "", u, r.Attr("mime-type"), size));
        }
        return list;
    }

    /// <summary>ISO 8601, with or without Z (no zone = UTC, UWS §2.2.1).</summary>
    internal static DateTimeOffset? Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
    }
}
