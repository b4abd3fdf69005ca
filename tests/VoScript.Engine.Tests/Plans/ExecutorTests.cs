using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Plans;

[TestFixture]
public class ExecutorTests
{
    /// <summary>A test step: waits for its gate (if any), then writes a one-row table named after its id.</summary>
    private sealed record WorkStep : PlanStep
    {
        public override string Kind => "work";
        public bool Fail { get; init; }
        public bool OutOfMemory { get; init; }
        public bool Continue { get; init; }
        public override bool ContinueOnError => Continue;
        public override IEnumerable<string> Outputs => [Id];
        public override string Describe() => "work " + Id;
    }

    private sealed class WorkHandler : StepHandler<WorkStep>
    {
        private int _running;
        public int MaxConcurrent;
        public readonly List<string> Started = [];
        public readonly Dictionary<string, TaskCompletionSource> Gates = [];

        public override async Task ExecuteAsync(WorkStep step, StepContext context, CancellationToken cancellationToken)
        {
            lock (Started) Started.Add(step.Id);
            var now = Interlocked.Increment(ref _running);
            lock (Started) MaxConcurrent = Math.Max(MaxConcurrent, now);
            try
            {
                if (Gates.TryGetValue(step.Id, out var gate)) await gate.Task.WaitAsync(cancellationToken);
                else await Task.Delay(30, cancellationToken);
                if (step.Fail) throw new VoScriptException($"{step.Id} broke");
                if (step.OutOfMemory) throw new OutOfMemoryException();
                var t = new Table(step.Id);
                t.AddColumn(new ScalarColumn<int>(new Field("x", DataType.Int), [1]));
                context.Workspace.SetTable(step.Id, t);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private static WorkStep W(string id, params string[] after) => new() { Id = id, DependsOn = after };

    [Test]
    public async Task IndependentStepsRunInParallelUpToTheLimit()
    {
        var h = new WorkHandler();
        var plan = new Plan([], [W("a"), W("b"), W("c"), W("d"), W("e")]);
        var summary = await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))]), new ExecutorOptions { MaxParallelism = 3 }).RunAsync(plan, new Workspace());
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded));
        Assert.That(h.MaxConcurrent, Is.EqualTo(3));
    }

    [Test]
    public async Task StepStartsOnlyAfterItsDependencies()
    {
        var h = new WorkHandler();
        var events = new List<ExecutionEvent>();
        var plan = new Plan([], [W("a"), W("b", "a"), W("c", "a"), W("d", "b", "c")]);
        await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))]), new ExecutorOptions { Events = events.Add }).RunAsync(plan, new Workspace());
        int Index<T>(string id) where T : ExecutionEvent =>
            events.FindIndex(e => e is T && e switch { StepStarted s => s.Step.Id == id, StepCompleted c => c.Step.Id == id, _ => false });
        Assert.That(Index<StepStarted>("b"), Is.GreaterThan(Index<StepCompleted>("a")));
        Assert.That(Index<StepStarted>("d"), Is.GreaterThan(Index<StepCompleted>("b")));
        Assert.That(Index<StepStarted>("d"), Is.GreaterThan(Index<StepCompleted>("c")));
    }

    [Test]
    public async Task FailureStopsNewStepsAndKeepsFinishedTables()
    {
        var h = new WorkHandler();
        var plan = new Plan([], [W("a"), W("b", "a") with { Fail = true }, W("c", "b"), W("d", "a")]);
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))]), new ExecutorOptions { MaxParallelism = 1 }).RunAsync(plan, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Steps.Select(s => (s.Step.Id, s.Status)), Is.EqualTo(new[]
        {
            ("a", StepStatus.Succeeded), ("b", StepStatus.Failed), ("c", StepStatus.Skipped), ("d", StepStatus.Skipped),
        }));
        Assert.That(summary.Steps[1].Message, Is.EqualTo("b broke"));
        Assert.That(summary.Steps[2].Message, Is.EqualTo("it needs step b, which failed"));
        Assert.That(summary.Tables.Select(t => t.Name), Is.EqualTo(new[] { "a" }));
        Assert.That(summary.ToString(), Does.Contain("error: b work: b broke"));
    }

    [Test]
    public async Task AStepThatRunsOutOfMemoryFailsAloneWithAMessageAndTheOtherTablesStay()
    {
        var h = new WorkHandler();
        var plan = new Plan([], [W("a"), W("big", "a") with { OutOfMemory = true }]);
        var summary = await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))]), new ExecutorOptions { MaxParallelism = 1 }).RunAsync(plan, new Workspace());
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Steps[1].Message, Does.StartWith("not enough memory for work big"));
        Assert.That(summary.Steps[1].Message, Does.Not.Contain("internal error"));
        Assert.That(summary.Tables.Select(t => t.Name), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task ContinueOnErrorSkipsOnlyTheStepsThatNeedTheFailedOne()
    {
        var h = new WorkHandler();
        var plan = new Plan([], [W("a") with { Fail = true, Continue = true }, W("b", "a"), W("c")]);
        var summary = await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))])).RunAsync(plan, new Workspace());
        Assert.That(summary.Steps.Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Failed, StepStatus.Skipped, StepStatus.Succeeded }));
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
    }

    [Test]
    public async Task CancellationStopsRunningStepsAndKeepsPartialResults()
    {
        var h = new WorkHandler();
        h.Gates["slow"] = new TaskCompletionSource();
        var plan = new Plan([], [W("quick"), W("slow"), W("after", "slow")]);
        using var cts = new CancellationTokenSource();
        var ws = new Workspace();
        var options = new ExecutorOptions { Events = e => { if (e is StepCompleted { Step.Id: "quick" }) cts.CancelAfter(50); } };
        var summary = await new Executor(new StepCatalog([new HandlerModule("test", ("work", h))]), options).RunAsync(plan, ws, cts.Token);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Cancelled));
        Assert.That(summary.Steps.Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Succeeded, StepStatus.Cancelled, StepStatus.Skipped }));
        Assert.That(summary.Tables.Select(t => t.Name), Is.EqualTo(new[] { "quick" }));
        Assert.That(summary.ToString(), Does.Contain("tables (partial results kept):"));
    }

    [Test]
    public async Task PlanWithAStepNoHandlerRunsIsRefusedBeforeAnythingStarts()
    {
        var h = new WorkHandler();
        var plan = new Plan([], [W("a"), new ShowStep { Id = "b", Table = "a", Origin = "x.vos:3" }]);
        var e = await Assert.ThrowsAsync<VoScriptException>(() => new Executor(new StepCatalog([new HandlerModule("test", ("work", h))])).RunAsync(plan, new Workspace()));
        Assert.That(e!.Message, Is.EqualTo("this host cannot run 'show' steps (x.vos:3); nothing was run"));
        Assert.That(h.Started, Is.Empty);
    }

    [Test]
    public void PlanRejectsDependenciesOnLaterOrUnknownSteps()
    {
        Assert.Throws<ArgumentException>(() => new Plan([], [W("a", "b"), W("b")]));
        Assert.Throws<ArgumentException>(() => new Plan([], [W("a"), W("a")]));
        Assert.Throws<ArgumentException>(() => new Plan([], [new QueryStep { Id = "q", Service = "nope", Output = "t", Adql = "SELECT 1" }]));
    }

    [Test]
    public async Task CoreHandlersPrintValuesAndTables()
    {
        var output = new List<string>();
        var plan = new Plan([],
        [
            new LetStep { Id = "s1", Name = "r", Value = new NumberValue(0.1, Quantity.Angle) },
            new PrintStep { Id = "s2", Text = "hello", DependsOn = ["s1"] },
            new WorkStep { Id = "s3" },
            new PrintStep { Id = "s4", Table = "s3", DependsOn = ["s2", "s3"] },
            new ShowStep { Id = "s5", Table = "s3", Limit = 5, DependsOn = ["s4"] },
        ]);
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule(), new HandlerModule("test", ("work", new WorkHandler()))]), new ExecutorOptions { Events = e => { if (e is StepOutput o) output.Add(o.Text); } }).RunAsync(plan, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded));
        Assert.That(ws.Values["r"], Is.EqualTo(new NumberValue(0.1, Quantity.Angle)));
        Assert.That(output, Is.EqualTo(new[] { "hello", "s3: 1 row, 1 column (x)", "s3: 1 row\nx\n-\n1" }));
    }

    [Test]
    public void PrinterShowsServicesStepsDependenciesAndAdql()
    {
        var plan = new Plan([new PlanService("g", ServiceProtocol.Tap, "https://x.org/tap")],
        [
            new ParamStep { Id = "s1", Name = "r", Value = new NumberValue(0.1, Quantity.Angle) },
            new QueryStep { Id = "s2", Service = "g", Output = "t", Async = true, MaxRec = 10, Adql = "SELECT *\nFROM x", DependsOn = ["s1"], Origin = "f.vos:2" },
        ], "f.vos");
        Assert.That(PlanPrinter.Print(plan), Is.EqualTo(
            "plan f.vos\nservices:\n  g tap      \"https://x.org/tap\"\nsteps:\n  s1  param r = 6 arcmin (0.1 deg)\n"
            + "  s2  query g async as t maxrec 10  [f.vos:2]\n      after s1\n      | SELECT *\n      | FROM x\n"));
    }
}
