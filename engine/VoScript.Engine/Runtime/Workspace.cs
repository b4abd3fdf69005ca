using System.Collections.Concurrent;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime;

/// <summary>A remote job a run started (e.g. a UWS job), so that it can be listed and cleaned up.</summary>
internal sealed record JobHandle(string StepId, string Service, Uri Url)
{
    /// <summary>The last phase seen (PENDING, QUEUED, EXECUTING, COMPLETED, ERROR, ABORTED, …).</summary>
    public string Phase { get; set; } = "PENDING";
}

/// <summary>
/// The named things of a run: tables, values and remote job handles. Thread-safe:
/// steps running in parallel write to it. Survives a cancelled or failed run, so
/// partial results stay available.
/// </summary>
internal sealed class Workspace
{
    private readonly ConcurrentDictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PlanValue> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uri, JobHandle> _jobs = new();
    private readonly List<string> _tableOrder = [];
    private readonly Lock _orderLock = new();

    /// <summary>Table names in the order they were first set.</summary>
    public IReadOnlyList<string> TableNames
    {
        get { lock (_orderLock) return _tableOrder.ToList(); }
    }

    public IReadOnlyDictionary<string, PlanValue> Values => _values;

    public IReadOnlyCollection<JobHandle> Jobs => _jobs.Values.ToList();

    public void SetTable(string name, Table table)
    {
        _tables[name] = table;
        lock (_orderLock)
            if (!_tableOrder.Contains(name)) _tableOrder.Add(name);
    }

    public bool TryGetTable(string name, out Table table) => _tables.TryGetValue(name, out table!);

    /// <exception cref="VoScriptException">no table of that name (yet).</exception>
    public Table GetTable(string name) =>
        _tables.TryGetValue(name, out var t) ? t : throw new VoScriptException($"there is no table '{name}' in the workspace");

    public void SetValue(string name, PlanValue value) => _values[name] = value;

    public bool TryGetValue(string name, out PlanValue value) => _values.TryGetValue(name, out value!);

    public void AddJob(JobHandle job) => _jobs[job.Url] = job;

    public void RemoveJob(Uri url) => _jobs.TryRemove(url, out _);
}
