using System.Globalization;
using System.Text;
using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Model;

namespace VoScript.Engine.Protocols.Products;

/// <summary>Limits of a download of data products.</summary>
internal sealed class ProductFetchOptions
{
    /// <summary>Files downloaded at the same time.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Attempts per file when the body breaks off (each later one resumes with a Range request).</summary>
    public int MaxAttempts { get; init; } = 3;
}

/// <summary>What became of one row's product.</summary>
internal enum FetchStatus
{
    /// <summary>Downloaded now, from the start.</summary>
    Fetched,
    /// <summary>Downloaded now, continuing a partial file of an earlier attempt or run.</summary>
    Resumed,
    /// <summary>Already complete in the directory (its size matches what the server announces); not downloaded again.</summary>
    Kept,
    /// <summary>Not downloaded; see the error.</summary>
    Failed,
}

/// <summary>One row's outcome: the URL downloaded (after DataLink), the file, its size, or the error.</summary>
internal sealed record FetchResult(int Row, string? Url, string? Path, long? Size, FetchStatus Status, string? Error);

/// <summary>
/// Downloads the data products a table points at into a directory: a few files at a
/// time; each into <c>NAME.part</c>, renamed to <c>NAME</c> only once its size is the
/// Content-Length the server announced (so a file under its final name is complete);
/// a broken transfer is resumed with an HTTP Range request (in the same run and in the
/// next), and a file already complete is kept. Rows whose format says the URL is a
/// DataLink service are resolved to their <c>#this</c> link first.
/// </summary>
internal sealed class ProductDownloader(VoHttpClient http, ProductFetchOptions? options = null)
{
    private readonly ProductFetchOptions _options = options ?? new ProductFetchOptions();

    /// <summary>One line per file done, and per resumed transfer.</summary>
    public event Action<string>? Progress;

    /// <summary>Downloads every row's product of <paramref name="table"/> into <paramref name="directory"/> (made if missing).</summary>
    /// <exception cref="VoScriptException">the directory cannot be made.</exception>
    public async Task<IReadOnlyList<FetchResult>> FetchAsync(Table table, ProductColumns columns, string directory, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new VoScriptException($"cannot make the folder '{directory}' for the downloads: {e.Message}");
        }
        var n = table.RowCount;
        var results = new FetchResult?[n];
        var urls = new Uri?[n];
        var formats = new string?[n];
        using var gate = new SemaphoreSlim(Math.Max(1, _options.Parallelism));

        // 1. the URL of each row (DataLink services resolved to their #this link)
        await Task.WhenAll(Enumerable.Range(0, n).Select(async r =>
        {
            var text = columns.Url.IsNull(r) ? "" : columns.Url.FormatCell(r).Trim();
            formats[r] = columns.Format is { } f && !f.IsNull(r) ? f.FormatCell(r).Trim() : null;
            if (text.Length == 0) { results[r] = new FetchResult(r, null, null, null, FetchStatus.Failed, "the row has no URL"); return; }
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                results[r] = new FetchResult(r, text, null, null, FetchStatus.Failed, $"'{text}' is not an http(s) URL");
                return;
            }
            if (!ProductColumns.IsDataLink(formats[r])) { urls[r] = url; return; }
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var (resolved, format, error) = await ResolveDataLinkAsync(url, ct).ConfigureAwait(false);
                if (resolved is null) results[r] = new FetchResult(r, text, null, null, FetchStatus.Failed, error);
                else { urls[r] = resolved; formats[r] = format; }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        // 2. file names, in row order, unique within the folder
        var names = new string?[n];
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < n; r++)
            if (urls[r] is { } u) names[r] = Unique(FileNameFor(u, formats[r], r), taken);

        // 3. the downloads
        var done = 0;
        var todo = urls.Count(u => u is not null);
        await Task.WhenAll(Enumerable.Range(0, n).Where(r => urls[r] is not null).Select(async r =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var path = Path.GetFullPath(Path.Combine(directory, names[r]!));
                try
                {
                    results[r] = await DownloadAsync(r, urls[r]!, path, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is VoScriptException or IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
                {
                    results[r] = new FetchResult(r, urls[r]!.ToString(), null, null, FetchStatus.Failed, FirstLine(e.Message));
                }
                var k = Interlocked.Increment(ref done);
                var res = results[r]!;
                Progress?.Invoke($"{names[r]}: " + (res.Status == FetchStatus.Failed ? "failed: " + res.Error
                    : $"{FormatSize(res.Size ?? 0)} {res.Status.ToString().ToLowerInvariant()}")
                    + $" ({k.ToString(CultureInfo.InvariantCulture)} of {todo.ToString(CultureInfo.InvariantCulture)})");
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return results.Select(x => x!).ToList();
    }

    private async Task<(Uri? Url, string? Format, string? Error)> ResolveDataLinkAsync(Uri links, CancellationToken ct)
    {
        DataLinkResult dl;
        try
        {
            dl = await new DataLinkService(links, http).GetLinksAtUrlAsync(ct).ConfigureAwait(false);
        }
        catch (VoScriptException e) when (!ct.IsCancellationRequested)
        {
            return (null, null, "the DataLink service failed: " + FirstLine(e.Message));
        }
        var self = dl.WithSemantics("#this").ToList();
        if (self.FirstOrDefault(l => l.AccessUrl is not null) is { } ok) return (ok.AccessUrl, ok.ContentType, null);
        if (self.FirstOrDefault(l => l.ErrorMessage is not null) is { } err) return (null, null, "the DataLink service says: " + err.ErrorMessage);
        if (self.Count > 0) return (null, null, "the DataLink #this link is a service (service_def), not a file");
        return (null, null, $"the DataLink answer has no #this link ({dl.Rows.Count.ToString(CultureInfo.InvariantCulture)} other links)");
    }

    private async Task<FetchResult> DownloadAsync(int row, Uri url, string path, CancellationToken ct)
    {
        var part = path + ".part";
        var name = Path.GetFileName(path);
        if (File.Exists(path))
        {
            var local = new FileInfo(path).Length;
            var remote = await AnnouncedLengthAsync(url, ct).ConfigureAwait(false);
            if (remote is null || remote == local) return new FetchResult(row, url.ToString(), path, local, FetchStatus.Kept, null);
            Progress?.Invoke($"{name}: {FormatSize(local)} here but the server announces {FormatSize(remote.Value)}: downloading it again");
            TryDelete(part);
        }

        var resumed = false;
        string? error = null;
        for (var attempt = 1; attempt <= Math.Max(1, _options.MaxAttempts); attempt++)
        {
            var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
            var request = new VoRequest(HttpMethod.Get, url)
            {
                Headers = offset > 0 ? [new("Range", $"bytes={offset.ToString(CultureInfo.InvariantCulture)}-")] : [],
            };
            using var resp = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (resp.StatusCode == 416 && offset > 0)
            {
                // the partial file is not a prefix the server can continue: start again
                TryDelete(part);
                continue;
            }
            if (!resp.IsSuccess)
            {
                var e = await DalResponseReader.ErrorFromFailedResponseAsync(resp, "the download", ct).ConfigureAwait(false);
                var status = "HTTP " + resp.StatusCode.ToString(CultureInfo.InvariantCulture);
                return new FetchResult(row, url.ToString(), null, null, FetchStatus.Failed,
                    e.ServiceMessage is { } said ? $"{status}: the server says: {FirstLine(said)}" : status);
            }
            var append = offset > 0 && resp.StatusCode == 206 && resp.ContentRange?.From == offset;
            if (offset > 0 && !append) offset = 0; // the server sent the whole file
            var expected = resp.ContentLength is { } len ? offset + len : (long?)null;
            resumed |= append;
            long written;
            try
            {
                await using (var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    var body = await resp.GetBodyAsync(ct).ConfigureAwait(false);
                    await body.CopyToAsync(file, 1 << 16, ct).ConfigureAwait(false);
                }
                written = new FileInfo(part).Length;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested && File.Exists(part))
            {
                written = new FileInfo(part).Length;
                error = $"the connection broke after {FormatSize(written)}" + (expected is { } x ? $" of {FormatSize(x)}" : "") + $" ({FirstLine(e.GetBaseException().Message)})";
                Progress?.Invoke($"{name}: {error}" + (attempt < _options.MaxAttempts ? "; resuming" : ""));
                continue;
            }
            if (expected is { } want && written != want)
            {
                error = $"the server announced {FormatSize(want)} (Content-Length) but sent {FormatSize(written)}";
                if (written > want) { TryDelete(part); break; }
                Progress?.Invoke($"{name}: {error}" + (attempt < _options.MaxAttempts ? "; resuming" : ""));
                continue;
            }
            File.Move(part, path, overwrite: true);
            return new FetchResult(row, url.ToString(), path, written, resumed ? FetchStatus.Resumed : FetchStatus.Fetched, null);
        }
        var kept = File.Exists(part) ? $"; the partial file {Path.GetFileName(part)} is kept: run again to resume" : "";
        return new FetchResult(row, url.ToString(), null, null, FetchStatus.Failed, (error ?? "the download failed") + kept);
    }

    /// <summary>
    /// The size of the product as the server announces it: a GET of its first byte (some
    /// servers, DaCHS among them, never answer HEAD); the total of the 206's Content-Range,
    /// or the Content-Length of a 200 (whose body is not read). Null when the server gives none.
    /// </summary>
    private async Task<long?> AnnouncedLengthAsync(Uri url, CancellationToken ct)
    {
        try
        {
            var probe = new VoRequest(HttpMethod.Get, url) { Headers = [new("Range", "bytes=0-0")], AttemptTimeout = TimeSpan.FromSeconds(30) };
            using var resp = await http.SendAsync(probe, ct).ConfigureAwait(false);
            return resp.StatusCode switch
            {
                206 => resp.ContentRange?.Length,
                200 => resp.ContentLength,
                _ => null,
            };
        }
        catch (ServiceException)
        {
            return null;
        }
    }

    /// <summary>A file name for a product: the URL's last path segment (or, for a query URL, the last name in its query), made safe; an extension from the format when it has none.</summary>
    internal static string FileNameFor(Uri url, string? format, int row)
    {
        var name = Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        if (!name.Contains('.', StringComparison.Ordinal) && url.Query.Length > 1)
        {
            var fromQuery = Uri.UnescapeDataString(url.Query[1..]).Split(['/', '=', '&', '?', '~', ':'], StringSplitOptions.RemoveEmptyEntries)
                .LastOrDefault(p => p.Contains('.', StringComparison.Ordinal));
            if (fromQuery is not null) name = fromQuery;
        }
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' ? c : '_');
        var safe = sb.ToString().TrimStart('.');
        if (safe.Length > 120) safe = safe[^120..];
        if (safe.Length == 0 || safe.Trim('_').Length == 0) safe = "row" + (row + 1).ToString("D4", CultureInfo.InvariantCulture);
        if (!safe.Contains('.', StringComparison.Ordinal)) safe += ExtensionOf(format);
        if (safe.EndsWith(".part", StringComparison.OrdinalIgnoreCase)) safe += ExtensionOf(format);
        return safe;
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        if (taken.Add(name)) return name;
        var ext = Path.GetExtension(name);
        var stem = name[..^ext.Length];
        for (var i = 2; ; i++)
        {
            var candidate = $"{stem}_{i.ToString(CultureInfo.InvariantCulture)}{ext}";
            if (taken.Add(candidate)) return candidate;
        }
    }

    internal static string ExtensionOf(string? format)
    {
        var f = (format ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return f switch
        {
            "application/fits" or "image/fits" or "application/x-fits" or "application/x-fits-bintable" => ".fits",
            "application/x-votable+xml" or "application/votable+xml" or "text/xml" or "application/xml" => f.Contains("votable", StringComparison.Ordinal) ? ".vot" : ".xml",
            "text/csv" => ".csv",
            "text/plain" => ".txt",
            "image/png" => ".png",
            "image/jpeg" => ".jpg",
            "application/pdf" => ".pdf",
            "application/gzip" or "application/x-gzip" => ".gz",
            _ => ".dat",
        };
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The result of a fetch: the rows of <paramref name="source"/> with four more columns,
    /// <c>path</c> (the file), <c>size</c> (bytes), <c>status</c> (fetched, resumed, kept, failed)
    /// and <c>error</c>; a name the source already uses gets the prefix <c>fetch_</c>.
    /// </summary>
    public static Table ResultTable(string name, Table source, IReadOnlyList<FetchResult> results)
    {
        var t = source.SelectRows(Enumerable.Range(0, source.RowCount).ToList());
        t.Name = name;
        string Name(string n) => t.FindColumn(n) is null ? n : "fetch_" + n;
        var n = results.Count;
        var sizes = new long[n];
        var sizeNulls = new NullMask(n);
        for (var i = 0; i < n; i++)
            if (results[i].Size is { } s) sizes[i] = s; else sizeNulls.Set(i);
        t.AddColumn(new StringColumn(new Field(Name("path"), DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url;meta.file", Description = "the downloaded file" },
            results.Select(r => r.Path).ToArray()));
        t.AddColumn(new ScalarColumn<long>(new Field(Name("size"), DataType.Long) { Unit = "byte", Ucd = "phys.size;meta.file", Description = "size of the downloaded file" },
            sizes, sizeNulls.Count(n) > 0 ? sizeNulls : null));
        t.AddColumn(new StringColumn(new Field(Name("status"), DataType.Char, ArraySize.Variable) { Ucd = "meta.code.status", Description = "fetched, resumed, kept (already complete) or failed" },
            results.Select(r => r.Status.ToString().ToLowerInvariant()).ToArray()));
        t.AddColumn(new StringColumn(new Field(Name("error"), DataType.Char, ArraySize.Variable) { Ucd = "meta.note", Description = "why the file could not be downloaded" },
            results.Select(r => r.Error).ToArray()));
        return t;
    }
}
