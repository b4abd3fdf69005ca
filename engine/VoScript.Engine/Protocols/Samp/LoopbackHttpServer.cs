using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>
/// A Kestrel HTTP server bound to 127.0.0.1 only, with one request handler.
/// Used for SAMP callbacks, for serving tables to receivers, and by the hub.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri BaseUri { get; }

    public int Port => BaseUri.Port;

    public static async Task<LoopbackHttpServer> StartAsync(RequestDelegate handler, int port = 0, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = XmlRpc.MaxDocumentChars;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new SampException($"cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }
        var addr = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        var u = new Uri(addr);
        return new LoopbackHttpServer(app, new Uri($"http://127.0.0.1:{u.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Helpers for answering XML-RPC over HTTP.</summary>
internal static class XmlRpcHttp
{
    public static async Task WriteAsync(HttpContext ctx, byte[] body)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/xml; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads the request body into memory (XML-RPC documents are small) and decodes the call.</summary>
    public static async Task<XmlRpcCall> ReadCallAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        ms.Position = 0;
        return XmlRpc.ReadCall(ms);
    }
}
