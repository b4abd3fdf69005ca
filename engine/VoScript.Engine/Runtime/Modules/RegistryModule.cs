namespace VoScript.Engine.Runtime.Modules;

/// <summary>Service sets: <c>find services</c> asks the Registry (RegTAP); <c>services … from T</c> makes one from a table of URLs.</summary>
internal sealed class RegistryModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "registry";

    public override void Register(StepCatalog catalog) => catalog
        .Add("find-services", new FindServicesHandler(_options))
        .Add("services-from", new ServiceSetFromTableHandler());
}
