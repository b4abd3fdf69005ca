namespace VoScript.Engine.Plans;

/// <summary>Runs the steps of one kind (<see cref="PlanStep.Kind"/>). Register one per kind with the <see cref="Executor"/>.</summary>
internal interface IStepHandler
{
    /// <summary>The step kind handled, e.g. <c>query</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Does the step's work, reading and writing <see cref="StepContext.Workspace"/>.
    /// Throws <see cref="VoScriptException"/> for failures a user can understand;
    /// honours <paramref name="cancellationToken"/>.
    /// </summary>
    Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler gets to work with.</summary>
internal sealed class StepContext
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

    public Plan Plan { get; }
    public PlanStep Step { get; }
    public Workspace Workspace { get; }
    public ExecutorOptions Options { get; }

    /// <summary>What the steps of this run share (made on first use, disposed when the run ends).</summary>
    public RunResources Resources { get; internal init; } = new();

    /// <summary>Resolves a relative path against <see cref="ExecutorOptions.WorkingDirectory"/>.</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) || Options.WorkingDirectory is null ? path : Path.Combine(Options.WorkingDirectory, path);

    public void Progress(string message, string? phase = null, long? rows = null) =>
        _emit(new StepProgress(DateTimeOffset.Now, Step, message, phase, rows));

    public void Warning(string message) => _emit(new StepWarning(DateTimeOffset.Now, Step, message));

    public void Output(string text) => _emit(new StepOutput(DateTimeOffset.Now, Step, text));
}
