using Microsoft.AspNetCore.Http;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Server.Tap;

/// <summary>The UWS 1.1 endpoints of <c>/async</c>: the job list, job creation, a job and its resources.</summary>
public sealed partial class TapServer
{
    private UwsJob GetJob(string id) =>
        _jobs.Get(id) ?? throw new TapRequestException($"no job {id} (it may have been deleted or destroyed); see {BasePath}/async for the job list", 404);

    private async Task CreateJobAsync(HttpContext ctx)
    {
        var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
        var jobParams = new TapParameters();
        string? phase = null, duration = null, destruction = null;
        foreach (var (n, v) in p.All)
        {
            switch (n)
            {
                case "PHASE": phase = v; break;
                case "EXECUTIONDURATION": duration = v; break;
                case "DESTRUCTION": destruction = v; break;
                default: jobParams.Add(n, v); break;
            }
        }
        foreach (var (k, b) in p.InlineParts) jobParams.InlineParts[k] = b;
        if (phase is not null && !string.Equals(phase, "RUN", StringComparison.OrdinalIgnoreCase))
            throw new TapRequestException($"PHASE={phase} cannot be given when creating a job; only PHASE=RUN");
        var job = _jobs.Create(jobParams);
        try
        {
            if (duration is not null) _jobs.SetExecutionDuration(job, duration);
            if (destruction is not null) _jobs.SetDestruction(job, destruction);
        }
        catch
        {
            _jobs.Delete(job);
            throw;
        }
        if (phase is not null) _jobs.Run(job);
        SeeOther(ctx, $"{TapBase(ctx)}/async/{job.Id}");
    }

    private async Task JobListAsync(HttpContext ctx)
    {
        var phases = new List<UwsPhase>();
        foreach (var v in ctx.Request.Query.Where(kv => kv.Key.Equals("PHASE", StringComparison.OrdinalIgnoreCase)).SelectMany(kv => kv.Value))
        {
            if (v is null) continue;
            if (!UwsPhases.TryParseExact(v, out var ph)) throw new TapRequestException($"PHASE={v} is not a UWS phase (PENDING, QUEUED, EXECUTING, COMPLETED, ERROR, ABORTED, …)");
            phases.Add(ph);
        }
        DateTimeOffset? after = null;
        if (QueryValue(ctx, "AFTER") is { } a)
        {
            if (!UwsXml.TryParseTime(a, out var t)) throw new TapRequestException($"AFTER={a} is not an ISO 8601 time such as 2030-01-01T00:00:00Z");
            after = t;
        }
        int? last = null;
        if (QueryValue(ctx, "LAST") is { } l)
        {
            if (!int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
                throw new TapRequestException($"LAST={l} is not a positive integer");
            last = n;
        }
        var jobs = _jobs.List(phases, after, last);
        var listUrl = TapBase(ctx) + "/async";
        await XmlAsync(ctx, 200, s => UwsXml.WriteJobList(s, jobs, listUrl)).ConfigureAwait(false);
    }

    private static string? QueryValue(HttpContext ctx, string name) =>
        ctx.Request.Query.Where(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(kv => kv.Value).FirstOrDefault();

    private async Task JobAsync(HttpContext ctx, UwsJob job, string[] sub)
    {
        var jobUrl = $"{TapBase(ctx)}/async/{job.Id}";
        var method = ctx.Request.Method;
        switch (sub)
        {
            case []:
                if (method == "DELETE")
                {
                    _jobs.Delete(job);
                    SeeOther(ctx, TapBase(ctx) + "/async");
                }
                else if (method == "POST")
                {
                    var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
                    var action = p.GetSingle("ACTION");
                    if (string.Equals(action, "DELETE", StringComparison.OrdinalIgnoreCase))
                    {
                        _jobs.Delete(job);
                        SeeOther(ctx, TapBase(ctx) + "/async");
                        return;
                    }
                    if (action is not null) throw new TapRequestException($"ACTION={action} is not supported; only ACTION=DELETE");
                    await ApplyJobPostAsync(ctx, job, p, jobUrl).ConfigureAwait(false);
                }
                else
                {
                    RequireMethod(ctx, "GET", "HEAD", "POST", "DELETE");
                    if (QueryValue(ctx, "WAIT") is { } w)
                    {
                        if (!int.TryParse(w, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var secs))
                            throw new TapRequestException($"WAIT={w} is not a whole number of seconds (-1: as long as the service allows)");
                        UwsPhase? only = null;
                        if (QueryValue(ctx, "PHASE") is { } ph)
                        {
                            if (!UwsPhases.TryParseExact(ph, out var parsed)) throw new TapRequestException($"PHASE={ph} is not a UWS phase");
                            only = parsed;
                        }
                        await _jobs.WaitAsync(job, secs < 0 ? TimeSpan.FromSeconds(-1) : TimeSpan.FromSeconds(secs), only, ctx.RequestAborted).ConfigureAwait(false);
                    }
                    await XmlAsync(ctx, 200, s => UwsXml.WriteJob(s, job, jobUrl, _jobs.Now)).ConfigureAwait(false);
                }
                return;
            case ["phase"]:
                if (method == "POST")
                {
                    var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
                    var phase = p.GetSingle("PHASE") ?? throw new TapRequestException("missing parameter PHASE: give PHASE=RUN or PHASE=ABORT");
                    if (phase.Equals("RUN", StringComparison.OrdinalIgnoreCase)) _jobs.Run(job);
                    else if (phase.Equals("ABORT", StringComparison.OrdinalIgnoreCase)) _jobs.Abort(job);
                    else throw new TapRequestException($"PHASE={phase} is not supported; give PHASE=RUN or PHASE=ABORT");
                    SeeOther(ctx, jobUrl);
                    return;
                }
                RequireMethod(ctx, "GET", "HEAD", "POST");
                await TextAsync(ctx, 200, "text/plain", job.Phase.Name()).ConfigureAwait(false);
                return;
            case ["executionduration"]:
                if (method == "POST")
                {
                    var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
                    _jobs.SetExecutionDuration(job, p.GetSingle("EXECUTIONDURATION") ?? throw new TapRequestException("missing parameter EXECUTIONDURATION (seconds)"));
                    SeeOther(ctx, jobUrl);
                    return;
                }
                RequireMethod(ctx, "GET", "HEAD", "POST");
                await TextAsync(ctx, 200, "text/plain", ((long)job.ExecutionDuration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return;
            case ["destruction"]:
                if (method == "POST")
                {
                    var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
                    _jobs.SetDestruction(job, p.GetSingle("DESTRUCTION") ?? throw new TapRequestException("missing parameter DESTRUCTION (an ISO 8601 time)"));
                    SeeOther(ctx, jobUrl);
                    return;
                }
                RequireMethod(ctx, "GET", "HEAD", "POST");
                await TextAsync(ctx, 200, "text/plain", UwsXml.FormatTime(job.Destruction)).ConfigureAwait(false);
                return;
            case ["quote"]:
                RequireMethod(ctx, "GET", "HEAD");
                await TextAsync(ctx, 200, "text/plain", UwsXml.FormatTime(job.Quote(_jobs.Now))).ConfigureAwait(false);
                return;
            case ["owner"]:
                RequireMethod(ctx, "GET", "HEAD");
                await TextAsync(ctx, 200, "text/plain", "").ConfigureAwait(false);
                return;
            case ["error"]:
            {
                RequireMethod(ctx, "GET", "HEAD");
                string? message;
                lock (job.Sync) message = job.Phase == UwsPhase.Error ? job.ErrorMessage : null;
                if (message is null) throw new TapRequestException($"job {job.Id} is {job.Phase.Name()}, it has no error", 404);
                await BufferedAsync(ctx, 200, DaliError.ContentType, s => DaliError.Write(message, s)).ConfigureAwait(false);
                return;
            }
            case ["parameters"]:
                if (method == "POST")
                {
                    var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
                    await ApplyJobPostAsync(ctx, job, p, jobUrl).ConfigureAwait(false);
                    return;
                }
                RequireMethod(ctx, "GET", "HEAD", "POST");
                await XmlAsync(ctx, 200, s => UwsXml.WriteParameters(s, job)).ConfigureAwait(false);
                return;
            case ["results"]:
                RequireMethod(ctx, "GET", "HEAD");
                await XmlAsync(ctx, 200, s => UwsXml.WriteResults(s, job, jobUrl)).ConfigureAwait(false);
                return;
            case ["results", "result"]:
            {
                RequireMethod(ctx, "GET", "HEAD");
                string? file, type;
                lock (job.Sync) (file, type) = job.Phase == UwsPhase.Completed ? (job.ResultPath, job.ResultContentType) : (null, null);
                if (file is null || type is null) throw new TapRequestException($"job {job.Id} is {job.Phase.Name()}: it has no result", 404);
                Stream fs;
                try { fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true); }
                catch (FileNotFoundException) { throw new TapRequestException($"job {job.Id} was deleted", 404); }
                await using (fs.ConfigureAwait(false))
                {
                    ctx.Response.StatusCode = 200;
                    ctx.Response.ContentType = type;
                    ctx.Response.ContentLength = fs.Length;
                    if (method != "HEAD") await fs.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
                }
                return;
            }
            default:
                throw new TapRequestException($"no such job resource {string.Join('/', sub)}; see {jobUrl}", 404);
        }
    }

    /// <summary>Parameters posted to a job or its /parameters: UWS controls act, others are added while PENDING.</summary>
    private Task ApplyJobPostAsync(HttpContext ctx, UwsJob job, TapParameters p, string jobUrl)
    {
        var more = new TapParameters();
        string? phase = null;
        foreach (var (n, v) in p.All)
        {
            switch (n)
            {
                case "PHASE": phase = v; break;
                case "EXECUTIONDURATION": _jobs.SetExecutionDuration(job, v); break;
                case "DESTRUCTION": _jobs.SetDestruction(job, v); break;
                default: more.Add(n, v); break;
            }
        }
        foreach (var (k, b) in p.InlineParts) more.InlineParts[k] = b;
        if (more.All.Any() || more.InlineParts.Count > 0) _jobs.AddParameters(job, more);
        if (phase is not null)
        {
            if (phase.Equals("RUN", StringComparison.OrdinalIgnoreCase)) _jobs.Run(job);
            else if (phase.Equals("ABORT", StringComparison.OrdinalIgnoreCase)) _jobs.Abort(job);
            else throw new TapRequestException($"PHASE={phase} is not supported; give PHASE=RUN or PHASE=ABORT");
        }
        SeeOther(ctx, jobUrl);
        return Task.CompletedTask;
    }
}
