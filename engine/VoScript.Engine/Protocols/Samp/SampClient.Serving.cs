using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>The SAMP client, file serving: the files and tables other clients fetch from this client.</summary>
internal sealed partial class SampClient
{
    // ---- serving -------------------------------------------------------------

    private async Task<(string Url, Served Served)> ServeAsync(string fileName, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(_tempDir, token + "-" + fileName);
        await using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, true))
        {
            await write(f, ct).ConfigureAwait(false);
        }
        var served = new Served(path, contentType, false);
        _served[token] = served;
        return (new Uri(_server.BaseUri, $"samp/{token}/{Uri.EscapeDataString(fileName)}").ToString(), served);
    }

    /// <summary>An http/https/file URL as it is; an existing local file is served over loopback HTTP.</summary>
    private string ReceiverUrl(string pathOrUrl, string contentType, bool awaitFetch)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "file" or "ftp")
            return Ascii(u.AbsoluteUri);
        if (!File.Exists(pathOrUrl)) throw new SampException($"'{pathOrUrl}' is neither a URL nor an existing file");
        var full = System.IO.Path.GetFullPath(pathOrUrl);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _served[token] = new Served(full, contentType, awaitFetch);
        return new Uri(_server.BaseUri, $"samp/{token}/{Uri.EscapeDataString(System.IO.Path.GetFileName(full))}").ToString();
    }

    private static string SafeFileName(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return sb.Length == 0 ? "table" : sb.ToString();
    }

    /// <summary>SAMP strings are 7-bit ASCII: other characters are percent-encoded (UTF-8).</summary>
    internal static string Ascii(string s)
    {
        if (s.All(c => c is >= (char)0x20 and < (char)0x7f or '\t' or '\n' or '\r')) return s;
        var sb = new StringBuilder();
        Span<byte> b = stackalloc byte[4];
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value is >= 0x20 and < 0x7f or 0x09 or 0x0a or 0x0d) sb.Append((char)r.Value);
            else
            {
                var n = r.EncodeToUtf8(b);
                for (var i = 0; i < n; i++) sb.Append('%').Append(b[i].ToString("X2"));
            }
        }
        return sb.ToString();
    }
}
