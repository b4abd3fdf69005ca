using System.Text;
using VoScript.Dsl.Syntax;

namespace VoScript.Cli.Repl;

/// <summary>What a <c>:command</c> asks of the host besides its output.</summary>
internal enum CommandEffect
{
    None,
    Quit,
    Clear,
}

internal sealed record CommandOutcome(CommandEffect Effect, IReadOnlyList<OutputLine> Lines)
{
    public static CommandOutcome Say(OutputKind kind, string text) => new(CommandEffect.None, [new OutputLine(kind, text)]);
}

/// <summary>The REPL's own commands: <c>:help [statement]</c>, <c>:load FILE.vos</c>, <c>:save session FILE.vos</c>, <c>:save T FILE</c>, <c>:clear</c>, <c>:quit</c>.</summary>
internal static class ReplCommands
{
    public static IReadOnlyList<string> Names { get; } = ["clear", "help", "load", "quit", "save"];

    /// <summary>The keys of the full-screen REPL, for <c>:help</c>.</summary>
    public static string Keys { get; } = string.Join('\n',
        "keys:",
        "  Enter        run the entry (inside an open { } block: a new line)",
        "  Ctrl-J       a new line without running",
        "  Tab          complete (again: list the choices)",
        "  Up/Down      history (on the first/last line of the entry)",
        "  Ctrl-C       cancel the running step (not the REPL)",
        "  F6           move between input, output and workspace panes (Tab completes)",
        "  workspace:   Enter show table, s save table, c cancel job, u units in the table view",
        "  Ctrl-Q       quit (as :quit)");

    public static bool IsCommand(string text) => text.TrimStart().StartsWith(':');

    public static async Task<CommandOutcome> ExecuteAsync(string text, ReplSession session)
    {
        var words = text.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        var name = words[0][1..];
        switch (name)
        {
            case "quit" or "q" or "exit":
                return new CommandOutcome(CommandEffect.Quit, []);
            case "clear":
                return new CommandOutcome(CommandEffect.Clear, []);
            case "help" or "h" or "?":
                return CommandOutcome.Say(OutputKind.Info, words.Length > 1 ? Help(words[1]) : Help());
            case "load":
                if (words.Length < 2) return CommandOutcome.Say(OutputKind.Error, "usage: :load FILE.vos");
                return await LoadAsync(Unquote(string.Join(' ', words[1..])), session).ConfigureAwait(false);
            case "save":
                if (words.Length < 3) return CommandOutcome.Say(OutputKind.Error, "usage: :save session FILE.vos  or  :save TABLE FILE");
                return words[1] == "session"
                    ? SaveSession(Unquote(words[2]), session)
                    : await SaveTableAsync(words[1], Unquote(words[2]), session).ConfigureAwait(false);
            default:
                var suggestion = Names.FirstOrDefault(n => n.StartsWith(name, StringComparison.Ordinal) && name.Length > 0);
                return CommandOutcome.Say(OutputKind.Error, $"unknown command ':{name}'" + (suggestion is null ? "" : $" (did you mean ':{suggestion}'?)")
                    + "; commands are " + string.Join(", ", Names.Select(n => ":" + n)));
        }
    }

    /// <summary>The list of statements and commands.</summary>
    public static string Help()
    {
        var sb = new StringBuilder("statements (:help NAME for the syntax):\n");
        var implemented = StatementCatalog.All.Where(s => !s.Planned).ToList();
        var w = implemented.Max(s => s.Keyword.Length);
        foreach (var s in implemented) sb.Append("  ").Append(s.Keyword.PadRight(w)).Append("  ").Append(s.Summary).Append('\n');
        sb.Append("commands:\n")
          .Append("  :help [STATEMENT]        this list, or one statement's syntax\n")
          .Append("  :load FILE.vos           run a script into the workspace\n")
          .Append("  :save session FILE.vos   write the statements that built the workspace (voscript run replays it)\n")
          .Append("  :save TABLE FILE         save a table (as 'save TABLE to \"FILE\"')\n")
          .Append("  :clear                   clear the output pane\n")
          .Append("  :quit                    leave (running jobs are cancelled and deleted)\n")
          .Append(Keys);
        return sb.ToString();
    }

    /// <summary>One statement's usage and summary, from the same declarations the compiler uses.</summary>
    public static string Help(string keyword)
    {
        keyword = keyword.Trim().TrimStart(':');
        var found = StatementCatalog.ForKeyword(keyword).ToList();
        if (found.Count == 0 && Names.Contains(keyword)) return Help().Split('\n').Where(l => l.TrimStart().StartsWith(":" + keyword, StringComparison.Ordinal)).DefaultIfEmpty(":" + keyword).Aggregate((a, b) => a + "\n" + b).Trim();
        if (found.Count == 0)
        {
            var close = StatementCatalog.All.Select(s => s.Keyword.Split(' ')[0]).Distinct()
                .Where(k => k.StartsWith(keyword, StringComparison.Ordinal)).ToList();
            return $"no statement '{keyword}'" + (close.Count > 0 ? $" (did you mean {string.Join(", ", close)}?)" : "") + "; :help lists them";
        }
        var sb = new StringBuilder();
        foreach (var s in found)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(s.Usage).Append('\n').Append("  ").Append(s.Summary);
            if (s.Planned) sb.Append("\n  (planned: not available in this version)");
        }
        return sb.ToString();
    }

    private static async Task<CommandOutcome> LoadAsync(string path, ReplSession session)
    {
        string text;
        var full = session.WorkingDirectory is null ? path : Path.Combine(session.WorkingDirectory, path);
        try
        {
            text = await File.ReadAllTextAsync(full).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return CommandOutcome.Say(OutputKind.Error, $"cannot read '{path}': {VoScript.Engine.Formats.InputFile.Reason(full, e)}");
        }
        var before = session.Statements.Count;
        var check = await session.SubmitAsync(text.EndsWith('\n') ? text : text + "\n", Path.GetFileName(path)).ConfigureAwait(false);
        if (check.HasErrors) return CommandOutcome.Say(OutputKind.Error, $"{path}: not run (fix the errors above)");
        var added = session.Statements.Count - before;
        return CommandOutcome.Say(OutputKind.Info, $"{path}: {ReplSession.Count(added, "statement")} kept in the session");
    }

    private static CommandOutcome SaveSession(string path, ReplSession session)
    {
        var full = session.WorkingDirectory is null ? path : Path.Combine(session.WorkingDirectory, path);
        var statements = session.Statements;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(full));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(full, "# VoScript session, saved by voscript repl\n" + session.SessionText());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return CommandOutcome.Say(OutputKind.Error, $"cannot write '{path}': {e.Message}");
        }
        return CommandOutcome.Say(OutputKind.Info, $"saved {ReplSession.Count(statements.Count, "statement")} to {path} (replay with: voscript run {path})");
    }

    private static async Task<CommandOutcome> SaveTableAsync(string table, string path, ReplSession session)
    {
        var statement = $"save {table} to {new VoScript.Engine.Runtime.StringValue(path).ToCanonical()}";
        var check = await session.SubmitAsync(statement).ConfigureAwait(false);
        return check.HasErrors ? new CommandOutcome(CommandEffect.None, []) : CommandOutcome.Say(OutputKind.Info, $"saved {table} to {path}");
    }

    private static string Unquote(string s)
    {
        s = s.Trim();
        return s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;
    }
}
