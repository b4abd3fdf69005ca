namespace VoScript.Adql;

// The ADQL syntax tree: what AdqlParser gives, what the server's translator and the compiler's column check read.

/// <summary>A 1-based position in the ADQL text.</summary>
public readonly record struct Pos(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>An identifier as written: delimited ("2MASS") identifiers compare exactly, regular ones ignoring case.</summary>
public sealed record Ident(string Name, bool Delimited, Pos Pos)
{
    public bool Matches(string name) =>
        Delimited ? name == Name : string.Equals(name, Name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Delimited ? "\"" + Name.Replace("\"", "\"\"") + "\"" : Name;
}

// ---------------------------------------------------------------- queries

/// <summary>A query: one SELECT or a set operation of two.</summary>
public abstract record QueryExpr(Pos Pos);

/// <summary><c>left UNION|INTERSECT|EXCEPT [ALL] right</c>, with the ORDER BY and OFFSET of the whole.</summary>
public sealed record SetQuery(Pos Pos, QueryExpr Left, string Op, bool All, QueryExpr Right,
    IReadOnlyList<OrderItem> OrderBy, long? Offset) : QueryExpr(Pos);

/// <summary><c>WITH name AS (query), … body</c>: the named queries are visible to the body as tables.</summary>
public sealed record WithQuery(Pos Pos, IReadOnlyList<(Ident Name, QueryExpr Query)> Ctes, QueryExpr Body) : QueryExpr(Pos);

/// <summary>One <c>SELECT … FROM … [WHERE] [GROUP BY] [HAVING]</c> with its ORDER BY and OFFSET.</summary>
public sealed record SelectQuery(
    Pos Pos,
    bool Distinct,
    long? Top,
    IReadOnlyList<SelectItem> Items,
    IReadOnlyList<TableRef> From,
    Expr? Where,
    IReadOnlyList<Expr> GroupBy,
    Expr? Having,
    IReadOnlyList<OrderItem> OrderBy,
    long? Offset) : QueryExpr(Pos);

/// <summary>An item of a select list.</summary>
public abstract record SelectItem(Pos Pos);
/// <summary><c>*</c> or <c>t.*</c>.</summary>
public sealed record StarItem(Pos Pos, IReadOnlyList<Ident>? Qualifier) : SelectItem(Pos);
/// <summary>An expression of the select list with its <c>AS</c> alias, if any.</summary>
public sealed record ExprItem(Pos Pos, Expr Expr, Ident? Alias) : SelectItem(Pos);

/// <summary>An ORDER BY item.</summary>
public sealed record OrderItem(Pos Pos, Expr Expr, bool Descending);

// ---------------------------------------------------------------- FROM

/// <summary>An item of FROM.</summary>
public abstract record TableRef(Pos Pos);
/// <summary>A table by name (one to three parts), with its alias.</summary>
public sealed record NamedTable(Pos Pos, IReadOnlyList<Ident> Name, Ident? Alias) : TableRef(Pos);
/// <summary>A subquery in FROM with its name.</summary>
public sealed record DerivedTable(Pos Pos, QueryExpr Query, Ident Alias) : TableRef(Pos);
/// <summary>A join (Kind INNER, LEFT, RIGHT, FULL or CROSS) with its ON condition or USING columns.</summary>
public sealed record JoinedTable(Pos Pos, TableRef Left, TableRef Right, string Kind, bool Natural,
    Expr? On, IReadOnlyList<Ident>? Using) : TableRef(Pos);

// ---------------------------------------------------------------- expressions

/// <summary>An expression.</summary>
public abstract record Expr(Pos Pos);
/// <summary>A number as written.</summary>
public sealed record NumberLit(Pos Pos, string Text, bool IsInteger) : Expr(Pos);
/// <summary>A string literal (quotes removed, '' made ').</summary>
public sealed record StringLit(Pos Pos, string Value) : Expr(Pos);
/// <summary><c>NULL</c>.</summary>
public sealed record NullLit(Pos Pos) : Expr(Pos);
/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
public sealed record BoolLit(Pos Pos, bool Value) : Expr(Pos);
/// <summary>A column name, qualified or not (<c>t.ra</c>, <c>s.t.ra</c>).</summary>
public sealed record ColumnRef(Pos Pos, IReadOnlyList<Ident> Parts) : Expr(Pos)
{
    public Ident Column => Parts[^1];
}
/// <summary>A sign: <c>-x</c>, <c>+x</c>.</summary>
public sealed record Unary(Pos Pos, string Op, Expr Operand) : Expr(Pos);
/// <summary>Arithmetic (+ - * / ||), comparison (= &lt;&gt; &lt; …) or logic (AND OR).</summary>
public sealed record Binary(Pos Pos, string Op, Expr Left, Expr Right) : Expr(Pos);
/// <summary><c>NOT x</c>.</summary>
public sealed record Not(Pos Pos, Expr Operand) : Expr(Pos);
/// <summary><c>x [NOT] BETWEEN low AND high</c>.</summary>
public sealed record Between(Pos Pos, Expr Value, Expr Low, Expr High, bool Negated) : Expr(Pos);
/// <summary><c>x [NOT] IN (a, b, …)</c>.</summary>
public sealed record InList(Pos Pos, Expr Value, IReadOnlyList<Expr> Items, bool Negated) : Expr(Pos);
/// <summary><c>x [NOT] IN (SELECT …)</c>.</summary>
public sealed record InQuery(Pos Pos, Expr Value, QueryExpr Query, bool Negated) : Expr(Pos);
/// <summary><c>x [NOT] LIKE|ILIKE pattern</c>.</summary>
public sealed record Like(Pos Pos, Expr Value, Expr Pattern, bool CaseInsensitive, bool Negated) : Expr(Pos);
/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record IsNull(Pos Pos, Expr Value, bool Negated) : Expr(Pos);
/// <summary><c>EXISTS (SELECT …)</c>.</summary>
public sealed record Exists(Pos Pos, QueryExpr Query) : Expr(Pos);
/// <summary>A subquery as a value: <c>(SELECT …)</c>.</summary>
public sealed record ScalarQuery(Pos Pos, QueryExpr Query) : Expr(Pos);
/// <summary>A function call; <see cref="Star"/> for COUNT(*).</summary>
public sealed record Call(Pos Pos, Ident Name, IReadOnlyList<Expr> Args, bool Distinct, bool Star) : Expr(Pos)
{
    public string Upper => Name.Name.ToUpperInvariant();
}
/// <summary><c>CASE [operand] WHEN … THEN … [ELSE …] END</c>.</summary>
public sealed record CaseExpr(Pos Pos, Expr? Operand, IReadOnlyList<(Expr When, Expr Then)> Whens, Expr? Else) : Expr(Pos);
/// <summary><c>CAST(x AS type)</c>.</summary>
public sealed record CastExpr(Pos Pos, Expr Value, string TypeName, Pos TypePos) : Expr(Pos);

/// <summary>
/// The head of a query (<see cref="AdqlParser.ParseSelectHead"/>): its select list, DISTINCT and TOP, and where the
/// <c>FROM</c> after the list is (the list ends before it).
/// </summary>
public sealed record SelectHead(Pos Pos, bool Distinct, long? Top, IReadOnlyList<SelectItem> Items, Pos From);
