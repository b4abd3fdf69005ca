using VoScript.Engine;

namespace VoScript.Hosting.Tests;

public class PublicSurfaceTests
{
    [Test]
    public void TheEngineExportsOnlyTheFacadeTheTableModelItsExceptionAndTheProtocolEnum()
    {
        var namespaces = typeof(VoScriptHost).Assembly.GetExportedTypes().Select(t => t.Namespace).Distinct().Order().ToList();
        Assert.That(namespaces, Is.EqualTo(new[] { "VoScript.Engine", "VoScript.Engine.Model", "VoScript.Hosting" }));
        var engineRoot = typeof(VoScriptHost).Assembly.GetExportedTypes().Where(t => t.Namespace == "VoScript.Engine").Select(t => t.Name).Order();
        // the limits of the table readers, the exception every user mistake surfaces as, and the one protocol enum (services of plans, registry results, hosts) with its names
        Assert.That(engineRoot, Is.EqualTo(new[] { "ReaderLimits", "ServiceProtocol", "ServiceProtocols", "VoScriptException" }));
    }

    [Test]
    public void TheLanguageExportsOnlyTheCompileSideOfTheFacadeAndWhatCSharpBlocksSee()
    {
        var types = typeof(ParsedScript).Assembly.GetExportedTypes();
        Assert.That(types.Select(t => t.Namespace).Distinct().Order(), Is.EqualTo(new[] { "VoScript.Dsl.CSharp", "VoScript.Hosting" }));
        Assert.That(types.Where(t => t.Namespace == "VoScript.Hosting").Select(t => t.Name).Order(),
            Is.EqualTo(new[] { "ParsedScript", "ScriptCompilation", "ScriptDiagnostic", "ScriptDiagnosticSeverity", "VoScriptHostLanguage" }));
        // the globals of csharp { } blocks: script code is compiled into its own assembly, so these must be public
        Assert.That(types.Where(t => t.Namespace == "VoScript.Dsl.CSharp").Select(t => t.Name).Order(),
            Is.EqualTo(new[] { "ScriptGlobals", "ScriptLog", "ScriptRow", "ScriptService", "ScriptTable", "ScriptTables" }));
    }
}
