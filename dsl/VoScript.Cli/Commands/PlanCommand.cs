using System.CommandLine;
using VoScript.Engine.Runtime;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript plan FILE.vos</c>: the plan in canonical text (steps, dependencies, services, ADQL after interpolation).</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .vos script" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "override a param: NAME=VALUE (repeatable)", HelpName = "NAME=VALUE" };
        var noCSharp = ScriptInput.NoCSharpOption();
        var command = new Command("plan", "Print the plan a script compiles to, without running it") { file, parameters, noCSharp };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(parameters), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, !parse.GetValue(noCSharp)));
        return command;
    }

    public static int Run(string file, IEnumerable<string>? parameterPairs, TextWriter output, TextWriter error, bool allowCSharp = true)
    {
        var parameters = ScriptInput.Parameters(parameterPairs, error);
        if (parameters is null) return ScriptInput.Usage;
        var text = ScriptInput.Read(file, error);
        if (text is null) return ScriptInput.Failed;
        var result = ScriptInput.Compile(text, file, parameters, error, allowCSharp);
        if (result.Plan is null) return ScriptInput.Failed;
        output.Write(PlanPrinter.Print(result.Plan));
        return ScriptInput.Success;
    }
}
