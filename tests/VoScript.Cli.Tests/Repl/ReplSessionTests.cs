using System.Collections.Concurrent;
using VoScript.Cli.Repl;
using VoScript.Dsl.Compiling;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Cli.Tests.Repl;

public class ReplSessionTests
{
    private static readonly string Sample = Repo.PathOf("scripts/data/sample.vot");

    private static (ReplSession Session, List<OutputLine> Output) NewSession(GatedQueryHandler? query = null)
    {
        var session = new ReplSession(query is null ? [] : [new HandlerModule("test", ("query", query))]);
        var output = new List<OutputLine>();
        session.Output += l => { lock (output) output.Add(l); };
        return (session, output);
    }

    private static string Text(List<OutputLine> output)
    {
        lock (output) return string.Join("\n", output.Select(o => o.Text));
    }

    [Test]
    public void OpenAdqlBlockIsIncompleteUntilClosed()
    {
        var (s, _) = NewSession();
        Assert.That(s.Check("service x = tap \"http://h/tap\"\nquery x as t {\n  SELECT 1").IsComplete, Is.False);
        Assert.That(s.Check("service x = tap \"http://h/tap\"\nquery x as t {\n  SELECT '}' FROM y\n").IsComplete, Is.False, "a brace in an ADQL string does not close the block");
        Assert.That(s.Check("service x = tap \"http://h/tap\"\nquery x as t {\n  SELECT 1\n}").IsComplete, Is.True);
        Assert.That(s.Check("let a = 1 + \\").IsComplete, Is.False, "a trailing backslash continues the line");
    }

    [Test]
    public async Task DiagnosticsPointIntoTheEntryNotTheSession()
    {
        var (s, _) = NewSession();
        await s.SubmitAsync($"load \"{Sample}\" as stars");
        await s.SubmitAsync("let r = 6 arcmin");
        var check = s.Check("show star limit 5");
        Assert.That(check.HasErrors, Is.True);
        Assert.That(check.Format(), Is.EqualTo("input:1:6: error VOS0102: unknown table 'star' (did you mean 'stars'?)\n  show star limit 5\n       ^^^^"));
    }

    [Test]
    public async Task EntriesSeeTheNamesOfEarlierEntries()
    {
        var (s, output) = NewSession();
        await s.SubmitAsync("let r = 6 arcmin");
        var check = await s.SubmitAsync("let wider = r * 2\nprint wider");
        Assert.That(check.Diagnostics, Is.Empty);
        Assert.That(Text(output), Does.Contain("0.2 deg"));
        Assert.That(s.Names.Select(n => (n.Name, n.Kind)), Is.EquivalentTo(new[] { ("r", NameKind.Value), ("wider", NameKind.Value) }));
    }

    [Test]
    public async Task RejectedEntryRunsNothingAndIsNotKept()
    {
        var (s, output) = NewSession();
        await s.SubmitAsync("let a = 1");
        var check = await s.SubmitAsync("let a = 2");
        Assert.That(check.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "VOS0104" }));
        Assert.That(Text(output), Does.Contain("input:1:5: error VOS0104"));
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { "let a = 1" }));
        Assert.That(s.Workspace.Values["a"], Is.EqualTo(new NumberValue(1)));
    }

    [Test]
    public async Task ShowPrintsTheTableAndLoadReportsItsSize()
    {
        var (s, output) = NewSession();
        await s.SubmitAsync($"load \"{Sample}\" as t");
        await s.SubmitAsync("show t limit 3");
        var text = Text(output);
        Assert.That(text, Does.Contain("t: 40 rows, 8 columns"));
        Assert.That(text, Does.Contain("source_id").And.Contain("… 37 more rows"));
    }

    [Test]
    public async Task FailedStatementIsDroppedSoItsNameCanBeUsedAgain()
    {
        var (s, output) = NewSession();
        await s.SubmitAsync("load \"no/such/file.vot\" as t");
        Assert.That(Text(output), Does.Contain("error: load:"));
        Assert.That(s.Statements, Is.Empty);
        var again = await s.SubmitAsync($"load \"{Sample}\" as t");
        Assert.That(again.Diagnostics, Is.Empty, again.Format());
        Assert.That(s.Workspace.GetTable("t").RowCount, Is.EqualTo(40));
    }

    [Test]
    public async Task SavedSessionReplaysToTheSameWorkspace()
    {
        var (s, _) = NewSession();
        await s.SubmitAsync("param mag = 16.5");
        await s.SubmitAsync($"load \"{Sample}\" as t");
        await s.SubmitAsync("let bad = 1 +");
        await s.SubmitAsync("print t");
        var text = s.SessionText();
        Assert.That(text, Is.EqualTo($"param mag = 16.5\nload \"{Sample}\" as t\nprint t\n"));
        var compiled = VoScriptCompiler.Compile(text, "saved.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
        var ws = new Workspace();
        var summary = await new Executor(new StepCatalog([new CoreModule()])).RunAsync(compiled.Plan!, ws);
        Assert.That(summary.Status, Is.EqualTo(RunStatus.Succeeded));
        Assert.That(ws.GetTable("t").RowCount, Is.EqualTo(s.Workspace.GetTable("t").RowCount));
    }

    [Test]
    public async Task AsyncQueryRunsInTheBackgroundAndAwaitWaitsForIt()
    {
        var query = new GatedQueryHandler();
        var (s, output) = NewSession(query);
        await s.SubmitAsync("service x = tap \"http://localhost:1/tap\"");
        var submit = s.SubmitAsync("query x async as q {\n  SELECT n FROM t\n}");
        Assert.That(await Task.WhenAny(submit, Task.Delay(5000)), Is.SameAs(submit), "an async query does not hold the prompt");
        Assert.That(Text(output), Does.Contain("running in the background: q"));
        await WaitFor(() => s.Running.Any(r => r.Name == "q" && r.Phase == "EXECUTING"));
        Assert.That(s.Busy, Is.False);

        var wait = s.SubmitAsync("await q\nshow q");
        await Task.Delay(200);
        Assert.That(wait.IsCompleted, Is.False, "await waits for the background query");
        Assert.That(s.Busy, Is.True);
        query.Release.SetResult();
        Assert.That((await wait).Diagnostics, Is.Empty);
        Assert.That(Text(output), Does.Not.Contain("error"));
        Assert.That(s.Workspace.GetTable("q").RowCount, Is.EqualTo(3));
        Assert.That(s.Running, Is.Empty);
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { "service x = tap \"http://localhost:1/tap\"", "query x async as q {\n  SELECT n FROM t\n}", "await q", "show q" }));
    }

    [Test]
    public async Task AwaitOfAFailedQuerySaysNoSecondError()
    {
        var query = new GatedQueryHandler { FailWith = "TAP query failed; the service says: no table cat_z.main" };
        var (s, output) = NewSession(query);
        await s.SubmitAsync("service x = tap \"http://localhost:1/tap\"");
        await s.SubmitAsync("query x async as bad {\n  SELECT n FROM cat_z.main\n}");
        await WaitFor(() => s.Running.Any(r => r.Name == "bad"));
        var wait = s.SubmitAsync("await bad");
        await Task.Delay(100);
        query.Release.SetResult();
        await wait;
        List<OutputLine> lines;
        lock (output) lines = [.. output];
        Assert.That(lines.Count(l => l.Kind == OutputKind.Error), Is.EqualTo(1), Text(output));
        Assert.That(Text(output), Does.Contain("no table cat_z.main").And.Not.Contain("there is no table"));
        Assert.That(Text(output), Does.Contain("not run: await bad ('bad' is not there: its query failed)"));
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { "service x = tap \"http://localhost:1/tap\"" }));
    }

    [Test]
    public async Task CancellingAnAwaitCancelsTheQueryItWaitsForAndDropsBoth()
    {
        var query = new GatedQueryHandler();
        var (s, output) = NewSession(query);
        await s.SubmitAsync("service x = tap \"http://localhost:1/tap\"");
        await s.SubmitAsync("query x async as q { SELECT 1 }");
        await WaitFor(() => s.Running.Count == 1);
        var wait = s.SubmitAsync("await q");
        await WaitFor(() => s.Busy);
        Assert.That(s.CancelForeground(), Is.True);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        await s.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.That(query.Cancelled, Is.EqualTo(new[] { "q" }));
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { "service x = tap \"http://localhost:1/tap\"" }));
        Assert.That(Text(output), Does.Contain("cancelled: await q"));
        Assert.That(s.Check("query x async as q { SELECT 1 }").Diagnostics, Is.Empty, "the name is free again");
    }

    [Test]
    public async Task JobCancelledFromTheWorkspaceLeavesTheSession()
    {
        var query = new GatedQueryHandler();
        var (s, _) = NewSession(query);
        await s.SubmitAsync("service x = tap \"http://localhost:1/tap\"");
        await s.SubmitAsync("query x async as q { SELECT 1 }");
        await WaitFor(() => s.Running.Count == 1);
        Assert.That(s.Cancel(s.Running[0]), Is.True);
        await s.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.That(query.Cancelled, Is.EqualTo(new[] { "q" }));
        Assert.That(s.Running, Is.Empty);
        Assert.That(s.Names.Select(n => n.Name), Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public void CancelWithNothingRunningSaysSo() => Assert.That(NewSession().Session.CancelForeground(), Is.False);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 250 && !condition(); i++) await Task.Delay(20);
        Assert.That(condition(), Is.True, "condition not reached in 5 s");
    }
}

public class ReplReportTests
{
    [Test]
    public async Task EveryTableAnEntryMakesIsReportedWithItsSize()
    {
        var session = new ReplSession(workingDirectory: Path.GetTempPath());
        var output = new List<OutputLine>();
        session.Output += l => { lock (output) output.Add(l); };
        await session.SubmitAsync($"load \"{Repo.PathOf("scripts/data/sample.vot")}\" as t");
        await session.SubmitAsync("select t where g_mag < 18 as bright");
        await session.SubmitAsync("sed t as s");
        await session.DrainAsync(TimeSpan.FromSeconds(30));
        var bright = session.Workspace.GetTable("bright");
        var s = session.Workspace.GetTable("s");
        lock (output)
        {
            var text = string.Join("\n", output.Select(o => o.Text));
            Assert.That(text, Does.Contain($"bright: {bright.RowCount} rows, {bright.ColumnCount} columns"));
            Assert.That(text, Does.Contain($"s: {s.RowCount} rows, {s.ColumnCount} columns"));
        }
    }
}

public class ReplInteractiveSelectTests
{
    [Test]
    public async Task SelectInteractivelyAsksTheScreenAboutEachObjectUntilQuit()
    {
        var session = new ReplSession(workingDirectory: Path.GetTempPath());
        var asked = new List<string>();
        session.Ask = view =>
        {
            asked.Add(view.ObjectId);
            return asked.Count switch { 1 => VoScript.Engine.Science.Selection.Choice.Keep, 2 => VoScript.Engine.Science.Selection.Choice.Skip, _ => VoScript.Engine.Science.Selection.Choice.Quit };
        };
        await session.SubmitAsync($"load \"{Repo.PathOf("scripts/data/sample.vot")}\" as t");
        await session.SubmitAsync("sed t as s");
        var check = await session.SubmitAsync("select s interactively as kept");
        Assert.That(check.HasErrors, Is.False, check.Format());
        await session.DrainAsync(TimeSpan.FromSeconds(30));
        Assert.That(asked, Has.Count.EqualTo(3), "keep, skip, then quit");
        var kept = session.Workspace.GetTable("kept");
        var s = session.Workspace.GetTable("s");
        var objectIds = Enumerable.Range(0, kept.RowCount).Select(r => kept.FindColumn("object_id")!.FormatCell(r)).Distinct().ToList();
        Assert.That(objectIds, Is.EqualTo(new[] { asked[0] }), "only the kept object's rows");
        Assert.That(kept.RowCount, Is.LessThan(s.RowCount));
    }

    [Test]
    public async Task WithoutAScreenSelectInteractivelyFailsWithTheNoTerminalMessage()
    {
        var session = new ReplSession(workingDirectory: Path.GetTempPath());
        var output = new List<OutputLine>();
        session.Output += l => { lock (output) output.Add(l); };
        await session.SubmitAsync($"load \"{Repo.PathOf("scripts/data/sample.vot")}\" as t");
        await session.SubmitAsync("sed t as s");
        await session.SubmitAsync("select s interactively as kept");
        await session.DrainAsync(TimeSpan.FromSeconds(30));
        lock (output) Assert.That(string.Join("\n", output.Select(o => o.Text)), Does.Contain("needs a terminal").And.Contain("use select T where"));
        Assert.That(session.Workspace.TableNames, Does.Not.Contain("kept"));
    }
}
