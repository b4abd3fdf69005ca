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

    [Test]
    public void TheFuzzersCrashInputCompilesToDiagnostics()
    {
        var text = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "fuzz", "corpus", "vos", "regression-huge-maxrec.vos"));
        Assert.DoesNotThrow(() => VoScriptCompiler.Compile(text, "crash.vos"));
    }
}
