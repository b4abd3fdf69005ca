using VoScript.Engine.Protocols.Dal;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Products;
using VoScript.Engine.Protocols.Registry;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>Settings of the handlers that talk to services; chosen by the host.</summary>
internal sealed class ProtocolHandlerOptions
{
    /// <summary>HTTP settings (timeouts, retries, a test handler); one client is made per step so events can be told apart.</summary>
    public VoHttpOptions Http { get; init; } = new();

    /// <summary>How long an async job may take when the script's await gives no timeout.</summary>
    public TimeSpan DefaultJobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The Registry asked by <c>find services</c> without <c>in REGISTRY</c>.</summary>
    public string DefaultRegistryUrl { get; init; } = RegistryClient.DefaultRegistryUrl;

    /// <summary>Services a <c>query each</c> asks at the same time.</summary>
    public int QueryEachParallelism { get; init; } = 4;

    /// <summary>Files a <c>fetch</c> downloads at the same time.</summary>
    public int FetchParallelism { get; init; } = 4;

    /// <summary>Poll timing of async jobs (tests shorten it).</summary>
    public TimeSpan MinPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What the handlers that talk to services share: HTTP clients whose events become progress, TAP runs.</summary>
internal static class ProtocolHandlers
{
    /// <summary>A client whose events become progress of <paramref name="context"/>'s step (and job handles in its workspace).</summary>
    internal static VoHttpClient ClientFor(StepContext context, ProtocolHandlerOptions options, string service)
    {
        var http = new VoHttpClient(options.Http);
        http.Events += e =>
        {
            switch (e)
            {
                case JobCreated c:
                    context.Workspace.AddJob(new JobHandle(context.Step.Id, service, c.JobUrl));
                    context.Progress($"{service}: job created", phase: "PENDING");
                    break;
                case JobPhaseChanged p:
                    foreach (var j in context.Workspace.Jobs.Where(j => j.Url == p.JobUrl)) j.Phase = p.Phase;
                    context.Progress($"{service}: {p.Phase}", phase: p.Phase);
                    break;
                case RowsReceived r:
                    context.Progress($"{service}: {r.Rows} rows", rows: r.Rows);
                    break;
                case ProtocolNotice n:
                    context.Progress($"{service}: {n.Message}");
                    break;
                case RetryScheduled r:
                    context.Progress($"{service}: {r.Reason} from {r.Method} {r.Url.GetLeftPart(UriPartial.Path)}; retry {r.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)} in "
                        + r.Delay.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s"
                        + (r.FromRetryAfter ? " (as its Retry-After asks)" : ""));
                    break;
            }
        };
        return http;
    }

    /// <summary>A failure of the service or of the way to it (not a cancellation, not a bug of ours), which <c>on error continue</c> may pass over.</summary>
    internal static bool IsServiceFailure(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is VoScriptException or HttpRequestException or IOException or TimeoutException;

    /// <summary>
    /// The table a failed <c>on error continue</c> query leaves: no rows, and the columns its
    /// select list names when the compiler could read them (their types are unknown: double).
    /// </summary>
    internal static Table EmptyResult(string name, IReadOnlyList<string>? columns)
    {
        var t = new Table(name) { Description = "the query failed; no rows (on error continue)" };
        foreach (var c in columns ?? [])
            if (t.FindColumn(c) is null)
                t.AddColumn(new ScalarColumn<double>(new Field(c, DataType.Double) { Description = "type unknown: the query failed" }, []));
        return t;
    }

    internal static PlanService ServiceOf(StepContext context, string name) =>
        context.Plan.FindService(name) ?? throw new VoScriptException($"the plan has no service '{name}'");

    internal static TapQuery TapQueryOf(string adql, long? maxRec, IReadOnlyList<Upload> uploads, Workspace workspace) =>
        new(adql)
        {
            MaxRec = maxRec,
            Uploads = uploads.Select(u => TapUpload.Inline(u.As, workspace.GetTable(u.Table))).ToList(),
        };

    /// <summary>Runs one TAP query (sync or async) and reports its warnings; job handles are dropped once the job is cleaned up.</summary>
    internal static async Task<Table> RunTapAsync(StepContext context, ProtocolHandlerOptions options, string serviceName, string url,
        TapQuery query, bool async, TimeSpan? timeout, CancellationToken ct)
    {
        using var http = ClientFor(context, options, serviceName);
        var tap = new TapService(url, http);
        TapResult result;
        try
        {
            result = async
                ? await tap.RunAsyncQuery(query, new AsyncJobOptions
                {
                    Timeout = timeout ?? options.DefaultJobTimeout,
                    Keep = context.Options.KeepJobs ? JobKeepMode.Always : JobKeepMode.Never,
                    MinPollInterval = options.MinPollInterval,
                }, ct).ConfigureAwait(false)
                : await tap.QueryAsync(query, ct).ConfigureAwait(false);
        }
        finally
        {
            if (!context.Options.KeepJobs)
                foreach (var j in context.Workspace.Jobs.Where(j => j.StepId == context.Step.Id && j.Service == serviceName))
                    context.Workspace.RemoveJob(j.Url);
        }
        foreach (var w in result.Warnings) context.Warning($"{serviceName}: {w}");
        if (result.Truncated && result.Cause == TruncationCause.ServiceLimit)
            context.Warning($"{serviceName}: the service cut the result at {result.Table.RowCount} rows (its own limit)");
        return result.Table;
    }
}

internal sealed class QueryHandler(ProtocolHandlerOptions options) : StepHandler<QueryStep>
{
    public override async Task ExecuteAsync(QueryStep q, StepContext context, CancellationToken cancellationToken)
    {
        var service = ProtocolHandlers.ServiceOf(context, q.Service);
        Table table;
        try
        {
            table = Arrival.Repair(await ProtocolHandlers.RunTapAsync(context, options, service.Name, service.Url,
                ProtocolHandlers.TapQueryOf(q.Adql, q.MaxRec, q.Uploads, context.Workspace), q.Async, q.Timeout, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (q.ContinueOnServiceError && ProtocolHandlers.IsServiceFailure(e, cancellationToken))
        {
            if (context.Options.Strict)
                throw new VoScriptException(e.Message + "\n  (the query says 'on error continue', but the run is strict)");
            table = ProtocolHandlers.EmptyResult(q.Output, q.ColumnsIfFailed);
            context.Warning($"{service.Name} failed, so {q.Output} has no rows (on error continue): {e.Message}");
        }
        table.Name = q.Output;
        context.Workspace.SetTable(q.Output, table);
        context.Progress($"{q.Output}: {table.RowCount} rows", rows: table.RowCount);
    }
}

/// <summary>Async results are ready when their query steps are done; this step only confirms it.</summary>
internal sealed class AwaitHandler : StepHandler<AwaitStep>
{
    public override Task ExecuteAsync(AwaitStep step, StepContext context, CancellationToken cancellationToken)
    {
        foreach (var t in step.Tables) context.Workspace.GetTable(t);
        return Task.CompletedTask;
    }
}

internal sealed class PositionSearchHandler(ProtocolHandlerOptions options) : StepHandler<PositionSearchStep>
{
    public override async Task ExecuteAsync(PositionSearchStep s, StepContext context, CancellationToken cancellationToken)
    {
        var service = ProtocolHandlers.ServiceOf(context, s.Service);
        using var http = ProtocolHandlers.ClientFor(context, options, service.Name);
        var url = new Uri(service.Url);
        var result = s.Search switch
        {
            PositionSearchKind.Cone => await new ConeSearchService(url, http)
                .SearchAsync(s.Ra, s.Dec, s.Radius, maxRec: s.MaxRec, ct: cancellationToken).ConfigureAwait(false),
            PositionSearchKind.Images => await new Sia2Service(url, http)
                .SearchAsync(new Sia2Query { Pos = [Sia2Query.Circle(s.Ra, s.Dec, s.Radius)], MaxRec = s.MaxRec }, cancellationToken).ConfigureAwait(false),
            _ => await new SsaService(url, http)
                .SearchAsync(new SsaQuery { Ra = s.Ra, Dec = s.Dec, Size = 2 * s.Radius, MaxRec = s.MaxRec }, cancellationToken).ConfigureAwait(false),
        };
        if (result.Truncated) context.Warning($"{service.Name}: the result was cut at {result.Table.RowCount} rows");
        result.Table.Name = s.Output;
        context.Workspace.SetTable(s.Output, Arrival.Repair(result.Table));
        context.Progress($"{s.Output}: {result.Table.RowCount} rows", rows: result.Table.RowCount);
    }
}

/// <summary>
/// Registry search. The service set is a table (one row per service capability):
/// <c>ivoid</c>, <c>short_name</c>, <c>title</c>, <c>standard_id</c>, <c>access_url</c>, <c>waveband</c>
/// (<see cref="ServiceSets"/>).
/// </summary>
internal sealed class FindServicesHandler(ProtocolHandlerOptions options) : StepHandler<FindServicesStep>
{
    public override async Task ExecuteAsync(FindServicesStep f, StepContext context, CancellationToken cancellationToken)
    {
        var registryUrl = f.Registry is null ? options.DefaultRegistryUrl : ProtocolHandlers.ServiceOf(context, f.Registry).Url;
        using var http = ProtocolHandlers.ClientFor(context, options, f.Registry ?? "registry");
        var client = new RegistryClient(new TapService(registryUrl, http));
        var kind = f.Protocol is ServiceProtocol.Registry
            ? throw new VoScriptException("find services looks for tap, scs, sia or ssa services")
            : f.Protocol;
        var found = new List<RegistryService>();
        foreach (var band in f.Wavebands.Count == 0 ? [null] : f.Wavebands.Select(w => (string?)w))
        {
            var query = new RegistryQuery { Kinds = [kind], TableName = f.WithTable, Keywords = f.Keywords, Waveband = band };
            foreach (var s in await client.SearchAsync(query, cancellationToken).ConfigureAwait(false))
                if (!found.Any(x => x.Ivoid == s.Ivoid && x.StandardId == s.StandardId)) found.Add(s);
        }
        var table = ServiceSets.FromRegistry(f.Output, found);
        context.Workspace.SetTable(f.Output, table);
        context.Progress($"{f.Output}: {found.Count} services", rows: found.Count);
        if (found.Count == 0) context.Warning("the Registry knows no service that matches");
    }

}

/// <summary>
/// The same query on every service of a service set, a few at a time. Results
/// are stacked (<see cref="TableStacker"/>) with a <c>service</c> column.
/// </summary>
internal sealed class QueryEachHandler(ProtocolHandlerOptions options) : StepHandler<QueryEachStep>
{
    public override async Task ExecuteAsync(QueryEachStep q, StepContext context, CancellationToken cancellationToken)
    {
        var set = context.Workspace.GetTable(q.ServiceSet);
        var targets = ServiceSets.Endpoints(set, q.ServiceSet);
        foreach (var m in targets.Where(t => t.IsMerged))
            context.Progress($"{string.Join(" and ", m.Records)} have the same access URL {m.Url}: asking it once, as {m.Name}");
        var results = new (Table? Table, string? Error)[targets.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, options.QueryEachParallelism));
        var tasks = targets.Select(async (t, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var table = await ProtocolHandlers.RunTapAsync(context, options, t.Name, t.Url,
                    ProtocolHandlers.TapQueryOf(q.Adql, q.MaxRec, q.Uploads, context.Workspace), q.Async, q.Timeout, cancellationToken).ConfigureAwait(false);
                results[i] = (table, null);
            }
            catch (VoScriptException e) when (!cancellationToken.IsCancellationRequested)
            {
                results[i] = (null, e.Message);
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                results[i] = (null, e.Message);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var failures = targets.Zip(results).Where(x => x.Second.Error is not null).Select(x => $"{x.First.Name}: {x.Second.Error}").ToList();
        if (failures.Count > 0 && !q.ContinueOnServiceError)
            throw new VoScriptException($"{failures.Count} of {targets.Count} services failed (add 'on error continue' to keep the others): " + string.Join("; ", failures));
        if (failures.Count > 0 && context.Options.Strict)
            throw new VoScriptException($"{failures.Count} of {targets.Count} services failed (the query says 'on error continue', but the run is strict): " + string.Join("; ", failures));
        foreach (var f in failures) context.Warning(f);
        var answered = targets.Zip(results).Where(x => x.Second.Table is not null).ToList();
        var parts = answered.Select(x => (x.First.Name, Arrival.Repair(x.Second.Table!))).ToList();
        var stacked = TableStacker.Stack(q.Output, parts);
        // provenance: every Registry record a row stands for (more than one when records shared an access URL)
        var records = answered.SelectMany(x => Enumerable.Repeat(string.Join(", ", x.First.Records), x.Second.Table!.RowCount)).ToArray();
        var tag = stacked.Columns[0].Name == "service" ? "service_records" : "source_service_records";
        stacked.InsertColumn(1, new StringColumn(new Field(tag, DataType.Char, ArraySize.Variable)
        {
            Ucd = "meta.ref.ivoid;meta.curation",
            Description = "the service set's records (IVOID and capability) answered by the service of this row",
        }, records));
        context.Workspace.SetTable(q.Output, stacked);
        context.Progress($"{q.Output}: {stacked.RowCount} rows from {parts.Count} of {targets.Count} services", rows: stacked.RowCount);
    }
}
