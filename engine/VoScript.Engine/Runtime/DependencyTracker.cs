namespace VoScript.Engine.Runtime;

/// <summary>How a step orders against the others beyond the tables it reads (see <see cref="DependencyTracker"/>).</summary>
[Flags]
public enum StepTraits
{
    /// <summary>Only data orders the step: it waits for the makers of what it reads.</summary>
    None = 0,

    /// <summary>
    /// A visible effect (print, show, load, save, a SAMP send, a csharp block): it waits for the previous effect and for
    /// every step added since then, except async steps not yet read and <see cref="OnlyForReaders"/> steps, so the
    /// effects happen in script order.
    /// </summary>
    Effect = 1,

    /// <summary>An async query: later effects do not wait for it until a step reads what it makes (an <c>await</c>).</summary>
    Async = 2,

    /// <summary>A step only its readers wait for (a <c>let</c> or <c>param</c>); effects do not.</summary>
    OnlyForReaders = 4,

    /// <summary>
    /// A step that reads what earlier effects may have written outside the plan (a <c>load</c> reads a file an earlier
    /// <c>save</c> or csharp block may write): it waits for the previous effect but is not one, so later effects wait for
    /// it like for any step, and two of them in a row run in parallel.
    /// </summary>
    AfterEffects = 8,
}

/// <summary>
/// The one place where a plan's <see cref="PlanStep.DependsOn"/> is computed, for the compiler (statements in script order)
/// and for <c>PlanBuilder</c> (plans built in C#). Add the steps in order; each gets the ids of the earlier steps it must
/// wait for, in the order they were added:
/// <list type="bullet">
/// <item>the step that last made each name it reads (a name no step made, a service or a value, adds nothing);</item>
/// <item>for each name it makes again: the step that made it before and every step that read it since (so a replaced
/// table is not changed under its readers);</item>
/// <item>the previous step of the same <c>chain</c> (csharp blocks share state and run one after the other);</item>
/// <item>for an <see cref="StepTraits.Effect"/> or <see cref="StepTraits.AfterEffects"/>: see there.</item>
/// </list>
/// Steps that need none of this run in parallel. Not thread-safe: one tracker per plan being built.
/// </summary>
public sealed class DependencyTracker
{
    private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastInChain = new(StringComparer.Ordinal);
    private readonly List<string> _settledSinceEffect = [];
    private readonly List<string> _pendingAsync = [];
    private string? _lastEffect;

    /// <summary>The outputs of async steps that no later step has read yet, in the order they were made.</summary>
    public IReadOnlyList<string> PendingAsync => _pendingAsync.ToList();

    /// <summary>The id of the step that last made <paramref name="name"/>, or null when no step added so far makes it.</summary>
    public string? ProducerOf(string name) => _producer.GetValueOrDefault(name);

    /// <summary>Adds the step <paramref name="stepId"/> and returns the ids of the earlier steps it must wait for.</summary>
    /// <param name="stepId">The step's id, new to this tracker.</param>
    /// <param name="reads">The names (tables, values) the step reads; duplicates and unknown names are fine.</param>
    /// <param name="outputs">The names the step makes.</param>
    /// <param name="traits">How it orders beyond data.</param>
    /// <param name="chain">A chain name: the step waits for the previous step of the same chain; null for none.</param>
    /// <exception cref="ArgumentException">the id was added before.</exception>
    public IReadOnlyList<string> Add(string stepId, IEnumerable<string> reads, IEnumerable<string> outputs, StepTraits traits = StepTraits.None, string? chain = null)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        if (!_order.TryAdd(stepId, _order.Count)) throw new ArgumentException($"the step '{stepId}' was added before", nameof(stepId));
        var readList = reads.Distinct(StringComparer.Ordinal).ToList();
        var outputList = outputs.Distinct(StringComparer.Ordinal).ToList();
        var deps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in readList)
            if (_producer.TryGetValue(name, out var producer)) deps.Add(producer);
        foreach (var name in outputList)
        {
            if (_producer.TryGetValue(name, out var earlier)) deps.Add(earlier);
            deps.UnionWith(_readers.GetValueOrDefault(name) ?? []);
        }
        if (chain is not null)
        {
            if (_lastInChain.TryGetValue(chain, out var previous)) deps.Add(previous);
            _lastInChain[chain] = stepId;
        }
        var isEffect = traits.HasFlag(StepTraits.Effect);
        if ((isEffect || traits.HasFlag(StepTraits.AfterEffects)) && _lastEffect is not null) deps.Add(_lastEffect);
        if (isEffect) deps.UnionWith(_settledSinceEffect);
        deps.Remove(stepId);

        foreach (var name in readList)
        {
            if (!_readers.TryGetValue(name, out var list)) _readers[name] = list = [];
            list.Add(stepId);
        }
        foreach (var name in outputList)
        {
            _producer[name] = stepId;
            _readers.Remove(name);
        }
        _pendingAsync.RemoveAll(readList.Contains); // only an await reads an unawaited result
        if (isEffect)
        {
            _lastEffect = stepId;
            _settledSinceEffect.Clear();
        }
        else if (traits.HasFlag(StepTraits.Async)) _pendingAsync.AddRange(outputList);
        else if (!traits.HasFlag(StepTraits.OnlyForReaders)) _settledSinceEffect.Add(stepId);
        return deps.OrderBy(d => _order[d]).ToList();
    }
}
