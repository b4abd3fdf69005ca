using System.Collections.Concurrent;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Hosting;

/// <summary>
/// Runs plans one after another (or side by side) against one workspace that persists across runs, so a later
/// plan reads the tables and values an earlier one made: what an interactive host (the REPL) needs. A running
/// step can be cancelled alone (<see cref="CancelStep"/>). Made by <see cref="VoScriptHost.OpenSession"/>.
/// </summary>
public sealed class VoScriptSession
{
    private readonly VoScriptHost _host;
    private readonly ConcurrentDictionary<Executor, byte> _runs = new();

    internal VoScriptSession(VoScriptHost host) => _host = host;

    /// <summary>The tables and values the session's runs have made so far.</summary>
    public WorkspaceView Workspace => new(State);

    /// <summary>The workspace itself (tables and values the steps read and write), for hosts that run engine plans.</summary>
    public Workspace State { get; } = new();

    /// <summary>
    /// Runs <paramref name="plan"/> against the session's workspace (as <see cref="VoScriptHost.RunAsync"/> does against a new one).
    /// Step ids must not clash with those of runs still going on in this session.
    /// </summary>
    /// <exception cref="VoScriptException">the plan has steps this host cannot run; nothing ran.</exception>
    public async Task<RunResult> RunAsync(HostPlan plan, IRunEventSink? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var warnings = new List<string>();
        using var timeout = _host.Options.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var summary = await RunAsync(plan.Plan, plan.Modules, e => Forward(e, warnings, events), linked?.Token ?? cancellationToken).ConfigureAwait(false);

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
        lock (warnings) return new RunResult(outcome, summary.Elapsed, steps, warnings.ToList(), Workspace);
    }

    /// <summary>
    /// Cancels the running step <paramref name="stepId"/> of one of the session's runs: it ends as cancelled
    /// (its remote job is deleted), the steps that need it are skipped, the others go on. False when no such step runs.
    /// </summary>
    public bool CancelStep(string stepId) => _runs.Keys.Any(e => e.CancelStep(stepId));

    /// <summary>
    /// Runs an engine plan with the engine's own events (the CLI's and the REPL's way in). This is the one place
    /// the product makes an <see cref="Executor"/>.
    /// </summary>
    /// <param name="plan">the plan.</param>
    /// <param name="planModules">step modules the plan brings (the language's C# module).</param>
    /// <param name="events">receives the run's events, one at a time.</param>
    /// <param name="cancellationToken">cancels the whole run.</param>
    /// <exception cref="VoScriptException">the plan has steps this host cannot run; nothing ran.</exception>
    public async Task<RunSummary> RunAsync(Plan plan, IReadOnlyList<StepModule> planModules, Action<ExecutionEvent>? events, CancellationToken cancellationToken)
    {
        var executor = new Executor(_host.CatalogFor(planModules), new ExecutorOptions
        {
            MaxParallelism = _host.Options.MaxParallelism,
            WorkingDirectory = _host.Options.WorkingDirectory,
            KeepJobs = _host.Options.KeepJobs,
            Strict = _host.Options.Strict,
            Verbose = _host.Options.Verbose,
            ReaderLimits = _host.Options.ReaderLimits,
            Events = events,
        });
        _runs[executor] = 0;
        try
        {
            return await executor.RunAsync(_host.Prepare(plan), State, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _runs.TryRemove(executor, out _);
        }
    }

    private void Forward(ExecutionEvent e, List<string> warnings, IRunEventSink? sink)
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
                if (State.TryGetTable(name, out var table))
                    sink.OnEvent(new TableProducedEvent(done.Time, done.Step.Id, done.Step.Describe(), name, table.RowCount, table.ColumnCount));
    }
}
