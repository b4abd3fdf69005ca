using VoScript.Cli.Repl;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Cli.Tests.Repl;

public class ReplCommandsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-repl-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private ReplSession Session() => new([new CoreModule()], _dir);

    private static string Text(CommandOutcome o) => string.Join("\n", o.Lines.Select(l => l.Text));

    [Test]
    public async Task HelpListsEveryImplementedStatementFromTheSyntaxDeclarations()
    {
        var help = Text(await ReplCommands.ExecuteAsync(":help", Session()));
        foreach (var s in StatementCatalog.All.Where(s => !s.Planned))
            Assert.That(help, Does.Contain(s.Keyword).And.Contain(s.Summary));
        Assert.That(help, Does.Contain(":save session FILE.vos"));
    }

    [Test]
    public async Task HelpForAStatementGivesItsUsage()
    {
        var help = Text(await ReplCommands.ExecuteAsync(":help show", Session()));
        Assert.That(help, Is.EqualTo("show T [limit N]\n  print the first rows of a table (20 unless limit says)"));
        Assert.That(Text(await ReplCommands.ExecuteAsync(":help shw", Session())), Does.StartWith("no statement 'shw'"));
    }

    [Test]
    public async Task LoadRunsAScriptIntoTheWorkspaceAndSaveSessionWritesAReplayableScript()
    {
        File.Copy(Repo.PathOf("scripts/data/sample.vot"), Path.Combine(_dir, "sample.vot"));
        File.WriteAllText(Path.Combine(_dir, "setup.vos"), "# setup\nload \"sample.vot\" as t\nlet r = 6 arcmin\n");
        var s = Session();
        var loaded = await ReplCommands.ExecuteAsync(":load setup.vos", s);
        Assert.That(Text(loaded), Is.EqualTo("setup.vos: 2 statements kept in the session"));
        Assert.That(s.Workspace.GetTable("t").RowCount, Is.EqualTo(40));
        await s.SubmitAsync("save t to \"copy.csv\"");

        var saved = await ReplCommands.ExecuteAsync(":save session again.vos", s);
        Assert.That(Text(saved), Does.StartWith("saved 3 statements to again.vos"));
        var text = File.ReadAllText(Path.Combine(_dir, "again.vos"));
        Assert.That(text, Does.EndWith("load \"sample.vot\" as t\nlet r = 6 arcmin\nsave t to \"copy.csv\"\n"));
        var compiled = VoScriptCompiler.Compile(text, "again.vos");
        Assert.That(compiled.Diagnostics, Is.Empty, compiled.FormatDiagnostics());
    }

    [Test]
    public async Task LoadOfAScriptWithErrorsReportsThemWithTheFileName()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.vos"), "let a = 1\nshow nope\n");
        var s = Session();
        var output = new List<OutputLine>();
        s.Output += output.Add;
        var r = await ReplCommands.ExecuteAsync(":load bad.vos", s);
        Assert.That(Text(r), Does.Contain("not run"));
        Assert.That(string.Join("\n", output.Select(o => o.Text)), Does.StartWith("bad.vos:2:6: error VOS0102"));
        Assert.That(s.Statements, Is.Empty);
    }

    [Test]
    public async Task SaveTableGoesThroughTheSaveStatement()
    {
        File.Copy(Repo.PathOf("scripts/data/sample.vot"), Path.Combine(_dir, "sample.vot"));
        var s = Session();
        await s.SubmitAsync("load \"sample.vot\" as t");
        var r = await ReplCommands.ExecuteAsync(":save t out.csv", s);
        Assert.That(Text(r), Is.EqualTo("saved t to out.csv"));
        Assert.That(File.ReadAllLines(Path.Combine(_dir, "out.csv")), Has.Length.EqualTo(41));
        Assert.That(s.Statements.Last().Text, Is.EqualTo("save t to \"out.csv\""));
    }

    [Test]
    public async Task QuitClearAndUnknownCommands()
    {
        Assert.That((await ReplCommands.ExecuteAsync(":quit", Session())).Effect, Is.EqualTo(CommandEffect.Quit));
        Assert.That((await ReplCommands.ExecuteAsync(":clear", Session())).Effect, Is.EqualTo(CommandEffect.Clear));
        var unknown = await ReplCommands.ExecuteAsync(":sav x", Session());
        Assert.That(Text(unknown), Does.StartWith("unknown command ':sav' (did you mean ':save'?)"));
    }
}
