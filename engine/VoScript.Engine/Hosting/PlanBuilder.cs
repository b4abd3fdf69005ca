using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Hosting;

/// <summary>
/// Builds a <see cref="HostPlan"/> in C#, without the language. Each method adds one step;
/// a step depends on the steps that made the tables it reads, so independent steps run in
/// parallel. Mistakes in the calls (an unknown table, a host step's missing argument) throw
/// <see cref="ArgumentException"/> at once: they are the host program's, not a user's.
/// </summary>
public sealed class PlanBuilder
{
    private readonly List<PlanService> _services = [];
    private readonly List<PlanStep> _steps = [];
    private readonly DependencyTracker _dependencies = new();
    private readonly IReadOnlyDictionary<string, IHostStep> _hostSteps;
    private readonly IReadOnlyList<HostService> _hostServices;
    private readonly string? _name;

    /// <summary>A builder for plans that use only built-in steps and the services they declare.</summary>
    public PlanBuilder(string? name = null) : this(name, new Dictionary<string, IHostStep>(), []) { }

    internal PlanBuilder(string? name, IReadOnlyDictionary<string, IHostStep> hostSteps, IReadOnlyList<HostService> hostServices)
    {
        _name = name;
        _hostSteps = hostSteps;
        _hostServices = hostServices;
    }

    /// <summary>Declares a service the plan's queries and searches name.</summary>
    public PlanBuilder Service(string name, ServiceProtocol protocol, string url)
    {
        if (_services.Any(s => s.Name == name)) throw new ArgumentException($"the service '{name}' is declared twice", nameof(name));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"'{url}' is not an http or https address", nameof(url));
        _services.Add(new PlanService(name, protocol, url));
        return this;
    }

    /// <summary>Reads a VOTable or CSV file into the table <paramref name="asName"/>.</summary>
    public PlanBuilder Load(string path, string asName) =>
        Add(new LoadStep { Id = NextId(), Path = path, Output = asName }, []);

    /// <summary>Writes a table to a file (format from the extension: .vot, .xml, .csv, …).</summary>
    public PlanBuilder Save(string table, string path) =>
        Add(new SaveStep { Id = NextId(), Table = table, Path = path }, [table]);

    /// <summary>Writes text (an <see cref="OutputEvent"/>).</summary>
    public PlanBuilder Print(string text) => Add(new PrintStep { Id = NextId(), Text = text }, []);

    /// <summary>An ADQL query on a TAP service into the table <paramref name="asName"/>; async runs it as a UWS job.</summary>
    public PlanBuilder Query(string service, string adql, string asName, bool async = false, long? maxRec = null)
    {
        NeedService(service, ServiceProtocol.Tap);
        return Add(new QueryStep { Id = NextId(), Service = service, Adql = adql, Output = asName, Async = async, MaxRec = maxRec }, []);
    }

    /// <summary>A Simple Cone Search around a position (degrees) into the table <paramref name="asName"/>.</summary>
    public PlanBuilder Cone(string service, double raDeg, double decDeg, double radiusDeg, string asName, long? maxRec = null)
    {
        NeedService(service, ServiceProtocol.Scs);
        return Add(new PositionSearchStep
        {
            Id = NextId(), Search = PositionSearchKind.Cone, Service = service, Ra = raDeg, Dec = decDeg, Radius = radiusDeg, Output = asName, MaxRec = maxRec,
        }, []);
    }

    /// <summary>Friends-of-friends groups of the positions of <paramref name="tables"/>, linking within <paramref name="linkDeg"/> degrees.</summary>
    public PlanBuilder Cluster(IReadOnlyList<string> tables, double linkDeg, string asName)
    {
        if (tables.Count == 0) throw new ArgumentException("cluster needs at least one table", nameof(tables));
        if (!(linkDeg > 0)) throw new ArgumentException("the linking length must be a positive angle", nameof(linkDeg));
        return Add(new ClusterStep { Id = NextId(), Tables = tables.ToList(), LinkDegrees = linkDeg, Output = asName }, tables);
    }

    /// <summary>One row per object, band and source: wavelength, magnitude and flux (from a clustered table).</summary>
    public PlanBuilder Sed(string table, string asName) =>
        Add(new SedStep { Id = NextId(), Table = table, Output = asName }, [table]);

    /// <summary>
    /// A step of a host-registered kind (see <see cref="IHostStep"/>). Argument values: <see cref="double"/>
    /// (or another number type) for numbers, angles in degrees and durations in seconds, <see cref="string"/>
    /// for text, <see cref="TimeSpan"/> for durations, <see cref="TableRef"/> for tables.
    /// </summary>
    /// <exception cref="ArgumentException">the kind is not registered with the host this builder came from, or the arguments do not fit its parameters.</exception>
    public PlanBuilder Run(string kind, string? asName, IReadOnlyDictionary<string, object> arguments)
    {
        if (!_hostSteps.TryGetValue(kind, out var hostStep))
            throw new ArgumentException($"no host step '{kind}' is registered" + (_hostSteps.Count == 0 ? " (make the builder with VoScriptHost.NewPlan)" : $"; there are {string.Join(", ", _hostSteps.Keys)}"), nameof(kind));
        var values = new Dictionary<string, PlanValue>(StringComparer.Ordinal);
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, raw) in arguments)
        {
            var p = hostStep.Parameters.FirstOrDefault(x => x.Name == name)
                ?? throw new ArgumentException($"the host step '{kind}' has no parameter '{name}'", nameof(arguments));
            if (p.Kind == HostValueKind.Table)
            {
                tables[name] = raw is TableRef t ? t.Name : throw new ArgumentException($"'{name}' takes a table: pass a TableRef", nameof(arguments));
                continue;
            }
            var quantity = p.Kind switch
            {
                HostValueKind.Angle => Quantity.Angle,
                HostValueKind.Duration => Quantity.Duration,
                _ => Quantity.Number,
            };
            PlanValue value = (p.Kind, raw) switch
            {
                (HostValueKind.Text, string s) => new StringValue(s),
                (HostValueKind.Duration, TimeSpan ts) => new NumberValue(ts.TotalSeconds, Quantity.Duration),
                (HostValueKind.Number or HostValueKind.Angle or HostValueKind.Duration, double or float or int or long or short or byte or decimal) =>
                    new NumberValue(Convert.ToDouble(raw, CultureInfo.InvariantCulture), quantity),
                _ => throw new ArgumentException($"'{name}' takes {HostStepRules.Describe(p.Kind)}, not {raw}", nameof(arguments)),
            };
            values[name] = value;
        }
        foreach (var p in hostStep.Parameters.Where(p => p.Required && !arguments.ContainsKey(p.Name)))
            throw new ArgumentException($"the host step '{kind}' needs the argument '{p.Name}'", nameof(arguments));
        if (hostStep.ProducesTable && asName is null) throw new ArgumentException($"the host step '{kind}' makes a table: give it a name", nameof(asName));
        if (!hostStep.ProducesTable && asName is not null) throw new ArgumentException($"the host step '{kind}' makes no table", nameof(asName));
        return Add(new HostPlanStep { Id = NextId(), HostKind = kind, Values = values, Tables = tables, Output = asName }, tables.Values.ToList());
    }

    /// <summary>The plan of the steps added so far.</summary>
    public HostPlan Build() => new(new Plan(_services, _steps, _name));

    private string NextId() => "s" + (_steps.Count + 1).ToString(CultureInfo.InvariantCulture);

    private void NeedService(string name, ServiceProtocol protocol)
    {
        var declared = _services.FirstOrDefault(s => s.Name == name);
        if (declared is null && _hostServices.FirstOrDefault(s => s.Name == name) is { } hs)
        {
            declared = new PlanService(hs.Name, hs.Protocol, hs.Url);
            _services.Add(declared);
        }
        if (declared is null) throw new ArgumentException($"no service '{name}': declare it with Service(…) first", nameof(name));
        if (declared.Kind != protocol && !(protocol == ServiceProtocol.Tap && declared.Kind == ServiceProtocol.Registry))
            throw new ArgumentException($"the service '{name}' is {declared.Kind.Name()}, this step needs {protocol.Name()}", nameof(name));
    }

    /// <summary>
    /// Adds the step after the makers of what it reads; a step that replaces a table also runs after the step that made
    /// it and the steps that read it (<see cref="DependencyTracker"/>). Effects are not ordered: a C# host orders them by data.
    /// </summary>
    private PlanBuilder Add(PlanStep step, IReadOnlyCollection<string> reads)
    {
        foreach (var table in reads)
            if (_dependencies.ProducerOf(table) is null)
                throw new ArgumentException($"step {step.Id} ({step.Describe()}) reads the table '{table}', which no earlier step makes");
        _steps.Add(step with { DependsOn = _dependencies.Add(step.Id, reads, step.Outputs) });
        return this;
    }
}
