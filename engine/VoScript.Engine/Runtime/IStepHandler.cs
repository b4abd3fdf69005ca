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

/// <summary>What a handler gets to work with.</summary>
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

    /// <summary>The plan being run.</summary>
    public Plan Plan { get; }
    /// <summary>The step being run.</summary>
    public PlanStep Step { get; }
    /// <summary>The run's workspace.</summary>
    public Workspace Workspace { get; }
    /// <summary>The executor's options.</summary>
    public ExecutorOptions Options { get; }

    /// <summary>What the steps of this run share (made on first use, disposed when the run ends).</summary>
    public RunResources Resources { get; internal init; } = new();

    /// <summary>Resolves a relative path against <see cref="ExecutorOptions.WorkingDirectory"/>.</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) || Options.WorkingDirectory is null ? path : Path.Combine(Options.WorkingDirectory, path);

    /// <summary>Reports progress.</summary>
    public void Progress(string message, string? phase = null, long? rows = null) =>
        _emit(new StepProgress(DateTimeOffset.Now, Step, message, phase, rows));

    /// <summary>Reports a warning.</summary>
    public void Warning(string message) => _emit(new StepWarning(DateTimeOffset.Now, Step, message));

    /// <summary>Writes text for the user.</summary>
    public void Output(string text) => _emit(new StepOutput(DateTimeOffset.Now, Step, text));
}
