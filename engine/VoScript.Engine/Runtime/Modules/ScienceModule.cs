namespace VoScript.Engine.Runtime.Modules;

/// <summary>
/// The science steps: <c>cluster</c>, <c>sed</c>, <c>plot</c>, <c>select … where</c> and
/// <c>select … interactively</c> (which asks the host, through <see cref="ScienceHandlerOptions.Ask"/>).
/// </summary>
public sealed class ScienceModule(ScienceHandlerOptions? options = null) : StepModule
{
    private readonly ScienceHandlerOptions _options = options ?? new ScienceHandlerOptions();

    /// <inheritdoc/>
    public override string Name => "science";

    /// <inheritdoc/>
    public override void Register(StepCatalog catalog) => catalog
        .Add("cluster", new ClusterHandler())
        .Add("sed", new SedHandler())
        .Add("plot", new PlotHandler())
        .Add("select", new SelectHandler())
        .Add("select-interactively", new SelectInteractivelyHandler(_options));
}
