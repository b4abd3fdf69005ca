using VoScript.Dsl.Syntax;

namespace VoScript.Cli.Repl;

/// <summary>What Tab offers: the word being typed (from <see cref="Start"/>) and the candidates that extend it.</summary>
internal sealed record Completion(int Start, string Prefix, IReadOnlyList<string> Candidates)
{
    /// <summary>The longest text every candidate starts with (what Tab inserts when there are several).</summary>
    public string CommonPrefix()
    {
        if (Candidates.Count == 0) return Prefix;
        var p = Candidates[0];
        foreach (var c in Candidates.Skip(1))
        {
            var n = 0;
            while (n < p.Length && n < c.Length && p[n] == c[n]) n++;
            p = p[..n];
        }
        return p;
    }
}

/// <summary>
/// Completion for the input editor: statement keywords at the start of a
/// statement (from the statement syntax declarations), REPL commands after
/// <c>:</c>, then service, table, value and parameter names by position, and
/// column names inside an ADQL block.
/// </summary>
internal static class Completer
{
    private static readonly string[] ClauseWords = ["as", "async", "sync", "maxrec", "upload", "limit", "timeout", "at", "radius", "to", "each", "all", "on", "error", "continue", "in", "with", "table", "keywords", "waveband"];
    private static readonly string[] ServiceKinds = ["tap", "scs", "sia", "ssa", "registry"];

    /// <summary>The statement keywords that work in this version.</summary>
    public static IReadOnlyList<string> StatementKeywords { get; } =
        StatementCatalog.All.Where(s => !s.Planned).Select(s => s.Keyword.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

    public static Completion Complete(string text, int cursor, ReplSession session)
    {
        cursor = Math.Clamp(cursor, 0, text.Length);
        var start = cursor;
        while (start > 0 && IsWordChar(text[start - 1])) start--;
        var prefix = text[start..cursor];
        var before = text[..start];

        // REPL commands
        var line = before[(before.LastIndexOf('\n') + 1)..];
        if (start > 0 && text[start - 1] == ':' && line.Trim() == ":")
            return Make(start, prefix, ReplCommands.Names);
        if (line.TrimStart().StartsWith(':'))
        {
            var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is [":help"]) return Make(start, prefix, StatementKeywords);
            if (words is [":save"]) return Make(start, prefix, ["session", .. Tables(session)]);
            if (words is [":load"] || words is [":save", _]) return Files(text, start, cursor, words[0] == ":load" ? ".vos" : null);
            return Make(start, prefix, []);
        }

        var (inBlock, inHole) = BlockState(before);
        if (inHole) return Make(start, prefix, Names(session, NameKind.Value, NameKind.Parameter));
        if (inBlock)
        {
            var columns = session.Workspace.TableNames
                .SelectMany(t => session.Workspace.TryGetTable(t, out var table) ? table.Columns.Select(c => c.Name) : []);
            return Make(start, prefix, columns.Concat(Tables(session)));
        }

        var statementStart = Math.Max(before.LastIndexOf('\n'), before.LastIndexOf(';')) + 1;
        var statement = before[statementStart..];
        if (statement.EndsWith('\\')) statement = statement[..^1];
        var prior = statement.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        if (prior.Length == 0) return Make(start, prefix, StatementKeywords);

        var first = prior[0];
        var previous = prior[^1];
        if (ColumnsAt(prior, session) is { } atColumn) return Make(start, prefix, atColumn);
        IEnumerable<string> candidates = previous switch
        {
            "query" => ["each", .. Names(session, NameKind.Service)],
            "cone" or "images" or "spectra" or "in" => Names(session, NameKind.Service),
            "each" => Names(session, NameKind.ServiceSet),
            "show" or "save" or "print" or "upload" => first == "print" ? AllNames(session) : Tables(session),
            "await" => ["all", .. Tables(session)],
            "find" => ["services"],
            "services" when first == "find" => ServiceKinds.Take(4),
            "=" when first == "service" => ServiceKinds,
            "as" or "param" or "let" or "service" => [],
            _ when first == "await" => Tables(session),
            _ => AllNames(session).Concat(ClauseWords),
        };
        return Make(start, prefix, candidates);
    }

    private static IEnumerable<string> Tables(ReplSession session) => Names(session, NameKind.Table);

    /// <summary>
    /// Column names (and, in an expression, value names) when the word being typed is where the
    /// statement's declared usage has a column: a <c>COL…</c> placeholder right after its clause word
    /// (<c>plot T x COL</c>), or anywhere in an <c>EXPR</c> over the columns (<c>select T where EXPR</c>).
    /// The columns are those of the table in the usage's <c>T</c> position. Null when it is not such a position.
    /// </summary>
    internal static IEnumerable<string>? ColumnsAt(string[] prior, ReplSession session)
    {
        foreach (var info in StatementCatalog.ForKeyword(prior[0]))
        {
            var usage = info.Usage.Split([' ', '[', ']', ','], StringSplitOptions.RemoveEmptyEntries);
            var tablePos = Array.IndexOf(usage, "T");
            if (tablePos < 1 || tablePos >= prior.Length || !session.Workspace.TryGetTable(prior[tablePos], out var table)) continue;
            // the last clause word typed decides: what follows it in the usage is where the cursor is
            for (var i = prior.Length - 1; i > tablePos; i--)
            {
                var k = Array.IndexOf(usage, prior[i], tablePos + 1);
                if (k < 0 || !IsClauseWord(usage[k])) continue;
                var next = k + 1 < usage.Length ? usage[k + 1] : "";
                var columns = table.Columns.Select(c => c.Name);
                if (next == "EXPR") return columns.Concat(Names(session, NameKind.Value, NameKind.Parameter));
                if (next.StartsWith("COL", StringComparison.Ordinal) && (i == prior.Length - 1 || next.EndsWith('S'))) return columns;
                break;
            }
        }
        return null;
    }

    /// <summary>A word the user types as it stands in the usage: a lower-case clause word, or <c>=</c> (<c>derive T with NAME = EXPR</c>).</summary>
    private static bool IsClauseWord(string usageWord) => usageWord == "=" || usageWord.Length > 0 && usageWord.All(char.IsLower);

    private static IEnumerable<string> AllNames(ReplSession session) => session.Names.Select(n => n.Name);

    private static IEnumerable<string> Names(ReplSession session, params NameKind[] kinds) =>
        session.Names.Where(n => kinds.Contains(n.Kind)).Select(n => n.Name);

    private static Completion Make(int start, string prefix, IEnumerable<string> candidates) =>
        new(start, prefix, candidates.Where(c => c.StartsWith(prefix, StringComparison.Ordinal) && c != prefix || c == prefix && prefix.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

    /// <summary>File names for <c>:load</c> and <c>:save</c>: the path typed so far (up to a blank) is completed.</summary>
    private static Completion Files(string text, int _, int cursor, string? extension)
    {
        var start = cursor;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1])) start--;
        var typed = text[start..cursor];
        var dir = Path.GetDirectoryName(typed);
        var listed = string.IsNullOrEmpty(dir) ? "." : dir;
        var found = new List<string>();
        try
        {
            if (Directory.Exists(listed))
            {
                foreach (var d in Directory.EnumerateDirectories(listed))
                    found.Add(Join(dir, Path.GetFileName(d)) + "/");
                foreach (var f in Directory.EnumerateFiles(listed))
                    if (extension is null || f.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                        found.Add(Join(dir, Path.GetFileName(f)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return Make(start, typed, found.Where(f => !Path.GetFileName(f.TrimEnd('/')).StartsWith('.')));
    }

    private static string Join(string? dir, string name) => string.IsNullOrEmpty(dir) ? name : dir + "/" + name;

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Whether the end of <paramref name="text"/> is inside an ADQL block, and inside a <c>${…}</c> hole there.</summary>
    internal static (bool InBlock, bool InHole) BlockState(string text)
    {
        var depth = 0;
        var hole = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (hole)
            {
                if (c == '}') hole = false;
                continue;
            }
            if (depth == 0)
            {
                if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
                if (c == '"') { i++; while (i < text.Length && text[i] != '"' && text[i] != '\n') { if (text[i] == '\\') i++; i++; } continue; }
                if (c == '{') depth = 1;
                continue;
            }
            if (c == '\'') { i++; while (i < text.Length && text[i] != '\'') i++; continue; }
            if (c == '-' && i + 1 < text.Length && text[i + 1] == '-') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{') { hole = true; i++; continue; }
            if (c == '{') depth++;
            else if (c == '}') depth--;
        }
        return (depth > 0, hole);
    }
}
