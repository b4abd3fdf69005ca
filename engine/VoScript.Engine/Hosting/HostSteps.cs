using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;

namespace VoScript.Hosting;

/// <summary>The kinds of value a host step's parameter takes.</summary>
public enum HostValueKind
{
    /// <summary>A plain number.</summary>
    Number,
    /// <summary>An angle, given to the step in degrees (scripts write <c>6 arcmin</c>, <c>0.1 deg</c>, …).</summary>
    Angle,
    /// <summary>A duration, given to the step in seconds (scripts write <c>30 s</c>, <c>2 min</c>, …).</summary>
    Duration,
    /// <summary>A string.</summary>
    Text,
    /// <summary>A table of the workspace, named by a script or a <see cref="TableRef"/>; the step runs after the step that makes it.</summary>
    Table,
}

/// <summary>One named parameter of a host step.</summary>
/// <param name="Name">The name scripts write (<c>radius = 6 arcmin</c>).</param>
/// <param name="Kind">The kind of value it takes.</param>
/// <param name="Required">Whether every use must give it.</param>
/// <param name="Description">One line for error messages and documentation.</param>
public sealed record HostParameter(string Name, HostValueKind Kind, bool Required = true, string? Description = null);

/// <summary>Names a workspace table as the argument of a host step in a <see cref="PlanBuilder"/>.</summary>
/// <param name="Name">The table's name.</param>
public readonly record struct TableRef(string Name);

/// <summary>
/// A step kind the host adds: its own catalog source, a filter, an export. Register it with
/// <see cref="VoScriptHost.Register"/>; scripts then use it as
/// <c>run KIND name = value … [as TABLE]</c> and C# plans with <see cref="PlanBuilder.Run"/>.
/// The compiler checks the arguments against <see cref="Parameters"/> before anything runs.
/// </summary>
public interface IHostStep
{
    /// <summary>The step kind, a name (letters, digits, underscores; not a built-in kind such as <c>query</c>).</summary>
    string Kind { get; }

    /// <summary>The named parameters it takes.</summary>
    IReadOnlyList<HostParameter> Parameters { get; }

    /// <summary>Whether it makes a table (then <c>as NAME</c> is required and <see cref="ExecuteAsync"/> returns the table).</summary>
    bool ProducesTable { get; }

    /// <summary>
    /// Does the work. Returns the table it makes (or null when <see cref="ProducesTable"/> is false).
    /// Throw <see cref="VoScriptException"/> for failures the user can understand; honour <paramref name="cancellationToken"/>.
    /// </summary>
    Task<Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken);
}

/// <summary>What a host step gets: its arguments, the workspace's tables, and ways to report progress.</summary>
public sealed class HostStepContext
{
    private readonly HostPlanStep _step;
    private readonly StepContext _context;

    internal HostStepContext(HostPlanStep step, StepContext context)
    {
        _step = step;
        _context = context;
    }

    /// <summary>The step's id in its plan.</summary>
    public string StepId => _step.Id;

    /// <summary>The workspace name the produced table gets, or null.</summary>
    public string? OutputName => _step.Output;

    /// <summary>The names of the arguments given (tables included).</summary>
    public IReadOnlyCollection<string> ArgumentNames => [.. _step.Values.Keys, .. _step.Tables.Keys];

    /// <summary>Whether the argument <paramref name="name"/> was given.</summary>
    public bool Has(string name) => _step.Values.ContainsKey(name) || _step.Tables.ContainsKey(name);

    /// <summary>A number, angle (degrees) or duration (seconds) argument; <paramref name="fallback"/> when it was not given.</summary>
    /// <exception cref="VoScriptException">the argument is not a number.</exception>
    public double GetNumber(string name, double? fallback = null)
    {
        if (_step.Values.TryGetValue(name, out var v))
            return v is NumberValue n ? n.Value : throw new VoScriptException($"{_step.Kind}: '{name}' is {v.ToDisplay()}, not a number");
        return fallback ?? throw new VoScriptException($"{_step.Kind}: the argument '{name}' was not given");
    }

    /// <summary>A text argument (a number is given as its invariant text); <paramref name="fallback"/> when it was not given.</summary>
    public string GetText(string name, string? fallback = null)
    {
        if (_step.Values.TryGetValue(name, out var v))
            return v is NumberValue n ? n.Value.ToString("R", CultureInfo.InvariantCulture) : v.ToDisplay();
        return fallback ?? throw new VoScriptException($"{_step.Kind}: the argument '{name}' was not given");
    }

    /// <summary>The table a table argument names.</summary>
    /// <exception cref="VoScriptException">the argument was not given, or the table is not in the workspace.</exception>
    public Table GetTable(string name) =>
        _step.Tables.TryGetValue(name, out var table)
            ? _context.Workspace.GetTable(table)
            : throw new VoScriptException($"{_step.Kind}: the table argument '{name}' was not given");

    /// <summary>A path resolved against the host's working directory.</summary>
    public string ResolvePath(string path) => _context.ResolvePath(path);

    /// <summary>Reports progress (a <see cref="StepProgressEvent"/>).</summary>
    public void Progress(string message, long? rows = null) => _context.Progress(message, rows: rows);

    /// <summary>Reports a warning (a <see cref="WarningEvent"/>, also listed in the run result).</summary>
    public void Warning(string message) => _context.Warning(message);

    /// <summary>Writes text for the user (an <see cref="OutputEvent"/>).</summary>
    public void Output(string text) => _context.Output(text);
}

/// <summary>A plan step of a host-registered kind: its evaluated values and table arguments.</summary>
public sealed record HostPlanStep : PlanStep
{
    /// <summary>The host step's kind (its name in <c>run NAME</c>).</summary>
    public required string HostKind { get; init; }
    /// <summary>The values given to the step, by argument name.</summary>
    public IReadOnlyDictionary<string, PlanValue> Values { get; init; } = new Dictionary<string, PlanValue>();
    /// <summary>The workspace tables given to the step, by argument name.</summary>
    public IReadOnlyDictionary<string, string> Tables { get; init; } = new Dictionary<string, string>();
    /// <summary>The workspace name of the step's result table, if any.</summary>
    public string? Output { get; init; }

    /// <inheritdoc/>
    public override string Kind => HostKind;
    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => Output is null ? [] : [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Tables.Values;

    /// <inheritdoc/>
    public override string Describe()
    {
        var args = Values.Select(kv => $"{kv.Key} = {kv.Value.ToCanonical()}").Concat(Tables.Select(kv => $"{kv.Key} = {kv.Value}"));
        return $"run {HostKind}" + string.Concat(args.Select(a => " " + a)) + (Output is null ? "" : $" as {Output}");
    }
}

/// <summary>Runs a host step: checks its produced table against the contract and puts it into the workspace.</summary>
internal sealed class HostStepHandler(IHostStep step) : StepHandler<HostPlanStep>
{
    public override async Task ExecuteAsync(HostPlanStep s, StepContext context, CancellationToken cancellationToken)
    {
        var table = await step.ExecuteAsync(new HostStepContext(s, context), cancellationToken).ConfigureAwait(false);
        if (s.Output is null) return;
        if (table is null)
            throw new VoScriptException($"the host step '{step.Kind}' returned no table for '{s.Output}'");
        context.Workspace.SetTable(s.Output, table);
    }
}

/// <summary>Checks host steps and their arguments (shared by the plan builder and the language).</summary>
public static class HostStepRules
{
    /// <summary>Kind names no host step may take besides the modules' kinds: the statement that runs host steps, and the language's C# step (its module comes with the plans that need it).</summary>
    private static readonly string[] LanguageKinds = ["run", "csharp"];

    /// <param name="step">the host step to check.</param>
    /// <param name="takenKinds">the kinds of the host's modules and its host steps so far.</param>
    public static void CheckDefinition(IHostStep step, IReadOnlyCollection<string> takenKinds)
    {
        ArgumentNullException.ThrowIfNull(step);
        var kind = step.Kind;
        if (string.IsNullOrEmpty(kind) || !(char.IsLetter(kind[0]) || kind[0] == '_') || !kind.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"a host step kind must be a name (letters, digits, underscores), not '{kind}'", nameof(step));
        if (LanguageKinds.Contains(kind) || takenKinds.Contains(kind))
            throw new ArgumentException($"the step kind '{kind}' is already taken", nameof(step));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in step.Parameters)
            if (!seen.Add(p.Name)) throw new ArgumentException($"the host step '{kind}' declares the parameter '{p.Name}' twice", nameof(step));
    }

    /// <summary>Whether a value fits a parameter kind.</summary>
    public static bool Fits(HostValueKind kind, PlanValue value) => (kind, value) switch
    {
        (HostValueKind.Number, NumberValue { Quantity: Quantity.Number }) => true,
        (HostValueKind.Angle, NumberValue { Quantity: Quantity.Angle }) => true,
        (HostValueKind.Duration, NumberValue { Quantity: Quantity.Duration }) => true,
        (HostValueKind.Text, StringValue) => true,
        _ => false,
    };

    /// <summary>The kind of a host value in words, for messages.</summary>
    public static string Describe(HostValueKind kind) => kind switch
    {
        HostValueKind.Number => "a number",
        HostValueKind.Angle => "an angle (e.g. 6 arcmin)",
        HostValueKind.Duration => "a duration (e.g. 30 s)",
        HostValueKind.Text => "a string",
        _ => "a table name",
    };
}
