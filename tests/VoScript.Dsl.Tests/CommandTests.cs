using VoScript.Cli.Commands;

namespace VoScript.Dsl.Tests;

/// <summary>check, plan and run as the command line runs them: output, diagnostics and exit codes.</summary>
[TestFixture]
public class CommandTests
{
    private string _dir = "";
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-cli-" + Guid.NewGuid().ToString("N")));
        _out.GetStringBuilder().Clear();
        _err.GetStringBuilder().Clear();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void CheckExitsOneAndPrintsEveryDiagnostic()
    {
        var good = Write("good.vos", "let a = 1\n");
        var bad = Write("bad.vos", "let a = 6 arcmin + 1\nshow nothing\n");
        Assert.That(CheckCommand.Run([good, bad], null, _out, _err), Is.EqualTo(1));
        Assert.That(_out.ToString(), Is.EqualTo($"{good}: ok\n{bad}: 2 errors, 0 warnings\n"));
        Assert.That(_err.ToString(), Does.Contain($"{bad}:1:9: error VOS0201: ").And.Contain($"{bad}:2:6: error VOS0102: unknown table 'nothing'"));
    }

    [Test]
    public void CheckOfMissingFileIsBadInputExitOne()
    {
        var path = Path.Combine(_dir, "none.vos");
        Assert.That(CheckCommand.Run([path], null, _out, _err), Is.EqualTo(1));
        Assert.That(_err.ToString(), Is.EqualTo($"voscript: cannot read '{path}': no such file\n"));
    }

    [Test]
    public void PlanPrintsTheCanonicalPlanWithParameters()
    {
        var f = Write("p.vos", "param r = 6 arcmin\nservice s = tap \"https://x.org/tap\"\nquery s as t { SELECT ${r} }\n");
        Assert.That(PlanCommand.Run(f, ["r=30arcsec"], _out, _err), Is.EqualTo(0), _err.ToString());
        Assert.That(_out.ToString(), Does.Contain("| SELECT " + (30 / 3600.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(PlanCommand.Run(f, ["r"], _out, _err), Is.EqualTo(2));
    }

    [Test]
    public async Task RunLoadsAndSavesTablesAndPrints()
    {
        Write("in.csv", "id,mag\n1,10.5\n2,\n3,12\n");
        var script = $"load \"{Path.Combine(_dir, "in.csv")}\" as t\nprint t\nshow t limit 2\nsave t to \"{Path.Combine(_dir, "out.vot")}\"\nprint \"done\"\n";
        var exit = await RunCommand.RunAsync(null, script, null, false, true, _out, _err, null, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(0), _err.ToString());
        Assert.That(_out.ToString(), Is.EqualTo(
            "t: 3 rows, 2 columns (id, mag)\n"
            + "t: first 2 of 3 rows\nid  mag\n--  ----\n 1  10.5\n 2\n… 1 more row\n"
            + "done\n"));
        Assert.That(File.Exists(Path.Combine(_dir, "out.vot")), Is.True);
    }

    [TestCase("tabledata", "<TABLEDATA>")]
    [TestCase("binary", "<BINARY>")]
    [TestCase("BINARY2", "<BINARY2>")]
    public async Task SaveAsWritesThatSerialization(string serialization, string element)
    {
        Write("in.csv", "id,mag,name\n1,10.5,a&b\n2,,\n3,12,c\n");
        var output = Path.Combine(_dir, $"out_{serialization}.vot");
        var script = $"load \"{Path.Combine(_dir, "in.csv")}\" as t\nsave t to \"{output}\" as {serialization}\n";
        var exit = await RunCommand.RunAsync(null, script, null, false, true, _out, _err, null, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(0), _err.ToString());
        var text = File.ReadAllText(output);
        Assert.That(text, Does.Contain(element));
        var back = VoScript.Engine.Formats.VOTable.VOTableReader.ReadFile(output);
        Assert.That(back.RowCount, Is.EqualTo(3));
        Assert.That(((VoScript.Engine.Model.StringColumn)back.FindColumn("name")!)[0], Is.EqualTo("a&b"));
        Assert.That(back.FindColumn("mag")!.IsNull(1), Is.True);
    }

    [Test]
    public async Task FailedRunExitsOneWithTheReasonInTheSummary()
    {
        var exit = await RunCommand.RunAsync(null, $"load \"{Path.Combine(_dir, "missing.csv")}\" as t\nprint \"never\"\n", null, false, true,
            _out, _err, null, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(_out.ToString(), Is.Empty);
        Assert.That(_err.ToString(), Does.Contain("-e:1: error: file '").And.Contain("missing.csv' does not exist"));
        Assert.That(_err.ToString(), Does.Contain("run failed"));
    }

    [Test]
    public async Task RunRefusesFileAndTextTogetherAndCompileErrors()
    {
        Assert.That(await RunCommand.RunAsync("a.vos", "print 1", null, false, true, _out, _err, null, CancellationToken.None), Is.EqualTo(2));
        Assert.That(await RunCommand.RunAsync(null, "print nope", null, false, true, _out, _err, null, CancellationToken.None), Is.EqualTo(1));
        Assert.That(_err.ToString(), Does.Contain("-e:1:7: error VOS0101: unknown name 'nope'"));
    }

    [Test]
    public void SyntaxListsTheStatements()
    {
        Assert.That(SyntaxCommand.Run(null, _out, _err), Is.EqualTo(0));
        Assert.That(_out.ToString(), Does.Contain("await NAME, ... [timeout DURATION]").And.Contain("csharp { ... } [as NAME]"));
        Assert.That(SyntaxCommand.Run("frobnicate", _out, _err), Is.EqualTo(2));
    }
}
