using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;
using VoScript.Cli.Repl;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Cli.Tests.Repl;

/// <summary>The REPL's views on Terminal.Gui's virtual-time application: keys in, screen text out.</summary>
[NonParallelizable]
public class ReplViewTests
{
    private static readonly string Sample = Repo.PathOf("scripts/data/sample.vot");

    private IApplication _app = null!;
    private ReplSession _session = null!;
    private ReplApp _repl = null!;
    private SessionToken? _token;

    private VirtualTimeProvider _time = null!;
    private GatedQueryHandler _query = null!;

    [SetUp]
    public void SetUp()
    {
        _app = Application.Create(_time = new VirtualTimeProvider());
        _app.Init(Terminal.Gui.Drivers.DriverRegistry.Names.ANSI);
        _app.Driver!.SetScreenSize(80, 24);
        _query = new GatedQueryHandler();
        _session = new ReplSession([new CoreModule(), new HandlerModule("test", ("query", _query))]);
        _repl = new ReplApp(_app, _session, new History(null));
        _token = _app.Begin(_repl.Top);
    }

    [TearDown]
    public void TearDown()
    {
        if (_token is not null) _app.End(_token);
        _repl.Top.Dispose();
        _app.Dispose();
    }

    private void Type(string text)
    {
        foreach (var c in text) _app.InjectKey(c == '\n' ? Key.Enter : new Key(c));
    }

    /// <summary>A key, then time for the terminal input parser (an escape sequence is complete only after a pause).</summary>
    private void Press(Key key)
    {
        _app.InjectKey(key);
        Screen();
    }

    /// <summary>Lets the session's background work post its results, then draws.</summary>
    private string Screen(Func<string, bool>? until = null)
    {
        var screen = "";
        for (var i = 0; i < 100; i++)
        {
            Thread.Sleep(20);
            _time.Advance(TimeSpan.FromMilliseconds(300));
            _app.TimedEvents?.RunTimers();
            _app.LayoutAndDraw(true);
            screen = _app.Driver!.ToString() ?? "";
            if (until is null || until(screen)) break;
        }
        return screen;
    }

    [Test]
    public void TypedStatementRunsAndItsTableAppearsInTheWorkspacePane()
    {
        Type($"load \"{Sample}\" as t\n");
        var screen = Screen(s => s.Contains("t 40×8"));
        Assert.That(screen, Does.Contain("t 40×8"));
        Assert.That(_repl.OutputText, Does.Contain("t: 40 rows, 8 columns"));
    }

    private string[] Lines(string screen) => screen.Replace("\r", "").Split('\n');

    [Test]
    public void SyntaxErrorIsShownWithItsCaretWhileTyping()
    {
        Type($"load \"{Sample}\" as t\n");
        Screen(s => s.Contains("t 40×8"));
        Type("show t limt 5");
        var lines = Lines(Screen(s => s.Contains("^^^^")));
        var source = Array.FindIndex(lines, l => l.Contains("  show t limt 5"));
        Assert.That(source, Is.GreaterThan(0), string.Join("\n", lines));
        Assert.That(lines[source - 1], Does.Contain("input:1:8: error VOS0001: expected end of line or 'limit'"));
        Assert.That(lines[source + 1].IndexOf("^^^^", StringComparison.Ordinal), Is.EqualTo(lines[source].IndexOf("limt", StringComparison.Ordinal)), "the caret is under the word");
    }

    [Test]
    public void TabCompletesAKeywordAndATableName()
    {
        Type($"load \"{Sample}\" as stars\n");
        Screen(s => s.Contains("stars 40×8"));
        Type("sh");
        _app.InjectKey(Key.Tab);
        Type("st");
        _app.InjectKey(Key.Tab);
        Screen();
        Assert.That(_repl.InputText, Is.EqualTo("show stars "));
    }

    [Test]
    public void CtrlUThrowsTheEntryAway()
    {
        Type("load \"x.vot\" as");
        Assert.That(_repl.InputText, Is.Not.Empty);
        _app.InjectKey(Key.U.WithCtrl);
        Screen();
        Assert.That(_repl.InputText, Is.Empty);
    }

    [Test]
    public void SeveralCompletionsAreListedUnderTheInput()
    {
        Type("s");
        _app.InjectKey(Key.Tab);
        var screen = Screen(x => x.Contains("spectra"));
        Assert.That(screen, Does.Contain("save  sed  select  send  service  show  sort  spectra  stack"));
    }

    [Test]
    public void EnterInsideAnOpenBlockAddsALine()
    {
        Type("service x = tap \"http://localhost:1/tap\"\n");
        Type("query x as t {\n  SELECT 1\n");
        var screen = Screen(x => x.Contains("block open"));
        Assert.That(screen, Does.Contain("block open"));
        Assert.That(_repl.InputText, Is.EqualTo("query x as t {\n  SELECT 1\n"));
        Assert.That(_session.Statements, Has.Count.EqualTo(1), "the query is not submitted yet");
    }

    [Test]
    public void ShowOpensTheTableViewAndUShowsUnitsAndUcds()
    {
        Type($"load \"{Sample}\" as t\n");
        Screen(x => x.Contains("t 40×8"));
        Type("show t\n");
        var screen = Screen(x => x.Contains("Table t: 40 rows"));
        Assert.That(screen, Does.Contain("Table t: 40 rows").And.Contain("source_id"));
        Assert.That(screen, Does.Not.Contain("pos.eq.ra"));
        Press(Key.F6);
        Press(Key.U);
        screen = Screen(x => x.Contains("pos.eq.ra"));
        Assert.That(screen, Does.Contain("[deg]").And.Contain("pos.eq.ra"));
        _app.InjectKey(Key.Esc);
        screen = Screen(x => x.Contains("Output"));
        Assert.That(screen, Does.Contain("Output").And.Not.Contain("Table t:"));
    }

    [Test]
    public void UpRecallsThePreviousEntry()
    {
        Type("let a = 1\n");
        Screen(x => x.Contains("a = 1"));
        _app.InjectKey(Key.CursorUp);
        Screen();
        Assert.That(_repl.InputText, Is.EqualTo("let a = 1"));
    }

    [Test]
    public void AFailedEntryLeavesTheEditorEmptyAndIsOneUpArrowAway()
    {
        Type("print nosuch\n");
        Screen(x => x.Contains("unknown name 'nosuch'"));
        Assert.That(_repl.InputText, Is.Empty, "the next thing typed is not appended to the failed entry");
        Type(":help\n");
        var screen = Screen(x => x.Contains("keys:"));
        Assert.That(_repl.OutputText, Does.Not.Contain("print nosuch:help"));
        _app.InjectKey(Key.CursorUp);
        _app.InjectKey(Key.CursorUp);
        Screen();
        Assert.That(_repl.InputText, Is.EqualTo("print nosuch"));
    }

    [Test]
    public void ShowWithALimitShowsThatManyRows()
    {
        Type($"load \"{Sample}\" as t\n");
        Screen(x => x.Contains("t 40×8"));
        Type("show t limit 8\n");
        var screen = Screen(x => x.Contains("Table t: first 8 of 40 rows"));
        Assert.That(screen, Does.Contain("Table t: first 8 of 40 rows"));
        Assert.That(ReplApp.LastShown("show t limit 8"), Is.EqualTo(("t", (int?)8)));
        Assert.That(ReplApp.LastShown("let a = 1\nshow u"), Is.EqualTo(("u", (int?)null)));
    }

    [Test]
    public void UnitLessColumnsHaveNoEmptyBrackets()
    {
        var t = new VoScript.Engine.Model.Table("t");
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<int>(new VoScript.Engine.Model.Field("n", VoScript.Engine.Model.DataType.Int), [1]));
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<double>(new VoScript.Engine.Model.Field("ra", VoScript.Engine.Model.DataType.Double) { Unit = "deg" }, [1]));
        var source = new TableSource(t) { ShowMeta = true };
        Assert.That((source[0, 0], source[0, 1]), Is.EqualTo(("", "[deg]")));
    }

    [Test]
    public void HelpSaysTabCompletes()
    {
        Assert.That(ReplCommands.Keys, Does.Contain("Tab          complete"));
        Assert.That(ReplCommands.Keys, Does.Not.Contain("F6 / Tab"));
    }

    [TestCase(80, 28)]
    [TestCase(200, 66)]
    public void TheWorkspacePaneGrowsWithTheTerminal(int width, int expected) =>
        Assert.That(ReplApp.WorkspaceWidthFor(width), Is.EqualTo(expected));

    [Test]
    public void TheWorkspacePaneIsAThirdOfAWideTerminal()
    {
        _app.Driver!.SetScreenSize(200, 40);
        var lines = Lines(Screen());
        var header = lines.First(l => l.Contains("Workspace"));
        var at = header.IndexOf("Workspace", StringComparison.Ordinal);
        Assert.That(at, Is.InRange(120, 140), header);
    }

    [Test]
    public void EverythingFitsIn80By24()
    {
        var lines = Lines(Screen());
        Assert.That(lines.Count(l => l.Length > 0), Is.GreaterThanOrEqualTo(24));
        Assert.That(lines[23], Does.Contain("Ctrl-Q quit"));
        Assert.That(string.Join("\n", lines), Does.Contain("Workspace").And.Contain("Input"));
    }

    [Test]
    public void EnterOnATableInTheWorkspacePaneShowsIt()
    {
        Type($"load \"{Sample}\" as t\n");
        Screen(x => x.Contains("t 40×8"));
        Press(Key.F6);
        Press(Key.F6);
        Assert.That(_repl.FocusedPane, Is.EqualTo("workspace"));
        Press(Key.CursorDown);
        Press(Key.Enter);
        var screen = Screen(x => x.Contains("Table t: 40 rows"));
        Assert.That(screen, Does.Contain("Table t: 40 rows"));
    }

    [Test]
    public void TKeyOnATablePutsASampSendInTheInput()
    {
        Type($"load \"{Sample}\" as t\n");
        Screen(x => x.Contains("t 40×8"));
        Press(Key.F6);
        Press(Key.F6);
        Press(Key.CursorDown);
        Press(Key.T);
        Assert.That(_repl.InputText, Is.EqualTo("send t to topcat"));
        Assert.That(_repl.FocusedPane, Is.EqualTo("input"));
    }

    [Test]
    public void RunningJobIsListedWithItsPhaseAndCKeyCancelsIt()
    {
        Type("service x = tap \"http://localhost:1/tap\"\nquery x async as slow { SELECT 1 }\n");
        var screen = Screen(x => x.Contains("slow EXECUTING"));
        Assert.That(screen, Does.Contain("jobs (c cancels)").And.Contain("slow EXECUTING"));
        Assert.That(screen, Does.Contain("1 job(s) in the background"));
        Assert.That(_repl.FocusedPane, Is.EqualTo("input"));
        Press(Key.F6);
        Assert.That(_repl.FocusedPane, Is.EqualTo("output"), "first F6");
        Press(Key.F6);
        Assert.That(_repl.FocusedPane, Is.EqualTo("workspace"), "second F6");
        Press(Key.C);
        screen = Screen(x => x.Contains("cancelled: query x async as slow"));
        Assert.That(_query.Cancelled, Is.EqualTo(new[] { "slow" }));
        Assert.That(screen, Does.Not.Contain("slow EXECUTING"));
    }

    [Test]
    public void CtrlCCancelsTheAwaitAndTheJobButNotTheRepl()
    {
        Type("service x = tap \"http://localhost:1/tap\"\nquery x async as slow { SELECT 1 }\n");
        Screen(x => x.Contains("slow EXECUTING"));
        Type("await slow\n");
        Screen(x => x.Contains("running…"));
        _app.InjectKey(Key.C.WithCtrl);
        var screen = Screen(x => x.Contains("cancelled: await slow"));
        Assert.That(screen, Does.Contain("cancelled: await slow").And.Contain("ready"));
        Assert.That(_query.Cancelled, Is.EqualTo(new[] { "slow" }));
        Type("let still = 1\n");
        Screen(x => x.Contains("still = 1"));
        Assert.That(_session.Names.Select(n => n.Name), Is.EqualTo(new[] { "x", "still" }));
    }
}
