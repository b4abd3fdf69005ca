namespace VoScript.Cli.Tests;

public class CommandLineTests
{
    [Test]
    public void HelpListsEveryCommand()
    {
        var r = Repo.Run("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(r.Out, Does.Contain("convert").And.Contain("show"));
    }

    [Test]
    public void VersionIsPrinted()
    {
        var r = Repo.Run("--version");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(r.Out.Trim(), Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public void UnknownOptionIsAUsageErrorWithExitCode2()
    {
        var r = Repo.Run("show", "scripts/data/sample.vot", "--bogus");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("--bogus").And.Contain("voscript show --help"));
    }

    [Test]
    public void UnknownCommandIsAUsageError()
    {
        var r = Repo.Run("frobnicate");
        Assert.That(r.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void MissingFileGivesOneClearErrorAndExitCode1()
    {
        var r = Repo.Run("show", "no/such/file.vot");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Is.EqualTo("voscript: cannot read 'no/such/file.vot': no such file\n"));
        Assert.That(r.Err, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void ConvertNeedsAFormatWhenTheExtensionSaysNothing()
    {
        var r = Repo.Run("convert", "scripts/data/sample.vot", Path.Combine(Path.GetTempPath(), "x.dat"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("give --format"));
    }

    [Test]
    public void ConvertRejectsAnUnknownFormatName()
    {
        var r = Repo.Run("convert", "scripts/data/sample.vot", "x.vot", "--format", "fits");
        Assert.That(r.ExitCode, Is.EqualTo(2));
    }

    [TestCase("binary2")]
    [TestCase("binary")]
    [TestCase("tabledata")]
    [TestCase("csv")]
    public void ConvertKeepsEveryRowAndColumn(string format)
    {
        var dir = Directory.CreateTempSubdirectory("voscript-cli-");
        try
        {
            var output = Path.Combine(dir.FullName, format == "csv" ? "t.csv" : "t.vot");
            var c = Repo.Run("convert", "scripts/data/sample.vot", output, "--format", format);
            Assert.That(c.ExitCode, Is.EqualTo(0), c.Err);
            var original = Repo.Run("show", "scripts/data/sample.vot", "--stats");
            var converted = Repo.Run("show", output, "--stats");
            Assert.That(converted.ExitCode, Is.EqualTo(0), converted.Err);
            Assert.That(converted.Out, Does.Contain("40 rows, 8 columns"));
            // Same statistics line for line, apart from the header naming the file. CSV has no
            // float type (floats come back as doubles), so there numbers agree to float precision.
            var expected = StatsBody(original.Out);
            var actual = StatsBody(converted.Out);
            Assert.That(actual, Has.Length.EqualTo(expected.Length));
            for (var i = 0; i < expected.Length; i++)
            {
                if (format != "csv") { Assert.That(actual[i], Is.EqualTo(expected[i])); continue; }
                Assert.That(actual[i], Has.Length.EqualTo(expected[i].Length), string.Join(" ", expected[i]));
                for (var k = 0; k < expected[i].Length; k++)
                {
                    if (k == 1) continue; // the type column
                    if (double.TryParse(expected[i][k], System.Globalization.CultureInfo.InvariantCulture, out var e) && e != 0)
                        Assert.That(double.Parse(actual[i][k], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(e).Within(1e-6 * Math.Abs(e)));
                    else
                        Assert.That(actual[i][k], Is.EqualTo(expected[i][k]));
                }
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static string[][] StatsBody(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(3)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();

    [Test]
    public void ShowPrintsMetadataAndTheFirstRows()
    {
        var r = Repo.Run("show", "scripts/data/sample.vot", "--limit", "3");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("table field: 40 rows, 8 columns"));
        Assert.That(r.Out, Does.Contain("QUERY_STATUS OK"));
        Assert.That(r.Out, Does.Contain("COOSYS ID=icrs system=ICRS epoch=J2016.0"));
        Assert.That(r.Out, Does.Contain("pos.eq.ra;meta.main"));
        Assert.That(r.Out, Does.Contain("rows (first 3 of 40; --limit N for more):"));
    }

    [Test]
    public void TheLauncherBuildsAndRunsTheCommand()
    {
        var r = Repo.Shell("./voscript show scripts/data/sample.vot --limit 1");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("table field: 40 rows"));
    }
}
