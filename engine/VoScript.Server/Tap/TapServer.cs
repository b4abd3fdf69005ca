using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoScript.Engine;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Server.Tap;

/// <summary>
/// The TAP 1.1 service of <c>voscript serve</c> over Kestrel: <c>/tap/sync</c>, <c>/tap/async</c> (UWS 1.1),
/// VOSI <c>/capabilities</c>, <c>/availability</c>, <c>/tables</c>, and <c>/files/</c> for the ObsCore data.
/// Every refused request gets a DALI error document; nothing a client sends makes it crash.
/// </summary>
internal sealed class TapServer : IAsyncDisposable
{
    public const string BasePath = "/tap";

    private readonly WebApplication _app;
    private readonly ITableStore _store;
    private readonly TapServiceOptions _options;
    private readonly QueryRunner _runner;
    private readonly UwsJobManager _jobs;
    private readonly HttpClient _http;
    private readonly DateTimeOffset _upSince = DateTimeOffset.UtcNow;
    private readonly SemaphoreSlim _slots;
    private int _queued;

    private TapServer(WebApplication app, ITableStore store, TapServiceOptions options, HttpClient http)
    {
        _app = app;
        _store = store;
        _options = options;
        _http = http;
        _slots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        _runner = new QueryRunner(store, options, new Uploads(http, options.UploadLimitBytes));
        _jobs = new UwsJobManager(_runner, options);
    }

    /// <summary><c>http://HOST:PORT/tap</c> with the address it listens on (127.0.0.1 by default).</summary>
    public Uri TapUrl { get; private set; } = null!;

    public int Port => TapUrl.Port;

    internal UwsJobManager Jobs => _jobs;

    /// <summary>The schemas listed in VOSI /tables (set once the tables are loaded, see <see cref="ServeSetup"/>).</summary>
    public IReadOnlyList<ServedSchema> Schemas { get; set; } = [];

    /// <summary>Folder served under <c>/files/</c> (the ObsCore table's folder), if any.</summary>
    public string? FilesRoot { get; set; }

    /// <summary>Whether <c>ivoa.obscore</c> is served (declared as a data model in the capabilities).</summary>
    public bool HasObsCore { get; set; }

    /// <summary>Starts listening; tables are loaded into the store afterwards (see <see cref="ServeSetup"/>), before the URL is announced.</summary>
    public static async Task<TapServer> StartAsync(ITableStore store, TapServiceOptions options, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(options.Address, options.Port);
            o.AddServerHeader = true;
            o.Limits.MaxRequestBodySize = DrainLimit(options);
        });
        var app = builder.Build();
        var http = UploadHttp.Create(options.AllowLocalUploads);
        var service = new TapServer(app, store, options, http);
        app.Run(service.HandleAsync);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw new VoScriptException($"cannot listen on {options.Address}:{options.Port}: {e.Message}" +
                                        (options.Port != 0 ? " (choose another --port, or --port 0 for any free port)" : ""), e);
        }
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                   ?? throw new InvalidOperationException("Kestrel reported no address");
        var port = new Uri(addr).Port;
        var host = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + options.Address + "]"
            : options.Address.ToString();
        service.TapUrl = new Uri($"http://{host}:{port}{BasePath}");
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _jobs.DisposeAsync().ConfigureAwait(false);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await _app.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    /// <summary>
    /// The most request body bytes read at all: an oversized body up to this size is read and thrown
    /// away so that the client gets its 413 error document instead of a broken connection.
    /// </summary>
    private static long DrainLimit(TapServiceOptions o) => o.UploadLimitBytes * 2 + 1024 * 1024;

    /// <summary>
    /// Admits at most <see cref="TapServiceOptions.MaxConcurrentRequests"/> requests at a time and lets at most
    /// <see cref="TapServiceOptions.MaxQueuedRequests"/> wait; any other gets a DALI error with 503 and Retry-After at
    /// once (the connection is closed after it, so the client's unsent body does not matter).
    /// </summary>
    private async Task HandleAsync(HttpContext ctx)
    {
        if (!_slots.Wait(0))
        {
            if (Interlocked.Increment(ref _queued) > _options.MaxQueuedRequests)
            {
                Interlocked.Decrement(ref _queued);
                await BusyAsync(ctx).ConfigureAwait(false);
                return;
            }
            bool admitted;
            try
            {
                admitted = await _slots.WaitAsync(_options.MaxQueueWait, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the client went away while waiting
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
            if (!admitted)
            {
                await BusyAsync(ctx).ConfigureAwait(false);
                return;
            }
        }
        try
        {
            await HandleAdmittedAsync(ctx).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task BusyAsync(HttpContext ctx)
    {
        if (ctx.Response.HasStarted) return;
        ctx.Response.StatusCode = 503;
        ctx.Response.Headers.RetryAfter = "5";
        ctx.Response.Headers.Connection = "close";
        ctx.Response.ContentType = DaliError.ContentType;
        var body = DaliError.ToBytes($"the service is busy ({_options.MaxConcurrentRequests} requests in progress and {_options.MaxQueuedRequests} waiting); try again in a few seconds");
        ctx.Response.ContentLength = body.Length;
        try
        {
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private async Task HandleAdmittedAsync(HttpContext ctx)
    {
        try
        {
            await DispatchAsync(ctx).ConfigureAwait(false);
        }
        catch (TapRequestException e)
        {
            if (e.StatusCode == 413) await DrainAsync(ctx).ConfigureAwait(false);
            await ErrorAsync(ctx, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            var status = e.StatusCode == 413 ? 413 : 400;
            var msg = status == 413 ? $"the request is larger than the upload limit of {_options.UploadLimitBytes} bytes" : $"bad HTTP request: {e.Message}";
            await ErrorAsync(ctx, status, msg).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            await DrainAsync(ctx).ConfigureAwait(false);
            await ErrorAsync(ctx, 413, $"the request body cannot be read: {e.Message} (the upload limit is {_options.UploadLimitBytes} bytes)").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        catch (Exception e)
        {
            await ErrorAsync(ctx, 500, $"internal error of the service ({e.GetType().Name}): {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>Reads what is left of the request body (Kestrel stops at <see cref="DrainLimit"/>).</summary>
    private static async Task DrainAsync(HttpContext ctx)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted).ConfigureAwait(false) > 0) { }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException) { }
        catch (IOException) { }
        catch (OperationCanceledException) { }
    }

    private static async Task ErrorAsync(HttpContext ctx, int status, string message)
    {
        if (ctx.Response.HasStarted) return;
        ctx.Response.Clear();
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = DaliError.ContentType;
        var body = DaliError.ToBytes(message);
        ctx.Response.ContentLength = body.Length;
        try
        {
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private string TapBase(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}{BasePath}";

    private async Task DispatchAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.Length > 1 && path.EndsWith('/')) path = path.TrimEnd('/');
        if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            await ServedFiles.ServeAsync(ctx, FilesRoot, Uri.UnescapeDataString(path["/files/".Length..])).ConfigureAwait(false);
            return;
        }
        if (path is "/" or "")
        {
            ctx.Response.Redirect(BasePath);
            return;
        }
        if (!path.StartsWith(BasePath, StringComparison.Ordinal) || (path.Length > BasePath.Length && path[BasePath.Length] != '/'))
            throw new TapRequestException($"no such resource {path}; the TAP service is at {BasePath}", 404);
        var rest = path[BasePath.Length..].Trim('/');
        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var method = ctx.Request.Method;
        switch (segments)
        {
            case []:
                RequireMethod(ctx, "GET", "HEAD");
                await TextAsync(ctx, 200, "text/plain; charset=utf-8", Landing(TapBase(ctx))).ConfigureAwait(false);
                return;
            case ["capabilities"]:
                RequireMethod(ctx, "GET", "HEAD");
                await XmlAsync(ctx, 200, s => Vosi.WriteCapabilities(s, TapBase(ctx), _options, HasObsCore)).ConfigureAwait(false);
                return;
            case ["examples"]:
            {
                RequireMethod(ctx, "GET", "HEAD");
                var tables = _store.Tables;
                await BufferedAsync(ctx, 200, Examples.ContentType, s => Examples.Write(s, tables)).ConfigureAwait(false);
                return;
            }
            case ["availability"]:
                RequireMethod(ctx, "GET", "HEAD");
                await XmlAsync(ctx, 200, s => Vosi.WriteAvailability(s, _upSince)).ConfigureAwait(false);
                return;
            case ["tables"]:
            {
                RequireMethod(ctx, "GET", "HEAD");
                var detail = ctx.Request.Query["detail"].FirstOrDefault();
                var tables = _store.Tables;
                var schemas = Schemas;
                var minimal = string.Equals(detail, "min", StringComparison.OrdinalIgnoreCase);
                await XmlAsync(ctx, 200, s => Vosi.WriteTableSet(s, schemas, tables, minimal)).ConfigureAwait(false);
                return;
            }
            case ["tables", var name]:
            {
                RequireMethod(ctx, "GET", "HEAD");
                var decoded = Uri.UnescapeDataString(name);
                var t = _store.Tables.FirstOrDefault(t => string.Equals(TapSchema.QualifiedName(t), decoded, StringComparison.OrdinalIgnoreCase))
                        ?? throw new TapRequestException($"no table named {decoded}; see {BasePath}/tables for the list", 404);
                await XmlAsync(ctx, 200, s => Vosi.WriteOneTable(s, t)).ConfigureAwait(false);
                return;
            }
            case ["sync"]:
                RequireMethod(ctx, "GET", "POST");
                await SyncAsync(ctx).ConfigureAwait(false);
                return;
            case ["async"]:
                if (method == "POST") await CreateJobAsync(ctx).ConfigureAwait(false);
                else
                {
                    RequireMethod(ctx, "GET", "HEAD");
                    await JobListAsync(ctx).ConfigureAwait(false);
                }
                return;
            case ["async", var id, .. var sub]:
                await JobAsync(ctx, GetJob(id), sub).ConfigureAwait(false);
                return;
            default:
                throw new TapRequestException($"no such resource {path}; see {BasePath} for the endpoints of this service", 404);
        }
    }

    private static string Landing(string tapUrl) =>
        $"""
        voscript serve: a TAP 1.1 service.
        sync queries:   {tapUrl}/sync?LANG=ADQL&QUERY=...
        async jobs:     {tapUrl}/async
        tables:         {tapUrl}/tables
        capabilities:   {tapUrl}/capabilities
        availability:   {tapUrl}/availability
        examples:       {tapUrl}/examples

        """;

    private static void RequireMethod(HttpContext ctx, params string[] allowed)
    {
        if (!allowed.Contains(ctx.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            ctx.Response.Headers.Allow = string.Join(", ", allowed);
            throw new TapRequestException($"{ctx.Request.Method} is not allowed here; use {string.Join(" or ", allowed)}", 405);
        }
    }

    private UwsJob GetJob(string id) =>
        _jobs.Get(id) ?? throw new TapRequestException($"no job {id} (it may have been deleted or destroyed); see {BasePath}/async for the job list", 404);

    /// <summary>Query string and form fields, names case-insensitive; multipart file parts kept for <c>param:</c> uploads.</summary>
    private async Task<TapParameters> ReadParametersAsync(HttpContext ctx)
    {
        var p = new TapParameters();
        foreach (var (k, vs) in ctx.Request.Query)
            foreach (var v in vs) if (v is not null) p.Add(k, v);
        if (ctx.Request.ContentLength > DrainLimit(_options))
        {
            ctx.Response.Headers.Connection = "close";
            throw new TapRequestException($"the request has {ctx.Request.ContentLength} bytes, more than the upload limit of {_options.UploadLimitBytes} bytes", 413);
        }
        if (ctx.Request.ContentLength > _options.UploadLimitBytes)
            throw new TapRequestException($"the request has {ctx.Request.ContentLength} bytes, more than the upload limit of {_options.UploadLimitBytes} bytes", 413);
        if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = _options.UploadLimitBytes,
                BufferBodyLengthLimit = _options.UploadLimitBytes,
                ValueLengthLimit = (int)Math.Min(int.MaxValue, _options.UploadLimitBytes),
            }, ctx.RequestAborted).ConfigureAwait(false);
            foreach (var (k, vs) in form)
                foreach (var v in vs) if (v is not null) p.Add(k, v);
            long total = 0;
            foreach (var f in form.Files)
            {
                total += f.Length;
                if (total > _options.UploadLimitBytes)
                    throw new TapRequestException($"the uploaded files have more than the upload limit of {_options.UploadLimitBytes} bytes", 413);
                using var ms = new MemoryStream((int)f.Length);
                await f.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
                p.InlineParts[f.Name] = ms.ToArray();
            }
        }
        return p;
    }

    private async Task SyncAsync(HttpContext ctx)
    {
        var p = await ReadParametersAsync(ctx).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        timeout.CancelAfter(_options.DefaultExecutionDuration);
        QueryResult result;
        ResultFormat format;
        try
        {
            (result, format) = await _runner.RunAsync(p, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested)
        {
            throw new TapRequestException($"the query ran longer than {_options.DefaultExecutionDuration.TotalSeconds:0} s and was stopped; run it as an async job with a longer EXECUTIONDURATION", 408);
        }
        await BufferedAsync(ctx, 200, format.ContentType, s => format.Write(result, s)).ConfigureAwait(false);
    }

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

    private static void SeeOther(HttpContext ctx, string url)
    {
        ctx.Response.StatusCode = 303;
        ctx.Response.Headers.Location = url;
        ctx.Response.ContentLength = 0;
    }

    private static async Task TextAsync(HttpContext ctx, int status, string contentType, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        if (ctx.Request.Method != "HEAD") await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }

    private static Task XmlAsync(HttpContext ctx, int status, Action<Stream> write) =>
        BufferedAsync(ctx, status, "text/xml; charset=utf-8", write);

    /// <summary>Writes the body to a buffer (memory, then a temp file) first, so that an error while writing still gets a clean error document.</summary>
    private static async Task BufferedAsync(HttpContext ctx, int status, string contentType, Action<Stream> write)
    {
        await using var buffer = new FileBufferingWriteStream();
        write(buffer);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = buffer.Length;
        if (ctx.Request.Method != "HEAD") await buffer.DrainBufferAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
