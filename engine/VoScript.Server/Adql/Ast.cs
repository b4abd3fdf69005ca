using VoScript.Server.Storage;

namespace VoScript.Server.Adql;

/// <summary>A 1-based position in the ADQL text.</summary>
internal readonly record struct Pos(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>An identifier as written: delimited ("2MASS") identifiers compare exactly, regular ones ignoring case.</summary>
internal sealed record Ident(string Name, bool Delimited, Pos Pos)
{
    public bool Matches(string name) =>
        Delimited ? name == Name : string.Equals(name, Name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Delimited ? "\"" + Name.Replace("\"", "\"\"") + "\"" : Name;
}

// ---------------------------------------------------------------- queries

/// <summary>A query: one SELECT or a set operation of two.</summary>
internal abstract record QueryExpr(Pos Pos);

internal sealed record SetQuery(Pos Pos, QueryExpr Left, string Op, bool All, QueryExpr Right,
    IReadOnlyList<OrderItem> OrderBy, long? Offset) : QueryExpr(Pos);

/// <summary><c>WITH name AS (query), … body</c>: the named queries are visible to the body as tables.</summary>
internal sealed record WithQuery(Pos Pos, IReadOnlyList<(Ident Name, QueryExpr Query)> Ctes, QueryExpr Body) : QueryExpr(Pos);

internal sealed record SelectQuery(
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

internal abstract record SelectItem(Pos Pos);
/// <summary><c>*</c> or <c>t.*</c>.</summary>
internal sealed record StarItem(Pos Pos, IReadOnlyList<Ident>? Qualifier) : SelectItem(Pos);
internal sealed record ExprItem(Pos Pos, Expr Expr, Ident? Alias) : SelectItem(Pos);

internal sealed record OrderItem(Pos Pos, Expr Expr, bool Descending);

// ---------------------------------------------------------------- FROM

internal abstract record TableRef(Pos Pos);
internal sealed record NamedTable(Pos Pos, IReadOnlyList<Ident> Name, Ident? Alias) : TableRef(Pos);
internal sealed record DerivedTable(Pos Pos, QueryExpr Query, Ident Alias) : TableRef(Pos);
internal sealed record JoinedTable(Pos Pos, TableRef Left, TableRef Right, string Kind, bool Natural,
    Expr? On, IReadOnlyList<Ident>? Using) : TableRef(Pos);

// ---------------------------------------------------------------- expressions

internal abstract record Expr(Pos Pos);
internal sealed record NumberLit(Pos Pos, string Text, bool IsInteger) : Expr(Pos);
internal sealed record StringLit(Pos Pos, string Value) : Expr(Pos);
internal sealed record NullLit(Pos Pos) : Expr(Pos);
internal sealed record BoolLit(Pos Pos, bool Value) : Expr(Pos);
internal sealed record ColumnRef(Pos Pos, IReadOnlyList<Ident> Parts) : Expr(Pos)
{
    public Ident Column => Parts[^1];
}
internal sealed record Unary(Pos Pos, string Op, Expr Operand) : Expr(Pos);
/// <summary>Arithmetic (+ - * / ||), comparison (= &lt;&gt; &lt; …) or logic (AND OR).</summary>
internal sealed record Binary(Pos Pos, string Op, Expr Left, Expr Right) : Expr(Pos);
internal sealed record Not(Pos Pos, Expr Operand) : Expr(Pos);
internal sealed record Between(Pos Pos, Expr Value, Expr Low, Expr High, bool Negated) : Expr(Pos);
internal sealed record InList(Pos Pos, Expr Value, IReadOnlyList<Expr> Items, bool Negated) : Expr(Pos);
internal sealed record InQuery(Pos Pos, Expr Value, QueryExpr Query, bool Negated) : Expr(Pos);
internal sealed record Like(Pos Pos, Expr Value, Expr Pattern, bool CaseInsensitive, bool Negated) : Expr(Pos);
internal sealed record IsNull(Pos Pos, Expr Value, bool Negated) : Expr(Pos);
internal sealed record Exists(Pos Pos, QueryExpr Query) : Expr(Pos);
internal sealed record ScalarQuery(Pos Pos, QueryExpr Query) : Expr(Pos);
/// <summary>A function call; <see cref="Star"/> for COUNT(*).</summary>
internal sealed record Call(Pos Pos, Ident Name, IReadOnlyList<Expr> Args, bool Distinct, bool Star) : Expr(Pos)
{
    public string Upper => Name.Name.ToUpperInvariant();
}
internal sealed record CaseExpr(Pos Pos, Expr? Operand, IReadOnlyList<(Expr When, Expr Then)> Whens, Expr? Else) : Expr(Pos);
internal sealed record CastExpr(Pos Pos, Expr Value, string TypeName, Pos TypePos) : Expr(Pos);
