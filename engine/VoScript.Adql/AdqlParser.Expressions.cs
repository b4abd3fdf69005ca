using System.Text;

namespace VoScript.Adql;

/// <summary>The expressions of ADQL: logic, predicates, arithmetic, literals, names, calls, CASE and CAST.</summary>
public sealed partial class AdqlParser
{
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
