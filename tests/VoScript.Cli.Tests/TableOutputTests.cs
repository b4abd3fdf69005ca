using VoScript.Cli.Commands;
using VoScript.Engine.Model;

namespace VoScript.Cli.Tests;

/// <summary>Tables printed to a pipe: one line per row, whole values (no wrapping at 80 columns), CSV and TSV on request.</summary>
public class TableOutputTests
{
    private static Table Wide()
    {
        var t = new Table("wide");
        var url = "https://example.org/a/very/long/path/that/goes/on/and/on/and/on/to/the/data/file/spec_0001.fits?format=application/fits";
        t.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable), [url, null]));
        for (var i = 0; i < 12; i++)
            t.AddColumn(new ScalarColumn<double>(new Field($"flux_{i}", DataType.Double) { Unit = "mJy" }, [123456.789012 + i, -0.000123456789]));
        return t;
    }

    [Test]
    public void TextRowsAreOneLineEachWithWholeValues()
    {
        var o = new StringWriter();
        TableOutput.Write(Wide(), o, TableOutput.Text, 20, "more");
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(5), o.ToString()); // header, rule, two rows, count
        Assert.That(lines[0], Does.Contain("flux_11 [mJy]"));
        Assert.That(lines[2], Does.Contain("spec_0001.fits?format=application/fits").And.Contain("123467.789012"));
        Assert.That(lines[4], Is.EqualTo("2 rows × 13 columns"));
    }

    [TestCase("csv", ",")]
    [TestCase("tsv", "\t")]
    public void DelimitedRowsHaveAHeaderAndEveryRow(string format, string sep)
    {
        var o = new StringWriter();
        TableOutput.Write(Wide(), o, format, 1, "more");
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), "csv and tsv print every row");
        Assert.That(lines[0], Does.StartWith("access_url" + sep + "flux_0" + sep));
        Assert.That(lines[1].Split(sep), Has.Length.EqualTo(13));
        Assert.That(lines[2], Does.StartWith(sep + "-0.000123456789"), "a null cell is empty");
    }

    [Test]
    public void CsvQuotesWhatNeedsQuoting()
    {
        var o = new StringWriter();
        TableOutput.WriteDelimited(o, TableOutput.Csv, ["a", "b"], [["x,y", "say \"hi\""]]);
        Assert.That(o.ToString(), Is.EqualTo("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n"));
    }

    [Test]
    public void ShowPrintsRowsAsCsv()
    {
        var r = Repo.Run("show", "scripts/data/sample.vot", "--format", "csv", "--limit", "2");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0].Split(','), Has.Length.EqualTo(8));
    }

    [Test]
    public void FormatIsCheckedAtParseTime()
    {
        foreach (var cmd in new[] { new[] { "tap", "http://localhost:1/tap", "SELECT 1" }, ["services"], ["show", "scripts/data/sample.vot"] })
        {
            var r = Repo.Run([.. cmd, "--format", "xls"]);
            Assert.That(r.ExitCode, Is.EqualTo(2), string.Join(' ', cmd));
            Assert.That(r.Err, Does.StartWith("voscript: --format 'xls': use text, csv or tsv"));
        }
    }
}
