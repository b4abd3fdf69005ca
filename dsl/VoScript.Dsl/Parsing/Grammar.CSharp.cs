using Sprache;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    /// <summary><c>csharp { C# } [as NAME]</c>: the C# is carried as text up to the matching brace.</summary>
    internal static Parser<Statement> CSharpStatement => input =>
    {
        var kw = Lexemes.Keyword("csharp")(input);
        if (!kw.WasSuccessful) return Result.Failure<Statement>(kw.Remainder, kw.Message, kw.Expectations);
        var open = Lexemes.SkipBlank(kw.Remainder);
        if (open.AtEnd || open.Current != '{') return Lexemes.Fail<Statement>(kw.Remainder, "'{' to start the C# code");
        var bodyStart = open.Advance();
        var scan = CSharpScanner.FindClosingBrace(open.Source, bodyStart.Position);
        if (scan.Error is { } error)
        {
            var at = open;
            if (scan.ErrorAt > open.Position)
                while (at.Position < scan.ErrorAt) at = at.Advance();
            return Lexemes.FailWith<Statement>(at, "VOS0004", error);
        }
        var close = bodyStart;
        while (close.Position < scan.Close) close = close.Advance();
        var code = new CSharpCode(Lexemes.Span(bodyStart, close), open.Source[bodyStart.Position..close.Position]);
        var afterBlock = close.Advance();
        var output = (from @as in Lexemes.Keyword("as") from n in Lexemes.Name("a name for the block's result") select n).XOptional()(afterBlock);
        if (!output.WasSuccessful) return Result.Failure<Statement>(output.Remainder, output.Message, output.Expectations);
        var name = output.Value.GetOrDefault();
        var span = SourceSpan.Cover(kw.Value.Span, name?.Span ?? Lexemes.Span(close, afterBlock));
        return Result.Success<Statement>(new CSharpStatement(span, kw.Value, code, name), output.Remainder);
    };
}

/// <summary>
/// Finds the brace that closes a block of C#: braces inside comments, character literals,
/// regular, verbatim, interpolated and raw string literals do not count; the holes of
/// interpolated strings are C# again (and may hold strings and braces of their own).
/// </summary>
internal static class CSharpScanner
{
    /// <summary>Where the scan ended: the index of the closing brace, or an error and where it starts.</summary>
    public readonly record struct Scan(int Close, string? Error, int ErrorAt);

    public static Scan FindClosingBrace(string s, int start)
    {
        var i = start;
        var r = Code(s, ref i, hole: false);
        return r ?? new Scan(i, null, 0);
    }

    private static Scan Unclosed(int at, string what) => new(-1, what, at);

    /// <summary>Scans code until the unmatched '}' (left at <paramref name="i"/>); null when found, else the error.</summary>
    private static Scan? Code(string s, ref int i, bool hole)
    {
        var depth = 0;
        var blockStart = i - 1;
        while (i < s.Length)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < s.Length && s[i] != '\n') i++;
                continue;
            }
            if (c == '/' && next == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) return Unclosed(i, "this C# comment is not closed: add */ to end it");
                i = end + 2;
                continue;
            }
            if (c == '\'')
            {
                var at = i;
                i++;
                while (i < s.Length && s[i] != '\'' && s[i] != '\n') i += s[i] == '\\' ? 2 : 1;
                if (i >= s.Length || s[i] != '\'') return Unclosed(at, "this C# character literal is not closed: add ' to end it");
                i++;
                continue;
            }
            if (c is '"' or '$' or '@')
            {
                var literal = StringLiteral(s, ref i);
                if (literal is { } error) return error;
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}')
            {
                if (depth == 0) return null;
                depth--;
            }
            i++;
        }
        return hole
            ? Unclosed(blockStart, "this interpolation hole is not closed: add } to end it")
            : Unclosed(blockStart, "this C# block is not closed: add '}' after the code");
    }

    /// <summary>
    /// At '"', '$' or '@': skips a string literal of any kind (or just the character when it starts
    /// none, e.g. a verbatim identifier <c>@class</c>). Null when fine, else the error.
    /// </summary>
    private static Scan? StringLiteral(string s, ref int i)
    {
        var at = i;
        var dollars = 0;
        var verbatim = false;
        var j = i;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            if (s[j] == '$') dollars++;
            else verbatim = true;
            j++;
        }
        if (j >= s.Length || s[j] != '"')
        {
            i = j > i ? j : i + 1; // '@name' or a lone '$'
            return null;
        }
        var quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"') quotes++;
        if (quotes >= 3 && !verbatim)
            return RawString(s, ref i, j, quotes, dollars, at);
        if (quotes == 2 && !verbatim)
        {
            i = j + 2; // the empty string ""
            return null;
        }
        // regular or verbatim, maybe interpolated
        i = j + 1;
        while (true)
        {
            if (i >= s.Length || (!verbatim && s[i] == '\n'))
                return Unclosed(at, "this C# string is not closed: add \" to end it");
            var c = s[i];
            if (!verbatim && c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '"')
            {
                if (verbatim && i + 1 < s.Length && s[i + 1] == '"')
                {
                    i += 2;
                    continue;
                }
                i++;
                return null;
            }
            if (dollars > 0 && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{')
                {
                    i += 2;
                    continue;
                }
                i++;
                if (Code(s, ref i, hole: true) is { } error) return error;
                i++; // the hole's '}'
                continue;
            }
            i++;
        }
    }

    /// <summary>A raw string of <paramref name="quotes"/> quotes; with n dollars, n braces open a hole.</summary>
    private static Scan? RawString(string s, ref int i, int open, int quotes, int dollars, int at)
    {
        var fence = new string('"', quotes);
        i = open + quotes;
        while (true)
        {
            if (i >= s.Length) return Unclosed(at, $"this C# raw string is not closed: add {fence} to end it");
            if (s[i] == '"' && string.CompareOrdinal(s, i, fence, 0, quotes) == 0)
            {
                i += quotes;
                while (i < s.Length && s[i] == '"') i++;
                return null;
            }
            if (dollars > 0 && s[i] == '{')
            {
                var run = 0;
                while (i + run < s.Length && s[i + run] == '{') run++;
                if (run >= dollars)
                {
                    i += run; // extra braces before the hole are content
                    if (Code(s, ref i, hole: true) is { } error) return error;
                    while (i < s.Length && s[i] == '}') i++;
                    continue;
                }
                i += run;
                continue;
            }
            i++;
        }
    }
}
