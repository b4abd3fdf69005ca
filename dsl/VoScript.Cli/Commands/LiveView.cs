using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using VoScript.Engine.Runtime;

namespace VoScript.Cli.Commands;

/// <summary>
/// The live view of a run on a terminal: one row per step that talks to a
/// service (service, phase, elapsed, rows), redrawn on stderr while the run
/// goes on. Plain progress lines are used instead when stderr is not a terminal.
/// </summary>
internal sealed class LiveView
{
    private sealed class Row(PlanStep step, string service)
    {
        public PlanStep Step { get; } = step;
        public string Service { get; } = service;
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public string Phase { get; set; } = "starting";
        public long? Rows { get; set; }
        public string State { get; set; } = "running";
    }

    private readonly Lock _lock = new();
    private readonly List<Row> _rows = [];
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static bool Available => !Console.IsErrorRedirected && !Console.IsInputRedirected;

    public void OnEvent(ExecutionEvent e)
    {
        lock (_lock)
        {
            switch (e)
            {
                case StepStarted s when ServiceOf(s.Step) is { } service:
                    _rows.Add(new Row(s.Step, service));
                    break;
                case StepProgress p when Find(p.Step) is { } row:
                    if (p.Phase is not null) row.Phase = p.Phase;
                    if (p.Rows is not null) row.Rows = p.Rows;
                    break;
                case StepCompleted c when Find(c.Step) is { } row:
                    Finish(row, "done");
                    break;
                case StepFailed f when Find(f.Step) is { } row:
                    Finish(row, "failed");
                    break;
                case StepSkipped s when Find(s.Step) is { } row:
                    Finish(row, "cancelled");
                    break;
            }
        }
    }

    private static void Finish(Row row, string state)
    {
        row.State = state;
        row.Clock.Stop();
    }

    private Row? Find(PlanStep step) => _rows.LastOrDefault(r => ReferenceEquals(r.Step, step));

    private static string? ServiceOf(PlanStep step) => step switch
    {
        QueryStep q => q.Service,
        QueryEachStep q => "each of " + q.ServiceSet,
        PositionSearchStep p => p.Service,
        FindServicesStep f => f.Registry ?? "registry",
        SendStep s => "SAMP " + s.Client,
        ReceiveStep r => "SAMP " + (r.From ?? "any client"),
        PointStep p => "SAMP " + p.Client,
        _ => null,
    };

    private Table Render()
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("step").AddColumn("service").AddColumn("phase").AddColumn(new TableColumn("elapsed").RightAligned())
            .AddColumn(new TableColumn("rows").RightAligned()).AddColumn("state");
        lock (_lock)
        {
            foreach (var r in _rows)
            {
                var color = r.State switch { "done" => "green", "failed" => "red", "cancelled" => "yellow", _ => "blue" };
                table.AddRow(
                    Markup.Escape(r.Step.Origin ?? r.Step.Id),
                    Markup.Escape(r.Service),
                    Markup.Escape(r.Phase),
                    r.Clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
                    r.Rows?.ToString(CultureInfo.InvariantCulture) ?? "",
                    $"[{color}]{r.State}[/]");
            }
        }
        return table;
    }

    /// <summary>Shows the view until <paramref name="run"/> ends; the last state stays on screen.</summary>
    public Task<T> ShowWhile<T>(Func<Task<T>> run) =>
        _console.Live(Render()).AutoClear(false).StartAsync(async ctx =>
        {
            var task = run();
            while (!task.IsCompleted)
            {
                ctx.UpdateTarget(Render());
                await Task.WhenAny(task, Task.Delay(250)).ConfigureAwait(false);
            }
            ctx.UpdateTarget(Render());
            return await task.ConfigureAwait(false);
        });
}
