namespace VoScript.Engine.Runtime.Modules;

/// <summary>TAP: <c>query</c> (sync or async, with uploads), <c>query each</c> over a service set, <c>await</c>.</summary>
internal sealed class TapModule(ProtocolHandlerOptions? options = null) : StepModule
{
    private readonly ProtocolHandlerOptions _options = options ?? new ProtocolHandlerOptions();

    public override string Name => "tap";

    public override void Register(StepCatalog catalog) => catalog
        .Add("query", new QueryHandler(_options))
        .Add("query-each", new QueryEachHandler(_options))
        .Add("await", new AwaitHandler());
}
