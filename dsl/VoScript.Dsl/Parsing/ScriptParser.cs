using System.Text.RegularExpressions;
using Sprache;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

/// <summary>The statements that parsed, and a diagnostic for each one that did not.</summary>
internal sealed record ParseResult(Script Script, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Parses a whole script, one statement at a time. A statement that fails to
/// parse becomes a diagnostic; parsing goes on at the next statement boundary
/// (the next line outside any <c>{ … }</c> block), so one run reports every
/// syntax error. Never throws for any input text.
/// </summary>
internal static partial class ScriptParser
{
    public static ParseResult Parse(string text, string fileName = "script")
    {
        var previousFile = Lexemes.File;
        Lexemes.File = fileName;
        try
        {
            return ParseStatements(text, fileName);
        }
        finally
        {
            Lexemes.File = previousFile;
        }
    }

    /// <summary>One expression filling the whole text (used for <c>--param NAME=VALUE</c>); null when it does not parse.</summary>
    public static Expression? ParseExpression(string text, string fileName = "command line")
    {
        var previousFile = Lexemes.File;
        Lexemes.File = fileName;
        try
        {
            var r = Grammar.Expr(new Input(text));
            return r.WasSuccessful && Lexemes.SkipBlank(r.Remainder).AtEnd ? r.Value : null;
        }
        finally
        {
            Lexemes.File = previousFile;
        }
    }

    private static ParseResult ParseStatements(string text, string fileName)
    {
        var statements = new List<Statement>();
        var diagnostics = new List<Diagnostic>();
        IInput i = new Input(text);
        while (true)
        {
            i = Lexemes.SkipBlank(i);
            if (i.AtEnd) break;
            var start = i;
            var (word, after) = Lexemes.ReadWord(i);
            if (!Grammar.Statements.TryGetValue(word, out var parser))
            {
                diagnostics.Add(NotAStatement(start, word, after));
                i = Recover(start);
                continue;
            }
            var result = parser(start);
            if (result.WasSuccessful)
            {
                var end = Lexemes.EndOfStatement(result.Remainder);
                if (end.WasSuccessful)
                {
                    statements.Add(result.Value);
                    i = end.Remainder;
                    continue;
                }
                diagnostics.Add(FromFailure(end.Remainder, end.Message, ["end of line", ..ContinuationsAfter(result.Value)]));
            }
            else
            {
                var d = FromFailure(result.Remainder, result.Message, result.Expectations);
                diagnostics.Add(d);
                if (d.Code == DiagnosticCodes.UnclosedBlock) break; // the rest of the file is inside the block
            }
            i = Recover(start);
        }
        var span = new SourceSpan(fileName, 0, text.Length, 1, 1);
        return new ParseResult(new Script(span, statements), diagnostics);
    }

    /// <summary>Clauses that could still have followed a statement that parsed, for a better "expected …".</summary>
    private static IEnumerable<string> ContinuationsAfter(Statement s) => s switch
    {
        ShowStatement { Limit: null } => ["'limit'"],
        AwaitStatement { Timeout: null } => ["','", "'timeout'"],
        PositionSearchStatement { MaxRec: null } => ["'maxrec'"],
        SendStatement { Form: null } => ["'as'"],
        _ => [],
    };

    private static Diagnostic NotAStatement(IInput start, string word, IInput after)
    {
        if (word.Length == 0)
            return Diagnostic.Error(Token(start), DiagnosticCodes.Syntax, $"expected a statement, found {Lexemes.Describe(start)}");
        var span = Lexemes.Span(start, after);
        if (StatementCatalog.Keywords.Contains(word))
        {
            var info = StatementCatalog.All.First(s => s.Keyword == word);
            return Diagnostic.Error(span, DiagnosticCodes.PlannedStatement,
                $"'{word}' ({info.Summary}) is planned but not available in this version of VoScript");
        }
        var next = Lexemes.SkipInline(after);
        if (!next.AtEnd && next.Current == '=')
            return Diagnostic.Error(span, DiagnosticCodes.UnknownStatement,
                $"unknown statement '{word}': to define a value write 'let {word} = …' (or 'param {word} = …')");
        var suggestion = Suggestions.Closest(word, Grammar.Statements.Keys);
        return Diagnostic.Error(span, DiagnosticCodes.UnknownStatement,
            $"unknown statement '{word}'" + (suggestion is null ? $"; statements are {string.Join(", ", Grammar.Statements.Keys.Order(StringComparer.Ordinal))}" : $" (did you mean '{suggestion}'?)"));
    }

    [GeneratedRegex("^(VOS[0-9]{4}): (.*)$", RegexOptions.Singleline)]
    private static partial Regex CodedMessage();

    private static Diagnostic FromFailure(IInput at, string message, IEnumerable<string> expectations)
    {
        var span = Token(at);
        if (CodedMessage().Match(message) is { Success: true } m)
        {
            var code = m.Groups[1].Value;
            var text = m.Groups[2].Value;
            if (code == DiagnosticCodes.UnclosedBlock || code == DiagnosticCodes.UnterminatedString)
                span = span with { Length = 1 };
            return Diagnostic.Error(span, code, text);
        }
        var expected = expectations.Distinct().ToList();
        var found = Lexemes.Describe(at);
        return Diagnostic.Error(span, DiagnosticCodes.Syntax,
            expected.Count > 0 ? $"expected {Lexemes.JoinAlternatives(expected)}, found {found}"
            : message.StartsWith("expected ", StringComparison.Ordinal) ? $"{message}, found {found}" : message);
    }

    /// <summary>The span of the token at <paramref name="at"/> (after blanks), for the caret.</summary>
    private static SourceSpan Token(IInput at)
    {
        var i = Lexemes.SkipInline(at);
        if (i.AtEnd || i.Current == '\n') return Lexemes.Span(i, i) with { Length = 1 };
        var (word, after) = Lexemes.ReadWord(i);
        if (word.Length > 0) return Lexemes.Span(i, after);
        var j = i;
        if (char.IsDigit(j.Current))
        {
            while (!j.AtEnd && (char.IsLetterOrDigit(j.Current) || j.Current == '.')) j = j.Advance();
            return Lexemes.Span(i, j);
        }
        return Lexemes.Span(i, i.Advance());
    }

    /// <summary>
    /// The start of the next statement after a broken one: the next line that is
    /// not inside a <c>{ … }</c> block the broken statement opened.
    /// </summary>
    private static IInput Recover(IInput start)
    {
        var i = start;
        var depth = 0;
        while (!i.AtEnd)
        {
            var c = i.Current;
            if (c == '\n' && depth == 0) return i.Advance();
            if (c == '#' && depth == 0)
            {
                while (!i.AtEnd && i.Current != '\n') i = i.Advance();
                continue;
            }
            if ((c == '"' && depth == 0) || (c == '\'' && depth > 0))
            {
                i = i.Advance();
                while (!i.AtEnd && i.Current != c && i.Current != '\n') i = i.Advance();
                if (!i.AtEnd && i.Current == c) i = i.Advance();
                continue;
            }
            if (c == '$' && Lexemes.Next(i) == '{')
            {
                // a ${ hole: its braces are not block braces; skip to its '}' on the same line
                // (an unclosed hole must neither swallow the script nor end the block early)
                i = i.Advance().Advance();
                while (!i.AtEnd && i.Current is not ('}' or '\n')) i = i.Advance();
                if (!i.AtEnd && i.Current == '}') i = i.Advance();
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}' && depth > 0) depth--;
            i = i.Advance();
        }
        // The end came inside a block: the brace count was fooled (say, a hole left open
        // took the block's '}'), so go on at the next line instead. A block that really is
        // unclosed was reported as such (VOS0004) and is not recovered from this way.
        if (depth > 0)
        {
            var next = start;
            while (!next.AtEnd && next.Current != '\n') next = next.Advance();
            return next.AtEnd ? next : next.Advance();
        }
        return i;
    }
}
