using VoScript.Engine;

namespace VoScript.Hosting;

/// <summary>Something that happened during a run, for progress displays and logs.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step it concerns (<c>s1</c>, <c>s2</c>, … for compiled scripts).</param>
/// <param name="Step">One line saying what the step does (<c>load "sample.vot" as stars</c>).</param>
public abstract record RunEvent(DateTimeOffset Time, string StepId, string Step);

/// <summary>A step started.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
public sealed record StepStartedEvent(DateTimeOffset Time, string StepId, string Step) : RunEvent(Time, StepId, Step);

/// <summary>Progress inside a step: a job phase, rows so far, a message.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Message">What is going on.</param>
/// <param name="Phase">A remote job's phase (QUEUED, EXECUTING, …), when there is one.</param>
/// <param name="Rows">Rows read so far, when known.</param>
public sealed record StepProgressEvent(DateTimeOffset Time, string StepId, string Step, string Message, string? Phase, long? Rows)
    : RunEvent(Time, StepId, Step);

/// <summary>A step finished successfully.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record StepCompletedEvent(DateTimeOffset Time, string StepId, string Step, TimeSpan Elapsed) : RunEvent(Time, StepId, Step);

/// <summary>A step failed; <paramref name="Message"/> says why, for the user.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Message">Why it failed.</param>
public sealed record StepFailedEvent(DateTimeOffset Time, string StepId, string Step, string Message) : RunEvent(Time, StepId, Step);

/// <summary>A step did not run: the run was cancelled or something it needs failed.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Reason">Why it did not run.</param>
public sealed record StepSkippedEvent(DateTimeOffset Time, string StepId, string Step, string Reason) : RunEvent(Time, StepId, Step);

/// <summary>A warning from a step (a repaired table, a service quirk, …).</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Message">The warning.</param>
public sealed record WarningEvent(DateTimeOffset Time, string StepId, string Step, string Message) : RunEvent(Time, StepId, Step);

/// <summary>Text a step writes for the user (<c>print</c>, <c>show</c>).</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Text">The text.</param>
public sealed record OutputEvent(DateTimeOffset Time, string StepId, string Step, string Text) : RunEvent(Time, StepId, Step);

/// <summary>A step put a table into the workspace.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="StepId">The step.</param>
/// <param name="Step">What the step does.</param>
/// <param name="Name">The table's name in the workspace.</param>
/// <param name="Rows">Its rows.</param>
/// <param name="Columns">Its columns.</param>
public sealed record TableProducedEvent(DateTimeOffset Time, string StepId, string Step, string Name, int Rows, int Columns)
    : RunEvent(Time, StepId, Step);

/// <summary>Receives the events of a run, one at a time (never concurrently), on the thread that ran the step.</summary>
public interface IRunEventSink
{
    /// <summary>Called for each event; should return quickly and not throw (an exception here fails the step that raised the event).</summary>
    void OnEvent(RunEvent runEvent);
}

/// <summary>Ready-made event sinks.</summary>
public static class RunEventSink
{
    /// <summary>A sink that calls <paramref name="onEvent"/>.</summary>
    public static IRunEventSink From(Action<RunEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return new ActionSink(onEvent);
    }

    private sealed class ActionSink(Action<RunEvent> onEvent) : IRunEventSink
    {
        public void OnEvent(RunEvent runEvent) => onEvent(runEvent);
    }
}
