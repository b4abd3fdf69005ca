using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace VoScript.Server.Tap;

/// <summary>Request and response plumbing of the endpoints: parameters (with upload limits), methods, redirects, bodies.</summary>
public sealed partial class TapServer
{
    private static void RequireMethod(HttpContext ctx, params string[] allowed)
    {
        if (!allowed.Contains(ctx.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            ctx.Response.Headers.Allow = string.Join(", ", allowed);
            throw new TapRequestException($"{ctx.Request.Method} is not allowed here; use {string.Join(" or ", allowed)}", 405);
        }
    }

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
