using System.Net;

namespace VoScript.Server.Tap;

/// <summary>Limits and addresses of a TAP service, set by the host (<c>voscript serve</c> or a test).</summary>
public sealed class TapServiceOptions
{
    /// <summary>Address to listen on; loopback unless the host opens it deliberately.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 = any free port.</summary>
    public int Port { get; init; } = 8090;

    /// <summary>Rows returned when a request gives no MAXREC.</summary>
    public long DefaultMaxRec { get; init; } = 10_000;

    /// <summary>The most rows any request gets, whatever its MAXREC.</summary>
    public long HardMaxRec { get; init; } = 1_000_000;

    /// <summary>The most bytes a request body (all uploads together) or one fetched upload URL may have.</summary>
    public long UploadLimitBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Execution time a job gets when it asks for none (and the limit for sync queries).</summary>
    public TimeSpan DefaultExecutionDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest execution time a job may ask for.</summary>
    public TimeSpan MaxExecutionDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a job is kept after creation unless its DESTRUCTION is moved.</summary>
    public TimeSpan DefaultRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The longest a job may be kept.</summary>
    public TimeSpan MaxRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The longest a blocking job GET (WAIT) holds the request.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Async jobs that execute at the same time; others wait in QUEUED.</summary>
    public int MaxConcurrentJobs { get; init; } = DefaultMaxConcurrentJobs;

    /// <summary>
    /// The default of <see cref="MaxConcurrentJobs"/>: 4, or the processor count when that is more. Jobs mostly wait on
    /// the database and on their clients, so a workflow's few parallel async queries (three in the README's example) all run at once.
    /// </summary>
    public static int DefaultMaxConcurrentJobs => Math.Max(4, Environment.ProcessorCount);

    /// <summary>Requests handled at the same time; more wait (see <see cref="MaxQueuedRequests"/>).</summary>
    public int MaxConcurrentRequests { get; init; } = DefaultMaxConcurrentRequests;

    /// <summary>Requests that may wait for a turn; beyond them a request gets 503 with Retry-After at once.</summary>
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>The default of <see cref="MaxConcurrentRequests"/>: 4 per processor, at least 8.</summary>
    public static int DefaultMaxConcurrentRequests => Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>How long a queued request waits for its turn before it gets 503.</summary>
    public TimeSpan MaxQueueWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Let <c>UPLOAD=name,http://…</c> fetch from loopback, private, link-local and other local addresses (off: refused).</summary>
    public bool AllowLocalUploads { get; init; }

    /// <summary>Folder for async results; a fresh folder under the temp folder when null. Deleted on shutdown.</summary>
    public string? WorkDirectory { get; init; }
}
