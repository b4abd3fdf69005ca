using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;

namespace VoScript.Cli.Tests;

/// <summary>
/// One rule for every command that reads files: a file that cannot be read is bad input (exit code 1),
/// said as <c>voscript: cannot read 'F': REASON</c>, never a .NET message or a stack trace.
/// </summary>
public class InputFileErrorTests
{
    /// <summary>Each command that reads an input file, with {0} where the file goes.</summary>
    private static readonly string[][] Commands =
    [
        ["run", "{0}"],
        ["check", "{0}"],
        ["plan", "{0}"],
        ["show", "{0}"],
        ["show", "{0}", "--stats"],
        ["convert", "{0}", "out/never-written.csv"],
        ["serve", "--port", "0", "{0}"],
        ["serve", "--port", "0", "--table", "{0}=cat.main"],
        ["serve", "--port", "0", "--obscore", "{0}"],
        ["tap", "http://localhost:1/tap", "SELECT 1", "--upload", "t={0}"],
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in Commands)
        {
            yield return new TestCaseData(c, "no/such/file.vot", "no such file").SetName($"{string.Join(' ', c)} (missing)");
            yield return new TestCaseData(c, "scripts", "is a directory").SetName($"{string.Join(' ', c)} (directory)");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void AFileThatCannotBeReadIsExitOneWithOneMessage(string[] command, string path, string reason)
    {
        var args = command.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, path)).ToArray();
        var r = Repo.Run(args);
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Err);
        Assert.That(r.Err.Trim(), Is.EqualTo($"voscript: cannot read '{path}': {reason}"));
    }

    [Test]
    public void CheckGoesOnWithTheNextFileAndExitsOne()
    {
        var r = Repo.Run("check", "no/such.vos", "docs/examples/field.vos");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("voscript: cannot read 'no/such.vos': no such file"));
        Assert.That(r.Out, Does.Contain("docs/examples/field.vos: ok"));
    }

    [Test]
    public void TheReasonsAreWordsNotDotNetMessages()
    {
        Assert.That(InputFile.Reason("x", new UnauthorizedAccessException("Access to the path '/x' is denied.")), Is.EqualTo("permission denied"));
        Assert.That(InputFile.Reason("x", new FileNotFoundException("Could not find file '/x'")), Is.EqualTo("no such file"));
        Assert.That(InputFile.Reason("x", new DirectoryNotFoundException("Could not find a part of the path")), Is.EqualTo("no such file"));
    }

    [Test]
    public void AnUnreadableFileIsPermissionDenied()
    {
        Assume.That(OperatingSystem.IsLinux() && Environment.UserName != "root", "root reads every file");
        if (!OperatingSystem.IsLinux()) return;
        var path = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(path, UnixFileMode.None);
            var r = Repo.Run("show", path);
            Assert.That((r.ExitCode, r.Err.Trim()), Is.EqualTo((1, $"voscript: cannot read '{path}': permission denied")));
        }
        finally { File.Delete(path); }
    }
}

/// <summary>A failed step is said once (issue 14): by its progress line, and the summary only counts it.</summary>
public class RunErrorOnceTests
{
    [Test]
    public void AFailedStepIsSaidOnce()
    {
        var r = Repo.Run("run", "-e", "load \"no/such/table.vot\" as t\nshow t");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(r.Err, "no/such/table.vot").Count, Is.EqualTo(1), r.Err);
        Assert.That(r.Err, Does.Contain("1 failed"));
    }

    [Test]
    public void RunHasVerbose() =>
        Assert.That(Program.BuildRoot().Parse(["run", "x.vos", "--verbose"]).Errors, Is.Empty);
}
