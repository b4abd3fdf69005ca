using System.Text;
using System.Text.RegularExpressions;

namespace VoScript.Cli.Tests;

/// <summary>
/// Every command of the ```sh blocks of README.md and docs/**/*.md (issue 14): each <c>./voscript</c> line parses,
/// names files that exist, and is run when it works offline; every other line names files that exist; lines marked
/// <c>[needs …]</c>, <c>[runs until Ctrl-C]</c> or <c>[run by …]</c> are the only ones not run. The <c>./voscript</c>
/// lines of ```console blocks (after <c>$ </c>) and of plain ``` blocks are read too: they parse, name files that
/// exist and are run (a ```console rig block needs the DaCHS rig: not run here); those of docs/commands/ are run by
/// <see cref="DocExampleTests"/>, which also compares their output. The README's serve line serves every table the
/// script of its run line reads.
/// </summary>
public partial class ReadmeCommandTests
{
    /// <summary>A command line; <paramref name="Shell"/>: the whole line of a console or plain block, run by a shell.</summary>
    private sealed record Line(string Text, string Comment, string File = "README.md", string? Shell = null)
    {
        public bool Marked => MarkerPattern().IsMatch(Comment);
        public string[] Words => ShellWords(Text);
        public bool FromSh => Shell is null;
    }

    /// <summary>The README's and every docs page's commands.</summary>
    private static List<Line> Commands() =>
        [.. ReadmeCommands(), .. Directory.EnumerateFiles(Repo.PathOf("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => CommandsOf(Path.GetRelativePath(Repo.PathOf("."), f).Replace('\\', '/')))];

    private static List<Line> ReadmeCommands() => CommandsOf("README.md");

    private static List<Line> CommandsOf(string file)
    {
        var text = File.ReadAllText(Repo.PathOf(file));
        var lines = new List<Line>();
        // ```console and plain ``` blocks: the ./voscript lines ("$ " is the console's prompt)
        foreach (var (info, body) in FencedBlocks(text).Where(b => b.Info is "console" or "console rig" or ""))
        {
            var rig = info == "console rig";
            foreach (var raw in body.Split('\n'))
            {
                var line = raw.StartsWith("$ ", StringComparison.Ordinal) ? raw[2..].Trim() : info.Length == 0 ? raw.Trim() : "";
                if (!line.StartsWith("./voscript ", StringComparison.Ordinal)) continue;
                // the voscript command itself: up to the first shell operator (a pipe, a redirection, ;, &)
                var cut = ShellOperator().Match(line);
                var cmd = cut.Success ? line[..cut.Index].Trim() : line;
                lines.Add(new Line(cmd, rig ? "[needs the DaCHS rig]" : "", file, line));
            }
        }
        foreach (Match block in ShBlock().Matches(text))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var raw in joined.Split('\n'))
            {
                var hash = raw.IndexOf(" #", StringComparison.Ordinal);
                var (cmd, comment) = hash < 0 ? (raw.Trim(), "") : (raw[..hash].Trim(), raw[(hash + 2)..]);
                if (cmd.Length > 0) lines.Add(new Line(cmd.TrimEnd('&').Trim(), comment, file));
            }
        }
        return lines;
    }

    private static string[] ShellWords(string s)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in s)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any) words.Add(sb.ToString()); sb.Clear(); any = false; }
            else { sb.Append(c); any = true; }
        }
        if (any) words.Add(sb.ToString());
        return [.. words];
    }

    [Test]
    public void TheReadmeHasCommandsAndOnlyMarkedOnesAreNotRun()
    {
        var all = Commands();
        Assert.That(ReadmeCommands().Count(l => l.Words[0] == "./voscript"), Is.GreaterThanOrEqualTo(8));
        Assert.That(all.Select(l => l.File).Distinct().Count(), Is.GreaterThan(3), "the docs pages' sh blocks are read too");
        foreach (var l in all.Where(l => l.Words[0] != "./voscript"))
            Assert.That(l.Marked, Is.True, $"{l.File}: '{l.Text}' is neither a voscript command nor marked [needs …]/[run by …]");
        var console = all.Where(l => !l.FromSh).ToList();
        Assert.That(console.Select(l => l.Words.ElementAtOrDefault(1)).Distinct().Count(), Is.GreaterThanOrEqualTo(6),
            "the ./voscript lines of ```console blocks are read too (show, convert, check, plan, syntax, serve, run, …)");
    }

    /// <summary>
    /// The ./voscript lines of console and plain blocks outside docs/commands/ run here (as their whole shell line),
    /// except the marked ones; docs/commands/ blocks run in <see cref="DocExampleTests"/>, checked to cover each of them.
    /// </summary>
    [Test]
    public void EveryConsoleCommandRuns()
    {
        Directory.CreateDirectory(Repo.PathOf("out"));
        var examples = DocExampleTests.Examples().Select(d => ((string)d.Arguments[0]!).Replace('\\', '/') + "\n" + (string)d.Arguments[1]!).ToList();
        foreach (var l in Commands().Where(l => !l.FromSh && !l.Marked))
        {
            if (l.File.StartsWith("docs/commands/", StringComparison.Ordinal))
            {
                Assert.That(examples.Any(e => e.StartsWith(l.File + "\n", StringComparison.Ordinal) && e.Contains("$ " + l.Shell, StringComparison.Ordinal)), Is.True,
                    $"{l.File}: '{l.Shell}' is run by DocExampleTests");
                continue;
            }
            var r = Repo.Shell(l.Shell!);
            Assert.That(r.ExitCode, Is.EqualTo(0), $"{l.File}: {l.Shell}: {r.Err}");
            Assert.That(r.Err + r.Out, Does.Not.Contain("   at "), $"{l.File}: {l.Shell}");
        }
    }

    [Test]
    public void EveryFileACommandNamesExists()
    {
        // marked lines too: a command that is not run still must not name a file that is gone
        foreach (var l in Commands())
            foreach (var a in l.Words[1..].SelectMany(a => a.Split('=')).Where(IsRepoPath))
                Assert.That(File.Exists(Repo.PathOf(a)) || Directory.Exists(Repo.PathOf(a)), Is.True, $"{l.File}: {l.Text}: '{a}' does not exist");
    }

    private static bool IsRepoPath(string a) =>
        a.Contains('/') && !a.Contains("://") && !a.StartsWith('/') && !a.StartsWith('-') && !a.Contains('*')
        && !a.StartsWith("out/", StringComparison.Ordinal) && !a.StartsWith(".build/", StringComparison.Ordinal);

    [Test]
    public void EveryVoscriptCommandParsesAndItsFilesExist()
    {
        foreach (var l in Commands().Where(l => l.Words[0] == "./voscript"))
        {
            var args = l.Words[1..];
            var parsed = Program.BuildRoot().Parse(args);
            Assert.That(parsed.Errors, Is.Empty, $"{l.File}: {l.Text}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            foreach (var a in args.SelectMany(a => a.Split('=')).Where(IsRepoPath))
                Assert.That(File.Exists(Repo.PathOf(a)), Is.True, $"{l.File}: {l.Text}: '{a}' does not exist");
        }
    }

    [Test]
    public void EveryOfflineCommandRuns()
    {
        Directory.CreateDirectory(Repo.PathOf("out"));
        var ran = 0;
        foreach (var l in Commands().Where(l => l.FromSh && l.Words[0] == "./voscript" && !l.Marked && l.Words[1] is not ("serve" or "run")))
        {
            var r = Repo.Run(l.Words[1..]);
            // check of docs/examples/typo.vos shows its mistakes: exit code 1 by design
            var expected = l.Words[1] == "check" && l.Text.Contains("typo", StringComparison.Ordinal) ? 1 : 0;
            Assert.That(r.ExitCode, Is.EqualTo(expected), $"{l.File}: {l.Text}: {r.Err}");
            Assert.That(r.Err, Does.Not.Contain("   at "));
            ran++;
        }
        Assert.That(ran, Is.GreaterThanOrEqualTo(4));
    }

    [Test]
    public void TheServeLineServesEveryTableTheRunLineReads()
    {
        var cmds = ReadmeCommands().Where(l => l.FromSh).ToList();
        var serve = cmds.Single(l => l.Words.Length > 1 && l.Words[0] == "./voscript" && l.Words[1] == "serve");
        var run = cmds.Single(l => l.Words.Length > 1 && l.Words[0] == "./voscript" && l.Words[1] == "run");
        var served = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var w = serve.Words;
        for (var i = 0; i < w.Length - 1; i++)
        {
            if (w[i] == "--table") served.Add(w[i + 1][(w[i + 1].LastIndexOf('=') + 1)..]);
            if (w[i] == "--obscore") served.Add("ivoa.obscore");
            if (w[i] == "--port") Assert.That(run.Text, Does.Contain($":{w[i + 1]}/tap"), "the run line uses the serve line's port");
        }
        var script = File.ReadAllText(Repo.PathOf(run.Words[2]));
        var read = TableInFrom().Matches(script).Select(m => m.Groups[1].Value).Where(t => !t.StartsWith("TAP_UPLOAD.", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        Assert.That(read, Is.Not.Empty);
        Assert.That(read.Where(t => !served.Contains(t)), Is.Empty, $"the serve line serves {string.Join(", ", served)}");
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    /// <summary>The fenced blocks of a markdown text, in order: the opening fence's info string ("" for a plain block) and the body.</summary>
    private static List<(string Info, string Body)> FencedBlocks(string text)
    {
        var blocks = new List<(string, string)>();
        string? info = null;
        var body = new StringBuilder();
        foreach (var line in text.Replace("\r", "").Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (info is null) { info = line[3..].Trim(); body.Clear(); }
                else { blocks.Add((info, body.ToString())); info = null; }
            }
            else if (info is not null) body.Append(line).Append('\n');
        }
        return blocks;
    }

    [GeneratedRegex(@"\s(\||;|&&|&|\d?>|<)")]
    private static partial Regex ShellOperator();

    [GeneratedRegex(@"\[(needs [^\]]+|runs until Ctrl-C|run by [^\]]+)\]")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex TableInFrom();
}
