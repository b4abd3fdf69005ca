using System.CommandLine;
using VoScript.Cli.Commands;

namespace VoScript.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("VoScript: workflows for the Virtual Observatory")
        {
            RunCommand.Create(),
            CheckCommand.Create(),
            PlanCommand.Create(),
            SyntaxCommand.Create(),
        };
        TapCommand.Register(root);
        ServicesCommand.Register(root);
        LintCommand.Register(root);
        // Ctrl-C cancels the run's token; allow time for async jobs to be aborted and deleted.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) })
            .GetAwaiter().GetResult();
    }
}
