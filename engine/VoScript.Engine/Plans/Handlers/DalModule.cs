namespace VoScript.Engine.Plans.Handlers;

/// <summary>The DAL searches around a position: <c>cone</c> (SCS), <c>images</c> (SIA 2), <c>spectra</c> (SSA), one step type.</summary>
internal sealed class DalModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "dal";

    public override void Register(StepCatalog catalog)
    {
        var handler = new PositionSearchHandler(_options);
        catalog.Add("cone", handler).Add("images", handler).Add("spectra", handler);
    }
}
