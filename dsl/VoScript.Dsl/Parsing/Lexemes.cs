using System.Globalization;
using System.Text;
using Sprache;
using VoScript.Dsl.Syntax;
using VoScript.Engine;

namespace VoScript.Dsl.Parsing;

/// <summary>
/// The token layer Sprache lacks. Every lexeme skips the spaces, tabs and
/// <c># comments</c> before it (never a newline: statements end at line ends).
/// A lexeme that does not match fails at the input it was given, so the
/// X-combinators (<c>XOr</c>, <c>XOptional</c>) treat it as "nothing consumed";
/// <see cref="ScriptParser"/> skips the blanks again to point at the offending token.
/// </summary>
internal static class Lexemes
{
    [ThreadStatic] private static string? _file;

    /// <summary>The file name put into spans while a script is parsed.</summary>
    public static string File
    {
        get => _file ?? "script";
        set => _file = value;
    }

    public static readonly IReadOnlyDictionary<string, string> Units = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["deg"] = "angle", ["arcmin"] = "angle", ["arcsec"] = "angle", ["mas"] = "angle",
        ["ms"] = "duration", ["s"] = "duration", ["min"] = "duration", ["h"] = "duration",
    };

    public const string UnitList = "deg, arcmin, arcsec, mas, ms, s, min or h";

    /// <summary>Spellings people try for a unit, and the unit meant.</summary>
    private static readonly IReadOnlyDictionary<string, string> UnitMisspellings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["degree"] = "deg", ["degrees"] = "deg", ["degs"] = "deg", ["d"] = "deg",
        ["arcmins"] = "arcmin", ["arcminute"] = "arcmin", ["arcminutes"] = "arcmin", ["amin"] = "arcmin",
        ["arcsecs"] = "arcsec", ["arcsecond"] = "arcsec", ["arcseconds"] = "arcsec", ["asec"] = "arcsec",
        ["sec"] = "s", ["secs"] = "s", ["second"] = "s", ["seconds"] = "s",
        ["mins"] = "min", ["minute"] = "min", ["minutes"] = "min", ["m"] = "min",
        ["hr"] = "h", ["hrs"] = "h", ["hour"] = "h", ["hours"] = "h",
        ["msec"] = "ms", ["millisecond"] = "ms", ["milliseconds"] = "ms",
        ["Deg"] = "deg", ["arcMin"] = "arcmin", ["arcSec"] = "arcsec", ["MAS"] = "mas",
    };

    private static string UnknownUnit(string word) =>
        UnitMisspellings.TryGetValue(word, out var meant)
            ? $"unknown unit '{word}' (did you mean '{meant}'?)"
            : $"unknown unit '{word}': use {UnitList}";

    public static IInput SkipInline(IInput i)
    {
        while (!i.AtEnd)
        {
            if (i.Current is ' ' or '\t' or '\r') i = i.Advance();
            else if (i.Current == '#') { while (!i.AtEnd && i.Current != '\n') i = i.Advance(); }
            else if (i.Current == '\\' && Next(i) is '\n' or '\r') { i = i.Advance(); while (!i.AtEnd && i.Current != '\n') i = i.Advance(); if (!i.AtEnd) i = i.Advance(); }
            else break;
        }
        return i;
    }

    /// <summary>Blanks including newlines (inside brackets and between statements).</summary>
    public static IInput SkipBlank(IInput i)
    {
        while (true)
        {
            i = SkipInline(i);
            if (!i.AtEnd && i.Current is '\n' or ';') i = i.Advance();
            else return i;
        }
    }

    public static char? Next(IInput i) => i.Position + 1 < i.Source.Length ? i.Source[i.Position + 1] : null;

    public static SourceSpan Span(IInput start, IInput end) =>
        new(File, start.Position, end.Position - start.Position, start.Line, start.Column);

    public static bool IsWordStart(char c) => ScriptNames.IsWordStart(c);

    public static bool IsWordPart(char c) => ScriptNames.IsWordPart(c);

    /// <summary>The word at <paramref name="i"/> (no blanks skipped), or "" when none.</summary>
    public static (string Word, IInput After) ReadWord(IInput i)
    {
        if (i.AtEnd || !IsWordStart(i.Current)) return ("", i);
        var start = i.Position;
        while (!i.AtEnd && IsWordPart(i.Current)) i = i.Advance();
        return (i.Source[start..i.Position], i);
    }

    /// <summary>The word after the blanks at <paramref name="i"/>, without consuming anything.</summary>
    public static string PeekWord(IInput i) => ReadWord(SkipInline(i)).Word;

    /// <summary>How the token at <paramref name="i"/> is shown after "found".</summary>
    public static string Describe(IInput i)
    {
        i = SkipInline(i);
        if (i.AtEnd) return "end of file";
        if (i.Current == '\n') return "end of line";
        var (word, _) = ReadWord(i);
        if (word.Length > 0) return $"'{word}'";
        if (char.IsDigit(i.Current))
        {
            var start = i.Position;
            var j = i;
            while (!j.AtEnd && (char.IsLetterOrDigit(j.Current) || j.Current == '.')) j = j.Advance();
            return $"'{i.Source[start..j.Position]}'";
        }
        return $"'{i.Current}'";
    }

    public static IResult<T> Fail<T>(IInput at, params string[] expectations) =>
        Result.Failure<T>(at, "expected " + JoinAlternatives(expectations), expectations);

    public static IResult<T> FailWith<T>(IInput at, string message) => Result.Failure<T>(at, message, []);

    /// <summary>A failure with its own diagnostic code (read back by <see cref="ScriptParser"/>).</summary>
    public static IResult<T> FailWith<T>(IInput at, string code, string message) => Result.Failure<T>(at, code + ": " + message, []);

    public static string JoinAlternatives(IEnumerable<string> items)
    {
        var list = items.Distinct().ToList();
        return list.Count switch
        {
            0 => "something else",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1],
        };
    }

    /// <summary>A name: a word that is not reserved. <paramref name="what"/> is used in "expected …".</summary>
    public static Parser<Identifier> Name(string what) => input =>
    {
        var i = SkipInline(input);
        var (word, after) = ReadWord(i);
        if (word.Length == 0) return Fail<Identifier>(input, what);
        if (StatementCatalog.ReservedWords.Contains(word))
            return FailWith<Identifier>(i, "VOS0007", $"expected {what}, found the reserved word '{word}', which cannot be a name");
        return Result.Success(new Identifier(Span(i, after), word), after);
    };

    /// <summary>
    /// A column name: a word, or a name that is not one (<c>B-V</c>, <c>n obs</c>, <c>2MASS</c>: catalogues have them) in
    /// backquotes or, in lists of columns, in double quotes. <paramref name="what"/> is used in "expected …".
    /// </summary>
    public static Parser<Identifier> ColumnName(string what) => input =>
    {
        var i = SkipInline(input);
        if (!i.AtEnd && i.Current == '`') return Backquoted(i, what);
        if (!i.AtEnd && i.Current == '"')
        {
            var s = String(i);
            if (!s.WasSuccessful || s.Value is not StringLiteral lit) return Result.Failure<Identifier>(s.Remainder, s.Message, s.Expectations);
            return lit.Value.Length == 0
                ? FailWith<Identifier>(i, $"expected {what}, found an empty string")
                : Result.Success(new Identifier(Span(i, s.Remainder), lit.Value), s.Remainder);
        }
        return Name(what)(input);
    };

    /// <summary>A name in backquotes at <paramref name="i"/> (on one line, not empty).</summary>
    public static IResult<Identifier> Backquoted(IInput i, string what)
    {
        var j = i.Advance();
        var start = j.Position;
        while (!j.AtEnd && j.Current != '`' && j.Current != '\n') j = j.Advance();
        if (j.AtEnd || j.Current != '`')
            return FailWith<Identifier>(i, "VOS0001", "a name in backquotes needs its closing ` on the same line");
        if (j.Position == start) return FailWith<Identifier>(i, $"expected {what}, found empty backquotes");
        return Result.Success(new Identifier(Span(i, j.Advance()), i.Source[start..j.Position]), j.Advance());
    }

    /// <summary>Exactly this word, not the start of a longer one (<c>query</c> does not match <c>queryx</c>).</summary>
    public static Parser<Identifier> Keyword(string keyword) => input =>
    {
        var i = SkipInline(input);
        var (word, after) = ReadWord(i);
        return word == keyword
            ? Result.Success(new Identifier(Span(i, after), word), after)
            : Fail<Identifier>(input, $"'{keyword}'");
    };

    /// <summary>One of the given words.</summary>
    public static Parser<Identifier> OneOf(params string[] words) => input =>
    {
        var i = SkipInline(input);
        var (word, after) = ReadWord(i);
        return Array.IndexOf(words, word) >= 0
            ? Result.Success(new Identifier(Span(i, after), word), after)
            : Fail<Identifier>(input, words.Select(w => $"'{w}'").ToArray());
    };

    public static Parser<SourceSpan> Symbol(char symbol) => input =>
    {
        var i = SkipInline(input);
        return !i.AtEnd && i.Current == symbol
            ? Result.Success(Span(i, i.Advance()), i.Advance())
            : Fail<SourceSpan>(input, $"'{symbol}'");
    };

    /// <summary>
    /// A sexagesimal angle, one token: <c>10h00m28.6s</c> (hours, 15° each) or <c>+02d12m21s</c>
    /// (degrees); all three parts are needed, so <c>10h</c> stays a duration. A leading '-' is
    /// the negation operator; '+' is taken here.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex SexagesimalPattern = new(
        @"\G(\+?)(\d{1,3})([hd])(\d{1,2})m(\d{1,2}(?:\.\d+)?)s(?![A-Za-z0-9_])",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static IResult<Expression>? Sexagesimal(IInput i)
    {
        var m = SexagesimalPattern.Match(i.Source, i.Position);
        if (!m.Success) return null;
        var whole = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var minutes = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        var seconds = double.Parse(m.Groups[5].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var hours = m.Groups[3].Value == "h";
        if (minutes >= 60 || seconds >= 60)
            return FailWith<Expression>(i, "VOS0006", $"'{m.Value}' is not an angle: minutes and seconds must be below 60");
        if (hours && whole >= 24)
            return FailWith<Expression>(i, "VOS0006", $"'{m.Value}' is not a right ascension: hours must be below 24");
        if (!hours && whole > 360)
            return FailWith<Expression>(i, "VOS0006", $"'{m.Value}' is not an angle: degrees must be at most 360");
        var deg = (whole + minutes / 60 + seconds / 3600) * (hours ? 15 : 1);
        var end = i;
        for (var k = 0; k < m.Length; k++) end = end.Advance();
        return Result.Success<Expression>(new NumberLiteral(Span(i, end), deg, "deg") { Written = m.Value }, end);
    }

    /// <summary>A number with an optional unit, attached (<c>30s</c>) or after spaces (<c>6 arcmin</c>).</summary>
    public static readonly Parser<Expression> Number = input =>
    {
        var i = SkipInline(input);
        var start = i;
        if (!i.AtEnd && (char.IsDigit(i.Current) || i.Current == '+') && Sexagesimal(i) is { } angle) return angle;
        if (i.AtEnd || !(char.IsDigit(i.Current) || (i.Current == '.' && Next(i) is >= '0' and <= '9')))
            return Fail<Expression>(input, "a number");
        while (!i.AtEnd && char.IsDigit(i.Current)) i = i.Advance();
        if (!i.AtEnd && i.Current == '.' && Next(i) is >= '0' and <= '9')
        {
            i = i.Advance();
            while (!i.AtEnd && char.IsDigit(i.Current)) i = i.Advance();
        }
        if (!i.AtEnd && i.Current is 'e' or 'E')
        {
            var j = i.Advance();
            if (!j.AtEnd && j.Current is '+' or '-') j = j.Advance();
            if (!j.AtEnd && char.IsDigit(j.Current))
            {
                while (!j.AtEnd && char.IsDigit(j.Current)) j = j.Advance();
                i = j;
            }
        }
        var text = i.Source[start.Position..i.Position];
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var end = i;
        string? unit = null;
        if (!i.AtEnd && IsWordStart(i.Current))
        {
            var (word, after) = ReadWord(i);
            if (!Units.ContainsKey(word))
                return FailWith<Expression>(i, "VOS0006", UnknownUnit(word));
            unit = word;
            end = after;
        }
        else
        {
            var j = SkipInline(i);
            var (word, after) = ReadWord(j);
            if (word.Length > 0 && Units.ContainsKey(word)) { unit = word; end = after; }
            else if (word.Length > 0 && UnitMisspellings.ContainsKey(word))
                return FailWith<Expression>(j, "VOS0006", UnknownUnit(word));
        }
        return Result.Success<Expression>(new NumberLiteral(Span(start, end), value, unit), end);
    };

    /// <summary>A double-quoted string on one line; escapes <c>\" \\ \n \t</c>.</summary>
    public static readonly Parser<Expression> String = input =>
    {
        var i = SkipInline(input);
        if (i.AtEnd || i.Current != '"') return Fail<Expression>(input, "a string");
        var start = i;
        var sb = new StringBuilder();
        i = i.Advance();
        while (true)
        {
            if (i.AtEnd || i.Current == '\n')
                return FailWith<Expression>(start, "VOS0005", "this string is not closed: add '\"' before the end of the line");
            var c = i.Current;
            if (c == '"') break;
            if (c == '\\')
            {
                i = i.Advance();
                if (i.AtEnd) continue;
                sb.Append(i.Current switch { 'n' => '\n', 't' => '\t', var o => o });
            }
            else sb.Append(c);
            i = i.Advance();
        }
        i = i.Advance();
        return Result.Success<Expression>(new StringLiteral(Span(start, i), sb.ToString()), i);
    };

    /// <summary>The end of a statement: end of line, ';' or end of file (a trailing comment is fine).</summary>
    public static readonly Parser<SourceSpan> EndOfStatement = input =>
    {
        var i = SkipInline(input);
        if (i.AtEnd) return Result.Success(Span(i, i), i);
        if (i.Current is '\n' or ';') return Result.Success(Span(i, i.Advance()), i.Advance());
        return Fail<SourceSpan>(input, "end of line");
    };
}
