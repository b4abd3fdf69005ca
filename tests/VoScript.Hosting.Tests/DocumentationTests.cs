using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VoScript.Engine;

namespace VoScript.Hosting.Tests;

/// <summary>The C# examples of docs/embedding.md compile against the public API.</summary>
public partial class DocumentationTests
{
    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using VoScript.Engine;
        global using VoScript.Engine.Model;
        global using VoScript.Hosting;
        """;

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private static List<SyntaxTree> Blocks()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "docs", "embedding.md"));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpBlock().Matches(text).Select((m, i) => CSharpSyntaxTree.ParseText(m.Groups[1].Value, options, path: $"embedding.md#{i + 1}")).ToList();
    }

    private static bool IsProgram(SyntaxTree tree) => tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    public static IEnumerable<TestCaseData> Programs() =>
        Blocks().Where(IsProgram).Select(t => new TestCaseData(t.FilePath).SetName("EmbeddingExampleCompiles_" + t.FilePath.Split('#')[1]));

    [Test]
    public void TheDocumentHasExamplesOfEveryKind()
    {
        var blocks = Blocks();
        Assert.That(blocks.Count(IsProgram), Is.GreaterThanOrEqualTo(6));
        Assert.That(blocks.Count(b => !IsProgram(b)), Is.GreaterThanOrEqualTo(1), "the host step class");
    }

    [TestCaseSource(nameof(Programs))]
    public void EmbeddingExampleCompiles(string name)
    {
        var blocks = Blocks();
        var program = blocks.Single(b => b.FilePath == name);
        // type declarations of other examples (the host step class) are visible to every example
        var trees = new List<SyntaxTree> { program, CSharpSyntaxTree.ParseText(Usings, path: "usings.cs") };
        trees.AddRange(blocks.Where(b => !IsProgram(b)));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).ToList();
        var compilation = CSharpCompilation.Create("EmbeddingExample", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.That(problems, Is.Empty, program.ToString());
    }
}
