using VoScript.Engine;

namespace VoScript.Hosting.Tests;

/// <summary>csharp { } blocks through the facade: a host that allows C# runs them, one that does not refuses them at compile time.</summary>
public class CSharpBlockTests
{
    private static readonly string Sample = Path.Combine(Repo.Root, "scripts", "data", "sample.vot");

    private static string Script => $$"""
        load "{{Sample.Replace("\\", "\\\\")}}" as field
        csharp {
          var bp = field.Double("bp_mag");
          var rp = field.Double("rp_mag");
          Math.Round(Enumerable.Range(0, field.RowCount).Average(i => bp[i] - rp[i]), 6)
        } as mean_colour
        """;

    [Test]
    public async Task AHostThatAllowsCSharpRunsTheBlockAndKeepsItsValue()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { AllowCSharp = true });
        var compiled = host.Compile(host.Parse(Script, "colour.vos"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        var result = await host.RunAsync(compiled.Plan!);
        Assert.That(result.Succeeded, Is.True, result.FirstError);

        // the same mean computed here from the loaded table, independently of the C# block
        var field = result.Workspace.GetTable("field");
        var bp = field.Columns.First(c => c.Name == "bp_mag");
        var rp = field.Columns.First(c => c.Name == "rp_mag");
        var expected = Math.Round(Enumerable.Range(0, field.RowCount).Average(i => bp.GetDouble(i) - rp.GetDouble(i)), 6);
        Assert.That(result.Workspace.GetNumber("mean_colour"), Is.EqualTo(expected));
    }

    [Test]
    public async Task CompilingHasNoSideEffectsThePlanBringsWhatItNeeds()
    {
        var compiler = new VoScriptHost(new VoScriptHostOptions { AllowCSharp = true });
        var compiled = compiler.Compile(compiler.Parse(Script, "colour.vos"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        // another host, which compiled nothing, runs the plan with its C# block
        var result = await new VoScriptHost().RunAsync(compiled.Plan!);
        Assert.That(result.Succeeded, Is.True, result.FirstError);
        Assert.That(result.Workspace.GetNumber("mean_colour"), Is.Not.Null);
    }

    [Test]
    public async Task ASessionKeepsItsWorkspaceAcrossRuns()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { AllowCSharp = true });
        var session = host.OpenSession();
        var first = await session.RunAsync(host.NewPlan().Load(Sample, "field").Build());
        Assert.That(first.Succeeded, Is.True, first.FirstError);
        var rows = session.Workspace.GetTable("field").RowCount;
        // the second plan reads the table the first one made
        var compiled = host.Compile(host.Parse("csharp { field.RowCount * 2 } as twice", "twice.vos"));
        Assert.That(compiled.HasErrors, Is.True, "a script alone does not know the session's tables");
        var second = await session.RunAsync(host.NewPlan().Load(Sample, "again").Build());
        Assert.That(second.Succeeded, Is.True, second.FirstError);
        Assert.That(session.Workspace.TableNames, Is.EqualTo(new[] { "field", "again" }));
        Assert.That(session.Workspace.GetTable("field").RowCount, Is.EqualTo(rows));
        Assert.That(session.CancelStep("s9"), Is.False);
    }

    [Test]
    public void AHostThatForbidsCSharpRefusesEveryBlockAtCompileTime()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { AllowCSharp = false });
        var compiled = host.Compile(host.Parse(Script, "colour.vos"));
        Assert.That(compiled.Plan, Is.Null);
        var d = compiled.Diagnostics.Single(x => x.IsError);
        Assert.That((d.Line, d.Column, d.Code), Is.EqualTo((2, 1, "VOS0601")));
    }

    [Test]
    public void ACSharpCompileErrorPointsAtTheVosLine()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { AllowCSharp = true });
        var compiled = host.Compile(host.Parse(Script.Replace("field.RowCount", "field.RowCont"), "colour.vos"));
        var d = compiled.Diagnostics.First(x => x.IsError);
        Assert.That((d.File, d.Line, d.Code), Is.EqualTo(("colour.vos", 5, "CS1061")));
        Assert.That(d.Message, Does.Contain("RowCont"));
    }
}
