using Microsoft.AspNetCore.Http;

namespace VoScript.Server.Tap;

/// <summary>The TAP endpoints: routing of every path, the landing page, VOSI, examples and <c>/sync</c>.</summary>
public sealed partial class TapServer
{
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
}
