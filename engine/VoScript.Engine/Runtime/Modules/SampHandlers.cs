using System.Globalization;
using VoScript.Engine.Protocols.Samp;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>Settings of the SAMP statements; chosen by the host.</summary>
internal sealed class SampHandlerOptions
{
    /// <summary>How the run's SAMP client registers and how long it waits (its <c>Log</c> is replaced: messages become step progress).</summary>
    public SampClientOptions Client { get; init; } = new();

    /// <summary>How long <c>receive</c> waits when the script gives no timeout.</summary>
    public TimeSpan DefaultReceiveTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>What send, receive and point share: one SAMP connection per run.</summary>
internal static class SampHandlers
{
    /// <summary>The run's SAMP client: registered at the first SAMP step, unregistered when the run ends (or is cancelled).</summary>
    internal static Task<SampClient> ClientAsync(StepContext context, SampHandlerOptions options, CancellationToken ct) =>
        context.Resources.GetOrAdd("samp", () => new SampSession(options)).ClientAsync(context, ct);

    internal static string Rows(long n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " row" : " rows");

    internal static string Recipients(SampSendResult r) =>
        string.Join(", ", r.Deliveries.Select(d => d.ClientName).Distinct(StringComparer.Ordinal));
}

/// <summary>
/// One SAMP client for one run. Made lazily, so a script without SAMP statements never
/// looks for a hub; disposed with the run's <see cref="RunResources"/>.
/// </summary>
internal sealed class SampSession(SampHandlerOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SampClient? _client;
    private volatile StepContext? _current;
    private bool _disposed;

    public async Task<SampClient> ClientAsync(StepContext context, CancellationToken ct)
    {
        _current = context;
        if (Volatile.Read(ref _client) is { } ready) return ready;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is not null) return _client;
            var o = options.Client;
            var client = await SampClient.ConnectAsync(new SampClientOptions
            {
                Name = o.Name, Description = o.Description, IconUrl = o.IconUrl, Version = o.Version, LockfilePath = o.LockfilePath,
                ReplyTimeout = o.ReplyTimeout, HubTimeout = o.HubTimeout, DownloadTimeout = o.DownloadTimeout, ServeGrace = o.ServeGrace,
                WatchInterval = o.WatchInterval, Http = o.Http,
                Log = message =>
                {
                    o.Log?.Invoke(message);
                    _current?.Progress(message);
                },
            }, ct).ConfigureAwait(false);
            context.Progress($"registered with the SAMP hub ({client.LockfilePath}) as '{o.Name}'");
            Volatile.Write(ref _client, client);
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_client is { } c)
            {
                _client = null;
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// <c>send T, … to CLIENT [as table|spectra|image]</c>. Tables go as table.load.votable, written
/// by the VOTable writer (metadata intact) and served by the run's client until the run ends;
/// spectra and images as one message per row of a table of access URLs. Each message is a call,
/// so a receiver that refuses (samp.error) or does not answer in time fails the step.
/// </summary>
internal sealed class SendHandler(SampHandlerOptions options) : StepHandler<SendStep>
{
    public override async Task ExecuteAsync(SendStep s, StepContext context, CancellationToken cancellationToken)
    {
        var tables = s.Tables.Select(n => (Name: n, Table: context.Workspace.GetTable(n))).ToList();
        var client = await SampHandlers.ClientAsync(context, options, cancellationToken).ConfigureAwait(false);
        foreach (var (name, table) in tables)
        {
            switch (s.Form)
            {
                case SampSendForm.Table:
                    var sent = await client.SendTableAsync(s.Client, table, name, ct: cancellationToken).ConfigureAwait(false);
                    context.Progress($"sent {name} ({SampHandlers.Rows(table.RowCount)}) to {SampHandlers.Recipients(sent.Result)}", rows: table.RowCount);
                    break;
                case SampSendForm.Spectra:
                    if (table.RowCount == 0)
                    {
                        context.Warning($"{name} has no rows: no spectra sent");
                        break;
                    }
                    // spectra without a title column are called "NAME row N"; errors name the table as the script does
                    var results = await client.SendSpectraAsync(s.Client, table, name: name, ct: cancellationToken).ConfigureAwait(false);
                    context.Progress($"sent {results.Count} spectra from {name} to {SampHandlers.Recipients(results[0])}", rows: results.Count);
                    break;
                case SampSendForm.Image:
                    if (table.RowCount == 0)
                    {
                        context.Warning($"{name} has no rows: no images sent");
                        break;
                    }
                    var images = await client.SendImagesAsync(s.Client, table, name: name, ct: cancellationToken).ConfigureAwait(false);
                    context.Progress($"sent {images.Count} images from {name} to {SampHandlers.Recipients(images[^1])}", rows: images.Count);
                    break;
            }
        }
    }
}

/// <summary><c>receive table [from CLIENT] [timeout DURATION] as NAME</c>: waits for a table.load.votable sent to voscript.</summary>
internal sealed class ReceiveHandler(SampHandlerOptions options) : StepHandler<ReceiveStep>
{
    public override async Task ExecuteAsync(ReceiveStep r, StepContext context, CancellationToken cancellationToken)
    {
        var client = await SampHandlers.ClientAsync(context, options, cancellationToken).ConfigureAwait(false);
        var timeout = r.Timeout ?? options.DefaultReceiveTimeout;
        context.Progress($"waiting for a table{(r.From is null ? "" : " from " + r.From)} sent to '{options.Client.Name}' "
                         + $"(at most {QueryText.Seconds(timeout)})", phase: "WAITING");
        var got = await client.ReceiveTableAsync(r.From, timeout, cancellationToken).ConfigureAwait(false);
        var table = got.Table;
        table.Name ??= got.Name ?? r.Output;
        foreach (var w in table.Warnings.All) context.Warning($"{got.SenderName}: {w.Message}");
        context.Workspace.SetTable(r.Output, table);
        context.Progress($"received {(got.Name is null ? "a table" : "'" + got.Name + "'")} from {got.SenderName}: {SampHandlers.Rows(table.RowCount)}",
            phase: "COMPLETED", rows: table.RowCount);
    }
}

/// <summary><c>point CLIENT at RA, DEC</c>: coord.pointAt.sky.</summary>
internal sealed class PointHandler(SampHandlerOptions options) : StepHandler<PointStep>
{
    public override async Task ExecuteAsync(PointStep p, StepContext context, CancellationToken cancellationToken)
    {
        var client = await SampHandlers.ClientAsync(context, options, cancellationToken).ConfigureAwait(false);
        var result = await client.PointAtAsync(p.Client, p.Ra, p.Dec, ct: cancellationToken).ConfigureAwait(false);
        context.Progress($"pointed {SampHandlers.Recipients(result)} at {PlanValue.FormatNumber(p.Ra)}, {PlanValue.FormatNumber(p.Dec)}");
    }
}
