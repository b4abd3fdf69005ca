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
        var r = Repo.Run("convert", "scripts/data/sample.vot", "x.vot", "--format", "parquet");
        Assert.That(r.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void ShowAndLoadRefuseFilesThatAreNotTables()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-cli-");
        try
        {
            var png = Path.Combine(dir.FullName, "plot.csv");
            File.WriteAllBytes(png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
            var r = Repo.Run("show", png);
            Assert.That(r.ExitCode, Is.EqualTo(1));
            Assert.That(r.Err, Does.Contain("not a table: '" + png + "' looks like a PNG image"));
            var script = Path.Combine(dir.FullName, "load.vos");
            File.WriteAllText(script, $"load \"{png}\" as t\nprint t\n");
            r = Repo.Run("run", script);
            Assert.That(r.ExitCode, Is.EqualTo(1), "load of a PNG fails the run (its message goes to the run's own stderr)");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Test]
    public void ScriptsLoadAndSaveFits()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-cli-");
        try
        {
            var script = Path.Combine(dir.FullName, "fits.vos");
            var d = dir.FullName;
            File.WriteAllText(script, $"load \"{Repo.PathOf("scripts/data/sample.vot")}\" as t\nsave t to \"{d}/out.fits\"\nload \"{d}/out.fits\" as back\nsave back to \"{d}/back.fits.gz\"\n");
            var r = Repo.Run("run", script);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
            var shown = Repo.Run("show", Path.Combine(dir.FullName, "back.fits.gz"), "--stats");
            Assert.That(shown.ExitCode, Is.EqualTo(0), shown.Err);
            Assert.That(StatsBody(shown.Out), Is.EqualTo(StatsBody(Repo.Run("show", "scripts/data/sample.vot", "--stats").Out)));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestCase("binary2")]
    [TestCase("binary")]
    [TestCase("tabledata")]
    [TestCase("csv")]
    [TestCase("fits")]
    public void ConvertKeepsEveryRowAndColumn(string format)
    {
        var dir = Directory.CreateTempSubdirectory("voscript-cli-");
        try
        {
            var output = Path.Combine(dir.FullName, format switch { "csv" => "t.csv", "fits" => "t.fits", _ => "t.vot" });
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
