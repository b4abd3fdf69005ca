using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;

namespace VoScript.Hosting;

/// <summary>The tables and values a run left, read-only. Partial results of a failed or cancelled run are here too.</summary>
public sealed class WorkspaceView
{
    private readonly Workspace _workspace;

    internal WorkspaceView(Workspace workspace) => _workspace = workspace;

    /// <summary>Table names in the order they were first set.</summary>
    public IReadOnlyList<string> TableNames => _workspace.TableNames;

    /// <summary>The names of the values (params and lets) the run set.</summary>
    public IReadOnlyCollection<string> ValueNames => _workspace.Values.Keys.ToList();

    /// <summary>The table <paramref name="name"/>.</summary>
    /// <exception cref="VoScriptException">there is no such table.</exception>
    public Table GetTable(string name) => _workspace.GetTable(name);

    /// <summary>The table <paramref name="name"/>, if the run made it.</summary>
    public bool TryGetTable(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Table? table)
    {
        if (_workspace.TryGetTable(name, out var t)) { table = t; return true; }
        table = null;
        return false;
    }

    /// <summary>A value as a person reads it (<c>0.1 deg</c>, <c>30 s</c>, text unquoted), or null when there is none.</summary>
    public string? GetValueText(string name) => _workspace.TryGetValue(name, out var v) ? v.ToDisplay() : null;

    /// <summary>A number value (angles in degrees, durations in seconds), or null when there is none or it is not a number.</summary>
    public double? GetNumber(string name) => _workspace.TryGetValue(name, out var v) && v is NumberValue n ? n.Value : null;
}

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Every step succeeded.</summary>
    Succeeded,
    /// <summary>A step failed (the steps that needed it were skipped).</summary>
    Failed,
    /// <summary>The host's cancellation token was cancelled.</summary>
    Cancelled,
    /// <summary>The run took longer than <see cref="VoScriptHostOptions.Timeout"/> and was cancelled.</summary>
    TimedOut,
}

/// <summary>How a step ended.</summary>
public enum StepOutcome
{
    /// <summary>It ran and succeeded.</summary>
    Succeeded,
    /// <summary>It ran and failed.</summary>
    Failed,
    /// <summary>It was running when the run was cancelled.</summary>
    Cancelled,
    /// <summary>It did not run.</summary>
    Skipped,
}

/// <summary>One step's outcome.</summary>
/// <param name="Id">The step's id.</param>
/// <param name="Description">What the step does.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Message">Why it failed or was skipped; null when it succeeded.</param>
public sealed record StepResultInfo(string Id, string Description, StepOutcome Outcome, TimeSpan Elapsed, string? Message);

/// <summary>What a run did: outcome, every step, warnings, and the workspace it left.</summary>
public sealed class RunResult
{
    internal RunResult(RunOutcome outcome, TimeSpan elapsed, IReadOnlyList<StepResultInfo> steps, IReadOnlyList<string> warnings, WorkspaceView workspace)
    {
        Outcome = outcome;
        Elapsed = elapsed;
        Steps = steps;
        Warnings = warnings;
        Workspace = workspace;
    }

    /// <summary>How the run ended.</summary>
    public RunOutcome Outcome { get; }

    /// <summary>True when every step succeeded.</summary>
    public bool Succeeded => Outcome == RunOutcome.Succeeded;

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Every step's outcome, in plan order.</summary>
    public IReadOnlyList<StepResultInfo> Steps { get; }

    /// <summary>The warnings of the run, each prefixed with its step id (<c>s3: …</c>).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The tables and values the run left.</summary>
    public WorkspaceView Workspace { get; }

    /// <summary>The first failure message, or null.</summary>
    public string? FirstError => Steps.FirstOrDefault(s => s.Outcome == StepOutcome.Failed)?.Message;
}
