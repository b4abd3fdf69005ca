using VoScript.Engine.Science.Selection;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine;

namespace VoScript.Hosting;

/// <summary>The step modules every host has, in the order they are registered.</summary>
internal static class StepModules
{
    /// <summary>
    /// Core, count, TAP, DAL, registry, science, verbs and SAMP, with default settings (or the given protocol settings);
    /// <paramref name="ask"/> is the host's question for <c>select … interactively</c> (null: no terminal).
    /// </summary>
    public static IReadOnlyList<StepModule> Defaults(ProtocolHandlerOptions? protocols = null, Func<ObjectView, Choice>? ask = null) =>
        [new CoreModule(), new CountModule(), .. Protocols(protocols), new ScienceModule(new ScienceHandlerOptions { Ask = ask }), new VerbsModule(), new SampModule()];

    /// <summary>The modules that talk to VO services: TAP, DAL and registry, sharing <paramref name="options"/>.</summary>
    public static IReadOnlyList<StepModule> Protocols(ProtocolHandlerOptions? options = null)
    {
        options ??= new ProtocolHandlerOptions();
        return [new TapModule(options), new DalModule(options), new RegistryModule(options), new RemoteMatchModule(options)];
    }
}
