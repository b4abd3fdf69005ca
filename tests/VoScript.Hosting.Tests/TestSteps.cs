using VoScript.Engine;
using VoScript.Engine.Model;

namespace VoScript.Hosting.Tests;

/// <summary>A host's own catalog source: n positions on a line from (ra, dec), spaced by step degrees.</summary>
internal sealed class LineCatalog : IHostStep
{
    public string Kind => "linecat";

    public IReadOnlyList<HostParameter> Parameters { get; } =
    [
        new("ra", HostValueKind.Angle),
        new("dec", HostValueKind.Angle),
        new("n", HostValueKind.Number),
        new("step", HostValueKind.Angle, Required: false, Description: "spacing (default 1 arcsec)"),
        new("label", HostValueKind.Text, Required: false),
    ];

    public bool ProducesTable => true;

    public Task<Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken)
    {
        var n = (int)context.GetNumber("n");
        if (n < 0) throw new VoScriptException("linecat: n must not be negative");
        var ra0 = context.GetNumber("ra");
        var dec0 = context.GetNumber("dec");
        var step = context.GetNumber("step", 1 / 3600.0);
        var label = context.GetText("label", "line");
        var ra = new double[n];
        var dec = new double[n];
        var names = new string?[n];
        for (var i = 0; i < n; i++)
        {
            ra[i] = ra0 + i * step;
            dec[i] = dec0;
            names[i] = $"{label}-{i}";
        }
        context.Progress($"made {n} positions", n);
        var table = new Table(context.OutputName);
        table.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main" }, ra));
        table.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, dec));
        table.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Fixed()) { Ucd = "meta.id" }, names));
        return Task.FromResult<Table?>(table);
    }
}

/// <summary>Reads a table argument and reports its row count as output; makes no table.</summary>
internal sealed class CountRows : IHostStep
{
    public string Kind => "countrows";
    public IReadOnlyList<HostParameter> Parameters { get; } = [new("table", HostValueKind.Table)];
    public bool ProducesTable => false;

    public Task<Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken)
    {
        context.Output($"rows: {context.GetTable("table").RowCount}");
        context.Warning("counted without looking at nulls");
        return Task.FromResult<Table?>(null);
    }
}

/// <summary>Waits until cancelled; signals when it has started.</summary>
internal sealed class WaitForever : IHostStep
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public string Kind => "waitforever";
    public IReadOnlyList<HostParameter> Parameters { get; } = [];
    public bool ProducesTable => false;

    public async Task<Table?> ExecuteAsync(HostStepContext context, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }
}

internal sealed class EventLog : IRunEventSink
{
    private readonly List<RunEvent> _events = [];
    public IReadOnlyList<RunEvent> Events { get { lock (_events) return _events.ToList(); } }
    public void OnEvent(RunEvent runEvent) { lock (_events) _events.Add(runEvent); }
}

internal static class Repo
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("VoScript.sln not found above the test directory");
        }
    }

    public static string SampleVot => Path.Combine(Root, "scripts", "data", "sample.vot");
}
