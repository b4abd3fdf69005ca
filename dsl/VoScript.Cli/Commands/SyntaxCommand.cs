using System.CommandLine;
using VoScript.Dsl.Syntax;

namespace VoScript.Cli.Commands;

/// <summary><c>voscript syntax [KEYWORD]</c>: the statements of the language, from their one declaration.</summary>
internal static class SyntaxCommand
{
    public static Command Create()
    {
        var keyword = new Argument<string?>("keyword") { Description = "show only this statement", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("syntax", "List the statements of the language with their syntax") { keyword };
        command.SetAction(parse => Run(parse.GetValue(keyword), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string? keyword, TextWriter output, TextWriter error)
    {
        var statements = keyword is null
            ? StatementCatalog.All
            : StatementCatalog.All.Where(s => s.Keyword == keyword || s.Keyword.StartsWith(keyword + " ", StringComparison.Ordinal)).ToList();
        if (statements.Count == 0)
        {
            error.WriteLine($"voscript syntax: no statement '{keyword}'; statements are {string.Join(", ", StatementCatalog.All.Select(s => s.Keyword).Distinct())}");
            return ScriptInput.Usage;
        }
        foreach (var s in statements)
            output.WriteLine($"{s.Usage}\n    {s.Summary}{(s.Planned ? " (planned, not available yet)" : "")}");
        return ScriptInput.Success;
    }
}
