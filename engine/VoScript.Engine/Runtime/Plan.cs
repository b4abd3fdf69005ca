namespace VoScript.Engine.Runtime;

/// <summary>
/// What a run will do: services, parameters and steps with their dependencies.
/// Built by the language compiler, or by hand from C#; the engine needs nothing else.
/// </summary>
public sealed class Plan
{
    private readonly Dictionary<string, PlanStep> _byId;
    private readonly Dictionary<string, PlanService> _services;

    /// <exception cref="ArgumentException">ids repeat, a dependency is unknown or comes later, or a step names an unknown service.</exception>
    public Plan(IEnumerable<PlanService> services, IEnumerable<PlanStep> steps, string? name = null)
    {
        Name = name;
        Services = services.ToList();
        Steps = steps.ToList();
        _services = [];
        foreach (var s in Services)
            if (!_services.TryAdd(s.Name, s)) throw new ArgumentException($"service '{s.Name}' is defined twice");
        _byId = [];
        foreach (var step in Steps)
        {
            foreach (var d in step.DependsOn)
                if (!_byId.ContainsKey(d))
                    throw new ArgumentException($"step '{step.Id}' depends on '{d}', which is not an earlier step");
            if (!_byId.TryAdd(step.Id, step)) throw new ArgumentException($"step id '{step.Id}' is used twice");
            foreach (var service in step.Services)
                if (!_services.ContainsKey(service))
                    throw new ArgumentException($"step '{step.Id}' uses service '{service}', which the plan does not define");
        }
    }

    /// <summary>A label for the plan (usually the script's file name).</summary>
    public string? Name { get; }

    /// <summary>The services the steps use.</summary>
    public IReadOnlyList<PlanService> Services { get; }

    /// <summary>In an order where every step comes after its dependencies.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>The step with id <paramref name="id"/>.</summary>
    public PlanStep this[string id] => _byId[id];

    /// <summary>The service named <paramref name="name"/>, or null.</summary>
    public PlanService? FindService(string name) => _services.GetValueOrDefault(name);

    /// <summary>The plan in its canonical text form.</summary>
    public override string ToString() => PlanPrinter.Print(this);
}
