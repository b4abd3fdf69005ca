using System.Globalization;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>What happens to an async job on the server once the run is over.</summary>
public enum JobKeepMode
{
    /// <summary>Delete the job whatever happened (the default).</summary>
    Never,
    /// <summary>Keep the job when the run did not succeed (error, timeout, cancel), for inspection.</summary>
    OnFailure,
    /// <summary>Never delete the job.</summary>
    Always,
}

/// <summary>Limits of one async run; set by the host.</summary>
public sealed class AsyncJobOptions
{
    /// <summary>One deadline for the whole job (creation to result), not per request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>When to keep the job on the service after the run.</summary>
    public JobKeepMode Keep { get; init; } = JobKeepMode.Never;
    /// <summary>Polls are at least this far apart, even when WAIT returns at once.</summary>
    public TimeSpan MinPollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest wait between polls.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Growth of the poll interval while the phase does not change.</summary>
    public double PollBackoff { get; init; } = 1.5;
    /// <summary>Longest blocking WAIT asked of the service, in seconds.</summary>
    public int MaxWaitSeconds { get; init; } = 30;
    /// <summary>Time allowed for abort and delete after a failure, cancel or timeout.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// A TAP 1.1 service: sync and async (UWS 1.1) ADQL queries, uploads, and its
/// VOSI documents (cached for the lifetime of this object; failures are not cached).
/// </summary>
public sealed class TapService
{
    private readonly object _lock = new();
    private Task<VosiCapabilities>? _caps;
    private Task<VosiTableSet>? _tables;
    private Task<VosiAvailability>? _avail;

    /// <summary>The TAP service at <paramref name="baseUrl"/>.</summary>
    public TapService(Uri baseUrl, VoHttpClient http)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
            throw new VoScriptException($"'{baseUrl}' is not an http(s) URL of a TAP service.");
        BaseUrl = new Uri(baseUrl.ToString().TrimEnd('/'));
        Http = http;
    }

    /// <summary>The TAP service at <paramref name="baseUrl"/>.</summary>
    public TapService(string baseUrl, VoHttpClient http) : this(ParseUrl(baseUrl), http) { }

    /// <summary>The service's base URL.</summary>
    public Uri BaseUrl { get; }
    /// <summary>The HTTP client.</summary>
    public VoHttpClient Http { get; }

    /// <summary>
    /// Time a sync query may take until the service starts answering, per attempt
    /// (longer than the client's default: a sync query computes before it sends
    /// headers). Use async for queries that may take longer.
    /// </summary>
    public TimeSpan SyncAttemptTimeout { get; set; } = TimeSpan.FromMinutes(10);

    internal Uri Endpoint(string leaf) => new(BaseUrl + "/" + leaf);

    private static Uri ParseUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) ? u : throw new VoScriptException($"'{s}' is not an absolute URL of a TAP service.");

    // ---------------------------------------------------------------- sync

    /// <summary>Runs a query on <c>/sync</c> and reads the VOTable result.</summary>
    public async Task<TapResult> QueryAsync(TapQuery query, CancellationToken ct = default)
    {
        var url = Endpoint("sync");
        for (var attempt = 0; ; attempt++)
        {
            var req = BuildQueryRequest(url, query);
            using var resp = await Http.SendAsync(req, ct).ConfigureAwait(false);
            try
            {
                var table = await DalResponseReader.ReadTableAsync(resp, "TAP query", ct).ConfigureAwait(false);
                return MakeResult(table, query, resp.Url, null);
            }
            catch (ServiceException e) when (e.IsBodyFailure && attempt < Math.Min(2, Http.Options.MaxRetries))
            {
                Http.Raise(new ProtocolNotice($"{e.Summary} Repeating the query."));
            }
        }
    }

    internal VoRequest BuildQueryRequest(Uri url, TapQuery query)
    {
        var parameters = query.Parameters();
        var inline = query.Uploads.Where(u => u.IsInline).ToList();
        if (inline.Count == 0) return new VoRequest(HttpMethod.Post, url) { Form = parameters, Retryable = true, AttemptTimeout = SyncAttemptTimeout };
        var parts = parameters.Select(p => new MultipartPart(p.Key, p.Value)).ToList();
        foreach (var u in inline)
        {
            using var ms = new MemoryStream();
            VOTableWriter.Write(u.Table!, ms, new VOTableWriteOptions { Serialization = VOTableSerialization.TableData });
            parts.Add(new MultipartPart(u.Name, null, ms.ToArray(), u.Name + ".xml", "application/x-votable+xml"));
        }
        return new VoRequest(HttpMethod.Post, url) { Multipart = parts, Retryable = true, AttemptTimeout = SyncAttemptTimeout };
    }

    internal TapResult MakeResult(Table table, TapQuery query, Uri url, Uri? jobUrl)
    {
        var warnings = new List<string>();
        if (query.MaxRec is { } cap && cap >= 0 && table.RowCount > cap)
        {
            // Seen on DaCHS 2.7 with TOP n > MAXREC: MAXREC+1 rows come back.
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The service returned {table.RowCount} rows for MAXREC={cap}; the rows beyond {cap} were dropped."));
            var keepRows = Enumerable.Range(0, (int)cap).ToArray();
            var trimmed = table.SelectRows(keepRows);
            trimmed.Warnings.AddRange(table.Warnings);
            table = trimmed;
            if (!DalResponseReader.IsOverflow(table))
                table.Infos.Add(new Info("QUERY_STATUS", "OVERFLOW"));
        }
        Http.Raise(new RowsReceived(url, table.RowCount));
        if (!DalResponseReader.IsOverflow(table))
            return new TapResult(table, url, false, null, warnings, jobUrl);
        TruncationCause cause;
        if (query.MaxRec is { } m && table.RowCount >= m) cause = TruncationCause.UserMaxRec;
        else
        {
            cause = TruncationCause.ServiceLimit;
            var more = query.MaxRec is { } asked
                ? $"you asked for up to {asked}, so the service's own limit applied"
                : "set a larger MAXREC (up to the service's hard limit) to get more";
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The result was truncated at {table.RowCount} rows by the service's output limit; {more}, or narrow the query. Add ORDER BY if you need the same rows each time."));
        }
        return new TapResult(table, url, true, cause, warnings, jobUrl);
    }

    // ---------------------------------------------------------------- async

    /// <summary>
    /// Runs a query as an async job: create, PHASE=RUN, wait (one deadline), fetch
    /// the result, and delete the job unless <see cref="AsyncJobOptions.Keep"/> says
    /// otherwise. On cancel or timeout the job is aborted first.
    /// </summary>
    public async Task<TapResult> RunAsyncQuery(TapQuery query, AsyncJobOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AsyncJobOptions();
        var deadline = DateTimeOffset.UtcNow + options.Timeout;
        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadlineCts.CancelAfter(options.Timeout);
        TapAsyncJob job;
        try
        {
            job = await SubmitAsync(query, deadlineCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TapTimeoutException($"Could not create the job within the timeout of {Fmt(options.Timeout)}.", Endpoint("async"), null, options.Timeout);
        }
        var success = false;
        var abort = false;
        try
        {
            await job.StartAsync(deadlineCts.Token).ConfigureAwait(false);
            var info = await job.WaitAsync(deadline, options, ct).ConfigureAwait(false);
            switch (info.Phase)
            {
                case UwsPhase.Completed:
                    var result = await job.FetchResultAsync(info, deadlineCts.Token).ConfigureAwait(false);
                    success = true;
                    return result;
                case UwsPhase.Error:
                    var (msg, status, body) = await job.GetErrorAsync(info, deadlineCts.Token).ConfigureAwait(false);
                    throw new TapJobException($"The TAP job failed; the service says: {msg}", job.Url, info.PhaseText, msg, status, body);
                case UwsPhase.Aborted:
                    throw new TapJobException("The TAP job was aborted on the service (by an operator, its execution time limit, or another client).", job.Url, info.PhaseText, null);
                default:
                    throw new TapJobException($"The TAP job ended in phase {info.PhaseText}; its results are not available.", job.Url, info.PhaseText, null);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            abort = true;
            throw Timeout(job, options);
        }
        catch (TapTimeoutException)
        {
            abort = true;
            throw Timeout(job, options);
        }
        catch (OperationCanceledException)
        {
            abort = true;
            throw;
        }
        finally
        {
            await job.CleanUpAsync(success, abort, options).ConfigureAwait(false);
        }
    }

    private static TapTimeoutException Timeout(TapAsyncJob job, AsyncJobOptions options)
    {
        var kept = options.Keep == JobKeepMode.Never ? "it was aborted and deleted" : "it was aborted and kept on the service";
        return new TapTimeoutException(
            $"The TAP job did not finish within {Fmt(options.Timeout)} (last phase {job.LastPhase?.Name() ?? "unknown"}); {kept}. Raise the timeout or make the query cheaper.",
            job.Url, job.LastPhase?.Name(), options.Timeout);
    }

    internal static string Fmt(TimeSpan t) =>
        t.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s") : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.#} min");

    /// <summary>Creates a job on <c>/async</c> (never retried: a repeat would create a second job) and returns it, still PENDING.</summary>
    internal async Task<TapAsyncJob> SubmitAsync(TapQuery query, CancellationToken ct = default)
    {
        var url = Endpoint("async");
        var req = BuildQueryRequest(url, query);
        req = req.Multipart is not null
            ? new VoRequest(HttpMethod.Post, url) { Multipart = req.Multipart, Retryable = false, FollowRedirects = false }
            : new VoRequest(HttpMethod.Post, url) { Form = req.Form, Retryable = false, FollowRedirects = false };
        using var resp = await Http.SendAsync(req, ct).ConfigureAwait(false);
        if (resp.StatusCode >= 400)
            throw await DalResponseReader.ErrorFromFailedResponseAsync(resp, "Creating the TAP job", ct).ConfigureAwait(false);
        Uri? jobUrl = resp.Location;
        if (jobUrl is null && resp.IsSuccess)
        {
            // Some services answer 200/201 with the job document itself.
            var text = await resp.ReadTextAsync(ct).ConfigureAwait(false);
            try
            {
                var info = UwsJobInfo.Parse(text, url);
                if (info.JobId is { } id) jobUrl = new Uri(url + "/" + Uri.EscapeDataString(id));
            }
            catch (VoScriptException) { }
        }
        if (jobUrl is null)
        {
            var text = await resp.ReadTextAsync(ct).ConfigureAwait(false);
            throw new ServiceException("Creating the TAP job: the service did not say where the job is (no Location header, no job document).",
                url, resp.StatusCode, ServiceException.Excerpt(text));
        }
        Http.Raise(new JobCreated(jobUrl));
        return new TapAsyncJob(this, jobUrl, query);
    }

    /// <summary>A handle on an existing job (e.g. one kept from an earlier run).</summary>
    internal TapAsyncJob Job(Uri jobUrl) => new(this, jobUrl, new TapQuery(""));

    // ---------------------------------------------------------------- VOSI

    /// <summary>The VOSI capabilities (cached; a failure is not cached).</summary>
    internal Task<VosiCapabilities> GetCapabilitiesAsync(CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (_caps is null || _caps.IsFaulted || _caps.IsCanceled)
                _caps = Vosi.GetCapabilitiesAsync(Http, Endpoint("capabilities"), ct);
            return _caps;
        }
    }

    /// <summary>The VOSI availability, cached like the other VOSI documents unless <paramref name="refresh"/> (advisory only: never gate work on it).</summary>
    internal Task<VosiAvailability> GetAvailabilityAsync(CancellationToken ct = default, bool refresh = false)
    {
        lock (_lock)
        {
            if (refresh || _avail is null || _avail.IsFaulted || _avail.IsCanceled)
                _avail = LoadAvailabilityAsync(ct);
            return _avail;
        }
    }

    private async Task<VosiAvailability> LoadAvailabilityAsync(CancellationToken ct)
    {
        Uri url = Endpoint("availability");
        try
        {
            var caps = await GetCapabilitiesAsync(ct).ConfigureAwait(false);
            url = caps.AccessUrl(Vosi.AvailabilityId) ?? url;
        }
        catch (ServiceException) { }
        return await Vosi.GetAvailabilityAsync(Http, url, ct).ConfigureAwait(false);
    }

    /// <summary>The VOSI tableset: schemas, tables, columns with units and UCDs (cached; failures are not).</summary>
    internal Task<VosiTableSet> GetTablesAsync(CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (_tables is null || _tables.IsFaulted || _tables.IsCanceled)
                _tables = LoadTablesAsync(ct);
            return _tables;
        }
    }

    private async Task<VosiTableSet> LoadTablesAsync(CancellationToken ct)
    {
        Uri url = Endpoint("tables");
        try
        {
            var caps = await GetCapabilitiesAsync(ct).ConfigureAwait(false);
            url = caps.AccessUrl(Vosi.TablesId) ?? url;
        }
        catch (ServiceException) { }
        return await Vosi.GetTablesAsync(Http, url, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => BaseUrl.ToString();
}
