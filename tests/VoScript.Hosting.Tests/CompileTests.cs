using VoScript.Engine;
namespace VoScript.Hosting.Tests;

public class CompileTests
{
    [Test]
    public void MistakesAreDiagnosticValuesWithPositionAndNoPlan()
    {
        var host = new VoScriptHost();
        var compiled = host.Compile(host.Parse("load \"a.vot\" as stars\nsave starz to \"b.vot\"\n", "typo.vos"));
        Assert.That(compiled.HasErrors, Is.True);
        Assert.That(compiled.Plan, Is.Null);
        var d = compiled.Diagnostics.Single(x => x.IsError);
        Assert.That((d.File, d.Line, d.Column, d.Code), Is.EqualTo(("typo.vos", 2, 6, "VOS0102")));
        Assert.That(d.Message, Does.Contain("did you mean 'stars'"));
        Assert.That(compiled.FormatDiagnostics(), Does.Contain("save starz").And.Contain("^"));
    }

    [Test]
    public void SyntaxErrorsAreReportedByParseWithoutThrowing()
    {
        var host = new VoScriptHost();
        var script = host.Parse("lod \"a.vot\" as stars\n", "bad.vos");
        Assert.That(script.HasErrors, Is.True);
        Assert.That(script.Diagnostics[0].ToString(), Does.StartWith("bad.vos:1:1: error VOS0002"));
        Assert.That(host.Compile(script).Plan, Is.Null);
    }

    [Test]
    public void AValidScriptGivesAPlanWithStepsAndDependencies()
    {
        var host = new VoScriptHost();
        var compiled = host.Compile(host.Parse("load \"a.vot\" as stars\nsed stars as s\n", "ok.vos"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        var steps = compiled.Plan!.Steps;
        Assert.That(steps.Select(s => s.Kind), Is.EqualTo(new[] { "load", "sed" }));
        Assert.That(steps[1].DependsOn, Is.EqualTo(new[] { steps[0].Id }));
        Assert.That(steps[0].Outputs, Is.EqualTo(new[] { "stars" }));
        Assert.That(compiled.Plan.ToString(), Does.StartWith("plan ok.vos"));
    }

    [Test]
    public void HostServicesNeedNoDeclarationAndAScriptMayOverrideThem()
    {
        var host = new VoScriptHost(new VoScriptHostOptions { Services = [new HostService("gaia", ServiceProtocol.Tap, "http://localhost:1/tap")] });
        var compiled = host.Compile(host.Parse("query gaia as t { SELECT TOP 1 * FROM x }\n"));
        Assert.That(compiled.HasErrors, Is.False, compiled.FormatDiagnostics());
        Assert.That(compiled.Plan!.ToString(), Does.Contain("gaia").And.Contain("http://localhost:1/tap"));

        var own = host.Compile(host.Parse("service gaia = tap \"http://localhost:2/tap\"\nquery gaia as t { SELECT TOP 1 * FROM x }\n"));
        Assert.That(own.HasErrors, Is.False, own.FormatDiagnostics());
        Assert.That(own.Plan!.ToString(), Does.Contain("http://localhost:2/tap").And.Not.Contain("localhost:1"));
    }

    [Test]
    public void WithoutTheHostServiceTheSameScriptIsAnError()
    {
        var compiled = new VoScriptHost().Compile(ParsedScript.Parse("query gaia as t { SELECT TOP 1 * FROM x }\n"));
        Assert.That(compiled.Diagnostics.Single().Code, Is.EqualTo("VOS0103"));
    }

    [Test]
    public void CSharpBlocksAreRefusedUnlessTheHostAllowsThem()
    {
        // whatever the language does with csharp blocks, a host that does not allow them never gets a plan with one
        var compiled = new VoScriptHost().Compile(ParsedScript.Parse("csharp { return 1; }\n"));
        Assert.That(compiled.HasErrors, Is.True);
        Assert.That(compiled.Plan, Is.Null);
    }
}
