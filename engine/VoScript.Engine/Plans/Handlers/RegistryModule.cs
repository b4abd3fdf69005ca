namespace VoScript.Engine.Plans.Handlers;

/// <summary>The Registry: <c>find services</c> (RegTAP) makes a service set.</summary>
internal sealed class RegistryModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "registry";

    public override void Register(StepCatalog catalog) => catalog.Add("find-services", new FindServicesHandler(_options));
}
