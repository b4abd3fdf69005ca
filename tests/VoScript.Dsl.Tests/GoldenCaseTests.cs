using VoScript.Dsl.Compiling;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Tests;

/// <summary>
/// Golden files: <c>cases/&lt;area&gt;/NAME.vos</c> with <c>NAME.diagnostics</c> (the exact
/// output of <c>voscript check</c>'s diagnostics) and/or <c>NAME.plan</c> (the exact
/// canonical plan). Adding a case is adding files. <c>NAME.params</c>, when present,
/// holds NAME=VALUE lines passed as --param.
/// </summary>
[TestFixture]
public class GoldenCaseTests
{
    private static string CasesDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "cases");

    public static IEnumerable<TestCaseData> Cases()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "cases");
        foreach (var vos in Directory.GetFiles(root, "*.vos", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, vos).Replace('\\', '/');
            yield return new TestCaseData(name).SetName("Case_" + name.Replace('/', '_').Replace(".vos", "", StringComparison.Ordinal));
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void CaseMatchesItsGoldenFiles(string relativePath)
    {
        var vos = Path.Combine(CasesDirectory, relativePath);
        var stem = vos[..^".vos".Length];
        var parameters = File.Exists(stem + ".params")
            ? File.ReadAllLines(stem + ".params").Where(l => l.Contains('=', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..])
            : null;
        var result = VoScriptCompiler.Compile(File.ReadAllText(vos), Path.GetFileName(vos), parameters);
        var hasDiagnostics = File.Exists(stem + ".diagnostics");
        var hasPlan = File.Exists(stem + ".plan");
        Assert.That(hasDiagnostics || hasPlan, Is.True, $"{relativePath} needs a .diagnostics or .plan file beside it");

        if (hasDiagnostics)
            Assert.That(result.FormatDiagnostics(), Is.EqualTo(Normalize(File.ReadAllText(stem + ".diagnostics"))));
        else
            Assert.That(result.Diagnostics, Is.Empty, result.FormatDiagnostics());

        if (hasPlan)
        {
            Assert.That(result.Plan, Is.Not.Null, result.FormatDiagnostics());
            Assert.That(PlanPrinter.Print(result.Plan!), Is.EqualTo(Normalize(File.ReadAllText(stem + ".plan"))));
        }
        else if (result.HasErrors)
            Assert.That(result.Plan, Is.Null);
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n", StringComparison.Ordinal);
}
