using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;

namespace VoScript.Dsl.Tests;

/// <summary>Numbers beyond double's range are a diagnostic, never an exception (found by the .vos fuzzer).</summary>
[TestFixture]
public class HugeNumberTests
{
    [TestCase("param n = 1e999\nprint n")]
    [TestCase("param n = 1e300 * 1e300\nprint n")]
    [TestCase("service s = tap \"http://localhost/tap\"\nquery s as t maxrec 1" + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" + " {\n  SELECT 1 FROM x\n}")]
    public void ANumberTooLargeIsVOS0206AndNoException(string script)
    {
        var compiled = VoScriptCompiler.Compile(script, "huge.vos");
        Assert.That(compiled.Plan, Is.Null);
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Does.Contain(DiagnosticCodes.BadNumber), compiled.FormatDiagnostics());
    }

    [TestCase(1e300)]
    [TestCase(-7.5e40)]
    [TestCase(1e-30)]
    [TestCase(-1.2345e-200)]
    [TestCase(double.MaxValue)]
    [TestCase(double.Epsilon)]
    [TestCase(123.456)]
    public void AnyFiniteNumberFormatsPlainAndRoundTrips(double value)
    {
        var text = VoScript.Engine.Runtime.PlanValue.FormatNumber(value);
        Assert.That(text, Does.Not.Contain("E").And.Not.Contain("e"));
        Assert.That(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value));
    }

    [TestCase("maxrec 1e40")]
    [TestCase("maxrec 1e-40")]
    [TestCase("maxrec 1e300")]
    public void ExtremeFiniteClauseValuesAreDiagnosticsNotExceptions(string clause)
    {
        var script = "service s = tap \"http://localhost/tap\"\nquery s as t " + clause + " {\n  SELECT 1 FROM x\n}\nprint 1e300\nprint 1e-300\nawait t timeout 1e300 s";
        Assert.DoesNotThrow(() => VoScriptCompiler.Compile(script, "extreme.vos").FormatDiagnostics());
    }

    [Test]
    public void TheFuzzersCrashInputCompilesToDiagnostics()
    {
        var text = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "fuzz", "corpus", "vos", "regression-huge-maxrec.vos"));
        Assert.DoesNotThrow(() => VoScriptCompiler.Compile(text, "crash.vos"));
    }
}
