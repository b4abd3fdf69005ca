namespace VoScript.Cli.Tests;

/// <summary>csharp blocks through the voscript command: --no-csharp, --csharp-timeout, errors at the .vos line, a run.</summary>
public class CSharpCommandTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-cs-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void RunOfTheColourExamplePrintsTheRedSourcesAndTheirMeanColour()
    {
        var r = Repo.Shell("./voscript run -q scripts/local/colour.vos");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Is.EqualTo("red: 17 rows, 9 columns (source_id, ra, dec, g_mag, bp_mag, rp_mag, parallax, class, bp_rp)\n1.277\n"));
    }

    [Test]
    public void NoCSharpRefusesTheBlocksOfRunCheckAndPlan()
    {
        var f = Write("c.vos", "let a = 1\ncsharp { Print(\"ran\"); }\n");
        foreach (var command in new[] { "run", "check", "plan" })
        {
            var r = Repo.Shell($"./voscript {command} --no-csharp {f}");
            Assert.That(r.ExitCode, Is.EqualTo(1), command);
            Assert.That(r.Err, Does.StartWith($"{f}:2:1: error VOS0601: csharp blocks are turned off here (--no-csharp)"), command);
            Assert.That(r.Out, Does.Not.Contain("ran"), command);
        }
        var allowed = Repo.Shell($"./voscript run -q {f}");
        Assert.That(allowed.ExitCode, Is.EqualTo(0), allowed.Err);
        Assert.That(allowed.Out, Is.EqualTo("ran\n"));
    }

    [Test]
    public void CheckPrintsCSharpErrorsAtTheVosLineAndColumn()
    {
        var f = Write("e.vos", "let a = 1\n\ncsharp {\n  var x = a;\n  x.Frobnicate();\n}\n");
        var r = Repo.Shell($"./voscript check {f}");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Is.EqualTo($"{f}:5:5: error CS1061: 'double' does not contain a definition for 'Frobnicate' and no accessible extension method 'Frobnicate' accepting a first argument of type 'double' could be found (are you missing a using directive or an assembly reference?)\n    x.Frobnicate();\n      ^^^^^^^^^^\n"));
    }

    [Test]
    public void CSharpTimeoutStopsABlockThatWaits()
    {
        var f = Write("t.vos", "csharp { await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken); }\nprint \"after\"\n");
        var r = Repo.Shell($"./voscript run -q --csharp-timeout 0.5 {f}");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("t.vos:1: error: the C# code stopped at its time limit of 0.5 s; raise it with --csharp-timeout"));
        Assert.That(r.Out, Is.Empty);
    }
}
