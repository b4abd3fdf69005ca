using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoScript.Engine;

namespace VoScript.Server.Tap;

/// <summary>
/// The TAP 1.1 service of <c>voscript serve</c> over Kestrel: <c>/tap/sync</c>, <c>/tap/async</c> (UWS 1.1),
/// VOSI <c>/capabilities</c>, <c>/availability</c>, <c>/tables</c>, and <c>/files/</c> for the ObsCore data.
/// Every refused request gets a DALI error document; nothing a client sends makes it crash.
/// This file is the hosting (Kestrel, limits, admission, errors, lifetime); the TAP and VOSI endpoints are in
/// <c>TapServer.Tap.cs</c>, the UWS job endpoints in <c>TapServer.Uws.cs</c>, request and response plumbing in
/// <c>TapServer.Http.cs</c>.
/// </summary>
public sealed partial class TapServer : IAsyncDisposable
{
    /// <summary>The path of the TAP service on the server.</summary>
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

    /// <summary>The TCP port it listens on.</summary>
    public int Port => TapUrl.Port;

    internal UwsJobManager Jobs => _jobs;

    /// <summary>The async jobs the service holds now (of any phase).</summary>
    public int JobCount => _jobs.Count;

    /// <summary>The schemas listed in VOSI /tables (set once the tables are loaded, see <see cref="ServeSetup"/>).</summary>
    internal IReadOnlyList<ServedSchema> Schemas { get; set; } = [];

    /// <summary>Folder served under <c>/files/</c> (the ObsCore table's folder), if any.</summary>
    internal string? FilesRoot { get; set; }

    /// <summary>Whether <c>ivoa.obscore</c> is served (declared as a data model in the capabilities).</summary>
    public bool HasObsCore { get; internal set; }

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

    /// <summary>Deletes the async jobs, stops listening (waiting up to 3 s for requests in progress) and frees the server.</summary>
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
}
