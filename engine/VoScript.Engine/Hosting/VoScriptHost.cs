using System.Collections.Concurrent;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Hosting;

/// <summary>
/// The entry point for programs that embed VoScript, and the one composition root of the product
/// (<c>voscript run</c> and the REPL run through it too): holds the options, the step modules and the
/// registered host steps, and runs plans. Thread-safe for runs; each <see cref="RunAsync"/> has its own
/// workspace, a <see cref="VoScriptSession"/> keeps one across runs.
/// Compiling scripts is in the language package (<c>VoScript.Dsl</c>: <c>host.Compile(…)</c>), which has no side effects on the host.
/// </summary>
public sealed class VoScriptHost
{
    private readonly ConcurrentDictionary<string, IHostStep> _hostSteps = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<StepModule> _defaults;
    private readonly IReadOnlyList<StepModule> _given;
    private readonly Lock _registerLock = new();

    /// <summary>A host with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">an option is out of range (parallelism below 1, a non-positive timeout or row limit, a service that is not an http(s) address or is named twice).</exception>
    public VoScriptHost(VoScriptHostOptions? options = null) : this(options, null) { }

    /// <summary>
    /// A host whose runs use the default step modules, then <paramref name="modules"/> (a module's kinds replace
    /// earlier ones of the same name: a test's quick protocol settings, a host's own implementation of a kind).
    /// </summary>
    public VoScriptHost(VoScriptHostOptions? options, IEnumerable<StepModule>? modules)
    {
        Options = options ?? new VoScriptHostOptions();
        if (Options.MaxParallelism < 1) throw new ArgumentException("MaxParallelism must be at least 1", nameof(options));
        if (Options.Timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentException("Timeout must be positive", nameof(options));
        if (Options.MaxRows is < 1) throw new ArgumentException("MaxRows must be at least 1", nameof(options));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Options.Services)
        {
            if (!names.Add(s.Name)) throw new ArgumentException($"the service '{s.Name}' is given twice", nameof(options));
            if (!Uri.TryCreate(s.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new ArgumentException($"the service '{s.Name}': '{s.Url}' is not an http or https address", nameof(options));
        }
        _defaults = StepModules.Defaults(Options.RegistryUrl is { } r ? new ProtocolHandlerOptions { DefaultRegistryUrl = r } : null, Options.Ask);
        _given = modules?.ToList() ?? [];
    }

    /// <summary>The options the host was built with.</summary>
    public VoScriptHostOptions Options { get; }

    /// <summary>The host steps registered so far, by kind.</summary>
    public IReadOnlyDictionary<string, IHostStep> HostSteps => _hostSteps;

    /// <summary>Adds a step kind of the host's own (see <see cref="IHostStep"/>); scripts compiled afterwards may use it.</summary>
    /// <exception cref="ArgumentException">the kind is not a name, is built in, or is registered already.</exception>
    public VoScriptHost Register(IHostStep step)
    {
        lock (_registerLock)
        {
            HostStepRules.CheckDefinition(step, [.. new StepCatalog([.. _defaults, .. _given]).Kinds, .. _hostSteps.Keys]);
            _hostSteps[step.Kind] = step;
        }
        return this;
    }

    /// <summary>A builder for a plan in C#, knowing this host's services and steps.</summary>
    public PlanBuilder NewPlan(string? name = null) => new(name, _hostSteps, Options.Services);

    /// <summary>A session: runs share one workspace (a later run reads what an earlier one made) and single steps can be cancelled.</summary>
    public VoScriptSession OpenSession() => new(this);

    /// <summary>
    /// Runs <paramref name="plan"/> in a new workspace: steps start as soon as what they need is done, at most
    /// <see cref="VoScriptHostOptions.MaxParallelism"/> at a time. Failures of steps are in the result, not thrown;
    /// cancelling <paramref name="cancellationToken"/> stops the run (remote jobs are deleted) and the result says so.
    /// </summary>
    /// <exception cref="VoScriptException">the plan has steps this host cannot run (a host step that is not registered); nothing ran.</exception>
    public Task<RunResult> RunAsync(HostPlan plan, IRunEventSink? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return OpenSession().RunAsync(plan, events, cancellationToken);
    }

    /// <summary>The step kinds a run can use: the host's modules after the plan's own (the language's C# module), then the host steps; wrapped by the row limit.</summary>
    internal StepCatalog CatalogFor(IReadOnlyList<StepModule> planModules)
    {
        var hostSteps = _hostSteps.Values.Select(s => (s.Kind, (IStepHandler)new HostStepHandler(s))).ToArray();
        StepModule[] modules = [.. _defaults, .. planModules, .. _given, new HandlerModule("host", hostSteps)];
        var catalog = new StepCatalog(modules);
        return Options.MaxRows is { } maxRows ? catalog.Wrap(h => new RowLimitHandler(h, maxRows)) : catalog;
    }

    /// <summary>The plan as this host runs it: with the host's services it uses but does not declare, and under the row limit.</summary>
    internal Plan Prepare(Plan plan) => Limit(WithHostServices(plan));

    private Plan WithHostServices(Plan plan)
    {
        var used = plan.Steps.SelectMany(s => s.Services).ToHashSet(StringComparer.Ordinal);
        var missing = Options.Services.Where(s => used.Contains(s.Name) && plan.FindService(s.Name) is null)
            .Select(s => new PlanService(s.Name, s.Protocol, s.Url)).ToList();
        return missing.Count == 0 ? plan : new Plan([.. plan.Services, .. missing], plan.Steps, plan.Name);
    }

    /// <summary>The plan with every query and search asking for at most <see cref="VoScriptHostOptions.MaxRows"/> rows.</summary>
    private Plan Limit(Plan plan) =>
        Options.MaxRows is not { } max ? plan : new Plan(plan.Services, plan.Steps.Select(s => s.WithRowLimit(max)).ToList(), plan.Name);

    /// <summary>Fails a step whose tables exceed the host's row limit.</summary>
    private sealed class RowLimitHandler(IStepHandler inner, long maxRows) : IStepHandler
    {
        public Type StepType => inner.StepType;

        public async Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
        {
            await inner.ExecuteAsync(step, context, cancellationToken).ConfigureAwait(false);
            foreach (var name in step.Outputs)
                if (context.Workspace.TryGetTable(name, out var table) && table.RowCount > maxRows)
                    throw new VoScriptException($"the table '{name}' has {table.RowCount} rows, more than this host allows ({maxRows}); narrow the query or the input");
        }
    }
}
