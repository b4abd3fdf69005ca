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
        };
        return root.Parse(args).Invoke();
    }
}
