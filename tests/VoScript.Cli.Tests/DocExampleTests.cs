using System.Text.RegularExpressions;

namespace VoScript.Cli.Tests;

/// <summary>
/// Runs every ```console example of docs/commands/*.md: lines starting with "$ " are
/// commands (run from the repository root), the lines after one, up to the next, are its
/// expected stdout.
/// </summary>
public partial class DocExampleTests
{
    public static IEnumerable<TestCaseData> Examples()
    {
        foreach (var file in Directory.GetFiles(Repo.PathOf("docs/commands"), "*.md").Order())
        {
            var text = File.ReadAllText(file);
            var k = 0;
            foreach (Match m in ConsoleBlock().Matches(text))
            {
                k++;
                var data = new TestCaseData(Path.GetRelativePath(Repo.Root, file), m.Groups[2].Value)
                    .SetName($"{Path.GetFileNameWithoutExtension(file)} example {k}");
                // ```console rig: the example needs the local DaCHS rig, so it runs with the integration tests.
                if (m.Groups[1].Value == " rig") data.SetCategory("Integration");
                yield return data;
            }
        }
    }

    [TestCaseSource(nameof(Examples))]
    public void DocumentedOutputIsWhatTheCommandPrints(string file, string block)
    {
        Directory.CreateDirectory(Repo.PathOf("out"));
        string? command = null;
        var expected = new List<string>();
        foreach (var line in block.Split('\n').Append("$ "))
        {
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                if (command is not null)
                {
                    var r = Repo.Shell(command);
                    Assert.That(r.ExitCode, Is.EqualTo(0), $"{file}: '{command}' failed: {r.Err}");
                    Assert.That(Normalize(r.Out), Is.EqualTo(Normalize(string.Join("\n", expected))), $"{file}: output of '{command}'");
                }
                command = line[2..].Trim();
                expected.Clear();
                if (command.Length == 0) command = null;
            }
            else expected.Add(line);
        }
    }

    /// <summary>Trailing spaces and durations ("2.2 s") do not count.</summary>
    private static string Normalize(string s) =>
        Duration().Replace(string.Join("\n", s.Replace("\r", "").Split('\n').Select(l => l.TrimEnd())).Trim('\n'), "# s");

    [GeneratedRegex(@"```console( rig)?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ConsoleBlock();

    [GeneratedRegex(@"\b\d+(\.\d+)? s\b")]
    private static partial Regex Duration();
}
