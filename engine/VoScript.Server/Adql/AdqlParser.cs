using System.Globalization;
using System.Text;
using VoScript.Server.Storage;

namespace VoScript.Server.Adql;

internal enum TokenKind { Ident, QuotedIdent, Number, String, Symbol, End }

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
/// ADQL 2.1 parser: a hand-written recursive descent over a small lexer, giving a
/// syntax tree with 1-based positions. Errors are <see cref="AdqlException"/>s
/// naming what was found and what was expected.
/// </summary>
internal sealed class AdqlParser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "AS", "ON", "USING",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "AND", "OR", "NOT", "IN",
        "BETWEEN", "LIKE", "ILIKE", "IS", "NULL", "EXISTS", "CASE", "WHEN", "THEN", "ELSE", "END", "UNION",
        "INTERSECT", "EXCEPT", "ALL", "DISTINCT", "TOP", "OFFSET", "LIMIT", "CAST", "TRUE", "FALSE", "WITH",
    };

    private readonly List<Token> _tokens;
    private int _i;

    private AdqlParser(List<Token> tokens) => _tokens = tokens;

    /// <summary>
    /// The deepest nesting the parser follows (parentheses, function calls, subqueries, NOT, signs), and the deepest
    /// syntax tree it returns (a chain of N operators is N deep). Deeper queries get an error, never a stack overflow.
    /// </summary>
    public const int MaxDepth = 500;

    private int _depth;

    /// <summary>Parses one ADQL query (an optional trailing semicolon is allowed).</summary>
    public static QueryExpr Parse(string adql)
    {
        var p = new AdqlParser(Lex(adql));
        var q = p.ParseQuery();
        if (p.Peek.IsSymbol(";")) p._i++;
        if (p.Peek.Kind != TokenKind.End)
            throw p.Error(p.Peek, $"unexpected {p.Peek.Describe()} after the end of the query");
        AdqlDepth.Check(q, MaxDepth);
        return q;
    }

    /// <summary>Runs one level of recursive descent, refusing nesting deeper than <see cref="MaxDepth"/>.</summary>
    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > MaxDepth || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(Peek, $"the query is nested deeper than {MaxDepth} levels (parentheses, function calls, subqueries); simplify it");
        try { return parse(); }
        finally { _depth--; }
    }

    // ------------------------------------------------------------ lexer

    internal static List<Token> Lex(string s)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, lineStart = 0;
        Pos P(int at) => new(line, at - lineStart + 1);
        while (true)
        {
            while (i < s.Length)
            {
                if (s[i] == '\n') { i++; line++; lineStart = i; }
                else if (char.IsWhiteSpace(s[i])) i++;
                else if (s[i] == '-' && i + 1 < s.Length && s[i + 1] == '-')
                    while (i < s.Length && s[i] != '\n') i++;
                else break;
            }
            if (i >= s.Length) { tokens.Add(new Token(TokenKind.End, "", P(i))); return tokens; }
            var c = s[i];
            var start = i;
            var pos = P(i);
            if (char.IsLetter(c))
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Ident, s[start..i], pos));
            }
            else if (c == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length) throw new AdqlException($"unterminated delimited identifier starting at {pos}: add the closing \"", pos.Line, pos.Column);
                    if (s[i] == '"') { if (i + 1 < s.Length && s[i + 1] == '"') { sb.Append('"'); i += 2; continue; } i++; break; }
                    if (s[i] == '\n') { line++; lineStart = i + 1; }
                    sb.Append(s[i++]);
                }
                if (sb.Length == 0) throw new AdqlException("empty delimited identifier \"\"", pos.Line, pos.Column);
                tokens.Add(new Token(TokenKind.QuotedIdent, sb.ToString(), pos));
            }
            else if (c == '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length) throw new AdqlException($"unterminated string starting at {pos}: add the closing '", pos.Line, pos.Column);
                    if (s[i] == '\'') { if (i + 1 < s.Length && s[i + 1] == '\'') { sb.Append('\''); i += 2; continue; } i++; break; }
                    if (s[i] == '\n') { line++; lineStart = i + 1; }
                    sb.Append(s[i++]);
                }
                tokens.Add(new Token(TokenKind.String, sb.ToString(), pos));
            }
            else if (c == '0' && i + 2 < s.Length && (s[i + 1] == 'x' || s[i + 1] == 'X') && Uri.IsHexDigit(s[i + 2]))
            {
                // ADQL 2.1 hexadecimal literal
                i += 2;
                while (i < s.Length && Uri.IsHexDigit(s[i])) i++;
                if (!ulong.TryParse(s.AsSpan(start + 2, i - start - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) || hex > long.MaxValue)
                    throw new AdqlException($"hexadecimal number {s[start..i]} at {pos} is larger than a 64-bit integer", pos.Line, pos.Column);
                tokens.Add(new Token(TokenKind.Number, hex.ToString(CultureInfo.InvariantCulture), pos));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                while (i < s.Length && char.IsDigit(s[i])) i++;
                if (i < s.Length && s[i] == '.') { i++; while (i < s.Length && char.IsDigit(s[i])) i++; }
                if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
                {
                    var j = i + 1;
                    if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
                    if (j < s.Length && char.IsDigit(s[j])) { i = j; while (i < s.Length && char.IsDigit(s[i])) i++; }
                }
                if (i < s.Length && (char.IsLetter(s[i]) || s[i] == '_'))
                    throw new AdqlException($"malformed number '{s[start..(i + 1)]}' at {pos}", pos.Line, pos.Column);
                tokens.Add(new Token(TokenKind.Number, s[start..i], pos));
            }
            else
            {
                string? sym = null;
                if (i + 1 < s.Length)
                {
                    var two = s.Substring(i, 2);
                    if (two is "<=" or ">=" or "<>" or "!=" or "||") sym = two;
                }
                if (sym is null && "(),.*+-/=<>;".Contains(c)) sym = c.ToString();
                if (sym is null)
                    throw new AdqlException($"unexpected character '{c}' at {pos}", pos.Line, pos.Column);
                i += sym.Length;
                tokens.Add(new Token(TokenKind.Symbol, sym, pos));
            }
        }
    }

    // ------------------------------------------------------------ helpers

    private Token Peek => _tokens[_i];
    private Token PeekAt(int k) => _tokens[Math.Min(_i + k, _tokens.Count - 1)];
    private Token Next() => _tokens[_i++];

    private AdqlException Error(Token t, string message) => new(message + $" ({t.Pos})", t.Pos.Line, t.Pos.Column);

    private bool Accept(string keyword)
    {
        if (!Peek.Is(keyword)) return false;
        _i++;
        return true;
    }

    private bool AcceptSymbol(string s)
    {
        if (!Peek.IsSymbol(s)) return false;
        _i++;
        return true;
    }

    private Token Expect(string keyword)
    {
        if (!Peek.Is(keyword)) throw Error(Peek, $"expected {keyword} but found {Peek.Describe()}");
        return Next();
    }

    private Token ExpectSymbol(string s)
    {
        if (!Peek.IsSymbol(s)) throw Error(Peek, $"expected '{s}' but found {Peek.Describe()}");
        return Next();
    }

    private bool IsIdentifier(Token t) =>
        t.Kind == TokenKind.QuotedIdent
        || (t.Kind == TokenKind.Ident && !Reserved.Contains(t.Text))
        // LIMIT is no ADQL word (a column may be called so); reserved only where it would be SQL's LIMIT n
        || (t.Is("LIMIT") && _tokens[Math.Min(_tokens.IndexOf(t) + 1, _tokens.Count - 1)].Kind != TokenKind.Number);

    private Ident ExpectIdent(string what)
    {
        var t = Peek;
        if (!IsIdentifier(t))
            throw Error(t, t.Kind == TokenKind.Ident
                ? $"expected {what} but found the reserved word {t.Text.ToUpperInvariant()} (write it as a delimited identifier \"{t.Text}\" if it is a name)"
                : $"expected {what} but found {t.Describe()}");
        _i++;
        return new Ident(t.Text, t.Kind == TokenKind.QuotedIdent, t.Pos);
    }

    private long ExpectInteger(string what)
    {
        var t = Next();
        if (t.Kind != TokenKind.Number || !long.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw Error(t, $"expected {what} (a non-negative integer) but found {t.Describe()}");
        return n;
    }

    // ------------------------------------------------------------ queries

    private QueryExpr ParseQuery() => Nested(ParseQueryLevel);

    private QueryExpr ParseQueryLevel()
    {
        if (Peek.Is("WITH"))
        {
            var with = Next();
            var ctes = new List<(Ident, QueryExpr)>();
            do
            {
                var name = ExpectIdent("a name for the WITH query");
                if (Peek.IsSymbol("(")) throw Error(Peek, "column lists after a WITH name are not supported: name the columns with AS inside the query");
                Expect("AS");
                ExpectSymbol("(");
                var q = ParseQuery();
                ExpectSymbol(")");
                ctes.Add((name, q));
            }
            while (AcceptSymbol(","));
            return new WithQuery(with.Pos, ctes, ParseQuery());
        }
        var left = ParseQueryTerm();
        while (Peek.Is("UNION") || Peek.Is("EXCEPT") || Peek.Is("INTERSECT"))
        {
            var op = Next();
            var all = Accept("ALL");
            if (!all) Accept("DISTINCT");
            var right = ParseQueryTerm();
            left = new SetQuery(op.Pos, left, op.Text.ToUpperInvariant(), all, right, [], null);
        }
        var (order, offset) = ParseOrderOffset();
        if (order.Count > 0 || offset is not null)
        {
            if (left is SetQuery set) left = set with { OrderBy = order, Offset = offset };
            else if (left is SelectQuery sel)
            {
                if (sel.OrderBy.Count > 0 || sel.Offset is not null) throw Error(Peek, "a second ORDER BY or OFFSET");
                left = sel with { OrderBy = order, Offset = offset };
            }
        }
        return left;
    }

    private QueryExpr ParseQueryTerm()
    {
        if (Peek.IsSymbol("(") && PeekAt(1).Is("SELECT"))
        {
            Next();
            var q = ParseQuery();
            ExpectSymbol(")");
            return q;
        }
        return ParseSelect();
    }

    private SelectQuery ParseSelect()
    {
        var select = Expect("SELECT");
        var distinct = false;
        if (Accept("DISTINCT")) distinct = true; else Accept("ALL");
        long? top = null;
        if (Accept("TOP")) top = ExpectInteger("the row count after TOP");
        var items = new List<SelectItem>();
        do items.Add(ParseSelectItem()); while (AcceptSymbol(","));
        if (!Peek.Is("FROM")) throw Error(Peek, $"expected FROM or ',' but found {Peek.Describe()}");
        Next();
        var from = new List<TableRef>();
        do from.Add(ParseTableRef()); while (AcceptSymbol(","));
        Expr? where = null, having = null;
        var groupBy = new List<Expr>();
        if (Accept("WHERE")) where = ParseExpr();
        if (Accept("GROUP"))
        {
            Expect("BY");
            do groupBy.Add(ParseExpr()); while (AcceptSymbol(","));
        }
        if (Accept("HAVING")) having = ParseExpr();
        return new SelectQuery(select.Pos, distinct, top, items, from, where, groupBy, having, [], null);
    }

    private (List<OrderItem>, long?) ParseOrderOffset()
    {
        var order = new List<OrderItem>();
        if (Accept("ORDER"))
        {
            Expect("BY");
            do
            {
                var e = ParseExpr();
                var desc = false;
                if (Accept("DESC")) desc = true; else Accept("ASC");
                if (Peek.Is("NULLS")) throw Error(Peek, "NULLS FIRST/LAST is not ADQL");
                order.Add(new OrderItem(e.Pos, e, desc));
            }
            while (AcceptSymbol(","));
        }
        long? offset = null;
        if (Accept("OFFSET")) offset = ExpectInteger("the row count after OFFSET");
        if (Peek.Is("LIMIT")) throw Error(Peek, "LIMIT is not ADQL: write SELECT TOP n … instead");
        return (order, offset);
    }

    private SelectItem ParseSelectItem()
    {
        var t = Peek;
        if (AcceptSymbol("*")) return new StarItem(t.Pos, null);
        // qualifier.*
        if (IsIdentifier(t))
        {
            var k = 0;
            var parts = new List<Ident>();
            while (IsIdentifier(PeekAt(k)) && PeekAt(k + 1).IsSymbol("."))
            {
                var it = PeekAt(k);
                parts.Add(new Ident(it.Text, it.Kind == TokenKind.QuotedIdent, it.Pos));
                k += 2;
            }
            if (parts.Count > 0 && PeekAt(k).IsSymbol("*"))
            {
                _i += k + 1;
                return new StarItem(t.Pos, parts);
            }
        }
        var e = ParseExpr();
        Ident? alias = null;
        if (Accept("AS")) alias = ExpectIdent("a column alias after AS");
        else if (IsIdentifier(Peek)) alias = ExpectIdent("a column alias");
        return new ExprItem(t.Pos, e, alias);
    }

    private TableRef ParseTableRef()
    {
        var left = ParseTablePrimary();
        while (true)
        {
            var t = Peek;
            var natural = Accept("NATURAL");
            string kind;
            if (Accept("INNER")) kind = "INNER";
            else if (Accept("LEFT")) { Accept("OUTER"); kind = "LEFT"; }
            else if (Accept("RIGHT")) { Accept("OUTER"); kind = "RIGHT"; }
            else if (Accept("FULL")) { Accept("OUTER"); kind = "FULL"; }
            else if (Accept("CROSS")) kind = "CROSS";
            else if (Peek.Is("JOIN")) kind = "INNER";
            else
            {
                if (natural) throw Error(Peek, $"expected JOIN after NATURAL but found {Peek.Describe()}");
                return left;
            }
            Expect("JOIN");
            var right = ParseTablePrimary();
            Expr? on = null;
            List<Ident>? usingCols = null;
            if (kind != "CROSS" && !natural)
            {
                if (Accept("ON")) on = ParseExpr();
                else if (Accept("USING"))
                {
                    ExpectSymbol("(");
                    usingCols = [];
                    do usingCols.Add(ExpectIdent("a column name in USING")); while (AcceptSymbol(","));
                    ExpectSymbol(")");
                }
                else throw Error(Peek, $"expected ON or USING after the joined table but found {Peek.Describe()}");
            }
            left = new JoinedTable(t.Pos, left, right, kind, natural, on, usingCols);
        }
    }

    private TableRef ParseTablePrimary()
    {
        var t = Peek;
        if (AcceptSymbol("("))
        {
            if (Peek.Is("SELECT") || Peek.IsSymbol("("))
            {
                if (Peek.Is("SELECT") || IsQueryAhead())
                {
                    var q = ParseQuery();
                    ExpectSymbol(")");
                    Accept("AS");
                    if (!IsIdentifier(Peek)) throw Error(Peek, "a subquery in FROM needs a name: write (SELECT …) AS name");
                    return new DerivedTable(t.Pos, q, ExpectIdent("a name for the subquery"));
                }
            }
            var inner = Nested(ParseTableRef);
            ExpectSymbol(")");
            return inner;
        }
        var name = new List<Ident> { ExpectIdent("a table name") };
        while (AcceptSymbol(".")) name.Add(ExpectIdent("a table name after '.'"));
        if (name.Count > 3) throw Error(t, "a table name has at most three parts (catalog.schema.table)");
        Ident? alias = null;
        if (Accept("AS")) alias = ExpectIdent("a table alias after AS");
        else if (IsIdentifier(Peek)) alias = ExpectIdent("a table alias");
        return new NamedTable(t.Pos, name, alias);
    }

    private bool IsQueryAhead()
    {
        var k = 0;
        while (PeekAt(k).IsSymbol("(")) k++;
        return PeekAt(k).Is("SELECT");
    }

    // ------------------------------------------------------------ expressions

    internal Expr ParseExpr() => Nested(ParseOr);

    private Expr ParseOr()
    {
        var e = ParseAnd();
        while (Peek.Is("OR"))
        {
            var t = Next();
            e = new Binary(t.Pos, "OR", e, ParseAnd());
        }
        return e;
    }

    private Expr ParseAnd()
    {
        var e = ParseNot();
        while (Peek.Is("AND"))
        {
            var t = Next();
            e = new Binary(t.Pos, "AND", e, ParseNot());
        }
        return e;
    }

    private Expr ParseNot()
    {
        if (Peek.Is("NOT"))
        {
            var t = Next();
            return new Not(t.Pos, Nested(ParseNot));
        }
        return ParsePredicate();
    }

    private Expr ParsePredicate()
    {
        if (Peek.Is("EXISTS"))
        {
            var t = Next();
            ExpectSymbol("(");
            var q = ParseQuery();
            ExpectSymbol(")");
            return new Exists(t.Pos, q);
        }
        var e = ParseAdditive();
        var op = Peek;
        if (op.Kind == TokenKind.Symbol && op.Text is "=" or "<>" or "!=" or "<" or ">" or "<=" or ">=")
        {
            Next();
            return new Binary(op.Pos, op.Text == "!=" ? "<>" : op.Text, e, ParseAdditive());
        }
        var negated = false;
        if (Peek.Is("NOT") && (PeekAt(1).Is("BETWEEN") || PeekAt(1).Is("IN") || PeekAt(1).Is("LIKE") || PeekAt(1).Is("ILIKE")))
        {
            Next();
            negated = true;
        }
        if (Accept("BETWEEN"))
        {
            var low = ParseAdditive();
            Expect("AND");
            return new Between(op.Pos, e, low, ParseAdditive(), negated);
        }
        if (Accept("IN"))
        {
            ExpectSymbol("(");
            if (Peek.Is("SELECT") || IsQueryAhead())
            {
                var q = ParseQuery();
                ExpectSymbol(")");
                return new InQuery(op.Pos, e, q, negated);
            }
            var items = new List<Expr>();
            do items.Add(ParseAdditive()); while (AcceptSymbol(","));
            ExpectSymbol(")");
            return new InList(op.Pos, e, items, negated);
        }
        if (Peek.Is("LIKE") || Peek.Is("ILIKE"))
        {
            var ci = Next().Is("ILIKE");
            return new Like(op.Pos, e, ParseAdditive(), ci, negated);
        }
        if (Accept("IS"))
        {
            var not = Accept("NOT");
            Expect("NULL");
            return new IsNull(op.Pos, e, not);
        }
        if (negated) throw Error(Peek, "expected BETWEEN, IN, LIKE or ILIKE after NOT");
        return e;
    }

    private Expr ParseAdditive()
    {
        var e = ParseMultiplicative();
        while (Peek.IsSymbol("+") || Peek.IsSymbol("-") || Peek.IsSymbol("||"))
        {
            var t = Next();
            e = new Binary(t.Pos, t.Text, e, ParseMultiplicative());
        }
        return e;
    }

    private Expr ParseMultiplicative()
    {
        var e = ParseUnary();
        while (Peek.IsSymbol("*") || Peek.IsSymbol("/"))
        {
            var t = Next();
            e = new Binary(t.Pos, t.Text, e, ParseUnary());
        }
        return e;
    }

    private Expr ParseUnary()
    {
        if (Peek.IsSymbol("-") || Peek.IsSymbol("+"))
        {
            var t = Next();
            var operand = Nested(ParseUnary);
            if (t.Text == "-" && operand is NumberLit n && !n.Text.StartsWith('-'))
                return new NumberLit(t.Pos, "-" + n.Text, n.IsInteger);
            return t.Text == "+" ? operand : new Unary(t.Pos, "-", operand);
        }
        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return new NumberLit(t.Pos, t.Text, t.Text.All(char.IsDigit));
            case TokenKind.String:
                Next();
                return new StringLit(t.Pos, t.Text);
            case TokenKind.Symbol when t.Text == "(":
                Next();
                if (Peek.Is("SELECT") || IsQueryAhead())
                {
                    var q = ParseQuery();
                    ExpectSymbol(")");
                    return new ScalarQuery(t.Pos, q);
                }
                var inner = ParseExpr();
                ExpectSymbol(")");
                return inner;
            case TokenKind.End:
                throw Error(t, "the query ends where an expression was expected");
            case TokenKind.Symbol:
                throw Error(t, $"expected an expression but found {t.Describe()}");
        }
        if (t.Is("NULL")) { Next(); return new NullLit(t.Pos); }
        if (t.Is("TRUE") || t.Is("FALSE")) { Next(); return new BoolLit(t.Pos, t.Is("TRUE")); }
        if (t.Is("CASE")) return ParseCase();
        if (t.Is("CAST")) return ParseCast();
        if (t.Kind == TokenKind.Ident && PeekAt(1).IsSymbol("("))
        {
            Next();
            var name = new Ident(t.Text, false, t.Pos);
            Next();
            if (AcceptSymbol("*"))
            {
                ExpectSymbol(")");
                return new Call(t.Pos, name, [], false, true);
            }
            var distinct = false;
            if (Accept("DISTINCT")) distinct = true; else Accept("ALL");
            var args = new List<Expr>();
            if (!Peek.IsSymbol(")"))
                do args.Add(ParseExpr()); while (AcceptSymbol(","));
            ExpectSymbol(")");
            return new Call(t.Pos, name, args, distinct, false);
        }
        if (!IsIdentifier(t))
            throw Error(t, $"expected an expression but found the reserved word {t.Text.ToUpperInvariant()}");
        var parts = new List<Ident> { ExpectIdent("a column name") };
        while (AcceptSymbol(".")) parts.Add(ExpectIdent("a name after '.'"));
        if (parts.Count > 4) throw Error(t, "a column name has at most four parts (catalog.schema.table.column)");
        return new ColumnRef(t.Pos, parts);
    }

    private Expr ParseCase()
    {
        var t = Next();
        Expr? operand = null;
        if (!Peek.Is("WHEN")) operand = ParseExpr();
        var whens = new List<(Expr, Expr)>();
        while (Accept("WHEN"))
        {
            var w = ParseExpr();
            Expect("THEN");
            whens.Add((w, ParseExpr()));
        }
        if (whens.Count == 0) throw Error(Peek, $"expected WHEN after CASE but found {Peek.Describe()}");
        Expr? els = null;
        if (Accept("ELSE")) els = ParseExpr();
        Expect("END");
        return new CaseExpr(t.Pos, operand, whens, els);
    }

    private Expr ParseCast()
    {
        var t = Next();
        ExpectSymbol("(");
        var value = ParseExpr();
        Expect("AS");
        var typePos = Peek.Pos;
        var sb = new StringBuilder();
        if (Peek.Kind != TokenKind.Ident) throw Error(Peek, $"expected a type name after AS but found {Peek.Describe()}");
        sb.Append(Next().Text.ToUpperInvariant());
        while (Peek.Kind == TokenKind.Ident) sb.Append(' ').Append(Next().Text.ToUpperInvariant());
        if (AcceptSymbol("("))
        {
            sb.Append('(').Append(ExpectInteger("a length")).Append(')');
            ExpectSymbol(")");
        }
        ExpectSymbol(")");
        return new CastExpr(t.Pos, value, sb.ToString(), typePos);
    }
}
