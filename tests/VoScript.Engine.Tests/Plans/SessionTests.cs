using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Model;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Plans;

/// <summary>The host session: one workspace across runs, cancelling one step, and the step modules the host composes.</summary>
[TestFixture]
public class SessionTests
{
    private sealed record HangStep : PlanStep
    {
        public override string Kind => "hang";
        public override IEnumerable<string> Outputs => [Id];
        public override string Describe() => "hang " + Id;
    }

    /// <summary>Waits until cancelled when its step id is in <see cref="Hanging"/>; otherwise writes a one-row table.</summary>
    private sealed class HangHandler : StepHandler<HangStep>
    {
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly HashSet<string> Hanging = [];

        public override async Task ExecuteAsync(HangStep step, StepContext context, CancellationToken cancellationToken)
        {
            if (Hanging.Contains(step.Id))
            {
                Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var t = new Table(step.Id);
            t.AddColumn(new ScalarColumn<int>(new Field("x", DataType.Int), [1]));
            context.Workspace.SetTable(step.Id, t);
        }
    }

    private static Table Rows(int n)
    {
        var t = new Table("t");
        t.AddColumn(new ScalarColumn<int>(new Field("id", DataType.Int), Enumerable.Range(1, n).ToArray()));
        return t;
    }

    [Test]
    public async Task TheWorkspaceOfASessionPersistsAcrossRuns()
    {
        var session = new VoScriptHost().OpenSession();
        session.State.SetTable("t", Rows(7));
        var first = await session.RunAsync(new Plan([], [new CountStep { Id = "a", Table = "t", Output = "n" }]), [], null, CancellationToken.None);
        Assert.That(first.Status, Is.EqualTo(RunStatus.Succeeded));
        // a second run reads what the first one made
        var second = await session.RunAsync(new Plan([], [new PrintStep { Id = "b", Value = "n" }]), [], null, CancellationToken.None);
        Assert.That(second.Status, Is.EqualTo(RunStatus.Succeeded));
        Assert.That(session.Workspace.GetNumber("n"), Is.EqualTo(7));
        // RunAsync of the host makes a new workspace each time: there the value is unknown
        var fresh = await new VoScriptHost().OpenSession().RunAsync(new Plan([], [new PrintStep { Id = "b", Value = "n" }]), [], null, CancellationToken.None);
        Assert.That(fresh.Status, Is.EqualTo(RunStatus.Failed));
    }

    [Test]
    public async Task CancellingOneStepSkipsOnlyTheStepsThatNeedIt()
    {
        var hang = new HangHandler { Hanging = { "a" } };
        var session = new VoScriptHost(null, [new HandlerModule("test", ("hang", hang))]).OpenSession();
        var plan = new Plan([],
        [
            new HangStep { Id = "a" },
            new HangStep { Id = "b" },
            new HangStep { Id = "c", DependsOn = ["a"] },
            new HangStep { Id = "d", DependsOn = ["b"] },
        ]);
        var run = session.RunAsync(plan, [], null, CancellationToken.None);
        await hang.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(session.CancelStep("nothing"), Is.False);
        Assert.That(session.CancelStep("a"), Is.True);
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(summary.Steps.Select(s => (s.Step.Id, s.Status)), Is.EqualTo(new[]
        {
            ("a", StepStatus.Cancelled), ("b", StepStatus.Succeeded), ("c", StepStatus.Skipped), ("d", StepStatus.Succeeded),
        }));
        Assert.That(session.Workspace.TableNames, Is.EqualTo(new[] { "b", "d" }));
    }

    [Test]
    public void ModulesRegisterEveryBuiltInKindOnce()
    {
        var catalog = new StepCatalog(StepModules.Defaults());
        Assert.That(catalog.Kinds.Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "await", "cluster", "cone", "count", "derive", "distinct", "drop", "fetch", "find-services", "group", "images",
            "join", "keep", "let", "load", "match", "match-remote", "param", "plot", "point", "print", "query", "query-each", "receive", "rename",
            "save", "sed", "select", "select-interactively", "send", "services-from", "show", "sort", "spectra", "stack", "top",
        }));
        Assert.That(catalog.Find("cone")!.Module, Is.EqualTo("dal"));
        Assert.That(catalog.Find("query")!.StepType, Is.EqualTo(typeof(QueryStep)));
    }

    [Test]
    public async Task AStepWhoseTypeIsNotTheRegisteredOneIsRefusedBeforeAnythingRuns()
    {
        // a step claiming the kind "count" without being a CountStep: no handler downcasts it
        var plan = new Plan([], [new PrintStep { Id = "p", Text = "never" }, new FakeCount { Id = "x" }]);
        var e = await Assert.ThrowsAsync<VoScriptException>(() => new VoScriptHost().OpenSession().RunAsync(plan, [], null, CancellationToken.None));
        Assert.That(e!.Message, Does.StartWith("this host cannot run 'count' steps (x)"));
    }

    private sealed record FakeCount : PlanStep
    {
        public override string Kind => "count";
        public override string Describe() => "fake";
    }
}
