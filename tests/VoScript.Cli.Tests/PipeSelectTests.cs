using VoScript.Cli.Commands;
using VoScript.Engine;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Tests;

/// <summary>
/// <c>select … interactively</c> when stdin is not a terminal (issue 17, item 4): each object's summary on
/// stderr, one answer per line of stdin; the end of input is q; three lines in a row that are not an answer fail.
/// </summary>
[NonParallelizable]
public class PipeSelectTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vos-pick-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private Repo.Result Pick(string answers)
    {
        var build = Repo.Shell("./voscript --version", 900);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Err);
        var field = Repo.PathOf(Path.Combine("scripts", "data", "field"));
        var script = Repo.PathOf(Path.Combine("scripts", "local", "pick.vos"));
        return Repo.Shell($"cd '{_dir}' && {answers} | '{Repo.Root}/voscript' run '{script}' --param 'field={field}'", 300);
    }

    /// <summary>The object ids of chosen.vot, in order.</summary>
    private List<string> Chosen()
    {
        var t = VOTableReader.ReadFile(Path.Combine(_dir, "chosen.vot"));
        var ids = t.FindColumn("object_id")!;
        return Enumerable.Range(0, t.RowCount).Select(ids.FormatCell).Distinct().ToList();
    }

    [Test]
    public void YesNoQuitFromAPipeKeepsTheFirstObjectOnly()
    {
        var r = Pick(@"printf 'y\nn\nq\n'");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(r.Err, Does.Not.Contain("   at "));
        // three objects were shown: id, position, bands and the one-line SED of each
        var shown = System.Text.RegularExpressions.Regex.Matches(r.Err, @"keep object (\d+)\?").Select(m => m.Groups[1].Value).ToList();
        Assert.That(shown, Has.Count.EqualTo(3));
        Assert.That(r.Err, Does.Contain("(1 of 234").And.Contain("(3 of 234"));
        Assert.That(r.Err, Does.Match(@"position: RA 1[45]\d\.\d{5} deg, Dec [+-]\d\.\d{5} deg \(\d\dh\d\dm\d\d\.\d\ds [+-]\d\dd\d\dm\d\d\.\ds\)"));
        Assert.That(r.Err, Does.Contain("bands: ").And.Contain("Ks "));
        Assert.That(r.Err, Does.Match(@"SED: 0\.\d+ um [▁▂▃▄▅▆▇█]{5,} 2\.\d+ um"));
        Assert.That(Chosen(), Is.EqualTo(new[] { shown[0] }));
        Assert.That(r.Out, Does.Contain("chosen_objects: 1 row"));
    }

    [Test]
    public void TheEndOfTheInputStopsAndKeepsWhatWasKept()
    {
        var r = Pick(@"printf 'y\nyes\nno\ny\n'");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
        var shown = System.Text.RegularExpressions.Regex.Matches(r.Err, @"keep object (\d+)\?").Select(m => m.Groups[1].Value).ToList();
        Assert.That(shown, Has.Count.EqualTo(5), "four answers, then the fifth question meets the end of the input");
        Assert.That(r.Err, Does.Contain("end of input"));
        Assert.That(Chosen(), Is.EqualTo(new[] { shown[0], shown[1], shown[3] }));
    }

    [Test]
    public void AnEmptyPipeKeepsNothing()
    {
        var r = Pick("true");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(Chosen(), Is.Empty);
    }

    [Test]
    public void ThreeLinesThatAreNotAnswersFailTheRunClearly()
    {
        var r = Pick(@"printf 'n\nmaybe\n\nY E S\ny\n'");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("line 4 of the input ('Y E S') is not an answer").And.Contain("y keeps the object, n skips it, q stops"));
        Assert.That(r.Err, Does.Contain("'maybe' is not an answer"));
        Assert.That(r.Err, Does.Not.Contain("   at "));
        Assert.That(File.Exists(Path.Combine(_dir, "chosen.vot")), Is.False);
    }

    [Test]
    public void AnswersAreReadOnePerLineWithoutTheProcess()
    {
        var t = new VoScript.Engine.Model.Table("t");
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<long>(new VoScript.Engine.Model.Field("object_id", VoScript.Engine.Model.DataType.Long), [7]));
        var view = new ObjectView(t, "7", 0, 1, [0], IsSed: false);
        var prompt = new StringWriter();
        var ask = new PipeSelect(new StringReader(" Y \nwhat\nNo\n"), prompt);
        Assert.That(ask.Ask(view), Is.EqualTo(Choice.Keep));
        Assert.That(ask.Ask(view), Is.EqualTo(Choice.Skip));
        Assert.That(ask.Ask(view), Is.EqualTo(Choice.Quit), "end of input");
        Assert.That(prompt.ToString(), Does.Contain("'what' is not an answer"));
        Assert.That(prompt.ToString(), Does.StartWith(Environment.NewLine + "object 7 (1 of 1, 1 rows)" + Environment.NewLine + "  position: (no RA/Dec columns)"),
            "the CLI draws the summary from the object's data");
        var failing = new PipeSelect(new StringReader("a\nb\nc\ny\n"), new StringWriter());
        Assert.That(() => failing.Ask(view), Throws.InstanceOf<VoScriptException>().With.Message.Contains("line 3 of the input ('c')"));
    }
}
