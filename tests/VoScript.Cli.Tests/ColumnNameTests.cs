using VoScript.Engine.Formats.VOTable;

namespace VoScript.Cli.Tests;

/// <summary>
/// Column names that are not words (<c>B-V</c>, <c>n obs</c>, <c>2MASS</c>: VizieR and other archives have them), through a
/// whole run: <c>check</c>, then verbs with backquoted names in expressions and quoted names in column lists, and the
/// saved file's columns and values.
/// </summary>
[NonParallelizable]
public class ColumnNameTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vos-names-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "quirky.vot"), """
            <?xml version="1.0"?>
            <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
             <RESOURCE><TABLE name="quirky">
              <FIELD name="id" datatype="int"/>
              <FIELD name="B-V" datatype="double" unit="mag"/>
              <FIELD name="n obs" datatype="int"/>
              <FIELD name="2MASS" datatype="char" arraysize="*"/>
              <DATA><TABLEDATA>
               <TR><TD>1</TD><TD>0.9</TD><TD>3</TD><TD>J1</TD></TR>
               <TR><TD>2</TD><TD>0.2</TD><TD>5</TD><TD>J2</TD></TR>
               <TR><TD>3</TD><TD>1.4</TD><TD>1</TD><TD>J3</TD></TR>
               <TR><TD>4</TD><TD>0.7</TD><TD>2</TD><TD>J4</TD></TR>
               <TR><TD>5</TD><TD></TD><TD>4</TD><TD>J5</TD></TR>
              </TABLEDATA></DATA>
             </TABLE></RESOURCE>
            </VOTABLE>
            """);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private string Script(string body)
    {
        var path = Path.Combine(_dir, "names.vos");
        File.WriteAllText(path, body.Replace("DIR", _dir, StringComparison.Ordinal));
        return path;
    }

    [Test]
    public void NamesThatAreNotWordsGoThroughSelectDeriveKeepRenameSortAndSave()
    {
        var script = Script("""
            load "DIR/quirky.vot" as t
            select t where `B-V` > 0.5 and `n obs` >= 2 as red
            derive red with colour = `B-V` * 2 unit "mag" as d
            keep d columns "n obs", colour, `2MASS` as k
            rename k "n obs" to nobs as r
            sort r by colour desc as s
            save s to "DIR/out.vot"
            """);
        var check = Repo.Run("check", script);
        Assert.That(check.ExitCode, Is.EqualTo(0), check.Out + check.Err);
        var run = Repo.Run("run", script);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Out + run.Err);

        var t = VOTableReader.ReadFile(Path.Combine(_dir, "out.vot"));
        Assert.That(t.Fields.Select(f => f.Name), Is.EqualTo(new[] { "nobs", "colour", "2MASS" }));
        var rows = Enumerable.Range(0, t.RowCount).Select(r => string.Join(" ", t.Columns.Select(c => c.FormatCell(r)))).ToList();
        Assert.That(rows, Is.EqualTo(new[] { "3 1.8 J1", "2 1.4 J4" }), "ids 1 and 4: red, seen at least twice; the null B-V row is not selected");
        Assert.That(t.Fields.ElementAt(1).Unit, Is.EqualTo("mag"));
    }

    /// <summary>keep (and group) name their output's columns even when the input's come with the data (a file).</summary>
    [Test]
    public void AMisspeltNameAfterKeepOfAFileIsACheckError()
    {
        var script = Script("""
            load "DIR/quirky.vot" as t
            keep t columns "n obs", `B-V` as k
            derive k with c2 = `B-V` * 2 as d
            sort d by `n ob` as s
            """);
        var check = Repo.Run("check", script);
        Assert.That(check.ExitCode, Is.Not.EqualTo(0));
        Assert.That(check.Err, Does.Contain("names.vos:4:11: error VOS0108").And.Contain("no column `n ob` (did you mean `n obs`?)"), check.Err);
        Assert.That(check.Err, Does.Not.Contain("   at "));
    }

    /// <summary>
    /// The columns of a file are known only when the script runs: the run-time errors of selections and verbs suggest a
    /// name as it must be typed where it was written (in backquotes when it is not a plain word), plain names as they are.
    /// </summary>
    [TestCase("select t where n_obs >= 2 as a", "unknown column 'n_obs' (did you mean `n obs`?)")]
    [TestCase("select t where B_V > 0.5 as a", "unknown column 'B_V' (did you mean `B-V`?)")]
    [TestCase("select t where idd > 1 as a", "unknown column 'idd' (did you mean 'id'?)")]
    [TestCase("derive t with c = `n_obs` * 2 as d", "has no column 'n_obs' (did you mean `n obs`?)")]
    [TestCase("derive t with c = `2MAS` as d", "has no column `2MAS` (did you mean `2MASS`?)")]
    [TestCase("sort t by nobs desc as s", "has no column 'nobs' (did you mean `n obs`?)")]
    [TestCase("keep t columns id, `2MAS` as k", "has no column `2MAS` (did you mean `2MASS`?)")]
    [TestCase("keep t columns ID2 as k", "has no column 'ID2' (did you mean 'id'?)")]
    [TestCase("keep t columns zzzz as k", "has no column 'zzzz'; its columns are id, `B-V`, `n obs`, `2MASS`")]
    [TestCase("group t by n_obs with n = count() as g", "has no column 'n_obs' (did you mean `n obs`?)")]
    public void RunTimeErrorsSuggestNamesAsTheyMustBeTyped(string statement, string message)
    {
        var script = Script("load \"DIR/quirky.vot\" as t\n" + statement + "\n");
        var check = Repo.Run("check", script);
        Assert.That(check.ExitCode, Is.EqualTo(0), "a file's columns are not known before the run: " + check.Err);
        var run = Repo.Run("run", script);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Out + run.Err);
        Assert.That(run.Err, Does.Contain("names.vos:2: error: ").And.Contain(message), run.Err);
        Assert.That(run.Err, Does.Not.Contain("   at "));
    }
}
