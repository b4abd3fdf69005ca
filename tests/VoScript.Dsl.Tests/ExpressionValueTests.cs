using VoScript.Cli.Commands;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;

namespace VoScript.Dsl.Tests;

/// <summary><c>param</c> and <c>let</c> values in the expressions of <c>select … where</c>, <c>derive</c> and <c>group</c>.</summary>
[TestFixture]
public class ExpressionValueTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-exprvalues-" + Guid.NewGuid().ToString("N")));
        File.WriteAllText(Path.Combine(_dir, "t.csv"), "id,band,mag,ra\n1,g,10.5,10\n2,g,11.25,20\n3,r,12,30\n4,r,13,40\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private async Task<(int Exit, string Output, string Error)> Run(string script, params string[] parameters)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await RunCommand.RunAsync(null, script, parameters, false, true, output, error, null, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private string Load => $"load \"{Path.Combine(_dir, "t.csv")}\" as t\n";

    [Test]
    public async Task ParamAndLetValuesAreUsedInWhereDeriveAndGroup()
    {
        var script = Load + """
            param limit = 12
            let offset = 0.5
            let wanted = "r"
            select t where mag < limit as bright
            count bright as n_bright
            print n_bright
            derive t with shifted = mag + offset as d
            select d where band = wanted and shifted > limit as faint
            count faint as n_faint
            print n_faint
            group t by band with n = count(mag > limit - 1.5) as g
            sort g by band as gs
            show gs
            """;
        var (exit, output, error) = await Run(script);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.StartWith("2\n2\n"), output);
        Assert.That(output, Does.Match(@"g\s+1").And.Match(@"r\s+2"), output);

        (exit, output, error) = await Run(script, "limit=13");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.StartWith("3\n1\n"), "the --param override reaches the expression: " + output);
    }

    [Test]
    public void TheValueIsInThePlanAndAngleValuesKeepTheirUnit()
    {
        var r = VoScriptCompiler.Compile(Load + "param radius = 2 arcsec\nlet lo = 11\nselect t where mag > lo and abs(ra - 20) < radius as s\n", "v.vos");
        Assert.That(r.Diagnostics.Where(d => d.IsError), Is.Empty, r.FormatDiagnostics());
        Assert.That(r.Plan!.ToString(), Does.Contain("mag > 11").And.Contain("deg"), r.Plan.ToString());
    }

    [Test]
    public void AColumnWinsOverAValueOfTheSameNameAtCheckTime()
    {
        // sed's columns are known when the script is checked: 'mag' is one of them, so 'mag' is the column, a number,
        // and comparing it to a string is a type error (with the value 3 it would have been fine)
        var r = VoScriptCompiler.Compile("load \"x.vot\" as t\nsed t as s\nlet mag = \"text\"\nselect s where mag < 3 as b\n", "v.vos");
        Assert.That(r.Diagnostics.Where(x => x.IsError), Is.Empty, r.FormatDiagnostics());
        r = VoScriptCompiler.Compile("load \"x.vot\" as t\nsed t as s\nlet mag = 3\nselect s where mag = \"x\" as b\n", "v.vos");
        Assert.That(r.Diagnostics.Single(x => x.IsError).Code, Is.EqualTo(DiagnosticCodes.BadCondition), r.FormatDiagnostics());
    }

    [Test]
    public async Task AColumnWinsOverAValueOfTheSameNameAtRunTime()
    {
        // the file's columns are known only when the script runs: 'mag' is still the column there
        var (exit, output, error) = await Run(Load + "param mag = 100\nselect t where mag < 12 as s\ncount s as n\nprint n\n");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Is.EqualTo("2\n"));
    }

    [Test]
    public void AValueDefinedAfterTheStatementIsAColumnAndListsAreRefused()
    {
        var r = VoScriptCompiler.Compile(Load + "select t where mag < later as s\nlet later = 3\n", "v.vos");
        Assert.That(r.Diagnostics.Where(d => d.IsError), Is.Empty, r.FormatDiagnostics());
        Assert.That(r.Plan!.ToString(), Does.Contain("mag < later"));

        r = VoScriptCompiler.Compile(Load + "let bands = [\"g\", \"r\"]\nselect t where band = bands as s\n", "v.vos");
        var d = r.Diagnostics.Single(x => x.IsError);
        Assert.That(d.Message, Does.Contain("'bands' is a list"));
        Assert.That((d.Span.Line, d.Span.Column), Is.EqualTo((3, 23)));
    }

    [Test]
    public void ARunTimeValueInAnExpressionIsReported()
    {
        var r = VoScriptCompiler.Compile(Load + "count t as n\nselect t where mag < n as s\n", "v.vos");
        var d = r.Diagnostics.Single(x => x.IsError);
        Assert.That(d.Code, Is.EqualTo(DiagnosticCodes.CSharpRuntimeValue));
        Assert.That(d.Message, Does.Contain("known only when the script runs"));
    }
}
