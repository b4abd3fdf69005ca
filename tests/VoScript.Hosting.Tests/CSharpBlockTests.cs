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
