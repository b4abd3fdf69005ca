using System.Collections.Concurrent;
using System.Diagnostics;
using VoScript.Engine;
using VoScript.Engine.Plans;
using VoScript.Engine.Plans.Handlers;

namespace VoScript.Hosting;

/// <summary>
/// The entry point for programs that embed VoScript: holds the options and the registered
/// host steps, and runs plans. Thread-safe for runs; each run has its own workspace.
/// Compiling scripts is in the language package (<c>VoScript.Dsl</c>: <c>host.Compile(…)</c>).
/// </summary>
public sealed class VoScriptHost
{
    private readonly ConcurrentDictionary<string, IHostStep> _hostSteps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IStepHandler> _extraHandlers = new(StringComparer.Ordinal);
    private readonly Lock _registerLock = new();

    /// <summary>A host with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">an option is out of range (parallelism below 1, a non-positive timeout or row limit, a service that is not an http(s) address or is named twice).</exception>
    public VoScriptHost(VoScriptHostOptions? options = null)
    {
        Options = options ?? new VoScriptHostOptions();
        if (Options.MaxParallelism < 1) throw new ArgumentException("MaxParallelism must be at least 1", nameof(options));
        if (Options.Timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentException("Timeout must be positive", nameof(options));
        if (Options.MaxRows is < 1) throw new ArgumentException("MaxRows must be at least 1", nameof(options));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Options.Services)
        {
            if (!names.Add(s.Name)) throw new ArgumentException($"the service '{s.Name}' is given twice", nameof(options));
            if (!Uri.TryCreate(s.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new ArgumentException($"the service '{s.Name}': '{s.Url}' is not an http or https address", nameof(options));
        }
    }

    /// <summary>The options the host was built with.</summary>
    public VoScriptHostOptions Options { get; }

    /// <summary>The host steps registered so far, by kind.</summary>
    public IReadOnlyDictionary<string, IHostStep> HostSteps => _hostSteps;

    /// <summary>Adds a step kind of the host's own (see <see cref="IHostStep"/>); scripts compiled afterwards may use it.</summary>
    /// <exception cref="ArgumentException">the kind is not a name, is built in, or is registered already.</exception>
    public VoScriptHost Register(IHostStep step)
    {
        lock (_registerLock)
        {
            HostStepRules.CheckDefinition(step, _hostSteps.Keys.ToList());
            _hostSteps[step.Kind] = step;
        }
        return this;
    }

    /// <summary>A builder for a plan in C#, knowing this host's services and steps.</summary>
    public PlanBuilder NewPlan(string? name = null) => new(name, _hostSteps, Options.Services);

    /// <summary>
    /// Runs <paramref name="plan"/> in a new workspace: steps start as soon as what they need is done, at most
    /// <see cref="VoScriptHostOptions.MaxParallelism"/> at a time. Failures of steps are in the result, not thrown;
    /// cancelling <paramref name="cancellationToken"/> stops the run (remote jobs are deleted) and the result says so.
    /// </summary>
    /// <exception cref="VoScriptException">the plan has steps this host cannot run (a host step that is not registered); nothing ran.</exception>
    public async Task<RunResult> RunAsync(HostPlan plan, IRunEventSink? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var prepared = Limit(WithHostServices(plan.Plan));
        var workspace = new Workspace();
        var warnings = new List<string>();
        var executor = new Executor(new ExecutorOptions
        {
            MaxParallelism = Options.MaxParallelism,
            WorkingDirectory = Options.WorkingDirectory,
            ReaderLimits = Options.ReaderLimits,
            Events = e => Forward(e, workspace, warnings, events),
        });
        IEnumerable<IStepHandler> handlers =
        [
            .. CoreHandlers.All(),
            .. ProtocolHandlers.All(Options.RegistryUrl is { } r ? new ProtocolHandlerOptions { DefaultRegistryUrl = r } : null),
            .. ScienceHandlers.All(),
            .. SampHandlers.All(),
            .. _extraHandlers.Values,
            .. _hostSteps.Values.Select(s => new HostStepHandler(s)),
        ];
        foreach (var h in handlers)
            executor.Register(Options.MaxRows is { } maxRows ? new RowLimitHandler(h, maxRows) : h);

        using var timeout = Options.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var summary = await executor.RunAsync(prepared, workspace, linked?.Token ?? cancellationToken).ConfigureAwait(false);

        var outcome = summary.Status switch
        {
            RunStatus.Succeeded => RunOutcome.Succeeded,
            RunStatus.Cancelled when timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested => RunOutcome.TimedOut,
            RunStatus.Cancelled => RunOutcome.Cancelled,
            _ => RunOutcome.Failed,
        };
        var steps = summary.Steps.Select(s => new StepResultInfo(s.Step.Id, s.Step.Describe(), s.Status switch
        {
            StepStatus.Succeeded => StepOutcome.Succeeded,
            StepStatus.Failed => StepOutcome.Failed,
            StepStatus.Cancelled => StepOutcome.Cancelled,
            _ => StepOutcome.Skipped,
        }, s.Elapsed, s.Message)).ToList();
        lock (warnings) return new RunResult(outcome, summary.Elapsed, steps, warnings.ToList(), new WorkspaceView(workspace));
    }

    /// <summary>Adds an engine step handler the language needs for a step kind (used by the language package, e.g. for C# blocks).</summary>
    internal void RegisterHandler(IStepHandler handler) => _extraHandlers[handler.Kind] = handler;

    private static void Forward(ExecutionEvent e, Workspace workspace, List<string> warnings, IRunEventSink? sink)
    {
        RunEvent? mapped = e switch
        {
            StepStarted s => new StepStartedEvent(s.Time, s.Step.Id, s.Step.Describe()),
            StepProgress p => new StepProgressEvent(p.Time, p.Step.Id, p.Step.Describe(), p.Message, p.Phase, p.Rows),
            StepCompleted c => new StepCompletedEvent(c.Time, c.Step.Id, c.Step.Describe(), c.Elapsed),
            StepFailed f => new StepFailedEvent(f.Time, f.Step.Id, f.Step.Describe(), f.Message),
            StepSkipped k => new StepSkippedEvent(k.Time, k.Step.Id, k.Step.Describe(), k.Reason),
            StepWarning w => new WarningEvent(w.Time, w.Step.Id, w.Step.Describe(), w.Message),
            StepOutput o => new OutputEvent(o.Time, o.Step.Id, o.Step.Describe(), o.Text),
            _ => null,
        };
        if (e is StepWarning warning) lock (warnings) warnings.Add($"{warning.Step.Id}: {warning.Message}");
        if (sink is null || mapped is null) return;
        sink.OnEvent(mapped);
        if (e is StepCompleted done)
            foreach (var name in done.Step.Outputs)
                if (workspace.TryGetTable(name, out var table))
                    sink.OnEvent(new TableProducedEvent(done.Time, done.Step.Id, done.Step.Describe(), name, table.RowCount, table.ColumnCount));
    }

    /// <summary>The plan with the host's services it uses but does not declare.</summary>
    private Plan WithHostServices(Plan plan)
    {
        var used = plan.Steps.Select(s => s switch { QueryStep q => q.Service, PositionSearchStep p => p.Service, FindServicesStep f => f.Registry, _ => null })
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var missing = Options.Services.Where(s => used.Contains(s.Name) && plan.FindService(s.Name) is null)
            .Select(s => new PlanService(s.Name, (ServiceKind)s.Protocol, s.Url)).ToList();
        return missing.Count == 0 ? plan : new Plan([.. plan.Services, .. missing], plan.Steps, plan.Name);
    }

    /// <summary>The plan with every query and search asking for at most <see cref="VoScriptHostOptions.MaxRows"/> rows.</summary>
    private Plan Limit(Plan plan)
    {
        if (Options.MaxRows is not { } max) return plan;
        long Clamp(long? m) => m is { } v ? Math.Min(v, max) : max;
        var steps = plan.Steps.Select(s => s switch
        {
            QueryStep q => q with { MaxRec = Clamp(q.MaxRec) },
            QueryEachStep q => q with { MaxRec = Clamp(q.MaxRec) },
            PositionSearchStep p => p with { MaxRec = Clamp(p.MaxRec) },
            _ => s,
        }).ToList();
        return new Plan(plan.Services, steps, plan.Name);
    }

    /// <summary>Fails a step whose tables exceed the host's row limit.</summary>
    private sealed class RowLimitHandler(IStepHandler inner, long maxRows) : IStepHandler
    {
        public string Kind => inner.Kind;

        public async Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
        {
            await inner.ExecuteAsync(step, context, cancellationToken).ConfigureAwait(false);
            foreach (var name in step.Outputs)
                if (context.Workspace.TryGetTable(name, out var table) && table.RowCount > maxRows)
                    throw new VoScriptException($"the table '{name}' has {table.RowCount} rows, more than this host allows ({maxRows}); narrow the query or the input");
        }
    }
}
