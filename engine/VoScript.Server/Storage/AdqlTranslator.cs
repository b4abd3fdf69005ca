using System.Globalization;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Adql;

namespace VoScript.Server.Storage;

/// <summary>An output column of a translated query: its name, and the metadata of the column it copies (if it is a plain column).</summary>
internal sealed record OutputColumn(string Name, Field? Source, StorageKind Kind, string? XType = null);

/// <summary>A translated query: DuckDB SQL plus what the result columns are.</summary>
internal sealed record TranslatedQuery(string Sql, IReadOnlyList<OutputColumn> Columns);

/// <summary>
/// Translates an ADQL syntax tree to DuckDB SQL. All names are resolved here
/// (against the served tables and the uploads) and replaced by generated SQL names,
/// so that ADQL's identifier rules hold whatever the database's rules are, and
/// unknown names are reported at their ADQL position.
/// </summary>
internal sealed partial class AdqlTranslator
{
    private readonly IReadOnlyList<DbTable> _tables;
    private int _aliasCounter;

    private AdqlTranslator(IReadOnlyList<DbTable> tables) => _tables = tables;

    /// <summary>Translates <paramref name="query"/>; <paramref name="limit"/> (if any) caps the rows the top-level query returns.</summary>
    public static TranslatedQuery Translate(QueryExpr query, IReadOnlyList<DbTable> tables, long? limit = null)
    {
        var t = new AdqlTranslator(tables);
        var r = t.Query(query, null, limit);
        return new TranslatedQuery(r.Sql, r.Columns.Select(c => new OutputColumn(c.Name, c.Field, c.Kind, c.XType)).ToList());
    }

    private static AdqlException Err(Pos pos, string message) => new(message + $" ({pos})", pos.Line, pos.Column);

    // ------------------------------------------------------------ scopes

    private sealed record RelColumn(string Name, bool NameDelimitedOnly, string Sql, Field? Field, StorageKind Kind, string? XType, bool HiddenFromStar);

    /// <summary>A relation in FROM: a table or subquery with its ADQL name and the SQL alias it has.</summary>
    private sealed record Relation(string? Schema, string Name, bool AliasGiven, string SqlAlias, List<RelColumn> Columns)
    {
        /// <summary>For a stored table or upload: its FROM fragment (<c>"t3" AS q1</c>) and row count.</summary>
        public string? BaseFragment { get; init; }
        public long Rows { get; init; }
    }

    private sealed class Scope(Scope? parent)
    {
        public Scope? Parent { get; } = parent;
        public List<Relation> Relations { get; } = [];
        /// <summary>SELECT-list aliases visible to GROUP BY / HAVING / ORDER BY.</summary>
        public List<(string Name, string Sql)> OutputAliases { get; } = [];
        /// <summary>Relations of this scope to be replaced by their zoned form (see <see cref="AdqlTranslator.TryZoneJoin"/>).</summary>
        public Dictionary<Relation, string> ZoneWraps { get; } = [];
    }

    private sealed record QueryResult(string Sql, List<RelColumn> Columns);

    private string NewAlias() => "q" + (_aliasCounter++).ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------ queries

    /// <summary>The WITH queries in force, innermost last.</summary>
    private readonly List<(Ident Name, QueryExpr Query, Scope? Outer)> _ctes = [];

    /// <summary>A clean error instead of a stack overflow, should a tree within <see cref="AdqlParser.MaxDepth"/> still be too deep for this thread.</summary>
    private static void StackGuard(Pos pos)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new AdqlException($"the query is nested too deeply to translate; simplify it ({pos})", pos.Line, pos.Column);
    }

    private QueryResult Query(QueryExpr q, Scope? outer, long? limit)
    {
        StackGuard(q.Pos);
        switch (q)
        {
            case WithQuery w:
            {
                var mark = _ctes.Count;
                foreach (var (name, cte) in w.Ctes)
                {
                    if (_ctes.Skip(mark).Any(c => c.Name.Name.Equals(name.Name, StringComparison.OrdinalIgnoreCase)))
                        throw Err(name.Pos, $"WITH defines {name} twice");
                    _ctes.Add((name, cte, outer));
                }
                try { return Query(w.Body, outer, limit); }
                finally { _ctes.RemoveRange(mark, _ctes.Count - mark); }
            }
            case SelectQuery s:
                return Select(s, outer, limit);
            case SetQuery set:
            {
                var l = Query(set.Left, outer, null);
                var r = Query(set.Right, outer, null);
                if (l.Columns.Count != r.Columns.Count)
                    throw Err(set.Pos, $"the two sides of {set.Op} have {l.Columns.Count} and {r.Columns.Count} columns: they need the same number");
                var sb = new StringBuilder();
                sb.Append('(').Append(l.Sql).Append(") ").Append(set.Op).Append(set.All ? " ALL " : " ").Append('(').Append(r.Sql).Append(')');
                var cols = l.Columns;
                if (set.OrderBy.Count > 0)
                {
                    sb.Append(" ORDER BY ");
                    sb.Append(string.Join(", ", set.OrderBy.Select(o => SetOrderItem(o, cols) + (o.Descending ? " DESC" : " ASC"))));
                }
                AppendLimitOffset(sb, null, limit, set.Offset);
                return new QueryResult(sb.ToString(), cols);
            }
            default:
                throw Err(q.Pos, "unsupported query form");
        }
    }

    private static string SetOrderItem(OrderItem o, List<RelColumn> cols)
    {
        if (o.Expr is NumberLit { IsInteger: true } n)
        {
            var k = int.Parse(n.Text, CultureInfo.InvariantCulture);
            if (k < 1 || k > cols.Count) throw Err(o.Pos, $"ORDER BY {k}: the query has {cols.Count} columns");
            return k.ToString(CultureInfo.InvariantCulture);
        }
        if (o.Expr is ColumnRef { Parts.Count: 1 } c)
        {
            var i = cols.FindIndex(x => c.Column.Matches(x.Name));
            if (i >= 0) return (i + 1).ToString(CultureInfo.InvariantCulture);
        }
        throw Err(o.Pos, "ORDER BY of a UNION/EXCEPT/INTERSECT names an output column or its position");
    }

    private static void AppendLimitOffset(StringBuilder sb, long? top, long? limit, long? offset)
    {
        long? n = top;
        if (limit is { } l) n = n is { } t ? Math.Min(t, l) : l;
        if (n is { } k) sb.Append(" LIMIT ").Append(k.ToString(CultureInfo.InvariantCulture));
        if (offset is { } o) sb.Append(" OFFSET ").Append(o.ToString(CultureInfo.InvariantCulture));
    }

    private QueryResult Select(SelectQuery s, Scope? outer, long? limit)
    {
        var scope = new Scope(outer);
        var from = new List<string>();
        foreach (var tr in s.From) from.Add(TableRef(tr, scope));

        // SELECT list
        var items = new List<string>();
        var cols = new List<RelColumn>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void AddOutput(string sql, string name, Field? field, StorageKind kind, string? xtype)
        {
            var unique = name;
            for (var k = 2; !names.Add(unique); k++) unique = name + "_" + k.ToString(CultureInfo.InvariantCulture);
            var o = "o" + cols.Count.ToString(CultureInfo.InvariantCulture);
            items.Add(sql + " AS " + o);
            cols.Add(new RelColumn(unique, false, o, field, kind, xtype, false));
        }
        foreach (var item in s.Items)
        {
            if (item is StarItem star)
            {
                var rels = star.Qualifier is null ? scope.Relations : [FindRelation(star.Qualifier, scope, star.Pos)];
                foreach (var rel in rels)
                    foreach (var c in rel.Columns.Where(c => !c.HiddenFromStar || star.Qualifier is not null))
                        AddOutput(rel.SqlAlias + "." + c.Sql, c.Name, c.Field, c.Kind, c.XType);
                continue;
            }
            var ei = (ExprItem)item;
            var v = Value(ei.Expr, scope);
            var name = ei.Alias?.Name ?? DefaultName(ei.Expr, v);
            AddOutput(v.Sql, name, v.Field, v.Kind, v.XType);
            if (ei.Alias is { } a) scope.OutputAliases.Add((a.Name, v.Sql));
        }
        if (cols.Count == 0) throw Err(s.Pos, "the query selects no columns");

        string? whereSql = null;
        if (s.Where is { } w)
        {
            if (FindAggregate(w) is { } agg) throw Err(agg.Pos, $"aggregate functions ({agg.Upper}) are not allowed in WHERE: use HAVING");
            whereSql = Condition(w, scope, zoneable: true);
        }
        var fromSql = string.Join(", ", from);
        foreach (var (rel, wrapped) in scope.ZoneWraps) fromSql = fromSql.Replace(rel.BaseFragment!, wrapped, StringComparison.Ordinal);
        var sb = new StringBuilder("SELECT ");
        if (s.Distinct) sb.Append("DISTINCT ");
        sb.Append(string.Join(", ", items));
        sb.Append(" FROM ").Append(fromSql);
        if (whereSql is not null) sb.Append(" WHERE ").Append(whereSql);
        if (s.GroupBy.Count > 0)
            sb.Append(" GROUP BY ").Append(string.Join(", ", s.GroupBy.Select(g => GroupItem(g, scope))));
        if (s.Having is { } h)
            sb.Append(" HAVING ").Append(Condition(h, scope));
        if (s.OrderBy.Count > 0)
            sb.Append(" ORDER BY ").Append(string.Join(", ", s.OrderBy.Select(o => OrderItem(o, scope, cols) + (o.Descending ? " DESC" : " ASC"))));
        AppendLimitOffset(sb, s.Top, limit, s.Offset);
        return new QueryResult(sb.ToString(), cols);
    }

    private string GroupItem(Expr g, Scope scope)
    {
        if (g is ColumnRef { Parts.Count: 1 } c && !TryResolveColumn(c, scope, out _))
        {
            var alias = scope.OutputAliases.FirstOrDefault(a => c.Column.Matches(a.Name));
            if (alias.Sql is not null) return alias.Sql;
        }
        return Scalar(g, scope);
    }

    private string OrderItem(OrderItem o, Scope scope, List<RelColumn> cols)
    {
        if (o.Expr is NumberLit { IsInteger: true } n)
        {
            if (!int.TryParse(n.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || k > cols.Count)
                throw Err(o.Pos, $"ORDER BY {n.Text}: the query selects {cols.Count} column{(cols.Count == 1 ? "" : "s")}; give a position from 1 to {cols.Count}");
            return k.ToString(CultureInfo.InvariantCulture);
        }
        if (o.Expr is ColumnRef { Parts.Count: 1 } c)
        {
            // as in SQL, ORDER BY looks at the output column names first
            var k = cols.FindIndex(x => c.Column.Matches(x.Name));
            if (k >= 0 && scope.OutputAliases.Any(a => c.Column.Matches(a.Name)))
                return (k + 1).ToString(CultureInfo.InvariantCulture);
        }
        return Scalar(o.Expr, scope);
    }

    private static string DefaultName(Expr e, SqlValue v) => e switch
    {
        ColumnRef c => v.Field?.Name ?? c.Column.Name,
        Call call => call.Name.Name.ToLowerInvariant(),
        CastExpr cast => DefaultName(cast.Value, v),
        _ => "expr",
    };

    // ------------------------------------------------------------ FROM

    private string TableRef(TableRef tr, Scope scope)
    {
        switch (tr)
        {
            case NamedTable nt when nt.Name.Count == 1 && FindCte(nt.Name[0]) is { } cte:
            {
                // a WITH query: translated in place, as a subquery named like the reference
                var saved = _ctes.ToList();
                _ctes.RemoveRange(cte.Index, _ctes.Count - cte.Index);   // a WITH query sees only the ones before it
                QueryResult r;
                try { r = Query(cte.Query, cte.Outer, null); }
                finally { _ctes.Clear(); _ctes.AddRange(saved); }
                var alias = NewAlias();
                var name = nt.Alias ?? nt.Name[0];
                AddRelation(scope, new Relation(null, name.Name, true, alias, r.Columns.Select(c => c with { HiddenFromStar = false }).ToList()), name);
                return "(" + r.Sql + ") AS " + alias;
            }
            case NamedTable nt:
            {
                var t = FindTable(nt);
                var alias = NewAlias();
                var cols = t.Columns.Select(c => new RelColumn(c.Field.Name, false, c.SqlName, c.Field, c.Kind, c.Field.XType, false)).ToList();
                var fragment = QuoteName(t.SqlName) + " AS " + alias;
                var rel = new Relation(nt.Alias is null ? t.Schema : null, nt.Alias?.Name ?? t.Name, nt.Alias is not null, alias, cols)
                {
                    BaseFragment = fragment, Rows = t.Rows,
                };
                AddRelation(scope, rel, nt.Alias ?? nt.Name[^1]);
                return fragment;
            }
            case DerivedTable dt:
            {
                var r = Query(dt.Query, scope.Parent, null);
                var alias = NewAlias();
                AddRelation(scope, new Relation(null, dt.Alias.Name, true, alias, r.Columns), dt.Alias);
                return "(" + r.Sql + ") AS " + alias;
            }
            case JoinedTable jt:
            {
                var left = TableRef(jt.Left, scope);
                var leftRels = scope.Relations.ToList();
                var right = TableRef(jt.Right, scope);
                var rightRels = scope.Relations.Skip(leftRels.Count).ToList();
                var sb = new StringBuilder();
                sb.Append(left).Append(' ').Append(jt.Kind == "CROSS" ? "CROSS" : jt.Kind).Append(" JOIN ").Append(right);
                if (jt.Kind == "CROSS") return sb.ToString();
                IReadOnlyList<Ident>? usingCols = jt.Using;
                if (jt.Natural)
                {
                    var common = leftRels.SelectMany(r => r.Columns).Select(c => c.Name)
                        .Intersect(rightRels.SelectMany(r => r.Columns).Select(c => c.Name), StringComparer.OrdinalIgnoreCase).ToList();
                    if (common.Count == 0) throw Err(jt.Pos, "NATURAL JOIN: the two tables have no column name in common");
                    usingCols = common.Select(n => new Ident(n, false, jt.Pos)).ToList();
                }
                if (usingCols is not null)
                {
                    var conds = new List<string>();
                    foreach (var u in usingCols)
                    {
                        var (lr, lc) = FindIn(leftRels, u, "the left side of the join");
                        var (rr, rc) = FindIn(rightRels, u, "the right side of the join");
                        conds.Add($"{lr.SqlAlias}.{lc.Sql} = {rr.SqlAlias}.{rc.Sql}");
                        // the joined column appears once: from the left (from the right for RIGHT JOIN)
                        var hide = jt.Kind == "RIGHT" ? lr : rr;
                        var hc = jt.Kind == "RIGHT" ? lc : rc;
                        hide.Columns[hide.Columns.IndexOf(hc)] = hc with { HiddenFromStar = true };
                    }
                    sb.Append(" ON ").Append(string.Join(" AND ", conds));
                    return sb.ToString();
                }
                sb.Append(" ON ").Append(Condition(jt.On!, scope, zoneable: jt.Kind == "INNER"));
                return sb.ToString();
            }
            default:
                throw Err(tr.Pos, "unsupported FROM item");
        }
    }

    private (QueryExpr Query, Scope? Outer, int Index)? FindCte(Ident name)
    {
        for (var i = _ctes.Count - 1; i >= 0; i--)
            if (name.Matches(_ctes[i].Name.Name) || (_ctes[i].Name.Delimited && _ctes[i].Name.Name == name.Name))
                return (_ctes[i].Query, _ctes[i].Outer, i);
        return null;
    }

    private static (Relation, RelColumn) FindIn(List<Relation> rels, Ident name, string where)
    {
        foreach (var r in rels)
            foreach (var c in r.Columns)
                if (!c.HiddenFromStar && name.Matches(c.Name)) return (r, c);
        throw Err(name.Pos, $"column {name} of USING is not in {where}");
    }

    private static void AddRelation(Scope scope, Relation rel, Ident nameForErrors)
    {
        if (scope.Relations.Any(r => string.Equals(r.Name, rel.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(r.Schema, rel.Schema, StringComparison.OrdinalIgnoreCase)))
            throw Err(nameForErrors.Pos, $"the name {rel.Name} is used twice in FROM: give one of the tables an alias (… AS other)");
        scope.Relations.Add(rel);
    }

    private DbTable FindTable(NamedTable nt)
    {
        var parts = nt.Name;
        var name = parts[^1];
        var schema = parts.Count >= 2 ? parts[^2] : null;
        var candidates = _tables.Where(t => name.Matches(t.Name) && (schema is null || schema.Matches(t.Schema))).ToList();
        if (candidates.Count > 1 && !name.Delimited)
        {
            var exact = candidates.Where(t => t.Name == name.Name).ToList();
            if (exact.Count == 1) candidates = exact;
        }
        if (candidates.Count == 1) return candidates[0];
        var written = string.Join(".", parts);
        if (candidates.Count > 1)
            throw Err(nt.Pos, $"table {written} is ambiguous ({string.Join(", ", candidates.Select(c => c.Schema + "." + c.Name))}): qualify it with its schema");
        var known = string.Join(", ", _tables.Where(t => !t.Schema.Equals("TAP_UPLOAD", StringComparison.OrdinalIgnoreCase)).Select(t => t.Schema + "." + t.Name).Take(20));
        if (schema is not null && schema.Matches("TAP_UPLOAD"))
            throw Err(nt.Pos, $"unknown table {written}: no upload of that name came with the query (uploads: {string.Join(", ", _tables.Where(t => t.Schema == "TAP_UPLOAD").Select(t => t.Name).DefaultIfEmpty("none"))})");
        throw Err(nt.Pos, $"unknown table {written}: the service has {(known.Length == 0 ? "no tables" : known)}");
    }

    private static Relation FindRelation(IReadOnlyList<Ident> qualifier, Scope scope, Pos pos)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            var r = MatchRelations(qualifier, s).ToList();
            if (r.Count == 1) return r[0];
            if (r.Count > 1) throw Err(pos, $"{string.Join(".", qualifier)} is ambiguous: use an alias");
        }
        throw Err(pos, $"unknown table {string.Join(".", qualifier)} in this query: name a table of FROM (or its alias)");
    }

    private static IEnumerable<Relation> MatchRelations(IReadOnlyList<Ident> qualifier, Scope s)
    {
        var name = qualifier[^1];
        var schema = qualifier.Count >= 2 ? qualifier[^2] : null;
        return s.Relations.Where(r => name.Matches(r.Name) && (schema is null || (r.Schema is not null && schema.Matches(r.Schema))));
    }

    // ------------------------------------------------------------ names

    private static bool TryResolveColumn(ColumnRef c, Scope scope, out (Relation Rel, RelColumn Col) found)
    {
        found = default;
        var qualifier = c.Parts.Take(c.Parts.Count - 1).ToList();
        for (var s = scope; s is not null; s = s.Parent)
        {
            var rels = qualifier.Count == 0 ? s.Relations : MatchRelations(qualifier, s).ToList();
            if (qualifier.Count > 0 && rels.Count > 1)
                throw Err(c.Pos, $"{string.Join(".", qualifier)} is ambiguous: use an alias");
            var matches = new List<(Relation, RelColumn)>();
            foreach (var r in rels)
            {
                var cols = r.Columns.Where(x => c.Column.Matches(x.Name)).ToList();
                if (cols.Count > 1 && !c.Column.Delimited)
                {
                    var exact = cols.Where(x => x.Name == c.Column.Name).ToList();
                    if (exact.Count == 1) cols = exact;
                }
                if (qualifier.Count == 0) cols = cols.Where(x => !x.HiddenFromStar).ToList();
                matches.AddRange(cols.Select(x => (r, x)));
            }
            if (matches.Count > 1)
                throw Err(c.Pos, $"column {c.Column} is ambiguous ({string.Join(", ", matches.Select(m => m.Item1.Name + "." + m.Item2.Name))}): qualify it with a table name or alias");
            if (matches.Count == 1) { found = matches[0]; return true; }
            if (qualifier.Count > 0 && rels.Count == 1) return false;
        }
        return false;
    }

    private static (Relation Rel, RelColumn Col) ResolveColumn(ColumnRef c, Scope scope)
    {
        if (TryResolveColumn(c, scope, out var found)) return found;
        var qualifier = c.Parts.Take(c.Parts.Count - 1).ToList();
        if (qualifier.Count > 0)
        {
            var rel = FindRelation(qualifier, scope, c.Pos);
            throw Err(c.Column.Pos, $"unknown column {c.Column} in {rel.Name}: its columns are {string.Join(", ", rel.Columns.Select(x => x.Name).Take(30))}");
        }
        var all = scope.Relations.SelectMany(r => r.Columns.Select(x => x.Name)).Distinct().Take(30);
        throw Err(c.Pos, $"unknown column {c.Column}: the tables of FROM have {string.Join(", ", all)}");
    }

    internal static string QuoteName(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    // ------------------------------------------------------------ aggregates

    private static readonly HashSet<string> Aggregates = ["COUNT", "SUM", "AVG", "MIN", "MAX"];

    private static bool ContainsAggregate(Expr e) => FindAggregate(e) is not null;

    /// <summary>The first aggregate call in <paramref name="e"/> (not looking into subqueries).</summary>
    private static Call? FindAggregate(Expr e) => e switch
    {
        Call c when Aggregates.Contains(c.Upper) => c,
        Call c => c.Args.Select(FindAggregate).FirstOrDefault(a => a is not null),
        Unary u => FindAggregate(u.Operand),
        Binary b => FindAggregate(b.Left) ?? FindAggregate(b.Right),
        Not n => FindAggregate(n.Operand),
        Between b => FindAggregate(b.Value) ?? FindAggregate(b.Low) ?? FindAggregate(b.High),
        InList i => FindAggregate(i.Value) ?? i.Items.Select(FindAggregate).FirstOrDefault(a => a is not null),
        InQuery i => FindAggregate(i.Value),
        Like l => FindAggregate(l.Value) ?? FindAggregate(l.Pattern),
        IsNull i => FindAggregate(i.Value),
        CaseExpr c => (c.Operand is { } o ? FindAggregate(o) : null)
            ?? c.Whens.Select(w => FindAggregate(w.When) ?? FindAggregate(w.Then)).FirstOrDefault(a => a is not null)
            ?? (c.Else is { } e2 ? FindAggregate(e2) : null),
        CastExpr c => FindAggregate(c.Value),
        _ => null,
    };
}
