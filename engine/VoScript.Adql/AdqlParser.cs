using System.Globalization;
namespace VoScript.Adql;

/// <summary>
/// ADQL 2.1 parser: a hand-written recursive descent over <see cref="AdqlLexer"/>, giving a
/// syntax tree with 1-based positions. Errors are <see cref="AdqlException"/>s
/// naming what was found and what was expected. Queries and FROM are here, expressions in
/// <c>AdqlParser.Expressions.cs</c>.
/// </summary>
public sealed partial class AdqlParser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "AS", "ON", "USING",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "AND", "OR", "NOT", "IN",
        "BETWEEN", "LIKE", "ILIKE", "IS", "NULL", "EXISTS", "CASE", "WHEN", "THEN", "ELSE", "END", "UNION",
        "INTERSECT", "EXCEPT", "ALL", "DISTINCT", "TOP", "OFFSET", "LIMIT", "CAST", "TRUE", "FALSE", "WITH",
    };

    private readonly List<Token> _tokens;
    private readonly AdqlLexer? _more;
    private int _i;

    /// <summary>A parser over <paramref name="tokens"/>, and the tokens <paramref name="more"/> gives when they are needed.</summary>
    private AdqlParser(List<Token> tokens, AdqlLexer? more = null)
    {
        _tokens = tokens;
        _more = more;
    }

    /// <summary>
    /// The deepest nesting the parser follows (parentheses, function calls, subqueries, NOT, signs), and the deepest
    /// syntax tree it returns (a chain of N operators is N deep). Deeper queries get an error, never a stack overflow.
    /// </summary>
    public const int MaxDepth = 500;

    private int _depth;

    /// <summary>Parses one ADQL query (an optional trailing semicolon is allowed).</summary>
    public static QueryExpr Parse(string adql)
    {
        var p = new AdqlParser(AdqlLexer.Lex(adql));
        var q = p.ParseQuery();
        if (p.Peek.IsSymbol(";")) p._i++;
        if (p.Peek.Kind != TokenKind.End)
            throw p.Error(p.Peek, $"unexpected {p.Peek.Describe()} after the end of the query");
        AdqlDepth.Check(q, MaxDepth);
        return q;
    }

    /// <summary>
    /// Parses only the head of a query, <c>SELECT [ALL|DISTINCT] [TOP n] item, …</c> up to its <c>FROM</c> (of the
    /// body of a <c>WITH</c> query, of the first query of a <c>UNION</c>): what the query returns. The text after
    /// <c>FROM</c> is not read, so a service's dialect there (its functions, operators, table names) does not matter.
    /// </summary>
    /// <exception cref="AdqlException">the head is not ADQL (or has no FROM after it)</exception>
    public static SelectHead ParseSelectHead(string adql)
    {
        var p = new AdqlParser([], new AdqlLexer(adql));
        if (p.Accept("WITH"))
        {
            do
            {
                p.ExpectIdent("a name for the WITH query");
                p.Expect("AS");
                p.ExpectSymbol("(");
                p.ParseQuery();
                p.ExpectSymbol(")");
            }
            while (p.AcceptSymbol(","));
        }
        while (p.AcceptSymbol("(")) { }
        var (select, distinct, top, items) = p.ParseSelectList();
        return new SelectHead(select.Pos, distinct, top, items, p.Peek.Pos);
    }

    /// <summary>Runs one level of recursive descent, refusing nesting deeper than <see cref="MaxDepth"/>.</summary>
    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > MaxDepth || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(Peek, $"the query is nested deeper than {MaxDepth} levels (parentheses, function calls, subqueries); simplify it");
        try { return parse(); }
        finally { _depth--; }
    }

    // ------------------------------------------------------------ helpers

    /// <summary>The token at <paramref name="index"/> (lexed now if it is not yet), or the last one, the end.</summary>
    private Token At(int index)
    {
        while (index >= _tokens.Count && _more is not null && (_tokens.Count == 0 || _tokens[^1].Kind != TokenKind.End))
            _tokens.Add(_more.Next());
        return _tokens[Math.Min(index, _tokens.Count - 1)];
    }

    private Token Peek => At(_i);
    private Token PeekAt(int k) => At(_i + k);
    private Token Next() => At(_i++);

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
        || (t.Is("LIMIT") && At(_tokens.IndexOf(t) + 1).Kind != TokenKind.Number);

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

    /// <summary><c>SELECT [ALL|DISTINCT] [TOP n] item, …</c>, stopping at the FROM that must follow.</summary>
    private (Token Select, bool Distinct, long? Top, List<SelectItem> Items) ParseSelectList()
    {
        var select = Expect("SELECT");
        var distinct = false;
        if (Accept("DISTINCT")) distinct = true; else Accept("ALL");
        long? top = null;
        if (Accept("TOP")) top = ExpectInteger("the row count after TOP");
        var items = new List<SelectItem>();
        do items.Add(ParseSelectItem()); while (AcceptSymbol(","));
        if (!Peek.Is("FROM")) throw Error(Peek, $"expected FROM or ',' but found {Peek.Describe()}");
        return (select, distinct, top, items);
    }

    private SelectQuery ParseSelect()
    {
        var (select, distinct, top, items) = ParseSelectList();
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
}
