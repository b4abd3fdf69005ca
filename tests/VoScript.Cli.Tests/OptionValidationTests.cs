using System.CommandLine;
using System.Globalization;
using VoScript.Cli.Commands;

namespace VoScript.Cli.Tests;

/// <summary>
/// Every numeric option of every command (found by walking the command tree, not listed by hand) rejects
/// negative, zero (where zero means nothing), huge and non-numeric values at parse time: exit code 2,
/// a message naming the option, no stack trace and no .NET type names.
/// </summary>
public class OptionValidationTests
{
    private static readonly Type[] NumericTypes =
        [typeof(byte), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal), typeof(uint), typeof(ulong)];

    private static bool IsNumeric(Type t) => NumericTypes.Contains(Nullable.GetUnderlyingType(t) ?? t);

    private static IEnumerable<Command> Commands(Command c)
    {
        yield return c;
        foreach (var s in c.Subcommands)
            foreach (var d in Commands(s)) yield return d;
    }

    public static IEnumerable<TestCaseData> NumericOptions()
    {
        var root = Program.BuildRoot();
        foreach (var cmd in Commands(root).Where(c => c != root))
            foreach (var o in cmd.Options.Where(o => IsNumeric(o.ValueType)))
                yield return new TestCaseData(cmd.Name, o.Name).SetName($"{cmd.Name} {o.Name}");
    }

    [Test]
    public void TheCommandsHaveNumericOptions() =>
        Assert.That(NumericOptions().Count(), Is.GreaterThanOrEqualTo(10), "the walk over the command tree finds the options");

    private static (Command Command, Option Option, string[] Prefix) Find(string command, string option)
    {
        var cmd = Program.BuildRoot().Subcommands.Single(c => c.Name == command);
        var opt = cmd.Options.Single(o => o.Name == option);
        // Required arguments get a placeholder, so that the option is the only thing wrong.
        var args = new List<string> { command };
        foreach (var a in cmd.Arguments)
            for (var i = 0; i < a.Arity.MinimumNumberOfValues; i++) args.Add("placeholder");
        return (cmd, opt, [.. args]);
    }

    [TestCaseSource(nameof(NumericOptions))]
    public void BadValuesAreUsageErrors(string command, string option)
    {
        var (_, opt, prefix) = Find(command, option);
        var range = CliOptions.RangeOf(opt);
        Assert.That(range, Is.Not.Null, $"voscript {command} {option} is not declared through CliOptions, so nothing checks its range");
        var bad = new List<string> { "-1", "-5", "abc", "1,5", "1e400", "NaN", "Infinity", "99999999999999999999999999" };
        if (!range!.Allows(0)) bad.Add("0");
        if (range.Max < 1e15) bad.Add((range.Max * 10 + 1).ToString(CultureInfo.InvariantCulture));
        foreach (var value in bad)
        {
            string[] args = [.. prefix, option, value];
            var parsed = Program.BuildRoot().Parse(args);
            Assert.That(parsed.Errors, Is.Not.Empty, $"voscript {string.Join(' ', args)} is accepted");
            var r = Repo.Run(args);
            Assert.That(r.ExitCode, Is.EqualTo(2), $"voscript {string.Join(' ', args)}: {r.Err}");
            Assert.That(r.Err, Does.Contain(option), "the message names the option");
            Assert.That(r.Err, Does.Not.Contain("   at ").And.Not.Contain("System.").And.Not.Contain("Exception"), r.Err);
        }
    }

    [TestCaseSource(nameof(NumericOptions))]
    public void TheEndsOfTheRangeAreAccepted(string command, string option)
    {
        var (_, opt, prefix) = Find(command, option);
        var range = CliOptions.RangeOf(opt)!;
        var low = range.MinExclusive ? (range.Integer ? range.Min + 1 : range.Min + 0.5) : range.Min;
        var high = range.Max >= 1e15 ? (opt.ValueType == typeof(int) ? int.MaxValue : long.MaxValue).ToString(CultureInfo.InvariantCulture)
            : range.Max.ToString(CultureInfo.InvariantCulture);
        foreach (var value in new[] { low.ToString(CultureInfo.InvariantCulture), high })
        {
            var parsed = Program.BuildRoot().Parse([.. prefix, option, value]);
            Assert.That(parsed.Errors, Is.Empty, $"{command} {option} {value}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        }
    }

    [TestCase("serve", "--port", "0")]
    [TestCase("serve", "--maxrec", "0")]
    [TestCase("hub", "--port", "0")]
    [TestCase("tap", "--maxrec", "0")]
    [TestCase("show", "--limit", "0")]
    public void ZeroIsValidWhereItMeansSomething(string command, string option, string value)
    {
        var (_, _, prefix) = Find(command, option);
        Assert.That(Program.BuildRoot().Parse([.. prefix, option, value]).Errors, Is.Empty);
    }

    [Test]
    public void TheNegativeAsyncTimeoutOfTheIssueIsAUsageError()
    {
        var r = Repo.Run("tap", "http://localhost:1/tap", "SELECT TOP 1 ra FROM cat_a.main", "--timeout", "-5", "--async");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.StartWith("voscript: --timeout -5: out of range; give a number of seconds, more than 0 and at most 604800"));
        r = Repo.Run("tap", "http://localhost:1/tap", "SELECT 1", "--maxrec", "abc");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.StartWith("voscript: --maxrec 'abc': not a whole number; give a whole number of rows from 0 to"));
        Assert.That(r.Err, Does.Contain("Run 'voscript tap --help' for usage."));
    }

    [TestCase("--async")]
    [TestCase("--verbose")]
    public void KeepAcceptsOnlyItsWordsForSyncAndAsyncAlike(string other)
    {
        foreach (var args in new[] { new[] { "tap", "http://localhost:1/tap", "SELECT 1", "--keep", "sometimes" },
                                     new[] { "tap", "http://localhost:1/tap", "SELECT 1", "--keep", "sometimes", other } })
        {
            var r = Repo.Run(args);
            Assert.That(r.ExitCode, Is.EqualTo(2), string.Join(' ', args));
            Assert.That(r.Err, Does.StartWith("voscript: --keep 'sometimes': use never, on-failure or always"));
        }
        Assert.That(Program.BuildRoot().Parse(["tap", "u", "q", "--keep", "on-failure"]).Errors, Is.Empty);
    }
}
