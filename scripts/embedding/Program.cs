// A host program that embeds VoScript: it registers a catalog source of its own ("twin":
// a copy of a table's positions, shifted), compiles a workflow once, runs it with two
// parameter sets while printing progress, then builds and runs the same work as a plan in C#.
//
//   dotnet run -- DATA.vot OUTDIR
using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Model;
using VoScript.Hosting;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: EmbeddingSample DATA.vot OUTDIR");
    return 2;
}
var data = Path.GetFullPath(args[0]);
var outDir = Directory.CreateDirectory(args[1]).FullName;

var host = new VoScriptHost(new VoScriptHostOptions
{
    MaxParallelism = 2,
    Timeout = TimeSpan.FromMinutes(2),
    MaxRows = 100_000,
    WorkingDirectory = outDir,
});
host.Register(new TwinCatalog());

var sink = RunEventSink.From(e => Console.WriteLine(e switch
{
    StepStartedEvent s => $"[{s.StepId}] start    {s.Step}",
    StepProgressEvent p => $"[{p.StepId}] progress {p.Message}",
    TableProducedEvent t => $"[{t.StepId}] table    {t.Name}: {t.Rows} rows x {t.Columns} columns",
    StepCompletedEvent c => $"[{c.StepId}] done     in {c.Elapsed.TotalMilliseconds:F0} ms",
    StepFailedEvent f => $"[{f.StepId}] FAILED   {f.Message}",
    WarningEvent w => $"[{w.StepId}] warning  {w.Message}",
    OutputEvent o => $"[{o.StepId}] output   {o.Text}",
    _ => $"[{e.StepId}] {e.GetType().Name}",
}));

// 1. A script, parsed once, compiled and run with two parameter sets.
var script = host.Parse($$"""
    param offset = 0.5 arcsec
    param link   = 1 arcsec
    load "{{data.Replace("\\", "\\\\")}}" as field
    select field where g_mag < 18 as bright
    run twin table = bright, offset = offset as twins
    cluster bright, twins within link as pairs
    save pairs to "pairs.vot"
    """, "pairs.vos");
if (script.HasErrors)
{
    foreach (var d in script.Diagnostics) Console.Error.WriteLine(d);
    return 1;
}

foreach (var (offset, link) in new[] { ("0.5 arcsec", "1 arcsec"), ("3 arcsec", "1 arcsec") })
{
    Console.WriteLine($"== script pairs.vos with offset = {offset}, link = {link}");
    var compiled = host.Compile(script, new Dictionary<string, string> { ["offset"] = offset, ["link"] = link });
    if (compiled.HasErrors)
    {
        Console.Error.Write(compiled.FormatDiagnostics());
        return 1;
    }
    var result = await host.RunAsync(compiled.Plan!, sink);
    if (!result.Succeeded)
    {
        Console.Error.WriteLine($"run {result.Outcome}: {result.FirstError}");
        return 1;
    }
    var pairs = result.Workspace.GetTable("pairs");
    Console.WriteLine($"pairs: {pairs.RowCount} rows in {CountGroups(pairs)} groups (offset {offset})");
}

// 2. The same work as a plan built in C#, without the language.
Console.WriteLine("== plan built in C#");
var plan = host.NewPlan("built-in-csharp")
    .Load(data, "field")
    .Run("twin", "twins", new Dictionary<string, object> { ["table"] = new TableRef("field"), ["offset"] = 0.5 / 3600 })
    .Cluster(["field", "twins"], 1.0 / 3600, "pairs")
    .Save("pairs", "pairs-csharp.vot")
    .Build();
var built = await host.RunAsync(plan, sink);
if (!built.Succeeded)
{
    Console.Error.WriteLine($"run {built.Outcome}: {built.FirstError}");
    return 1;
}
Console.WriteLine($"pairs-csharp: {built.Workspace.GetTable("pairs").RowCount} rows in {CountGroups(built.Workspace.GetTable("pairs"))} groups");
Console.WriteLine("embedding sample: ok");
return 0;

static int CountGroups(Table t)
{
    var column = t.Columns.First(c => c.Name == "group_id");
    return Enumerable.Range(0, column.Count).Select(column.FormatCell).Distinct().Count();
}

/// <summary>The host's own catalog source: the positions of a table, shifted north by an angle.</summary>
internal sealed class TwinCatalog : IHostStep
{
    public string Kind => "twin";

    public IReadOnlyList<HostParameter> Parameters { get; } =
    [
        new("table", HostValueKind.Table, Description: "the table whose positions are copied"),
        new("offset", HostValueKind.Angle, Description: "how far north the copies are"),
    ];

    public bool ProducesTable => true;

    public Task<Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken)
    {
        var source = context.GetTable("table");
        var offset = context.GetNumber("offset");
        if (offset < 0) throw new VoScriptException("twin: the offset must not be negative");
        var ra = source.Columns.First(c => c.Field.Ucd?.StartsWith("pos.eq.ra", StringComparison.Ordinal) == true);
        var dec = source.Columns.First(c => c.Field.Ucd?.StartsWith("pos.eq.dec", StringComparison.Ordinal) == true);
        var n = source.RowCount;
        var raOut = new double[n];
        var decOut = new double[n];
        for (var i = 0; i < n; i++)
        {
            raOut[i] = ra.GetDouble(i);
            decOut[i] = dec.GetDouble(i) + offset;
        }
        context.Progress($"{n} twins, {(offset * 3600).ToString("0.###", CultureInfo.InvariantCulture)} arcsec north", n);
        var table = new Table(context.OutputName);
        table.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, raOut));
        table.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, decOut));
        return Task.FromResult<Table?>(table);
    }
}
