using VoScript.Cli.Commands;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Modules;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Tests;

/// <summary><c>count T as NAME</c>, the statement added through the module how-to of docs/architecture.md.</summary>
[TestFixture]
public class CountStatementTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-count-" + Guid.NewGuid().ToString("N")));
        File.WriteAllText(Path.Combine(_dir, "t.csv"), "id,mag\n1,10.5\n2,11.25\n3,12\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void CountIsFoundThroughItsModuleInEveryTable()
    {
        Assert.That(Grammar.Statements.Keys, Does.Contain("count"));
        Assert.That(StatementCatalog.Keywords, Does.Contain("count"));
        Assert.That(StatementCatalog.ForKeyword("count").Single().Usage, Is.EqualTo("count T as NAME"));
        Assert.That(StatementRulesCatalog.StatementTypes, Does.Contain(typeof(CountStatement)));
    }

    [Test]
    public void CountPlansAStepAfterTheStepThatMakesItsTable()
    {
        var r = VoScriptCompiler.Compile("load \"t.csv\" as t\ncount t as n\nprint n\n", "c.vos");
        Assert.That(r.Diagnostics, Is.Empty, r.FormatDiagnostics());
        Assert.That(r.Plan!.ToString(), Does.Contain("s2  count t as n  [c.vos:2]\n      after s1\n"));
        Assert.That(r.Plan.ToString(), Does.Contain("s3  print value n  [c.vos:3]\n      after s1, s2\n"));
    }

    [Test]
    public void TheCountIsARunTimeValue()
    {
        var r = VoScriptCompiler.Compile("load \"t.csv\" as t\ncount t as n\nlet m = n\n", "c.vos");
        var d = r.Diagnostics.Single(x => x.IsError);
        Assert.That(d.Code, Is.EqualTo(DiagnosticCodes.CSharpRuntimeValue));
        Assert.That(d.Message, Is.EqualTo("'n' is the count of t on line 2, known only when the script runs; use it in 'print' or in a later csharp block"));
    }

    [Test]
    public void CountingWhatIsNotATableIsReported()
    {
        var r = VoScriptCompiler.Compile("count\n", "c.vos");
        Assert.That(r.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCodes.Syntax }), r.FormatDiagnostics());
        r = VoScriptCompiler.Compile("let x = 1\ncount x as n\ncount nope as k\n", "c.vos");
        Assert.That(r.FormatDiagnostics(), Does.Contain("c.vos:2:7: error VOS0").And.Contain("'x' is a value (line 1), not a table")
            .And.Contain("c.vos:3:7: error VOS0102: unknown table 'nope'"));
    }

    [Test]
    public async Task RunPrintsTheRowCount()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var script = $"load \"{Path.Combine(_dir, "t.csv")}\" as t\ncount t as n\nprint n\n";
        var exit = await RunCommand.RunAsync(null, script, null, false, true, output, error, null, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(0), error.ToString());
        Assert.That(output.ToString(), Is.EqualTo("3\n"));
    }
}
