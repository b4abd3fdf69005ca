using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.CSharp;

/// <summary>
/// What the C# of a <c>csharp { … }</c> block has in scope besides the typed variables the
/// compiler declares for the workspace names it uses (<c>gdr3</c> as a <see cref="ScriptTable"/>,
/// <c>radius</c> as a double, …): every table and value by name, the script's services, the
/// run's cancellation token, a log and <see cref="Print"/>.
/// </summary>
public sealed class ScriptGlobals
{
    private StepContext? _context;

    internal ScriptGlobals()
    {
    }

    /// <summary>Every table of the workspace, by name: <c>Tables["gdr3"]</c>.</summary>
    public ScriptTables Tables => new(Context.Workspace);

    /// <summary>
    /// Every value of the workspace, by name: numbers as double (angles in degrees, durations in
    /// seconds), strings as string, lists as object?[].
    /// </summary>
    public IReadOnlyDictionary<string, object?> Values =>
        Context.Workspace.Values.ToDictionary(kv => kv.Key, kv => ToObject(kv.Value), StringComparer.Ordinal);

    /// <summary>The script's services, by name.</summary>
    public IReadOnlyDictionary<string, ScriptService> Services =>
        Context.Plan.Services.ToDictionary(s => s.Name, s => new ScriptService(s.Name, s.Kind.Name(), s.Url), StringComparer.Ordinal);

    /// <summary>Cancelled when the run is cancelled or the block runs past its time limit; pass it on, or check it in long loops.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Progress messages and warnings, shown like those of other steps.</summary>
    public ScriptLog Log => new(Context);

    /// <summary>Prints a line as <c>print</c> does (tables as their one-line summary).</summary>
    public void Print(object? value) => Context.Output(value switch
    {
        null => "null",
        ScriptTable t => TableSummary(t.Table),
        VoScript.Engine.Model.Table t => TableSummary(t),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    });

    private static string TableSummary(VoScript.Engine.Model.Table t) => VoScript.Engine.Runtime.Modules.TableText.Summary(t.Name ?? "table", t);

    private StepContext Context => _context ?? throw new InvalidOperationException("the workspace is only available while the block runs");

    internal void Bind(StepContext context, CancellationToken token)
    {
        _context = context;
        CancellationToken = token;
    }

    internal static object? ToObject(PlanValue value) => value switch
    {
        NumberValue n => n.Value,
        StringValue s => s.Value,
        ListValue l => l.Items.Select(ToObject).ToArray(),
        _ => null,
    };
}

/// <summary>The workspace's tables by name.</summary>
public sealed class ScriptTables
{
    private readonly Workspace _workspace;

    internal ScriptTables(Workspace workspace) => _workspace = workspace;

    /// <summary>The table of that name; throws naming the tables there are when there is none.</summary>
    public ScriptTable this[string name] =>
        _workspace.TryGetTable(name, out var t)
            ? new ScriptTable(t)
            : throw new KeyNotFoundException($"there is no table '{name}' in the workspace; tables are {(Names.Count == 0 ? "none" : string.Join(", ", Names))}");

    /// <summary>The table names, in the order the tables were made.</summary>
    public IReadOnlyList<string> Names => _workspace.TableNames;

    /// <summary>Whether there is a table of that name.</summary>
    public bool Contains(string name) => _workspace.TryGetTable(name, out _);
}

/// <summary>A service the script defines.</summary>
/// <param name="Name">the name the script gives it</param>
/// <param name="Kind">its protocol: tap, scs, sia, ssa or registry</param>
/// <param name="Url">its address</param>
public sealed record ScriptService(string Name, string Kind, string Url);

/// <summary>Messages from a block: <see cref="Info"/> is progress (hidden by --quiet), <see cref="Warning"/> is a warning of the run.</summary>
public sealed class ScriptLog
{
    private readonly StepContext _context;

    internal ScriptLog(StepContext context) => _context = context;

    /// <summary>A progress message (shown like other steps' progress; hidden by --quiet).</summary>
    public void Info(string message) => _context.Progress(message);

    /// <summary>A warning of the run (listed in the run's summary).</summary>
    public void Warning(string message) => _context.Warning(message);
}
