namespace VoScript.Engine.Runtime.Modules;

/// <summary>SAMP: <c>send</c>, <c>receive</c>, <c>point</c>, sharing one hub connection per run (made at the first SAMP step).</summary>
internal sealed class SampModule(SampHandlerOptions? options = null) : StepModule
{
    private readonly SampHandlerOptions _options = options ?? new SampHandlerOptions();

    public override string Name => "samp";

    public override void Register(StepCatalog catalog) => catalog
        .Add("send", new SendHandler(_options))
        .Add("receive", new ReceiveHandler(_options))
        .Add("point", new PointHandler(_options));
}
