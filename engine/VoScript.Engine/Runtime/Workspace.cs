using System.Collections.Concurrent;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime;

/// <summary>A remote job a run started (e.g. a UWS job), so that it can be listed and cleaned up.</summary>
public sealed record JobHandle(string StepId, string Service, Uri Url)
{
    /// <summary>The last phase seen (PENDING, QUEUED, EXECUTING, COMPLETED, ERROR, ABORTED, …).</summary>
    public string Phase { get; set; } = "PENDING";
}

/// <summary>
/// The named things of a run: tables, values and remote job handles. Thread-safe:
/// steps running in parallel write to it. Survives a cancelled or failed run, so
/// partial results stay available.
/// </summary>
public sealed class Workspace
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

    /// <summary>The values by name.</summary>
    public IReadOnlyDictionary<string, PlanValue> Values => _values;

    /// <summary>The async jobs started and not finished.</summary>
    public IReadOnlyCollection<JobHandle> Jobs => _jobs.Values.ToList();

    /// <summary>Stores a table under <paramref name="name"/>.</summary>
    public void SetTable(string name, Table table)
    {
        _tables[name] = table;
        lock (_orderLock)
            if (!_tableOrder.Contains(name)) _tableOrder.Add(name);
    }

    /// <summary>Looks a table up.</summary>
    public bool TryGetTable(string name, out Table table) => _tables.TryGetValue(name, out table!);

    /// <exception cref="VoScriptException">no table of that name (yet).</exception>
    public Table GetTable(string name) =>
        _tables.TryGetValue(name, out var t) ? t : throw new VoScriptException($"there is no table '{name}' in the workspace");

    /// <summary>Stores a value.</summary>
    public void SetValue(string name, PlanValue value) => _values[name] = value;

    /// <summary>Looks a value up.</summary>
    public bool TryGetValue(string name, out PlanValue value) => _values.TryGetValue(name, out value!);

    /// <summary>Records a running job.</summary>
    public void AddJob(JobHandle job) => _jobs[job.Url] = job;

    /// <summary>Forgets a job.</summary>
    public void RemoveJob(Uri url) => _jobs.TryRemove(url, out _);
}
