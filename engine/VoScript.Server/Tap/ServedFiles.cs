using Microsoft.AspNetCore.Http;

namespace VoScript.Server.Tap;

/// <summary>Serves the data files the ObsCore table points to: only files under one folder, with VOTable and FITS content types.</summary>
internal static class ServedFiles
{
    public static async Task ServeAsync(HttpContext ctx, string? root, string relative)
    {
        if (ctx.Request.Method is not ("GET" or "HEAD"))
            throw new TapRequestException($"{ctx.Request.Method} is not allowed on files; use GET", 405);
        var file = Resolve(root, relative) ?? throw new TapRequestException($"no file /files/{relative}", 404);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = ContentType(file);
        var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (fs.ConfigureAwait(false))
        {
            ctx.Response.ContentLength = fs.Length;
            if (ctx.Request.Method == "GET") await fs.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null when it is outside it, a link out of it, or no file.</summary>
    public static string? Resolve(string? root, string relative)
    {
        if (root is null || relative.Length == 0 || relative.Contains('\0')) return null;
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        string full;
        try { full = Path.GetFullPath(Path.Combine(rootFull, relative.Replace('\\', '/'))); }
        catch (ArgumentException) { return null; }
        if (!full.StartsWith(rootFull, StringComparison.Ordinal)) return null;
        var info = new FileInfo(full);
        if (!info.Exists) return null;
        // a symbolic link (the file or a folder on the way) must not lead out of the folder
        var real = RealPath(full);
        var realRoot = RealPath(rootFull.TrimEnd(Path.DirectorySeparatorChar)) + Path.DirectorySeparatorChar;
        return real.StartsWith(realRoot, StringComparison.Ordinal) ? full : null;
    }

    private static string RealPath(string path)
    {
        var parts = new List<string>();
        var current = path;
        // resolve links from the file upwards
        while (!string.IsNullOrEmpty(current))
        {
            FileSystemInfo fsi = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (fsi.LinkTarget is not null && fsi.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = target.FullName;
                continue;
            }
            var parent = Path.GetDirectoryName(current);
            if (parent is null) { parts.Add(current); break; }
            parts.Add(Path.GetFileName(current));
            current = parent;
        }
        parts.Reverse();
        return Path.Combine([.. parts]);
    }

    public static string ContentType(string path)
    {
        var name = path.ToLowerInvariant();
        if (name.EndsWith(".vot", StringComparison.Ordinal) || name.EndsWith(".votable", StringComparison.Ordinal) || name.EndsWith(".vot.xml", StringComparison.Ordinal))
            return "application/x-votable+xml";
        if (name.EndsWith(".fits", StringComparison.Ordinal) || name.EndsWith(".fit", StringComparison.Ordinal) || name.EndsWith(".fts", StringComparison.Ordinal))
            return "application/fits";
        if (name.EndsWith(".xml", StringComparison.Ordinal)) return "text/xml";
        if (name.EndsWith(".csv", StringComparison.Ordinal)) return "text/csv";
        if (name.EndsWith(".txt", StringComparison.Ordinal)) return "text/plain";
        if (name.EndsWith(".gz", StringComparison.Ordinal)) return "application/gzip";
        return "application/octet-stream";
    }
}
