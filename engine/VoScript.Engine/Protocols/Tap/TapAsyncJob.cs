using System.Globalization;
using System.Xml;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Protocols.Tap;

/// <summary>
/// A UWS 1.1 job of a TAP service: phase changes, start, blocking waits bounded
/// by one deadline, results (found by the result list, not by name), error
/// document, abort and delete. Redirects after DELETE and phase POSTs are not
/// followed (they lead to the job list, which can be huge).
/// </summary>
internal sealed class TapAsyncJob
{
    private readonly TapService _service;
    private readonly TapQuery _query;

    internal TapAsyncJob(TapService service, Uri url, TapQuery query)
    {
        _service = service;
        Url = url;
        _query = query;
    }

    /// <summary>The job's URL.</summary>
    public Uri Url { get; }

    /// <summary>The last phase seen, or null before the first look.</summary>
    public UwsPhase? LastPhase { get; private set; }

    /// <summary>True once the job was deleted on the server.</summary>
    public bool Deleted { get; private set; }

    private VoHttpClient Http => _service.Http;

    private Uri Sub(string leaf) => new(Url.ToString().TrimEnd('/') + "/" + leaf);

    /// <summary>Reads the job document; with <paramref name="waitSeconds"/> the service may block until the phase changes.</summary>
    public async Task<UwsJobInfo> GetInfoAsync(int? waitSeconds = null, CancellationToken ct = default)
    {
        var url = Url;
        VoRequest req;
        if (waitSeconds is { } w && w > 0)
        {
            var q = new List<KeyValuePair<string, string>> { new("WAIT", w.ToString(CultureInfo.InvariantCulture)) };
            if (LastPhase is { } lp && lp.IsActive()) q.Add(new("PHASE", lp.Name()));
            req = new VoRequest(HttpMethod.Get, VoRequest.AppendQuery(url, q)) { AttemptTimeout = TimeSpan.FromSeconds(w + 30) };
        }
        else req = VoRequest.Get(url);
        using var resp = await Http.SendAsync(req, ct).ConfigureAwait(false);
        var text = await resp.ReadTextAsync(ct).ConfigureAwait(false);
        if (!resp.IsSuccess)
        {
            var message = DalResponseReader.ServiceMessageFromText(text, resp.MediaType);
            throw new ServiceException(resp.StatusCode == 404
                    ? "The TAP job no longer exists on the service (deleted, or destroyed after its destruction time)."
                    : $"Reading the TAP job failed with HTTP {resp.StatusCode}.",
                resp.Url, resp.StatusCode, ServiceException.Excerpt(text), message)
            { IsTransient = VoHttpClient.IsTransientStatus(resp.StatusCode) };
        }
        UwsJobInfo info;
        try
        {
            info = UwsJobInfo.Parse(text, Url);
        }
        catch (VoScriptException e)
        {
            throw new ServiceException($"The job document is not usable: {e.Message}", resp.Url, resp.StatusCode, ServiceException.Excerpt(text), inner: e) { IsTransient = true };
        }
        if (LastPhase != info.Phase)
        {
            Http.Raise(new JobPhaseChanged(Url, LastPhase?.Name(), info.Phase.Name()));
            LastPhase = info.Phase;
        }
        return info;
    }

    /// <summary>Sends PHASE=RUN to <c>/phase</c> (some services ignore it at creation).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        using var resp = await PostPhaseAsync("RUN", ct).ConfigureAwait(false);
        if (resp.StatusCode >= 400)
            throw await DalResponseReader.ErrorFromFailedResponseAsync(resp, "Starting the TAP job (PHASE=RUN)", ct).ConfigureAwait(false);
    }

    /// <summary>Sends PHASE=ABORT; false when the service refused.</summary>
    public async Task<bool> AbortAsync(CancellationToken ct = default)
    {
        using var resp = await PostPhaseAsync("ABORT", ct).ConfigureAwait(false);
        return resp.StatusCode < 400;
    }

    private Task<VoHttpResponse> PostPhaseAsync(string phase, CancellationToken ct) =>
        Http.SendAsync(new VoRequest(HttpMethod.Post, Sub("phase"))
        {
            Form = [new("PHASE", phase)],
            Retryable = true,
            FollowRedirects = false,
        }, ct);

    /// <summary>Deletes the job (DELETE, or POST ACTION=DELETE if DELETE is refused), not following the redirect to the job list.</summary>
    public async Task<bool> DeleteAsync(CancellationToken ct = default)
    {
        using (var resp = await Http.SendAsync(new VoRequest(HttpMethod.Delete, Url) { Retryable = true, FollowRedirects = false }, ct).ConfigureAwait(false))
        {
            if (resp.StatusCode < 400 || resp.StatusCode is 404 or 410) { Deleted = true; return true; }
            if (resp.StatusCode is not (400 or 403 or 405 or 501)) return false;
        }
        using var post = await Http.SendAsync(new VoRequest(HttpMethod.Post, Url)
        {
            Form = [new("ACTION", "DELETE")],
            Retryable = true,
            FollowRedirects = false,
        }, ct).ConfigureAwait(false);
        Deleted = post.StatusCode < 400 || post.StatusCode is 404 or 410;
        return Deleted;
    }

    /// <summary>
    /// Polls until the job reaches a final phase. Each blocking WAIT and each poll
    /// is bounded by the time left before <paramref name="deadline"/>; polls are at
    /// least a minimum interval apart, growing while nothing changes; a failed poll
    /// is repeated while time remains. HELD, and PENDING that lasts, get another
    /// PHASE=RUN. The first poll does not block. Throws <see cref="TapTimeoutException"/> at the deadline (the job is left as it is).
    /// </summary>
    public async Task<UwsJobInfo> WaitAsync(DateTimeOffset deadline, AsyncJobOptions options, CancellationToken ct = default)
    {
        var interval = options.MinPollInterval;
        var pendingPolls = 0;
        var hardFailures = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero) throw DeadlinePassed();
            int? wait = null;
            // The first look is immediate, so that the phase is known (and shown) at once.
            // PENDING is not waited on: it changes only when PHASE=RUN arrives, which may need repeating.
            if (LastPhase is { } known && known.IsActive() && known != UwsPhase.Pending)
            {
                var w = (int)Math.Min(options.MaxWaitSeconds, Math.Floor(remaining.TotalSeconds) - 1);
                if (w >= 1) wait = w;
            }
            var started = DateTimeOffset.UtcNow;
            var before = LastPhase;
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                cts.CancelAfter(remaining);
                try
                {
                    var info = await GetInfoAsync(wait, cts.Token).ConfigureAwait(false);
                    hardFailures = 0;
                    if (info.Phase.IsFinal()) return info;
                    if (info.Phase == UwsPhase.Held)
                    {
                        Http.Raise(new ProtocolNotice($"The service holds job {Url}; asking it to run again."));
                        await TryStartAsync(cts.Token).ConfigureAwait(false);
                    }
                    else if (info.Phase == UwsPhase.Pending && ++pendingPolls % 3 == 0)
                    {
                        Http.Raise(new ProtocolNotice($"Job {Url} is still PENDING; sending PHASE=RUN again."));
                        await TryStartAsync(cts.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw DeadlinePassed();
                }
                catch (ServiceException e) when (e.StatusCode is 404 or 410)
                {
                    throw new TapJobException("The TAP job disappeared from the service while running (deleted by someone else, or destroyed).",
                        Url, LastPhase?.Name() ?? "UNKNOWN", e.ServiceMessage, e.StatusCode, e.BodyStart);
                }
                catch (ServiceException e)
                {
                    if (!e.IsTransient && ++hardFailures >= 3) throw;
                    Http.Raise(new ProtocolNotice($"Polling job {Url} failed ({e.Summary}); trying again while time remains."));
                }
            }
            if (LastPhase != before) interval = options.MinPollInterval;
            var sleep = interval - (DateTimeOffset.UtcNow - started);
            var left = deadline - DateTimeOffset.UtcNow;
            if (sleep >= left)
            {
                // The next poll would come after the deadline: no point in a burst of last-moment polls.
                if (left > TimeSpan.Zero) await Task.Delay(left, ct).ConfigureAwait(false);
                throw DeadlinePassed();
            }
            if (sleep > TimeSpan.Zero)
                await Task.Delay(sleep, ct).ConfigureAwait(false);
            var next = TimeSpan.FromTicks((long)(interval.Ticks * options.PollBackoff));
            interval = next > options.MaxPollInterval ? options.MaxPollInterval : next;
        }
    }

    private TapTimeoutException DeadlinePassed() =>
        new($"The TAP job did not finish before its deadline (last phase {LastPhase?.Name() ?? "unknown"}); it is still on the service.", Url, LastPhase?.Name(), TimeSpan.Zero);

    private async Task TryStartAsync(CancellationToken ct)
    {
        try
        {
            using var resp = await PostPhaseAsync("RUN", ct).ConfigureAwait(false);
        }
        catch (ServiceException) { }
    }

    /// <summary>Fetches the result table: the result named <c>result</c>, else the first listed.</summary>
    public async Task<TapResult> FetchResultAsync(UwsJobInfo? info = null, CancellationToken ct = default)
    {
        var results = info?.Results ?? [];
        if (results.Count == 0) results = await GetResultListAsync(ct).ConfigureAwait(false);
        var chosen = results.FirstOrDefault(r => string.Equals(r.Id, "result", StringComparison.OrdinalIgnoreCase) && r.Href is not null)
                     ?? results.FirstOrDefault(r => r.Href is not null && (r.MimeType is null || r.MimeType.Contains("votable", StringComparison.OrdinalIgnoreCase) || r.MimeType.Contains("xml", StringComparison.OrdinalIgnoreCase)))
                     ?? results.FirstOrDefault(r => r.Href is not null);
        var url = chosen?.Href ?? Sub("results/result");
        for (var attempt = 0; ; attempt++)
        {
            using var resp = await Http.SendAsync(VoRequest.Get(url), ct).ConfigureAwait(false);
            try
            {
                var table = await DalResponseReader.ReadTableAsync(resp, "TAP job result", ct).ConfigureAwait(false);
                return _service.MakeResult(table, _query, resp.Url, Url);
            }
            catch (ServiceException e) when (e.IsBodyFailure && attempt < Math.Min(2, Http.Options.MaxRetries))
            {
                Http.Raise(new ProtocolNotice($"{e.Summary} Fetching the result again."));
            }
        }
    }

    /// <summary>The <c>uws:results</c> list (empty when the service has none or answers badly).</summary>
    public async Task<IReadOnlyList<UwsResult>> GetResultListAsync(CancellationToken ct = default)
    {
        using var resp = await Http.SendAsync(VoRequest.Get(Sub("results")), ct).ConfigureAwait(false);
        if (!resp.IsSuccess) return [];
        var text = await resp.ReadTextAsync(ct).ConfigureAwait(false);
        try
        {
            var doc = SafeXml.Parse(text);
            return doc.Root is null ? [] : UwsJobInfo.ParseResults(doc.Root, Url);
        }
        catch (XmlException) { return []; }
    }

    /// <summary>The error message of a failed job: the <c>/error</c> document's text, else the errorSummary.</summary>
    public async Task<(string Message, int? Status, string? BodyStart)> GetErrorAsync(UwsJobInfo? info = null, CancellationToken ct = default)
    {
        var summary = info?.ErrorSummary?.Message;
        try
        {
            using var resp = await Http.SendAsync(VoRequest.Get(Sub("error")), ct).ConfigureAwait(false);
            var text = await resp.ReadTextAsync(ct, 256 * 1024).ConfigureAwait(false);
            if (resp.IsSuccess && DalResponseReader.ServiceMessageFromText(text, resp.MediaType) is { } m)
                return (m, resp.StatusCode, ServiceException.Excerpt(text));
            return (summary ?? "(the service gave no error message)", resp.StatusCode, ServiceException.Excerpt(text));
        }
        catch (ServiceException) when (summary is not null)
        {
            return (summary, null, null);
        }
    }

    /// <summary>After a run: abort if asked, then delete unless the keep mode says otherwise. Never throws.</summary>
    internal async Task CleanUpAsync(bool success, bool abort, AsyncJobOptions options)
    {
        using var cts = new CancellationTokenSource(options.CleanupTimeout);
        try
        {
            if (abort && !(LastPhase is { } p && p.IsFinal()))
                await AbortAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServiceException or OperationCanceledException)
        {
            Http.Raise(new ProtocolNotice($"Could not abort job {Url}: {e.Message}"));
        }
        var keep = options.Keep == JobKeepMode.Always || (options.Keep == JobKeepMode.OnFailure && !success);
        if (keep)
        {
            Http.Raise(new ProtocolNotice($"Job kept on the service: {Url}"));
            return;
        }
        try
        {
            if (!await DeleteAsync(cts.Token).ConfigureAwait(false))
                Http.Raise(new ProtocolNotice($"The service refused to delete job {Url}; it will go at its destruction time."));
        }
        catch (Exception e) when (e is ServiceException or OperationCanceledException)
        {
            Http.Raise(new ProtocolNotice($"Could not delete job {Url}: {e.Message}"));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Url.ToString();
}
