using System.Text.RegularExpressions;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Tests;

/// <summary>The user's reference and the example scripts must stay true: every example compiles.</summary>
[TestFixture]
public partial class DocumentationTests
{
    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("VoScript.sln not found above the test directory");
        }
    }

    [GeneratedRegex("```vos\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex VosBlock();

    public static IEnumerable<TestCaseData> LanguageExamples()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "docs", "language.md"));
        var n = 0;
        foreach (Match m in VosBlock().Matches(text))
        {
            var line = text[..m.Index].Count(c => c == '\n') + 1;
            yield return new TestCaseData(m.Groups[1].Value, line).SetName($"LanguageExample_{++n:00}_line{line}");
        }
    }

    [TestCaseSource(nameof(LanguageExamples))]
    public void LanguageReferenceExampleChecksCleanly(string example, int line)
    {
        var r = VoScriptCompiler.Compile(example, $"language.md@{line}");
        Assert.That(r.Diagnostics.Where(d => d.IsError), Is.Empty, r.FormatDiagnostics());
    }

    public static IEnumerable<TestCaseData> Scripts() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "scripts"), "*.vos", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetRelativePath(RepoRoot, f)).SetName("Script_" + Path.GetRelativePath(Path.Combine(RepoRoot, "scripts"), f).Replace('/', '_')));

    [TestCaseSource(nameof(Scripts))]
    public void ScriptChecksWithoutErrorsOrWarnings(string relativePath)
    {
        var r = VoScriptCompiler.Compile(File.ReadAllText(Path.Combine(RepoRoot, relativePath)), Path.GetFileName(relativePath));
        Assert.That(r.Diagnostics, Is.Empty, r.FormatDiagnostics());
    }

    [Test]
    public void EveryDiagnosticCodeIsDocumented()
    {
        var errors = File.ReadAllText(Path.Combine(RepoRoot, "docs", "errors.md"));
        var missing = DiagnosticCodes.All.Select(c => c.Code).Where(c => !errors.Contains("## " + c, StringComparison.Ordinal)).ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void EveryStatementIsDocumented()
    {
        var language = File.ReadAllText(Path.Combine(RepoRoot, "docs", "language.md"));
        var missing = StatementCatalog.All.Where(s => !s.Planned).Select(s => s.Usage).Where(u => !language.Contains(u, StringComparison.Ordinal)).ToList();
        Assert.That(missing, Is.Empty, "usage lines from [StatementSyntax] not found verbatim in docs/language.md");
    }
}
