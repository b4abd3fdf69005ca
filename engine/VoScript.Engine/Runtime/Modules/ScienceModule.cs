namespace VoScript.Engine.Runtime.Modules;

/// <summary>
/// The science steps: <c>cluster</c>, <c>sed</c>, <c>plot</c>, <c>select … where</c> and
/// <c>select … interactively</c> (which asks the host, through <see cref="ScienceHandlerOptions.Ask"/>).
/// </summary>
internal sealed class ScienceModule(ScienceHandlerOptions? options = null) : StepModule
{
    private readonly ScienceHandlerOptions _options = options ?? new ScienceHandlerOptions();

    public override string Name => "science";

    public override void Register(StepCatalog catalog) => catalog
        .Add("cluster", new ClusterHandler())
        .Add("sed", new SedHandler())
        .Add("plot", new PlotHandler())
        .Add("select", new SelectHandler())
        .Add("select-interactively", new SelectInteractivelyHandler(_options));
}
