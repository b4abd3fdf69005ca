using VoScript.Cli.Repl;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Cli.Tests.Repl;

/// <summary>csharp blocks typed in the REPL: multi-line entry, one chain across entries, --no-csharp.</summary>
public class ReplCSharpTests
{
    private static (ReplSession Session, List<OutputLine> Output) NewSession(bool allowCSharp = true)
    {
        var session = new ReplSession([new CoreModule()]) { AllowCSharp = allowCSharp };
        var output = new List<OutputLine>();
        session.Output += l => { lock (output) output.Add(l); };
        return (session, output);
    }

    private static string Text(List<OutputLine> output)
    {
        lock (output) return string.Join("\n", output.Select(o => o.Text));
    }

    [Test]
    public void CSharpBlockIsIncompleteUntilItsBraceCloses()
    {
        var (s, _) = NewSession();
        Assert.That(s.Check("csharp {\n  var s = \"}\";").IsComplete, Is.False, "a brace in a C# string does not close the block");
        Assert.That(s.Check("csharp {\n  var s = \"}\";\n  Print(s);\n}").IsComplete, Is.True);
    }

    [Test]
    public async Task BlocksOfLaterEntriesSeeTheVariablesAndFunctionsOfEarlierOnes()
    {
        var (s, output) = NewSession();
        var first = await s.SubmitAsync("csharp {\n  var k = 21;\n  static double Twice(double x) => 2 * x;\n}");
        Assert.That(first.Diagnostics, Is.Empty, first.Format());
        await s.SubmitAsync("let unrelated = 1");
        var second = await s.SubmitAsync("csharp { Twice(k) } as v");
        Assert.That(second.Diagnostics, Is.Empty, second.Format());
        Assert.That(Text(output), Does.Contain("v = 42"), "the block's value is echoed");
        await s.SubmitAsync("print v");
        Assert.That(s.Workspace.Values["v"], Is.EqualTo(new NumberValue(42)), Text(output));
        Assert.That(Text(output), Does.Contain("42"));
    }

    [Test]
    public async Task CSharpErrorPointsIntoTheEntry()
    {
        var (s, _) = NewSession();
        await s.SubmitAsync("let a = 1");
        var check = await s.SubmitAsync("csharp {\n  a.Nope()\n} as b");
        Assert.That(check.Format(), Does.StartWith("input:2:5: error CS1061: 'double' does not contain a definition for 'Nope'"));
        Assert.That(s.Statements.Select(x => x.Text), Is.EqualTo(new[] { "let a = 1" }));
    }

    [Test]
    public async Task SessionWithoutCSharpRefusesBlocks()
    {
        var (s, output) = NewSession(allowCSharp: false);
        var check = await s.SubmitAsync("csharp { Print(\"ran\"); }");
        Assert.That(check.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "VOS0601" }));
        Assert.That(Text(output), Does.Not.Contain("ran\n"));
    }
}
