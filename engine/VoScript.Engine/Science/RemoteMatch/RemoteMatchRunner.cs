using System.Globalization;
using Polly;
using Polly.Retry;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Science.RemoteMatch;

/// <summary>What a remote match asks: T (by its script name), the service, the remote table and the clauses.</summary>
public sealed record RemoteMatchRequest
{
    /// <summary>The local table's name.</summary>
    public required string TableName { get; init; }
    /// <summary>The service's name.</summary>
    public required string ServiceName { get; init; }
    /// <summary>The table on the service.</summary>
    public required string RemoteTable { get; init; }
    /// <summary>The remote columns to keep; null keeps all of them.</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>The local RA column (by UCD when null).</summary>
    public string? RaColumn { get; init; }
    /// <summary>The local Dec column (by UCD when null).</summary>
    public string? DecColumn { get; init; }
    /// <summary>The radius in degrees.</summary>
    public required double RadiusDegrees { get; init; }
    /// <summary>Which pairs to keep.</summary>
    public RemoteMatchMode Mode { get; init; } = RemoteMatchMode.BestForTable;
    /// <summary>The script's <c>block N</c>; null: from the service's limits.</summary>
    public int? BlockSize { get; init; }
    /// <summary>Jobs at once on the service.</summary>
    public int Parallel { get; init; } = DefaultParallel;

    /// <summary>Blocks run at once by default.</summary>
    public const int DefaultParallel = 2;
    /// <summary>Blocks run at once at most.</summary>
    public const int MaxParallel = 32;
}

/// <summary>Where a remote match is: blocks done of the blocks known (a split adds one), pairs, T's rows without a pair.</summary>
internal sealed record RemoteMatchProgress(int BlocksDone, int BlocksTotal, int Pairs, int RowsDone, int RowsTotal, string? Note = null)
{
    /// <summary>Rows of the finished blocks without a partner.</summary>
    public int Unmatched { get; init; }
}

/// <summary>How a remote match went.</summary>
internal sealed record RemoteMatchResult(Table Table, int Blocks, int Splits, int Pairs, int Unmatched, BlockSizing Sizing, string Adql);

/// <summary>
/// Matches a local table T against a table that stays on a TAP service: T's positions are uploaded in blocks (async UWS
/// jobs, at most <see cref="RemoteMatchRequest.Parallel"/> at once), each block's job joins them to the remote table
/// within the angle; a block whose result overflows MAXREC is split in two and run again; each block is retried as the
/// HTTP pipeline retries requests (same attempts, backoff and jitter) when it fails in a way that repeating may mend;
/// each job is deleted when its block is done, failed or cancelled (<see cref="TapService.RunAsyncQuery"/>).
/// </summary>
internal sealed class RemoteMatchRunner(TapService tap, AsyncJobOptions jobOptions)
{
    /// <summary>Progress after each block (called from the blocks' tasks; keep it quick).</summary>
    public Action<RemoteMatchProgress>? Progress { get; init; }

    /// <summary>A block's job is done and deleted.</summary>
    public Action<Uri>? JobDone { get; init; }

    public async Task<RemoteMatchResult> RunAsync(Table t, RemoteMatchRequest request, CancellationToken ct)
    {
        if (!(request.RadiusDegrees > 0) || request.RadiusDegrees > 180)
            throw new VoScriptException(string.Create(CultureInfo.InvariantCulture, $"match needs an angle above 0 and at most 180 deg, not {request.RadiusDegrees} deg"));
        var service = request.ServiceName;
        var positions = Positions.Read(t);
        var remote = await RemoteTables.DescribeAsync(tap, request.RemoteTable, service, ct).ConfigureAwait(false);
        var (raField, decField) = remote.PositionColumns(request.RaColumn, request.DecColumn, service);
        var columns = (request.Columns ?? remote.Fields.Select(f => f.Name)).Select(c => remote.Named(c, service)).ToList();
        var remoteFields = columns.Select(c => c.Clone()).ToList();

        TapLimit? upload = null, output = null;
        try
        {
            var caps = await tap.GetCapabilitiesAsync(ct).ConfigureAwait(false);
            upload = caps.Tap?.UploadLimit;
            output = caps.Tap?.OutputLimit;
        }
        catch (ServiceException e)
        {
            Progress?.Invoke(new RemoteMatchProgress(0, 0, 0, 0, 0, $"no capabilities ({e.Summary}); blocks of the default size"));
        }
        var sizing = BlockPlanner.Size(request.BlockSize, upload, output);

        // the rows of T with a position, in T's order; the blocks are runs of them
        var rows = new List<int>(t.RowCount);
        for (var i = 0; i < t.RowCount; i++)
            if (!double.IsNaN(positions.Ra[i]) && !double.IsNaN(positions.Dec[i]) && positions.Dec[i] is >= -90 and <= 90) rows.Add(i);
        var blocks = BlockPlanner.Cut(rows.Count, sizing.Size);
        var names = columns.Select(remote.Adql).ToList();
        string Adql(bool nearest) => RemoteMatchAdql.Block(remote.Name, names, remote.Adql(raField), remote.Adql(decField), request.RadiusDegrees, nearest);
        var adql = Adql(false);

        var pairs = new RemotePairs(positions.Ra, positions.Dec, request.RadiusDegrees, request.Mode);
        var total = blocks.Count;
        var done = 0;
        var splits = 0;
        var rowsDone = 0;
        using var gate = new SemaphoreSlim(Math.Clamp(request.Parallel, 1, RemoteMatchRequest.MaxParallel));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var retry = BlockRetry(tap.Http);
        var maxRec = sizing.MaxRec;

        async Task RunBlock(UploadBlock block, bool nearest)
        {
            TapResult result;
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                var query = new TapQuery(Adql(nearest))
                {
                    MaxRec = maxRec,
                    Uploads = [TapUpload.Inline(RemoteMatchAdql.UploadName, UploadTable(block, rows, positions))],
                };
                result = await retry.ExecuteAsync(async token => await tap.RunAsyncQuery(query, jobOptions, token).ConfigureAwait(false), failed.Token).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
            if (result.JobUrl is { } job) JobDone?.Invoke(job);
            if (result.Truncated && !nearest)
            {
                if (block.Count == 1)
                {
                    var row = rows[block.Start];
                    if (request.Mode == RemoteMatchMode.All)
                        throw new VoScriptException(string.Create(CultureInfo.InvariantCulture,
                            $"{service}: row {row + 1} of {request.TableName} (RA {positions.Ra[row]:0.######}, Dec {positions.Dec[row]:0.######}) has more partners in '{remote.Name}' ") +
                            $"than the service returns at once ({(maxRec is { } m ? m.ToString(CultureInfo.InvariantCulture) : "its MAXREC")} rows) within {(request.RadiusDegrees * Angles.ArcsecPerDegree).ToString("0.###", CultureInfo.InvariantCulture)} arcsec: " +
                            "make the angle smaller, or keep the nearest partner with 'best for " + request.TableName + "'");
                    await RunBlock(block, nearest: true).ConfigureAwait(false);
                    return;
                }
                var (first, second) = block.Split();
                Interlocked.Increment(ref total);
                Interlocked.Increment(ref splits);
                Progress?.Invoke(new RemoteMatchProgress(Volatile.Read(ref done), Volatile.Read(ref total), pairs.Pairs, Volatile.Read(ref rowsDone), rows.Count,
                    $"block of {block} overflowed MAXREC; split in two"));
                await Task.WhenAll(RunBlock(first, false), RunBlock(second, false)).ConfigureAwait(false);
                return;
            }
            pairs.Add(result.Table, block.Start);
            var d = Interlocked.Increment(ref done);
            var r = Interlocked.Add(ref rowsDone, block.Count);
            Progress?.Invoke(new RemoteMatchProgress(d, Volatile.Read(ref total), pairs.Pairs, r, rows.Count) { Unmatched = r - pairs.MatchedRows });
        }

        async Task Guarded(UploadBlock block)
        {
            try
            {
                await RunBlock(block, false).ConfigureAwait(false);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // one failure ends the run: the other blocks stop (their jobs are aborted and deleted)
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var tasks = blocks.Select(Guarded).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // the first real failure, not the cancellations it caused
            var first = tasks.Where(x => x.IsFaulted).Select(x => x.Exception!.GetBaseException()).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        var table = pairs.Build(t, remoteFields, request.TableName, service);
        Science.Interop.Repairs.Apply(table);
        return new RemoteMatchResult(table, total, splits, pairs.Pairs, pairs.UnmatchedRows, sizing, adql);
    }

    /// <summary>The upload of one block: T's row (from 0) and its position in degrees.</summary>
    internal static Table UploadTable(UploadBlock block, IReadOnlyList<int> rows, SkyPositions positions)
    {
        var id = new long[block.Count];
        var ra = new double[block.Count];
        var dec = new double[block.Count];
        for (var k = 0; k < block.Count; k++)
        {
            var row = rows[block.Start + k];
            id[k] = row;
            ra[k] = positions.Ra[row];
            dec[k] = positions.Dec[row];
        }
        var t = new Table(RemoteMatchAdql.UploadName);
        t.AddColumn(new ScalarColumn<long>(new Field(RemoteMatchAdql.RowColumn, DataType.Long) { Ucd = "meta.id" }, id));
        t.AddColumn(new ScalarColumn<double>(new Field(RemoteMatchAdql.RaColumn, DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra" }, ra));
        t.AddColumn(new ScalarColumn<double>(new Field(RemoteMatchAdql.DecColumn, DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec" }, dec));
        return t;
    }

    /// <summary>
    /// The retry of a whole block: the HTTP pipeline's policy (its attempts, base delay, exponential backoff with jitter)
    /// for failures that repeating may mend: no answer, a cut or unreadable answer, 5xx, 408, 429. A job that ended in
    /// ERROR (the service's verdict on the query), a timeout and a cancellation are not repeated.
    /// </summary>
    internal static ResiliencePipeline BlockRetry(VoHttpClient http)
    {
        var o = http.Options;
        if (o.MaxRetries <= 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = o.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.RetryBaseDelay,
            MaxDelay = o.RetryAfterCap,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && Repeatable(e) && !args.Context.CancellationToken.IsCancellationRequested),
            OnRetry = args =>
            {
                http.Raise(new ProtocolNotice($"a block failed ({Summary(args.Outcome.Exception)}); running it again in {args.RetryDelay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (retry {args.AttemptNumber + 1})"));
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Whether running a failed block again may succeed.</summary>
    internal static bool Repeatable(Exception e) => e switch
    {
        TapJobException or TapTimeoutException => false,
        ServiceException s => s.IsTransient || s.IsBodyFailure || s.StatusCode is null or 408 or 429 or (>= 200 and < 300) || (s.StatusCode >= 500 && VoHttpClient.IsTransientStatus(s.StatusCode.Value)),
        HttpRequestException or IOException => true,
        _ => false,
    };

    private static string Summary(Exception? e) => e is ServiceException s ? s.Summary : e?.Message ?? "unknown failure";
}
