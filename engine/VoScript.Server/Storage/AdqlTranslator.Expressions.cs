using System.Globalization;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Adql;

namespace VoScript.Server.Storage;

internal sealed partial class AdqlTranslator
{
    /// <summary>A translated value expression; <see cref="Field"/> is set when it is a plain column.</summary>
    private sealed record SqlValue(string Sql, Field? Field = null, StorageKind Kind = StorageKind.Native, string? XType = null);

    private static string Lit(double d) => "CAST(" + d.ToString("R", CultureInfo.InvariantCulture) + " AS DOUBLE)";

    private string Scalar(Expr e, Scope scope) => Value(e, scope).Sql;

    /// <summary>
    /// A WHERE/ON/HAVING condition. When <paramref name="zoneable"/> (WHERE, ON of an inner
    /// join), a top-level conjunct CONTAINS(POINT(a…), CIRCLE(b…, r)) = 1 between two tables
    /// becomes a zone join (<see cref="TryZoneJoin"/>).
    /// </summary>
    private string Condition(Expr e, Scope scope, bool zoneable = false)
    {
        if (!zoneable) return Value(e, scope).Sql;
        var conjuncts = new List<Expr>();
        void Split(Expr x)
        {
            if (x is Binary { Op: "AND" } b) { Split(b.Left); Split(b.Right); }
            else conjuncts.Add(x);
        }
        Split(e);
        var parts = new List<string>();
        foreach (var c in conjuncts)
        {
            parts.Add(Value(c, scope).Sql);
            if (TryZoneJoin(c, scope) is { } zone) parts.Add(zone);
        }
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")";
    }

    private SqlValue Value(Expr e, Scope scope)
    {
        StackGuard(e.Pos);
        switch (e)
        {
            case NumberLit n:
                if (n.IsInteger || (n.Text.StartsWith('-') && n.Text[1..].All(char.IsDigit)))
                    return long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                        ? new SqlValue(n.Text.StartsWith('-') ? "(" + n.Text + ")" : n.Text)
                        : new SqlValue(Lit(double.Parse(n.Text, CultureInfo.InvariantCulture)));
                return new SqlValue(Lit(double.Parse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture)));
            case StringLit s:
                return new SqlValue("'" + s.Value.Replace("'", "''") + "'");
            case NullLit:
                return new SqlValue("NULL");
            case BoolLit b:
                return new SqlValue(b.Value ? "TRUE" : "FALSE");
            case ColumnRef c:
            {
                if (!TryResolveColumn(c, scope, out var found))
                {
                    if (c.Parts.Count == 1)
                        for (var s = scope; s is not null; s = s.Parent)
                        {
                            var alias = s.OutputAliases.FirstOrDefault(a => c.Column.Matches(a.Name));
                            if (alias.Sql is not null) return new SqlValue(alias.Sql);
                        }
                    ResolveColumn(c, scope);
                }
                var (rel, col) = found;
                return new SqlValue(rel.SqlAlias + "." + col.Sql, col.Field, col.Kind, col.XType);
            }
            case Unary u:
                return new SqlValue("(-" + Numeric(u.Operand, scope) + ")");
            case Binary b:
                return Binary(b, scope);
            case Not n:
                return new SqlValue("(NOT " + Value(n.Operand, scope).Sql + ")");
            case Between bt:
                return new SqlValue($"({Scalar(bt.Value, scope)}{(bt.Negated ? " NOT" : "")} BETWEEN {Scalar(bt.Low, scope)} AND {Scalar(bt.High, scope)})");
            case InList il:
                return new SqlValue($"({Scalar(il.Value, scope)}{(il.Negated ? " NOT" : "")} IN ({string.Join(", ", il.Items.Select(i => Scalar(i, scope)))}))");
            case InQuery iq:
            {
                var sub = Query(iq.Query, scope, null);
                if (sub.Columns.Count != 1) throw Err(iq.Pos, $"the subquery of IN selects {sub.Columns.Count} columns; it must select one");
                return new SqlValue($"({Scalar(iq.Value, scope)}{(iq.Negated ? " NOT" : "")} IN ({sub.Sql}))");
            }
            case Like lk:
                return new SqlValue($"({Scalar(lk.Value, scope)}{(lk.Negated ? " NOT" : "")} {(lk.CaseInsensitive ? "ILIKE" : "LIKE")} {Scalar(lk.Pattern, scope)})");
            case IsNull isn:
                return new SqlValue($"({Scalar(isn.Value, scope)} IS {(isn.Negated ? "NOT " : "")}NULL)");
            case Exists ex:
                return new SqlValue("(EXISTS (" + Query(ex.Query, scope, null).Sql + "))");
            case ScalarQuery sq:
            {
                var sub = Query(sq.Query, scope, null);
                if (sub.Columns.Count != 1) throw Err(sq.Pos, $"a subquery used as a value selects {sub.Columns.Count} columns; it must select one");
                return new SqlValue("(" + sub.Sql + ")");
            }
            case CaseExpr ce:
            {
                var sb = new StringBuilder("(CASE");
                if (ce.Operand is { } op) sb.Append(' ').Append(Scalar(op, scope));
                foreach (var (w, t) in ce.Whens) sb.Append(" WHEN ").Append(Scalar(w, scope)).Append(" THEN ").Append(Scalar(t, scope));
                if (ce.Else is { } el) sb.Append(" ELSE ").Append(Scalar(el, scope));
                return new SqlValue(sb.Append(" END)").ToString());
            }
            case CastExpr ca:
                return new SqlValue($"CAST({Scalar(ca.Value, scope)} AS {CastType(ca)})");
            case Call call:
                return Function(call, scope);
            default:
                throw Err(e.Pos, "unsupported expression");
        }
    }

    private string Numeric(Expr e, Scope scope)
    {
        if (IsGeometryCall(e)) throw Err(e.Pos, $"{((Call)e).Upper} is a geometry, not a number: use it inside CONTAINS, INTERSECTS, DISTANCE, COORD1 or COORD2");
        return Scalar(e, scope);
    }

    private static string CastType(CastExpr ca)
    {
        var t = ca.TypeName;
        if (t.StartsWith("CHAR", StringComparison.Ordinal) || t.StartsWith("VARCHAR", StringComparison.Ordinal) || t.StartsWith("NATIONAL", StringComparison.Ordinal))
            return "VARCHAR";
        return t switch
        {
            "INTEGER" or "INT" => "INTEGER",
            "SMALLINT" => "SMALLINT",
            "BIGINT" => "BIGINT",
            "REAL" => "FLOAT",
            "DOUBLE PRECISION" or "DOUBLE" => "DOUBLE",
            "TIMESTAMP" => "TIMESTAMP",
            _ => throw Err(ca.TypePos, $"CAST to {t} is not supported: use INTEGER, SMALLINT, BIGINT, REAL, DOUBLE PRECISION, CHAR(n), VARCHAR(n) or TIMESTAMP"),
        };
    }

    private SqlValue Binary(Binary b, Scope scope)
    {
        switch (b.Op)
        {
            case "AND" or "OR":
                return new SqlValue($"({Value(b.Left, scope).Sql} {b.Op} {Value(b.Right, scope).Sql})");
            case "=" or "<>" or "<" or ">" or "<=" or ">=":
            {
                // CONTAINS(...) = 1, 1 = INTERSECTS(...), CONTAINS(...) = 0: the predicate itself, with its prefilter
                if (b.Op is "=" or "<>" && (IsPredicateCall(b.Left) || IsPredicateCall(b.Right)))
                {
                    var (call, other) = IsPredicateCall(b.Left) ? ((Call)b.Left, b.Right) : ((Call)b.Right, b.Left);
                    if (other is NumberLit { Text: "1" or "0" } n)
                    {
                        var positive = (n.Text == "1") == (b.Op == "=");
                        var pred = GeometryPredicate(call, scope);
                        return new SqlValue(positive ? pred : "(NOT " + pred + ")");
                    }
                }
                if (DistancePredicate(b, scope) is { } near) return new SqlValue(near);
                return new SqlValue($"({Numeric(b.Left, scope)} {b.Op} {Numeric(b.Right, scope)})");
            }
            case "/" when IsIntegerExpr(b.Left, scope) && IsIntegerExpr(b.Right, scope):
                // integer / integer is an integer, truncated towards zero (as in SQL and PostgreSQL)
                return new SqlValue($"({Numeric(b.Left, scope)} // {Numeric(b.Right, scope)})");
            case "||":
                return new SqlValue($"(CAST({Scalar(b.Left, scope)} AS VARCHAR) || CAST({Scalar(b.Right, scope)} AS VARCHAR))");
            case "/":
            default:
                return new SqlValue($"({Numeric(b.Left, scope)} {b.Op} {Numeric(b.Right, scope)})");
        }
    }

    /// <summary>Whether <paramref name="e"/> certainly has an integer type (literals, integer columns, and arithmetic or COUNT of them).</summary>
    private static bool IsIntegerExpr(Expr e, Scope scope) => e switch
    {
        NumberLit n => n.IsInteger || (n.Text.StartsWith('-') && n.Text[1..].All(char.IsDigit)),
        ColumnRef c => TryResolveColumn(c, scope, out var f) && f.Col.Kind == StorageKind.Native && f.Col.Field is { } fd
            && fd.ArraySize.IsScalar && fd.DataType.IsInteger(),
        Unary u => IsIntegerExpr(u.Operand, scope),
        Binary { Op: "+" or "-" or "*" or "/" } b => IsIntegerExpr(b.Left, scope) && IsIntegerExpr(b.Right, scope),
        Call { Upper: "COUNT" } => true,
        Call { Upper: "MOD" or "ABS", Args.Count: >= 1 } c => c.Args.All(a => IsIntegerExpr(a, scope)),
        _ => false,
    };

    // ------------------------------------------------------------ functions

    private static readonly Dictionary<string, (string Sql, int MinArgs, int MaxArgs)> SimpleFunctions = new()
    {
        ["ABS"] = ("abs", 1, 1), ["CEILING"] = ("ceil", 1, 1), ["CEIL"] = ("ceil", 1, 1), ["DEGREES"] = ("degrees", 1, 1),
        ["EXP"] = ("exp", 1, 1), ["FLOOR"] = ("floor", 1, 1), ["LOG"] = ("ln", 1, 1), ["LOG10"] = ("log10", 1, 1),
        ["PI"] = ("pi", 0, 0), ["POWER"] = ("pow", 2, 2), ["RADIANS"] = ("radians", 1, 1), ["SQRT"] = ("sqrt", 1, 1),
        ["SIN"] = ("sin", 1, 1), ["COS"] = ("cos", 1, 1), ["TAN"] = ("tan", 1, 1), ["COT"] = ("cot", 1, 1),
        ["ASIN"] = ("asin", 1, 1), ["ACOS"] = ("acos", 1, 1), ["ATAN"] = ("atan", 1, 1), ["ATAN2"] = ("atan2", 2, 2),
        ["LOWER"] = ("lower", 1, 1), ["UPPER"] = ("upper", 1, 1), ["COALESCE"] = ("coalesce", 1, int.MaxValue),
        ["MIN"] = ("min", 1, 1), ["MAX"] = ("max", 1, 1), ["SUM"] = ("sum", 1, 1), ["AVG"] = ("avg", 1, 1),
    };

    private const string SupportedFunctions =
        "ABS, ACOS, ASIN, ATAN, ATAN2, AVG, CEILING, COALESCE, COS, COT, COUNT, DEGREES, EXP, FLOOR, LOG, LOG10, LOWER, " +
        "MAX, MIN, MOD, PI, POWER, RADIANS, RAND, ROUND, SIN, SQRT, SUM, TAN, TRIM, TRUNCATE, UPPER, " +
        "POINT, CIRCLE, BOX, POLYGON, CONTAINS, INTERSECTS, DISTANCE, COORD1, COORD2, COORDSYS";

    private SqlValue Function(Call call, Scope scope)
    {
        var name = call.Upper;
        void Arity(int min, int max)
        {
            if (call.Args.Count < min || call.Args.Count > max)
                throw Err(call.Pos, $"{name} takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : max == int.MaxValue ? "at least " + min : min + " to " + max)} argument{(max == 1 ? "" : "s")}, not {call.Args.Count}");
        }
        if (call.Distinct && name is not ("COUNT" or "SUM" or "AVG" or "MIN" or "MAX"))
            throw Err(call.Pos, $"DISTINCT is only allowed in aggregate functions, not in {name}");
        if (call.Star && name != "COUNT") throw Err(call.Pos, $"{name}(*) is not allowed; only COUNT(*)");
        if (SimpleFunctions.TryGetValue(name, out var f))
        {
            Arity(f.MinArgs, f.MaxArgs);
            var args = call.Args.Select(a => Numeric(a, scope));
            if (name is "SUM" or "AVG" or "MIN" or "MAX" && call.Args.Any(ContainsAggregate))
                throw Err(call.Pos, $"aggregate functions cannot be nested ({name} of an aggregate)");
            return new SqlValue(f.Sql + "(" + (call.Distinct ? "DISTINCT " : "") + string.Join(", ", args) + ")");
        }
        switch (name)
        {
            case "COUNT":
                if (call.Star) return new SqlValue("count(*)");
                Arity(1, 1);
                return new SqlValue("count(" + (call.Distinct ? "DISTINCT " : "") + Scalar(call.Args[0], scope) + ")");
            case "MOD":
                Arity(2, 2);
                return new SqlValue($"({Numeric(call.Args[0], scope)} % {Numeric(call.Args[1], scope)})");
            case "RAND":
                Arity(0, 1);
                return new SqlValue("random()");
            case "ROUND":
                Arity(1, 2);
                return new SqlValue(call.Args.Count == 1
                    ? $"round({Numeric(call.Args[0], scope)})"
                    : $"round({Numeric(call.Args[0], scope)}, CAST({Numeric(call.Args[1], scope)} AS INTEGER))");
            case "TRUNCATE":
            {
                Arity(1, 2);
                var x = Numeric(call.Args[0], scope);
                if (call.Args.Count == 1) return new SqlValue($"trunc({x})");
                var p = $"pow(10, CAST({Numeric(call.Args[1], scope)} AS INTEGER))";
                return new SqlValue($"(trunc({x} * {p}) / {p})");
            }
            case "TRIM":
                Arity(1, 1);
                return new SqlValue($"trim({Scalar(call.Args[0], scope)})");
            case "CONTAINS" or "INTERSECTS":
                return new SqlValue($"(CASE WHEN {GeometryPredicate(call, scope)} THEN 1 ELSE 0 END)");
            case "DISTANCE":
                return new SqlValue(Distance(call, scope));
            case "COORD1" or "COORD2":
            {
                Arity(1, 1);
                var p = Geometry(call.Args[0], scope) as GPoint
                    ?? throw Err(call.Args[0].Pos, $"{name} takes a POINT");
                return new SqlValue(name == "COORD1" ? p.Ra : p.Dec);
            }
            case "COORDSYS":
                Arity(1, 1);
                Geometry(call.Args[0], scope);
                return new SqlValue("'ICRS'");
            case "POINT" or "CIRCLE" or "BOX" or "POLYGON":
                return GeometryValue(call, scope);
        }
        if (name.StartsWith("IVO_", StringComparison.Ordinal) || name.StartsWith("GAVO_", StringComparison.Ordinal))
            throw Err(call.Pos, $"the user-defined function {call.Name.Name} is not available in this service (it declares no UDFs)");
        if (name is "REGION" or "CENTROID" or "AREA")
            throw Err(call.Pos, $"{name} is not supported by this service: use POINT, CIRCLE, BOX or POLYGON with CONTAINS, INTERSECTS or DISTANCE");
        if (name is "IN_UNIT")
            throw Err(call.Pos, "IN_UNIT is not supported by this service: convert the value with arithmetic");
        throw Err(call.Pos, $"unknown function {call.Name.Name}: supported functions are {SupportedFunctions}");
    }
}
