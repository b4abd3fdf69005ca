namespace VoScript.Engine.Runtime.Modules;

/// <summary>
/// The DAL: searches around a position, <c>cone</c> (SCS), <c>images</c> (SIA 2), <c>spectra</c> (SSA), one step type;
/// <c>fetch</c> downloads the data products a table points at.
/// </summary>
internal sealed class DalModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "dal";

    public override void Register(StepCatalog catalog)
    {
        var handler = new PositionSearchHandler(_options);
        catalog.Add("cone", handler).Add("images", handler).Add("spectra", handler).Add("fetch", new FetchHandler(_options));
    }
}
