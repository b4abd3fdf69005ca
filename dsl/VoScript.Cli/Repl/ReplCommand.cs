using System.CommandLine;
using VoScript.Cli.Commands;

namespace VoScript.Cli.Repl;

/// <summary><c>voscript repl</c>: the full-screen interactive session (Terminal.Gui).</summary>
internal static class ReplCommand
{
    public static Command Create()
    {
        var history = new Option<string?>("--history") { Description = "the history file (default: voscript/history in the user's config folder)", HelpName = "FILE" };
        var noHistory = new Option<bool>("--no-history") { Description = "keep no history file" };
        var noCSharp = ScriptInput.NoCSharpOption();
        var csharpTimeout = ScriptInput.CSharpTimeoutOption();
        var command = new Command("repl", "Interactive session: type statements, see tables, save the session as a script") { history, noHistory, noCSharp, csharpTimeout };
        command.SetAction(parse =>
        {
            if (NativeBuild.IsNative) throw new NativeBuild.HandOverException("the REPL");
            if (Console.IsInputRedirected || Console.IsOutputRedirected)
            {
                parse.InvocationConfiguration.Error.WriteLine("voscript repl: needs a terminal (for a script, use voscript run FILE.vos or voscript run -e 'TEXT')");
                return ScriptInput.Usage;
            }
            var path = parse.GetValue(noHistory) ? null : parse.GetValue(history) ?? History.DefaultPath();
            var session = new ReplSession { AllowCSharp = !parse.GetValue(noCSharp), CSharpTimeoutSeconds = parse.GetValue(csharpTimeout) };
            return ReplApp.Run(session, new History(path));
        });
        return command;
    }
}
