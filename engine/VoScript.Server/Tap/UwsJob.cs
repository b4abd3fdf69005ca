using VoScript.Engine.Protocols.Tap;

namespace VoScript.Server.Tap;

/// <summary>One asynchronous TAP query: its parameters, phase, times and result or error. Guarded by <see cref="Sync"/>.</summary>
internal sealed class UwsJob(string id, TapParameters parameters, DateTimeOffset creation, TimeSpan executionDuration, DateTimeOffset destruction)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object Sync { get; } = new();
    public string Id { get; } = id;
    public TapParameters Parameters { get; } = parameters;
    public DateTimeOffset CreationTime { get; } = creation;
    public UwsPhase Phase { get; private set; } = UwsPhase.Pending;
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
    public TimeSpan ExecutionDuration { get; set; } = executionDuration;
    public DateTimeOffset Destruction { get; set; } = destruction;
    public string? ErrorMessage { get; set; }
    /// <summary>The result file (written when COMPLETED) and its content type.</summary>
    public string? ResultPath { get; set; }
    public string? ResultContentType { get; set; }
    public long ResultRows { get; set; }
    public bool Overflow { get; set; }
    public CancellationTokenSource? Cancel { get; set; }
    public bool AbortRequested { get; set; }
    public bool Deleted { get; set; }

    public string? RunId => Parameters.GetAll("RUNID") is [var r, ..] ? r : null;

    /// <summary>Completes when the phase next changes.</summary>
    public Task Changed { get { lock (Sync) return _changed.Task; } }

    /// <summary>Sets the phase (caller holds <see cref="Sync"/>) and wakes blocked WAIT requests.</summary>
    public void SetPhase(UwsPhase phase)
    {
        if (Phase == phase) return;
        Phase = phase;
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    /// <summary>The latest time the job will have finished: its start (or now) plus its execution duration; its end once it ended.</summary>
    public DateTimeOffset Quote(DateTimeOffset now) =>
        EndTime ?? (StartTime ?? now) + ExecutionDuration;
}
