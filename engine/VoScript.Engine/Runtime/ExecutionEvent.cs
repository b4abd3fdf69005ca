namespace VoScript.Engine.Runtime;

/// <summary>Something that happened during a run, for progress displays and logs.</summary>
internal abstract record ExecutionEvent(DateTimeOffset Time);

internal sealed record StepStarted(DateTimeOffset Time, PlanStep Step) : ExecutionEvent(Time);

/// <summary>Progress inside a step: a job phase, rows so far, a message.</summary>
internal sealed record StepProgress(DateTimeOffset Time, PlanStep Step, string Message, string? Phase = null, long? Rows = null)
    : ExecutionEvent(Time);

internal sealed record StepCompleted(DateTimeOffset Time, PlanStep Step, TimeSpan Elapsed) : ExecutionEvent(Time);

internal sealed record StepFailed(DateTimeOffset Time, PlanStep Step, string Message, TimeSpan Elapsed) : ExecutionEvent(Time);

/// <summary>A step that did not run, because the run was cancelled or something it needs failed.</summary>
internal sealed record StepSkipped(DateTimeOffset Time, PlanStep Step, string Reason) : ExecutionEvent(Time);

internal sealed record StepWarning(DateTimeOffset Time, PlanStep Step, string Message) : ExecutionEvent(Time);

/// <summary>Text a step writes for the user (<c>print</c>, <c>show</c>).</summary>
internal sealed record StepOutput(DateTimeOffset Time, PlanStep Step, string Text) : ExecutionEvent(Time);
