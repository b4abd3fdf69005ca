namespace VoScript.Engine.Runtime;

/// <summary>
/// Runs steps of one step type. Write handlers as <see cref="StepHandler{TStep}"/>; a
/// <see cref="StepModule"/> registers each under the kind names (<see cref="PlanStep.Kind"/>) it runs.
/// </summary>
public interface IStepHandler
{
    /// <summary>The step type handled (steps of other types are refused).</summary>
    Type StepType { get; }

    /// <summary>Runs <paramref name="step"/>, which must be of <see cref="StepType"/>.</summary>
    Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken);
}

/// <summary>A handler typed by its step: no downcasts in handlers.</summary>
public abstract class StepHandler<TStep> : IStepHandler where TStep : PlanStep
{
    /// <summary>The step type this handler runs.</summary>
    public Type StepType => typeof(TStep);

    Task IStepHandler.ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken) =>
        step is TStep typed
            ? ExecuteAsync(typed, context, cancellationToken)
            : throw new ArgumentException($"the handler of {typeof(TStep).Name} cannot run a {step.GetType().Name} ('{step.Kind}')", nameof(step));

    /// <summary>
    /// Does the step's work, reading and writing <see cref="StepContext.Workspace"/>.
    /// Throws <see cref="VoScriptException"/> for failures a user can understand;
    /// honours <paramref name="cancellationToken"/>.
    /// </summary>
    public abstract Task ExecuteAsync(TStep step, StepContext context, CancellationToken cancellationToken);
}

/// <summary>
/// What a handler gets to work with for one step of one run: the plan, the step, the workspace, the run's shared
/// resources, and the ways to report. Its report methods may be called from any thread while the step runs.
/// </summary>
public sealed class StepContext
{
    private readonly Action<ExecutionEvent> _emit;

    internal StepContext(Plan plan, PlanStep step, Workspace workspace, ExecutorOptions options, Action<ExecutionEvent> emit)
    {
        Plan = plan;
        Step = step;
        Workspace = workspace;
        Options = options;
        _emit = emit;
    }

    /// <summary>The plan being run (its services are looked up by name with <see cref="VoScript.Engine.Runtime.Plan.FindService(string)"/>).</summary>
    public Plan Plan { get; }
    /// <summary>The step being run (the handler's own, as given to <see cref="StepHandler{TStep}.ExecuteAsync(TStep, StepContext, CancellationToken)"/>).</summary>
    public PlanStep Step { get; }
    /// <summary>The run's tables and values: read the step's inputs, set its outputs. Thread-safe; other steps use it at the same time.</summary>
    public Workspace Workspace { get; }
    /// <summary>The executor's options.</summary>
    internal ExecutorOptions Options { get; }

    /// <summary>What the steps of this run share (made on first use, disposed when the run ends).</summary>
    public RunResources Resources { get; internal init; } = new();

    /// <summary>The path as given when it is absolute or the run has no working directory; else joined to the working directory (not checked for existence).</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) || Options.WorkingDirectory is null ? path : Path.Combine(Options.WorkingDirectory, path);

    /// <summary>
    /// Reports progress of the step (a <see cref="StepProgress"/> event, and a line of <c>voscript run</c>): <paramref name="phase"/> is a
    /// short state for live views (<c>QUEUED</c>, <c>EXECUTING</c>, <c>COMPLETED</c>, …), <paramref name="rows"/> the rows made so far.
    /// </summary>
    public void Progress(string message, string? phase = null, long? rows = null) =>
        _emit(new StepProgress(DateTimeOffset.Now, Step, message, phase, rows));

    /// <summary>Reports a warning about the step (it does not fail it); the run summary lists it.</summary>
    public void Warning(string message) => _emit(new StepWarning(DateTimeOffset.Now, Step, message));

    /// <summary>Writes text for the user (what <c>print</c> and <c>show</c> write; <c>voscript run</c> puts it on stdout).</summary>
    public void Output(string text) => _emit(new StepOutput(DateTimeOffset.Now, Step, text));
}
