using System.Diagnostics;

namespace VoScript.Engine.Runtime;

/// <summary>Limits and settings of a run, chosen by the host.</summary>
internal sealed class ExecutorOptions
{
    /// <summary>How many steps may run at the same time.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Where relative file paths of load/save steps are resolved; null means the process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Limits of the table readers for the files load steps read.</summary>
    public VoScript.Engine.ReaderLimits ReaderLimits { get; init; } = VoScript.Engine.ReaderLimits.Default;

    /// <summary>Leave remote jobs on their servers when the run ends (handlers delete them otherwise).</summary>
    public bool KeepJobs { get; init; }

    /// <summary>A service failure fails its step even where the script says <c>on error continue</c> (<c>voscript run --strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>Rows <c>show</c> prints when the step does not say.</summary>
    public int DefaultShowLimit { get; init; } = 20;

    /// <summary>Receives progress events; called from one thread at a time.</summary>
    public Action<ExecutionEvent>? Events { get; init; }

    /// <summary>Failed requests' messages keep the start of the service's answer even when its own message was extracted.</summary>
    public bool Verbose { get; init; }
}

/// <summary>
/// Runs a <see cref="Plan"/>: each step starts as soon as the steps it depends on
/// have finished, at most <see cref="ExecutorOptions.MaxParallelism"/> at a time.
/// A failed step stops new steps from starting (unless it continues on error, in
/// which case only the steps that need it are skipped); cancellation stops the
/// running steps. Results already in the <see cref="Workspace"/> stay there.
/// </summary>
internal sealed class Executor
{
    private readonly StepCatalog _catalog;
    private readonly Lock _eventLock = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> _runningSteps = new(StringComparer.Ordinal);

    /// <summary>An executor for the kinds of <paramref name="catalog"/>. Hosts make it (<c>VoScriptHost</c> is the one place in the product).</summary>
    public Executor(StepCatalog catalog, ExecutorOptions? options = null)
    {
        _catalog = catalog;
        Options = options ?? new ExecutorOptions();
    }

    public ExecutorOptions Options { get; }

    /// <summary>The step kinds this executor can run.</summary>
    public IReadOnlyCollection<string> Kinds => _catalog.Kinds;

    /// <summary>The steps of <paramref name="plan"/> that no registered handler can run (or whose type is not the one registered for their kind).</summary>
    public IReadOnlyList<PlanStep> UnsupportedSteps(Plan plan) =>
        plan.Steps.Where(s => _catalog.Find(s.Kind) is not { } k || !k.StepType.IsInstanceOfType(s)).ToList();

    /// <summary>
    /// Cancels one running step of a run of this executor: the step ends as cancelled (its remote job
    /// is deleted), the steps that need it are skipped and the others go on. False when it is not running.
    /// </summary>
    public bool CancelStep(string stepId)
    {
        if (!_runningSteps.TryGetValue(stepId, out var cts)) return false;
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        return true;
    }

    /// <exception cref="VoScriptException">the plan has steps no handler can run (nothing is started then).</exception>
    public async Task<RunSummary> RunAsync(Plan plan, Workspace workspace, CancellationToken cancellationToken = default)
    {
        var unsupported = UnsupportedSteps(plan);
        if (unsupported.Count > 0)
            throw new VoScriptException("this host cannot run "
                + string.Join(", ", unsupported.GroupBy(s => s.Kind).Select(g => $"'{g.Key}' steps ({string.Join(", ", g.Select(Where))})"))
                + "; nothing was run");

        var clock = Stopwatch.StartNew();
        var warnings = new List<(string StepId, string Message)>();
        void Emit(ExecutionEvent e)
        {
            lock (_eventLock)
            {
                if (e is StepWarning w) warnings.Add((w.Step.Id, w.Message));
                Options.Events?.Invoke(e);
            }
        }

        var index = new Dictionary<string, int>();
        for (var i = 0; i < plan.Steps.Count; i++) index[plan.Steps[i].Id] = i;
        var waitingFor = plan.Steps.Select(s => s.DependsOn.Distinct().Count()).ToArray();
        var dependents = plan.Steps.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < plan.Steps.Count; i++)
            foreach (var d in plan.Steps[i].DependsOn.Distinct()) dependents[index[d]].Add(i);

        var results = new StepResult?[plan.Steps.Count];
        var ready = new SortedSet<int>(Enumerable.Range(0, plan.Steps.Count).Where(i => waitingFor[i] == 0));
        var running = new Dictionary<Task<StepResult>, int>();
        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stopReason = (string?)null;
        var parallelism = Math.Max(1, Options.MaxParallelism);
        await using var resources = new RunResources(); // disposed when the run ends, however it ends

        while (ready.Count > 0 || running.Count > 0)
        {
            if (cancellationToken.IsCancellationRequested) stopReason ??= "the run was cancelled";
            while (stopReason is null && ready.Count > 0 && running.Count < parallelism)
            {
                var i = ready.Min;
                ready.Remove(i);
                running[RunStepAsync(plan, plan.Steps[i], workspace, resources, Emit, runCts.Token)] = i;
            }
            if (running.Count == 0) break;
            var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var at = running[done];
            running.Remove(done);
            var result = await done.ConfigureAwait(false);
            results[at] = result;
            switch (result.Status)
            {
                case StepStatus.Succeeded:
                    foreach (var d in dependents[at])
                        if (--waitingFor[d] == 0) ready.Add(d);
                    break;
                case StepStatus.Cancelled when !result.CancelledAlone:
                    stopReason ??= "the run was cancelled";
                    break;
                case StepStatus.Failed when !plan.Steps[at].ContinueOnError:
                    stopReason ??= $"step {plan.Steps[at].Id} failed";
                    break;
            }
        }

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (results[i] is not null) continue;
            var step = plan.Steps[i];
            var failedInput = step.DependsOn.Select(d => results[index[d]]).FirstOrDefault(r => r is { Status: not StepStatus.Succeeded });
            var reason = failedInput is not null && failedInput.Status != StepStatus.Skipped
                ? $"it needs step {failedInput.Step.Id}, which {(failedInput.Status == StepStatus.Cancelled ? "was cancelled" : "failed")}"
                : stopReason ?? "a step it needs did not run";
            results[i] = new StepResult(step, StepStatus.Skipped, TimeSpan.Zero, reason);
            Emit(new StepSkipped(DateTimeOffset.Now, step, reason));
        }

        var status = cancellationToken.IsCancellationRequested || results.Any(r => r!.Status == StepStatus.Cancelled)
            ? RunStatus.Cancelled
            : results.Any(r => r!.Status is StepStatus.Failed or StepStatus.Skipped) ? RunStatus.Failed : RunStatus.Succeeded;
        return new RunSummary(status, clock.Elapsed, results.Select(r => r!).ToList(), workspace, warnings);
    }

    private async Task<StepResult> RunStepAsync(Plan plan, PlanStep step, Workspace workspace, RunResources resources, Action<ExecutionEvent> emit, CancellationToken token)
    {
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        emit(new StepStarted(DateTimeOffset.Now, step));
        var context = new StepContext(plan, step, workspace, Options, emit) { Resources = resources };
        using var own = CancellationTokenSource.CreateLinkedTokenSource(token);
        _runningSteps[step.Id] = own;
        try
        {
            own.Token.ThrowIfCancellationRequested();
            await _catalog.Find(step.Kind)!.Handler.ExecuteAsync(step, context, own.Token).ConfigureAwait(false);
            Timings.Print($"step {Where(step)} ({step.Kind})", clock.Elapsed.TotalMilliseconds);
            emit(new StepCompleted(DateTimeOffset.Now, step, clock.Elapsed));
            return new StepResult(step, StepStatus.Succeeded, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            emit(new StepSkipped(DateTimeOffset.Now, step, "cancelled while running"));
            return new StepResult(step, StepStatus.Cancelled, clock.Elapsed, "cancelled while running");
        }
        catch (OperationCanceledException) when (own.IsCancellationRequested)
        {
            emit(new StepSkipped(DateTimeOffset.Now, step, "cancelled while running"));
            return new StepResult(step, StepStatus.Cancelled, clock.Elapsed, "cancelled while running") { CancelledAlone = true };
        }
        catch (VoScriptException e)
        {
            var message = Options.Verbose && e is Protocols.Http.ServiceException se ? se.Detailed : e.Message;
            emit(new StepFailed(DateTimeOffset.Now, step, message, clock.Elapsed));
            return new StepResult(step, StepStatus.Failed, clock.Elapsed, message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TimeoutException)
        {
            emit(new StepFailed(DateTimeOffset.Now, step, e.Message, clock.Elapsed));
            return new StepResult(step, StepStatus.Failed, clock.Elapsed, e.Message);
        }
        catch (OutOfMemoryException)
        {
            // what the step made so far is dropped, the memory is free again, and the tables of the other steps stay
            var message = $"not enough memory for {step.Describe()}: its result would not fit; make the inputs smaller first (select, keep, top; a smaller angle for match … all)";
            emit(new StepFailed(DateTimeOffset.Now, step, message, clock.Elapsed));
            return new StepResult(step, StepStatus.Failed, clock.Elapsed, message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a bug in a handler: the run still ends with a summary (and the partial results), and says whose bug it is
            var message = $"internal error in the '{step.Kind}' handler ({e.GetType().Name}: {e.Message}); please report it";
            emit(new StepFailed(DateTimeOffset.Now, step, message, clock.Elapsed));
            return new StepResult(step, StepStatus.Failed, clock.Elapsed, message);
        }
        finally
        {
            _runningSteps.TryRemove(step.Id, out _);
        }
    }

    private static string Where(PlanStep s) => s.Origin ?? s.Id;
}
