using System.Globalization;
using System.Text;

namespace VoScript.Adql;

/// <summary>The kinds of ADQL tokens.</summary>
internal enum TokenKind { Ident, QuotedIdent, Number, String, Symbol, End }

/// <summary>One ADQL token: keywords and names are <see cref="TokenKind.Ident"/>, delimited names <see cref="TokenKind.QuotedIdent"/>.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, Pos Pos)
{
    public bool Is(string keyword) => Kind == TokenKind.Ident && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
    public bool IsSymbol(string s) => Kind == TokenKind.Symbol && Text == s;

    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the query",
        TokenKind.String => "'" + Text + "'",
        TokenKind.QuotedIdent => "\"" + Text + "\"",
        _ => "'" + Text + "'",
    };
}


/// <summary>
/// The ADQL 2.1 lexer: names, delimited names, strings, numbers (hexadecimal too), symbols, <c>--</c> comments;
/// 1-based positions. Tokens come one at a time (<see cref="Next"/>), so that a reader of a query's head stops
/// before text it need not understand; <see cref="Lex"/> reads all of them. What is not ADQL is an <see cref="AdqlException"/>.
/// </summary>
internal sealed class AdqlLexer(string text)
{
    private readonly string _s = text;
    private int _i;
    private int _line = 1;
    private int _lineStart;

    /// <summary>All tokens of <paramref name="text"/>, the last one <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Lex(string text)
    {
        var lexer = new AdqlLexer(text);
        var tokens = new List<Token>();
        Token t;
        do tokens.Add(t = lexer.Next()); while (t.Kind != TokenKind.End);
        return tokens;
    }

    private Pos P(int at) => new(_line, at - _lineStart + 1);

    /// <summary>The next token (<see cref="TokenKind.End"/> at the end, and again after it).</summary>
    public Token Next()
    {
        while (_i < _s.Length)
        {
            if (_s[_i] == '\n') { _i++; _line++; _lineStart = _i; }
            else if (char.IsWhiteSpace(_s[_i])) _i++;
            else if (_s[_i] == '-' && _i + 1 < _s.Length && _s[_i + 1] == '-')
                while (_i < _s.Length && _s[_i] != '\n') _i++;
            else break;
        }
        if (_i >= _s.Length) return new Token(TokenKind.End, "", P(_i));
        var c = _s[_i];
        var start = _i;
        var pos = P(_i);
        if (char.IsLetter(c))
        {
            while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] == '_')) _i++;
            return new Token(TokenKind.Ident, _s[start.._i], pos);
        }
        else if (c == '"')
        {
            var sb = new StringBuilder();
            _i++;
            while (true)
            {
                if (_i >= _s.Length) throw new AdqlException($"unterminated delimited identifier starting at {pos}: add the closing \"", pos.Line, pos.Column);
                if (_s[_i] == '"') { if (_i + 1 < _s.Length && _s[_i + 1] == '"') { sb.Append('"'); _i += 2; continue; } _i++; break; }
                if (_s[_i] == '\n') { _line++; _lineStart = _i + 1; }
                sb.Append(_s[_i++]);
            }
            if (sb.Length == 0) throw new AdqlException("empty delimited identifier \"\"", pos.Line, pos.Column);
            return new Token(TokenKind.QuotedIdent, sb.ToString(), pos);
        }
        else if (c == '\'')
        {
            var sb = new StringBuilder();
            _i++;
            while (true)
            {
                if (_i >= _s.Length) throw new AdqlException($"unterminated string starting at {pos}: add the closing '", pos.Line, pos.Column);
                if (_s[_i] == '\'') { if (_i + 1 < _s.Length && _s[_i + 1] == '\'') { sb.Append('\''); _i += 2; continue; } _i++; break; }
                if (_s[_i] == '\n') { _line++; _lineStart = _i + 1; }
                sb.Append(_s[_i++]);
            }
            return new Token(TokenKind.String, sb.ToString(), pos);
        }
        else if (c == '0' && _i + 2 < _s.Length && (_s[_i + 1] == 'x' || _s[_i + 1] == 'X') && Uri.IsHexDigit(_s[_i + 2]))
        {
            // ADQL 2.1 hexadecimal literal
            _i += 2;
            while (_i < _s.Length && Uri.IsHexDigit(_s[_i])) _i++;
            if (!ulong.TryParse(_s.AsSpan(start + 2, _i - start - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) || hex > long.MaxValue)
                throw new AdqlException($"hexadecimal number {_s[start.._i]} at {pos} is larger than a 64-bit integer", pos.Line, pos.Column);
            return new Token(TokenKind.Number, hex.ToString(CultureInfo.InvariantCulture), pos);
        }
        else if (char.IsDigit(c) || (c == '.' && _i + 1 < _s.Length && char.IsDigit(_s[_i + 1])))
        {
            while (_i < _s.Length && char.IsDigit(_s[_i])) _i++;
            if (_i < _s.Length && _s[_i] == '.') { _i++; while (_i < _s.Length && char.IsDigit(_s[_i])) _i++; }
            if (_i < _s.Length && (_s[_i] == 'e' || _s[_i] == 'E'))
            {
                var j = _i + 1;
                if (j < _s.Length && (_s[j] == '+' || _s[j] == '-')) j++;
                if (j < _s.Length && char.IsDigit(_s[j])) { _i = j; while (_i < _s.Length && char.IsDigit(_s[_i])) _i++; }
            }
            if (_i < _s.Length && (char.IsLetter(_s[_i]) || _s[_i] == '_'))
                throw new AdqlException($"malformed number '{_s[start..(_i + 1)]}' at {pos}", pos.Line, pos.Column);
            return new Token(TokenKind.Number, _s[start.._i], pos);
        }
        else
        {
            string? sym = null;
            if (_i + 1 < _s.Length)
            {
                var two = _s.Substring(_i, 2);
                if (two is "<=" or ">=" or "<>" or "!=" or "||") sym = two;
            }
            if (sym is null && "(),.*+-/=<>;".Contains(c)) sym = c.ToString();
            if (sym is null)
                throw new AdqlException($"unexpected character '{c}' at {pos}", pos.Line, pos.Column);
            _i += sym.Length;
            return new Token(TokenKind.Symbol, sym, pos);
        }
    }
}
