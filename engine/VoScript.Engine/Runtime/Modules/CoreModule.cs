namespace VoScript.Engine.Runtime.Modules;

/// <summary>The steps every host has: values (<c>param</c>, <c>let</c>), <c>print</c>, <c>show</c>, <c>load</c>, <c>save</c>.</summary>
internal sealed class CoreModule : StepModule
{
    public override string Name => "core";

    public override void Register(StepCatalog catalog) => catalog
        .Add("param", new ParamHandler())
        .Add("let", new LetHandler())
        .Add("print", new PrintHandler())
        .Add("show", new ShowHandler())
        .Add("load", new LoadHandler())
        .Add("save", new SaveHandler());
}
