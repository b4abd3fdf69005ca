using VoScript.Engine;

namespace VoScript.Hosting.Tests;

/// <summary>
/// The packages' exported namespaces are a deliberate list (docs/embedding.md, "The public API"): the production
/// assemblies (VoScript.Dsl, VoScript.Server, voscript) see only public API, so what they use is public, and a new
/// public namespace must be added here on purpose. Step handlers and the parser stay internal.
/// </summary>
public class PublicSurfaceTests
{
    [Test]
    public void TheEngineExportsTheFacadeAndTheLayersItsClientsUseButNoStepHandler()
    {
        var exported = typeof(VoScriptHost).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToArray();
        Assert.That(exported.Select(t => t.Namespace).Distinct().Order(), Is.EqualTo(new[]
        {
            "VoScript.Engine", "VoScript.Engine.Formats", "VoScript.Engine.Formats.Csv", "VoScript.Engine.Formats.VOTable",
            "VoScript.Engine.Model", "VoScript.Engine.Model.Units",
            "VoScript.Engine.Protocols.Http", "VoScript.Engine.Protocols.Registry", "VoScript.Engine.Protocols.Samp", "VoScript.Engine.Protocols.Tap",
            "VoScript.Engine.Runtime", "VoScript.Engine.Runtime.Modules",
            "VoScript.Engine.Science.Photometry", "VoScript.Engine.Science.Plotting", "VoScript.Engine.Science.RemoteMatch", "VoScript.Engine.Science.Selection",
            "VoScript.Engine.Science.Sky", "VoScript.Engine.Science.Verbs",
            "VoScript.Hosting",
        }));
        // handlers are reached through their modules (StepModule, StepCatalog), never directly
        var handlers = exported.Where(t => t.Name.EndsWith("Handler", StringComparison.Ordinal) || t.Name.StartsWith("StepHandler", StringComparison.Ordinal))
            .Select(t => t.Name).Order();
        Assert.That(handlers, Is.EqualTo(new[] { "IStepHandler", "StepHandler`1" }));
        // the engine modules stay internal: a host gives its terminal question as an option (VoScriptHostOptions.Ask), not as a module
        Assert.That(exported.Where(t => t.IsSubclassOf(typeof(VoScript.Engine.Runtime.StepModule))).Select(t => t.Name), Is.Empty);
        Assert.That(exported.Select(t => t.Name), Has.None.AnyOf("ScienceHandlerOptions", "InteractiveSelector"));
        var engineRoot = exported.Where(t => t.Namespace == "VoScript.Engine").Select(t => t.Name).Order();
        Assert.That(engineRoot, Is.EqualTo(new[] { "NamePlace", "ReaderLimits", "ScriptNames", "ServiceProtocol", "ServiceProtocols", "Suggestions", "Timings", "VoScriptException" }));
    }

    [Test]
    public void TheLanguageExportsTheCompileSideTheCompilerModelAndWhatCSharpBlocksSeeButNotTheParser()
    {
        var types = typeof(ParsedScript).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToArray();
        Assert.That(types.Select(t => t.Namespace).Distinct().Order(), Is.EqualTo(new[]
        {
            "VoScript.Dsl.CSharp", "VoScript.Dsl.Compiling", "VoScript.Dsl.Diagnostics", "VoScript.Dsl.Modules", "VoScript.Dsl.Syntax", "VoScript.Hosting",
        }));
        Assert.That(types.Where(t => t.Namespace == "VoScript.Hosting").Select(t => t.Name).Order(),
            Is.EqualTo(new[] { "ParsedScript", "ScriptCompilation", "ScriptDiagnostic", "ScriptDiagnosticSeverity", "VoScriptHostLanguage" }));
        // the globals of csharp { } blocks (script code is compiled into its own assembly) and the C# step the hosts run
        Assert.That(types.Where(t => t.Namespace == "VoScript.Dsl.CSharp").Select(t => t.Name).Order(), Is.SupersetOf(new[]
        {
            "ScriptGlobals", "ScriptLog", "ScriptRow", "ScriptService", "ScriptTable", "ScriptTables",
        }));
        Assert.That(types.Where(t => t.Namespace == "VoScript.Dsl.Modules").Select(t => t.Name), Is.EqualTo(new[] { "CSharpModule" }));
    }
}
