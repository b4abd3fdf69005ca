namespace VoScript.Engine.Runtime;

/// <summary>
/// One area of steps (core, TAP, DAL, registry, SAMP, science, C#, a host's own): it registers,
/// in one place, the kind names it owns, the step type of each and the handler that runs it.
/// A host runs a plan with the modules it was given (see <c>VoScriptHost</c>); nothing else
/// needs to know a module's steps.
/// </summary>
public abstract class StepModule
{
    /// <summary>The module's name (<c>core</c>, <c>tap</c>, …), for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Adds the module's kinds with their handlers to <paramref name="catalog"/>.</summary>
    public abstract void Register(StepCatalog catalog);
}

/// <summary>
/// The step kinds a run can use: for each kind name, the step type and the handler. Made from
/// modules in order; a later module's kind replaces an earlier one's (so a host can swap a handler).
/// </summary>
public sealed class StepCatalog
{
    private readonly Dictionary<string, StepKind> _byKind = new(StringComparer.Ordinal);
    private string _module = "";

    /// <summary>The kinds of <paramref name="modules"/>; a later module's kind replaces an earlier one of the same name.</summary>
    public StepCatalog(IEnumerable<StepModule> modules)
    {
        foreach (var m in modules)
        {
            _module = m.Name;
            m.Register(this);
        }
        _module = "";
    }

    /// <summary>Registers <paramref name="handler"/> for the steps of kind <paramref name="kind"/>.</summary>
    public StepCatalog Add<TStep>(string kind, StepHandler<TStep> handler) where TStep : PlanStep => Add(kind, (IStepHandler)handler);

    /// <summary>Registers an untyped handler (a wrapper, or a handler whose kinds are known only at run time).</summary>
    public StepCatalog Add(string kind, IStepHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        _byKind[kind] = new StepKind(kind, handler.StepType, handler, _module);
        return this;
    }

    /// <summary>Every kind registered.</summary>
    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    /// <summary>The registration of <paramref name="kind"/>, or null.</summary>
    internal StepKind? Find(string kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>The same kinds with each handler wrapped (a host's row limit, say).</summary>
    public StepCatalog Wrap(Func<IStepHandler, IStepHandler> wrap)
    {
        var wrapped = new StepCatalog([]);
        foreach (var k in _byKind.Values) wrapped._byKind[k.Kind] = k with { Handler = wrap(k.Handler) };
        return wrapped;
    }
}

/// <summary>A registered step kind: its name, step type, handler and the module that registered it.</summary>
internal sealed record StepKind(string Kind, Type StepType, IStepHandler Handler, string Module);

/// <summary>A module made of handlers given directly (tests, small hosts).</summary>
internal sealed class HandlerModule(string name, params (string Kind, IStepHandler Handler)[] handlers) : StepModule
{
    public override string Name => name;

    public override void Register(StepCatalog catalog)
    {
        foreach (var (kind, handler) in handlers) catalog.Add(kind, handler);
    }
}
