using System.Globalization;
using System.Text;

namespace VoScript.Engine.Runtime;

/// <summary>How a step ended.</summary>
public enum StepStatus
{
    /// <summary>It ran to the end.</summary>
    Succeeded,
    /// <summary>It failed.</summary>
    Failed,
    /// <summary>It was cancelled.</summary>
    Cancelled,
    /// <summary>It did not run.</summary>
    Skipped,
}

/// <summary>How a run ended.</summary>
public enum RunStatus
{
    /// <summary>Every step succeeded.</summary>
    Succeeded,
    /// <summary>A step failed.</summary>
    Failed,
    /// <summary>The run was cancelled.</summary>
    Cancelled,
}

/// <summary>How one step of a run ended.</summary>
/// <param name="Step">The step.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Message">Why it failed or was skipped, if it did.</param>
public sealed record StepResult(PlanStep Step, StepStatus Status, TimeSpan Elapsed, string? Message)
{
    /// <summary>The step alone was cancelled (<see cref="Executor.CancelStep"/>), not its run: the others went on.</summary>
    public bool CancelledAlone { get; init; }
}

/// <summary>A table left in the workspace at the end of a run.</summary>
internal sealed record TableSummary(string Name, int Rows, int Columns, int Warnings);

/// <summary>How a run ended: every step's outcome, the tables made, warnings and time.</summary>
public sealed class RunSummary
{
    internal RunSummary(RunStatus status, TimeSpan elapsed, IReadOnlyList<StepResult> steps, Workspace workspace,
        IReadOnlyList<(string StepId, string Message)> warnings)
    {
        Status = status;
        Elapsed = elapsed;
        Steps = steps;
        // in plan order (tables made by earlier steps first), whatever order parallel steps finished in
        var names = workspace.TableNames;
        int Rank(string n)
        {
            var i = steps.ToList().FindIndex(s => s.Step.Outputs.Contains(n));
            return i < 0 ? int.MaxValue : i;
        }
        Tables = names.OrderBy(Rank).ThenBy(n => names.ToList().IndexOf(n))
            .Select(n => (Name: n, Table: workspace.GetTable(n)))
            .Select(x => new TableSummary(x.Name, x.Table.RowCount, x.Table.ColumnCount, x.Table.Warnings.Count))
            .ToList();
        // Once per table: a table made from others (cluster, sed, select) carries their warnings
        // too; a warning is reported on the first table (in plan order) that has it.
        var reported = new HashSet<(string, string)>();
        var tableWarnings = new List<string>();
        foreach (var n in Tables.Select(t => t.Name))
            foreach (var w in workspace.GetTable(n).Warnings.All)
                if (reported.Add((w.Code, w.Message)))
                    tableWarnings.Add($"{n}: {w.Message}" + (w.Count > 1 ? $" ({w.Count.ToString(CultureInfo.InvariantCulture)} times)" : ""));
        Warnings = warnings.Select(w => $"{w.StepId}: {w.Message}").Concat(tableWarnings).ToList();
        Jobs = workspace.Jobs.ToList();
    }

    /// <summary>How the run ended.</summary>
    public RunStatus Status { get; }
    /// <summary>How long it took.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>Each step's result.</summary>
    public IReadOnlyList<StepResult> Steps { get; }
    /// <summary>The tables made.</summary>
    internal IReadOnlyList<TableSummary> Tables { get; }
    /// <summary>The warnings.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Remote jobs still known at the end (kept on purpose, or not cleaned up).</summary>
    public IReadOnlyList<JobHandle> Jobs { get; }

    /// <summary>The failed steps.</summary>
    public IEnumerable<StepResult> Failures => Steps.Where(s => s.Status == StepStatus.Failed);

    /// <summary>The summary as plain text lines.</summary>
    public override string ToString() => ToString(withErrors: true);

    /// <summary>The summary; without the failed steps' messages when the host has shown them already (the count stays).</summary>
    public string ToString(bool withErrors)
    {
        var sb = new StringBuilder();
        var word = Status switch
        {
            RunStatus.Succeeded => "finished",
            RunStatus.Failed => "failed",
            _ => "cancelled",
        };
        sb.Append(CultureInfo.InvariantCulture, $"run {word} in {Elapsed.TotalSeconds:0.0} s: ")
          .Append(CultureInfo.InvariantCulture, $"{Steps.Count(s => s.Status == StepStatus.Succeeded)} of {Steps.Count} steps done");
        var failed = Steps.Count(s => s.Status == StepStatus.Failed);
        var skipped = Steps.Count(s => s.Status is StepStatus.Skipped or StepStatus.Cancelled);
        if (failed > 0) sb.Append(CultureInfo.InvariantCulture, $", {failed} failed");
        if (skipped > 0) sb.Append(CultureInfo.InvariantCulture, $", {skipped} not run");
        sb.Append('\n');
        if (Tables.Count > 0)
        {
            sb.Append(Status == RunStatus.Succeeded ? "tables:\n" : "tables (partial results kept):\n");
            var w = Tables.Max(t => t.Name.Length);
            foreach (var t in Tables)
                sb.Append("  ").Append(t.Name.PadRight(w))
                  .Append(CultureInfo.InvariantCulture, $"  {t.Rows} rows, {t.Columns} columns\n");
        }
        foreach (var f in Steps.Where(s => withErrors && s.Status == StepStatus.Failed))
            sb.Append("error: ").Append(f.Step.Origin ?? f.Step.Id).Append(' ').Append(f.Step.Kind).Append(": ").Append(f.Message).Append('\n');
        foreach (var w in Warnings) sb.Append("warning: ").Append(w).Append('\n');
        foreach (var j in Jobs) sb.Append("job kept: ").Append(j.Service).Append(' ').Append(j.Url).Append(" (").Append(j.Phase).Append(")\n");
        return sb.ToString();
    }
}
