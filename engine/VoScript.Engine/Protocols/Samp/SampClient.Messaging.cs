using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>The SAMP client, messaging: finding clients, sending messages, tables, images, spectra, positions and rows.</summary>
internal sealed partial class SampClient
{
    // ---- clients -------------------------------------------------------------

    /// <summary>The other registered clients with their metadata and subscriptions.</summary>
    public Task<IReadOnlyList<SampClientInfo>> GetClientsAsync(CancellationToken ct = default) =>
        WithHubAsync(conn => GetClientsAsync(conn), ct);

    private async Task<IReadOnlyList<SampClientInfo>> GetClientsAsync(Connection conn)
    {
        var ids = await HubCallAsync(conn, "samp.hub.getRegisteredClients").ConfigureAwait(false) as IReadOnlyList<object> ?? [];
        var list = new List<SampClientInfo>();
        foreach (var id in ids.OfType<string>())
        {
            if (id == conn.SelfId) continue;
            try
            {
                var md = await HubCallAsync(conn, "samp.hub.getMetadata", id).ConfigureAwait(false) as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>();
                var subs = await HubCallAsync(conn, "samp.hub.getSubscriptions", id).ConfigureAwait(false) as IReadOnlyDictionary<string, object> ?? new Dictionary<string, object>();
                list.Add(new SampClientInfo(id, md, subs));
            }
            catch (SampException) when (_conn is not null)
            {
                // unregistered between the two calls
            }
        }
        return list;
    }

    /// <summary>
    /// The clients a message for <paramref name="target"/> goes to: <c>all</c> means every client
    /// subscribed to the MType; otherwise clients whose samp.name equals it ignoring case.
    /// </summary>
    private async Task<IReadOnlyList<SampClientInfo>> ResolveAsync(Connection conn, string target, string mtype)
    {
        var clients = await GetClientsAsync(conn).ConfigureAwait(false);
        var isHub = (SampClientInfo c) => c.Id == conn.HubId;
        if (string.Equals(target, "all", StringComparison.OrdinalIgnoreCase))
        {
            var subscribed = clients.Where(c => !isHub(c) && c.IsSubscribed(mtype)).ToList();
            if (subscribed.Count == 0)
                throw new SampException($"no SAMP client accepts {mtype} (registered: {Names(clients.Where(c => !isHub(c)))})");
            return subscribed;
        }
        var named = clients.Where(c => string.Equals(c.Name, target, StringComparison.OrdinalIgnoreCase)
                                       || string.Equals(c.Id, target, StringComparison.Ordinal)).ToList();
        if (named.Count == 0)
            throw new SampException($"no SAMP client named '{target}' is registered with the hub (registered: {Names(clients.Where(c => !isHub(c)))}); start it and connect it to the hub, or send to 'all'");
        var ok = named.Where(c => c.IsSubscribed(mtype)).ToList();
        if (ok.Count == 0)
            throw new SampException($"SAMP client '{named[0].Name}' does not accept {mtype} (it subscribes to {string.Join(", ", named[0].Subscriptions.Keys.Take(12))})");
        return ok;
    }

    private static string Names(IEnumerable<SampClientInfo> cs)
    {
        var n = cs.Select(c => c.Name).ToList();
        return n.Count == 0 ? "none" : string.Join(", ", n);
    }

    // ---- sending ---------------------------------------------------------------

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="target"/> (a samp.name in any case, a client id, or <c>all</c>).
    /// With <paramref name="waitForReply"/> each recipient gets a call and the reply is awaited (at most
    /// <see cref="SampClientOptions.ReplyTimeout"/>); otherwise a notification.
    /// </summary>
    public Task<SampSendResult> SendAsync(string target, SampMessage message, bool waitForReply = true, CancellationToken ct = default) =>
        WithHubAsync(async conn =>
        {
            var recipients = await ResolveAsync(conn, target, message.MType).ConfigureAwait(false);
            var tasks = recipients.Select(r => DeliverAsync(conn, r, message, waitForReply, ct)).ToList();
            return new SampSendResult(message.MType, await Task.WhenAll(tasks).ConfigureAwait(false));
        }, ct);

    private async Task<SampDelivery> DeliverAsync(Connection conn, SampClientInfo to, SampMessage message, bool waitForReply, CancellationToken ct)
    {
        if (!waitForReply)
        {
            await HubCallAsync(conn, "samp.hub.notify", to.Id, message.ToMap()).ConfigureAwait(false);
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.Notified, null);
        }
        var tag = $"vs-{Interlocked.Increment(ref _counter)}";
        var tcs = new TaskCompletionSource<SampResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[tag] = tcs;
        try
        {
            await HubCallAsync(conn, "samp.hub.call", to.Id, tag, message.ToMap()).ConfigureAwait(false);
            var response = await tcs.Task.WaitAsync(_options.ReplyTimeout, ct).ConfigureAwait(false);
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.Replied, response);
        }
        catch (TimeoutException)
        {
            return new SampDelivery(to.Id, to.Name, SampDeliveryOutcome.TimedOut, null);
        }
        finally
        {
            _pending.TryRemove(tag, out _);
        }
    }

    private async Task<SampSendResult> SendCheckedAsync(string target, SampMessage message, bool waitForReply, CancellationToken ct)
    {
        var result = await SendAsync(target, message, waitForReply, ct).ConfigureAwait(false);
        return result.ThrowIfFailed(_options.ReplyTimeout);
    }

    /// <summary>
    /// Sends a VOTable with table.load.votable. <paramref name="writeVOTable"/> writes the document
    /// (normally VOTableWriter, metadata intact); it is written once to a private temporary file
    /// and served from our loopback HTTP server until this client is disposed.
    /// </summary>
    public async Task<SampSentTable> SendVOTableAsync(string target, string name, Func<Stream, CancellationToken, Task> writeVOTable,
        bool waitForReply = true, string? tableId = null, CancellationToken ct = default)
    {
        var (url, served) = await ServeAsync(SafeFileName(name) + ".vot", "application/x-votable+xml", writeVOTable, ct).ConfigureAwait(false);
        served.AwaitFetch = !waitForReply;
        tableId ??= $"voscript-{SafeFileName(name)}-{Interlocked.Increment(ref _counter)}";
        var msg = new SampMessage(SampMTypes.TableLoadVOTable, new Dictionary<string, object>
        {
            ["url"] = url,
            ["table-id"] = tableId,
            ["name"] = Ascii(name),
        });
        var result = await SendCheckedAsync(target, msg, waitForReply, ct).ConfigureAwait(false);
        return new SampSentTable(tableId, url, name, result);
    }

    /// <summary>
    /// Sends a table with table.load.votable, written by <see cref="Formats.VOTable.VOTableWriter"/> (PARAMs, INFOs,
    /// GROUPs and all), served from our loopback HTTP server.
    /// </summary>
    public Task<SampSentTable> SendTableAsync(string target, Model.Table table, string? name = null, Formats.VOTable.VOTableWriteOptions? options = null,
        bool waitForReply = true, CancellationToken ct = default) =>
        SendVOTableAsync(target, name ?? table.Name ?? "table", (s, _) =>
        {
            Formats.VOTable.VOTableWriter.Write(table, s, options);
            return Task.CompletedTask;
        }, waitForReply, null, ct);

    /// <summary>Sends a VOTable file as it is, byte for byte.</summary>
    public Task<SampSentTable> SendVOTableFileAsync(string target, string path, string? name = null, bool waitForReply = true, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new SampException($"cannot send {path}: no such file");
        return SendVOTableAsync(target, name ?? System.IO.Path.GetFileNameWithoutExtension(path), async (s, c) =>
        {
            await using var f = File.OpenRead(path);
            await f.CopyToAsync(s, c).ConfigureAwait(false);
        }, waitForReply, null, ct);
    }

    /// <summary>Sends image.load.fits for a local FITS file (served over loopback HTTP) or a URL.</summary>
    public async Task<SampSendResult> SendImageAsync(string target, string pathOrUrl, string? name = null, bool waitForReply = true, CancellationToken ct = default)
    {
        var url = ReceiverUrl(pathOrUrl, "application/fits", !waitForReply);
        var ps = new Dictionary<string, object>
        {
            ["url"] = url,
            ["image-id"] = $"voscript-image-{Interlocked.Increment(ref _counter)}",
        };
        if (name is not null) ps["name"] = Ascii(name);
        return await SendCheckedAsync(target, new SampMessage(SampMTypes.ImageLoadFits, ps), waitForReply, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One spectrum.load.ssa-generic per row of a table of access URLs (an SSA result, say).
    /// The URL column is the one with utype *Access.Reference, else UCD meta.ref.url, else a
    /// column named accref/access_url/url, unless <paramref name="urlColumn"/> names it. Each row's
    /// non-null cells go into <c>meta</c>, keyed by utype (namespace prefix dropped) and by UCD. A spectrum is named by
    /// the row's title column (utype *DataID.Title or UCD meta.title), else "NAME row N" with <paramref name="name"/>
    /// (the script's name for the table; null: the table's own name). The table is not changed.
    /// </summary>
    /// <returns>One result per row, in row order; empty for a table without rows.</returns>
    /// <exception cref="SampException">the table has no access-URL column (the message starts "cannot send NAME as spectra:"),
    /// a row has no URL, the target is unknown, or a recipient failed or did not answer in time.</exception>
    public Task<IReadOnlyList<SampSendResult>> SendSpectraAsync(string target, Model.Table table, string? urlColumn = null,
        bool waitForReply = true, string? name = null, CancellationToken ct = default)
    {
        var titleCol = table.Columns.FirstOrDefault(c => c.Field.Utype?.EndsWith("DataID.Title", StringComparison.OrdinalIgnoreCase) == true)
                       ?? table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';').Contains("meta.title", StringComparer.OrdinalIgnoreCase) == true);
        var label = name ?? table.Name;
        return SendPerRowAsync(target, table, label, "spectra", urlColumn, SampMTypes.SpectrumLoadSsa, "application/octet-stream", waitForReply, (row, url) => new()
        {
            ["url"] = url,
            ["meta"] = SpectrumMeta(table, row),
            ["spectrum-id"] = $"voscript-spectrum-{Interlocked.Increment(ref _counter)}",
            ["name"] = Ascii(Title(titleCol, row) ?? $"{label ?? "spectrum"} row {row + 1}"),
        }, ct);
    }

    /// <summary>
    /// One image.load.fits per row of a table of access URLs (an SIA or ObsCore result, say): the URL column found as
    /// for <see cref="SendSpectraAsync"/>; each image named by the row's <c>meta.title</c> column, <c>obs_title</c> or
    /// <c>obs_id</c>, else "NAME row N" (<paramref name="name"/>, the script's name for the table, else the table's own name).
    /// </summary>
    internal Task<IReadOnlyList<SampSendResult>> SendImagesAsync(string target, Model.Table table, string? urlColumn = null,
        bool waitForReply = true, string? name = null, CancellationToken ct = default)
    {
        var titleCol = table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';').Contains("meta.title", StringComparer.OrdinalIgnoreCase) == true)
                       ?? table.FindColumn("obs_title") ?? table.FindColumn("obs_id");
        var label = name ?? table.Name;
        return SendPerRowAsync(target, table, label, "images", urlColumn, SampMTypes.ImageLoadFits, "application/fits", waitForReply, (row, url) => new()
        {
            ["url"] = url,
            ["image-id"] = $"voscript-image-{Interlocked.Increment(ref _counter)}",
            ["name"] = Ascii(Title(titleCol, row) ?? $"{label ?? "image"} row {row + 1}"),
        }, ct);
    }

    /// <summary>
    /// The one loop behind <see cref="SendSpectraAsync"/> and <see cref="SendImagesAsync"/>: the recipients resolved once (an
    /// unknown name fails before anything is sent), then one <paramref name="mtype"/> message per row with that row's URL
    /// (a downloaded file of <c>fetch</c> served over loopback instead, when the table has one), each delivered and checked.
    /// Errors about the table say "cannot send <paramref name="label"/> as <paramref name="what"/>: …".
    /// </summary>
    private async Task<IReadOnlyList<SampSendResult>> SendPerRowAsync(string target, Model.Table table, string? label, string what, string? urlColumn,
        string mtype, string mimeType, bool waitForReply, Func<int, string, Dictionary<string, object>> message, CancellationToken ct)
    {
        label ??= "the table";
        Model.Column col;
        try
        {
            col = FindUrlColumn(table, urlColumn, label);
        }
        catch (SampException e)
        {
            throw new SampException($"cannot send {label} as {what}: {e.Message}", e);
        }
        // a table of fetched files (fetch T to "DIR/"): each row's downloaded file is sent, else its URL
        var fetched = urlColumn is null ? table.Columns.FirstOrDefault(c => !ReferenceEquals(c, col)
            && c.Field.Ucd?.Split(';').Contains("meta.file", StringComparer.OrdinalIgnoreCase) == true) : null;
        var results = new List<SampSendResult>();
        if (table.RowCount == 0) return results;
        var recipients = await WithHubAsync(conn => ResolveAsync(conn, target, mtype), ct).ConfigureAwait(false);
        for (var row = 0; row < table.RowCount; row++)
        {
            var file = fetched is not null && !fetched.IsNull(row) && File.Exists(fetched.FormatCell(row)) ? fetched.FormatCell(row) : null;
            if (file is null && (col.IsNull(row) || string.IsNullOrWhiteSpace(col.FormatCell(row))))
                throw new SampException($"cannot send {label} as {what}: row {row + 1} has no access URL in column '{col.Name}'");
            var msg = new SampMessage(mtype, message(row, ReceiverUrl(file ?? col.FormatCell(row).Trim(), mimeType, !waitForReply)));
            var result = await WithHubAsync(async conn =>
            {
                var tasks = recipients.Select(r => DeliverAsync(conn, r, msg, waitForReply, ct)).ToList();
                return new SampSendResult(msg.MType, await Task.WhenAll(tasks).ConfigureAwait(false));
            }, ct).ConfigureAwait(false);
            results.Add(result.ThrowIfFailed(_options.ReplyTimeout));
        }
        return results;
    }

    private static string? Title(Model.Column? column, int row) =>
        column is not null && !column.IsNull(row) && column.FormatCell(row) is { } t && !string.IsNullOrWhiteSpace(t) ? t : null;

    /// <summary>The column of access URLs (see <see cref="SendSpectraAsync"/>); <paramref name="label"/> names the table in errors (default: its own name).</summary>
    internal static Model.Column FindUrlColumn(Model.Table table, string? name, string? label = null)
    {
        label ??= table.Name ?? "the table";
        if (name is not null)
            return table.FindColumn(name) ?? throw new SampException($"{label} has no column '{name}'");
        return table.Columns.FirstOrDefault(c => c.Field.Utype?.EndsWith("Access.Reference", StringComparison.OrdinalIgnoreCase) == true)
            ?? table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';') is { } words && words.Contains("meta.ref.url", StringComparer.OrdinalIgnoreCase)
                && !words.Contains("meta.file", StringComparer.OrdinalIgnoreCase))
            ?? table.Columns.FirstOrDefault(c => c.Name.ToLowerInvariant() is "accref" or "access_url" or "url")
            ?? table.Columns.FirstOrDefault(c => c.Field.Ucd?.Split(';').Contains("meta.file", StringComparer.OrdinalIgnoreCase) == true)
            ?? throw new SampException($"{label} has no access-URL column (utype ssa:Access.Reference or UCD meta.ref.url); name the column to use");
    }

    internal static Dictionary<string, object> SpectrumMeta(Model.Table table, int row)
    {
        var meta = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var c in table.Columns)
        {
            if (c.IsNull(row)) continue;
            var v = Ascii(c.FormatCell(row));
            if (c.Field.Utype is { Length: > 0 } ut)
            {
                var colon = ut.IndexOf(':');
                meta[colon >= 0 ? ut[(colon + 1)..] : ut] = v;
            }
            if (c.Field.Ucd is { Length: > 0 } ucd) meta.TryAdd(ucd, v);
        }
        return meta;
    }

    /// <summary>coord.pointAt.sky (ICRS degrees).</summary>
    public Task<SampSendResult> PointAtAsync(string target, double ra, double dec, bool waitForReply = true, CancellationToken ct = default)
    {
        if (!(dec is >= -90 and <= 90)) throw new SampException($"declination {dec} is outside -90..90 degrees");
        var r = ra is >= 0 and < 360 ? ra : ((ra % 360) + 360) % 360;
        return SendCheckedAsync(target, new SampMessage(SampMTypes.CoordPointAtSky, new Dictionary<string, object>
        {
            ["ra"] = SampMTypes.Float(r),
            ["dec"] = SampMTypes.Float(dec),
        }), waitForReply, ct);
    }

    /// <summary>table.highlight.row (0-based row) of a table sent before.</summary>
    public Task<SampSendResult> HighlightRowAsync(string target, SampTableRef table, long row, bool waitForReply = true, CancellationToken ct = default)
    {
        var ps = TableParams(table);
        ps["row"] = SampMTypes.Int(row);
        return SendCheckedAsync(target, new SampMessage(SampMTypes.TableHighlightRow, ps), waitForReply, ct);
    }

    /// <summary>table.select.rowList (0-based rows) of a table sent before.</summary>
    public Task<SampSendResult> SelectRowsAsync(string target, SampTableRef table, IEnumerable<long> rows, bool waitForReply = true, CancellationToken ct = default)
    {
        var ps = TableParams(table);
        ps["row-list"] = rows.Select(r => (object)SampMTypes.Int(r)).ToList();
        return SendCheckedAsync(target, new SampMessage(SampMTypes.TableSelectRowList, ps), waitForReply, ct);
    }

    private static Dictionary<string, object> TableParams(SampTableRef t)
    {
        if (t.TableId is null && t.Url is null) throw new SampException("a table reference needs a table-id or a URL");
        var ps = new Dictionary<string, object>();
        if (t.TableId is not null) ps["table-id"] = t.TableId;
        if (t.Url is not null) ps["url"] = t.Url;
        return ps;
    }

    /// <summary>samp.app.ping: every recipient must answer samp.ok in time.</summary>
    public Task<SampSendResult> PingAsync(string target, CancellationToken ct = default) =>
        SendCheckedAsync(target, new SampMessage(SampMTypes.Ping), true, ct);
}
