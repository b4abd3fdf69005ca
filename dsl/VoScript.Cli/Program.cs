using System.CommandLine;
using VoScript.Cli.Commands;

namespace VoScript.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("VoScript: workflows for the Virtual Observatory");
        TapCommand.Register(root);
        ServicesCommand.Register(root);
        LintCommand.Register(root);
        return root.Parse(args).InvokeAsync().GetAwaiter().GetResult();
    }
}
