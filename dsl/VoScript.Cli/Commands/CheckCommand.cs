using System.CommandLine;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript check FILE.vos…</c>: diagnostics only, nothing contacted; exit 1 on errors.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "the .vos scripts to check", Arity = ArgumentArity.OneOrMore };
        var parameters = new Option<string[]>("--param", "-p") { Description = "override a param: NAME=VALUE (repeatable)", HelpName = "NAME=VALUE" };
        var noCSharp = ScriptInput.NoCSharpOption();
        var command = new Command("check", "Check scripts for syntax errors, unknown names, unit errors and missing awaits, without running them")
        {
            files, parameters, noCSharp,
        };
        command.SetAction(parse => Run(parse.GetValue(files) ?? [], parse.GetValue(parameters), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, !parse.GetValue(noCSharp)));
        return command;
    }

    public static int Run(IReadOnlyList<string> files, IEnumerable<string>? parameterPairs, TextWriter output, TextWriter error, bool allowCSharp = true)
    {
        var parameters = ScriptInput.Parameters(parameterPairs, error);
        if (parameters is null) return ScriptInput.Usage;
        var exit = ScriptInput.Success;
        foreach (var file in files)
        {
            var text = ScriptInput.Read(file, error);
            if (text is null)
            {
                exit = ScriptInput.Failed;
                continue;
            }
            var result = ScriptInput.Compile(text, file, parameters, error, allowCSharp);
            var errors = result.Diagnostics.Count(d => d.IsError);
            var warnings = result.Diagnostics.Count - errors;
            if (errors > 0) exit = ScriptInput.Failed;
            output.WriteLine(errors == 0 && warnings == 0
                ? $"{file}: ok"
                : $"{file}: {ScriptInput.Count(errors, "error")}, {ScriptInput.Count(warnings, "warning")}");
        }
        return exit;
    }
}
