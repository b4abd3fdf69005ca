using System.Net;
using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Tests.Protocols;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Tests.Plans;

[TestFixture]
public class QueryOnErrorTests
{
    private static async Task<(RunSummary Summary, Workspace Ws)> Run(bool continueOnError, bool strict)
    {
        var handler = new ScriptedHandler((r, i) => ScriptedHandler.Text(HttpStatusCode.OK, Docs.ErrorDoc("Table 'nosuch' does not exist")));
        var ws = new Workspace();
        var plan = new Plan([new PlanService("svc", ServiceProtocol.Tap, "http://fake.test/tap")],
        [
            new QueryStep
            {
                Id = "s1", Service = "svc", Output = "rows", Adql = "SELECT ra, dec AS d FROM nosuch",
                ContinueOnServiceError = continueOnError, ColumnsIfFailed = ["ra", "d"],
            },
            new ShowStep { Id = "s2", DependsOn = ["s1"], Table = "rows" },
        ]);
        var summary = await new Executor(new StepCatalog([new CoreModule(), .. StepModules.Protocols(new ProtocolHandlerOptions { Http = new VoHttpOptions { PrimaryHandler = handler } })]), new ExecutorOptions { Strict = strict })
            .RunAsync(plan, ws);
        return (summary, ws);
    }

    [Test]
    public async Task AFailedQueryFailsTheRunByDefault()
    {
        var (summary, ws) = await Run(continueOnError: false, strict: false);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(ws.TryGetTable("rows", out _), Is.False);
    }

    [Test]
    public async Task OnErrorContinueLeavesAnEmptyTableWithTheSelectedColumnsAndAWarning()
    {
        var (summary, ws) = await Run(continueOnError: true, strict: false);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded), summary.ToString());
        var rows = ws.GetTable("rows");
        Assert.That(rows.RowCount, Is.Zero);
        Assert.That(rows.Columns.Select(c => c.Name), Is.EqualTo(new[] { "ra", "d" }));
        Assert.That(summary.Warnings, Has.Some.Contains("svc failed, so rows has no rows (on error continue)").And.Some.Contains("nosuch"));
        Assert.That(summary.ToString(), Does.Contain("warning: s1: svc failed"));
        Assert.That(summary.Steps[1].Status, Is.EqualTo(StepStatus.Succeeded), "the step reading it ran on zero rows");
    }

    [Test]
    public async Task AStrictRunFailsOnTheQueryEvenWithOnErrorContinue()
    {
        var (summary, _) = await Run(continueOnError: true, strict: true);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(summary.Steps[0].Message, Does.Contain("nosuch").And.Contain("the run is strict"));
    }
}
