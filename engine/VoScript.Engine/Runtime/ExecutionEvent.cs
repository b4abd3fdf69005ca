namespace VoScript.Engine.Runtime;

/// <summary>Something that happened during a run, for progress displays and logs.</summary>
public abstract record ExecutionEvent(DateTimeOffset Time);

/// <summary>A step started.</summary>
/// <param name="Time">When.</param>
/// <param name="Step">The step.</param>
public sealed record StepStarted(DateTimeOffset Time, PlanStep Step) : ExecutionEvent(Time);

/// <summary>Progress inside a step: a job phase, rows so far, a message.</summary>
public sealed record StepProgress(DateTimeOffset Time, PlanStep Step, string Message, string? Phase = null, long? Rows = null)
    : ExecutionEvent(Time);

/// <summary>A step succeeded.</summary>
/// <param name="Time">When.</param>
/// <param name="Step">The step.</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record StepCompleted(DateTimeOffset Time, PlanStep Step, TimeSpan Elapsed) : ExecutionEvent(Time);

/// <summary>A step failed.</summary>
/// <param name="Time">When.</param>
/// <param name="Step">The step.</param>
/// <param name="Message">Why, for the user.</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record StepFailed(DateTimeOffset Time, PlanStep Step, string Message, TimeSpan Elapsed) : ExecutionEvent(Time);

/// <summary>A step that did not run, because the run was cancelled or something it needs failed.</summary>
public sealed record StepSkipped(DateTimeOffset Time, PlanStep Step, string Reason) : ExecutionEvent(Time);

/// <summary>A step warns.</summary>
/// <param name="Time">When.</param>
/// <param name="Step">The step.</param>
/// <param name="Message">The warning.</param>
public sealed record StepWarning(DateTimeOffset Time, PlanStep Step, string Message) : ExecutionEvent(Time);

/// <summary>Text a step writes for the user (<c>print</c>, <c>show</c>).</summary>
public sealed record StepOutput(DateTimeOffset Time, PlanStep Step, string Text) : ExecutionEvent(Time);
