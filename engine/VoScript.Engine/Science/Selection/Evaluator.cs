using System.Globalization;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Selection;

/// <summary>
/// A column of values computed from an expression. Numbers are doubles with NaN for null;
/// true/false values are bytes (0 false, 1 true, 2 null); texts are strings (null for null).
/// </summary>
internal abstract class Vector
{
    public abstract int Count { get; }
}

internal sealed class NumberVector(double[] values, long[]? exact = null) : Vector
{
    public double[] Values { get; } = values;

    /// <summary>The exact integers when the values come from an integer column or constant (ids above 2^53 compare exactly).</summary>
    public long[]? Exact { get; } = exact;
    public override int Count => Values.Length;
}

internal sealed class BoolVector(byte[] values) : Vector
{
    public const byte False = 0, True = 1, Null = 2;
    public byte[] Values { get; } = values;
    public override int Count => Values.Length;
}

internal sealed class TextVector(string?[] values) : Vector
{
    public string?[] Values { get; } = values;
    public override int Count => Values.Length;
}

/// <summary>
/// Evaluates expressions a whole column at a time, with SQL-like nulls: arithmetic, comparisons and
/// functions with a null argument give null (except <c>isnull</c>, <c>coalesce</c>, <c>if</c>);
/// <c>and</c>/<c>or</c> use three-valued logic (null and false = false, null or true = true);
/// aggregates skip nulls. Units are converted where the checker found two that mix
/// (<c>separation(…) &lt; 2 arcsec</c> compares in degrees).
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="expr"/> over <paramref name="table"/>; throws <see cref="VoScriptException"/> with the checker's messages if it does not fit the table.</summary>
    public static Vector Evaluate(Expr expr, Table table)
    {
        var check = ExpressionChecker.Check(expr, table.Fields.ToList());
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        return new Scope(table, check, null).Eval(expr, false);
    }

    /// <summary>
    /// Evaluates a group expression (aggregates over each group's rows, keys by their value): one value per group of <paramref name="groups"/>.
    /// <paramref name="check"/> is the expression's check in <see cref="ExprContext.Group"/>.
    /// </summary>
    public static Vector EvaluateGroups(Expr expr, Table table, Grouping groups, ExprCheck check)
    {
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        return new Scope(table, check, groups).Eval(expr, true);
    }

    /// <summary>
    /// <c>mean_position(ra, dec)</c> of each group as two vectors (RA and Dec, degrees), computed in one pass;
    /// <paramref name="check"/> is the check of <paramref name="call"/> in the group context.
    /// </summary>
    public static (Vector Ra, Vector Dec) EvaluateMeanPosition(Call call, Table table, Grouping groups, ExprCheck check)
    {
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        var (ra, dec) = new Scope(table, check, groups).MeanPosition(call);
        return (new NumberVector(ra), new NumberVector(dec));
    }

    /// <summary>Evaluates an already checked row expression.</summary>
    internal static Vector EvaluateChecked(Expr expr, Table table, ExprCheck check) => new Scope(table, check, null).Eval(expr, false);

    /// <summary>The spherical mean of each group's positions (mean of unit vectors), in degrees; NaN for a group without positions.</summary>
    public static (double[] Ra, double[] Dec) MeanPositions(double[] ra, double[] dec, Grouping groups)
    {
        var g = groups.Count;
        var x = new double[g]; var y = new double[g]; var z = new double[g]; var cnt = new int[g];
        const double r = Math.PI / 180;
        for (var i = 0; i < ra.Length; i++)
        {
            if (double.IsNaN(ra[i]) || double.IsNaN(dec[i])) continue;
            var k = groups.GroupOf[i];
            var cd = Math.Cos(dec[i] * r);
            x[k] += cd * Math.Cos(ra[i] * r); y[k] += cd * Math.Sin(ra[i] * r); z[k] += Math.Sin(dec[i] * r);
            cnt[k]++;
        }
        var mra = new double[g]; var mdec = new double[g];
        for (var k = 0; k < g; k++)
        {
            if (cnt[k] == 0) { mra[k] = mdec[k] = double.NaN; continue; }
            var a = Math.Atan2(y[k], x[k]) / r;
            mra[k] = a < 0 ? a + 360 : a;
            mdec[k] = Math.Atan2(z[k], Math.Sqrt(x[k] * x[k] + y[k] * y[k])) / r;
        }
        return (mra, mdec);
    }

    private static byte[] Filled(int n, byte v)
    {
        var a = new byte[n];
        Array.Fill(a, v);
        return a;
    }

    internal static double[] AsNumber(Vector v, int n) => v switch
    {
        NumberVector nv => nv.Values,
        _ => Enumerable.Repeat(double.NaN, n).ToArray(), // the null literal
    };

    internal static byte[] AsBool(Vector v, int n) => v switch
    {
        BoolVector bv => bv.Values,
        _ => Filled(n, BoolVector.Null),
    };

    internal static string?[] AsText(Vector v, int n) => v switch
    {
        TextVector tv => tv.Values,
        _ => new string?[n],
    };

    private static bool IsNullAt(Vector v, int i) => v switch
    {
        NumberVector nv => double.IsNaN(nv.Values[i]),
        TextVector tv => tv.Values[i] is null,
        BoolVector bv => bv.Values[i] == BoolVector.Null,
        _ => true,
    };

    private sealed class Scope(Table table, ExprCheck check, Grouping? groups)
    {
        private readonly int _rows = table.RowCount;
        private readonly Dictionary<string, Vector> _columns = new(StringComparer.Ordinal);

        private double Factor(Expr from, Expr to) => UnitTable.Factor(check.UnitOf(from), check.UnitOf(to)) ?? 1;

        private double ToDegrees(Expr e) => UnitTable.Factor(check.UnitOf(e), "deg") ?? 1;

        private static NumberVector Scale(NumberVector v, double f)
        {
            if (f == 1) return v;
            var r = new double[v.Count];
            for (var i = 0; i < r.Length; i++) r[i] = v.Values[i] * f;
            return new NumberVector(r);
        }

        private Vector Scale(Vector v, double f) => v is NumberVector nv ? Scale(nv, f) : v;

        public Vector Eval(Expr e, bool groupLevel)
        {
            var n = groupLevel ? groups!.Count : _rows;
            switch (e)
            {
                case ColumnRef c:
                    {
                        var v = Column(c.Name);
                        return groupLevel ? Gather(v, groups!.FirstRow) : v;
                    }
                case Literal { Name: { } name } l when table.FindColumn(name) is not null:
                    // a param or let value named like a column of this table: the column wins (as the checker decided)
                    return Eval(new ColumnRef(name) { Span = l.Span }, groupLevel);
                case Literal l:
                    return l.Value switch
                    {
                        null => new BoolVector(Filled(n, BoolVector.Null)),
                        string s => new TextVector(Enumerable.Repeat<string?>(s, n).ToArray()),
                        bool b => new BoolVector(Filled(n, b ? BoolVector.True : BoolVector.False)),
                        long v => new NumberVector(Enumerable.Repeat((double)v, n).ToArray(), Enumerable.Repeat(v, n).ToArray()),
                        int v => new NumberVector(Enumerable.Repeat((double)v, n).ToArray(), Enumerable.Repeat((long)v, n).ToArray()),
                        _ => new NumberVector(Enumerable.Repeat(Convert.ToDouble(l.Value, CultureInfo.InvariantCulture), n).ToArray()),
                    };
                case Unary { Op: UnaryOp.Not } u:
                    {
                        var b = AsBool(Eval(u.Operand, groupLevel), n);
                        var r = new byte[n];
                        for (var i = 0; i < n; i++) r[i] = b[i] == BoolVector.Null ? BoolVector.Null : (byte)(1 - b[i]);
                        return new BoolVector(r);
                    }
                case Unary u:
                    {
                        var v = AsNumber(Eval(u.Operand, groupLevel), n);
                        var r = new double[n];
                        for (var i = 0; i < n; i++) r[i] = -v[i];
                        return new NumberVector(r);
                    }
                case Binary b:
                    {
                        var left = Eval(b.Left, groupLevel);
                        var right = Eval(b.Right, groupLevel);
                        if (b.Op is not (BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.And or BinaryOp.Or))
                            right = Scale(right, Factor(b.Right, b.Left));
                        return EvalBinary(b, left, right, n);
                    }
                case Call { Host: { } host } hc:
                    return EvalHost(host, hc.Args.Select(a => Eval(a, groupLevel)).ToArray(), n);
                case Call c when Functions.IsAggregate(c.Function.ToLowerInvariant(), c.Args.Count):
                    return groups is null ? CountPerObject(c) : Aggregate(c);
                case Call c:
                    return EvalCall(c, c.Function.ToLowerInvariant(), groupLevel, n);
            }
            throw new InvalidOperationException($"unchecked expression {e}");
        }

        private Vector Column(string name)
        {
            var col = table.FindColumn(name)!;
            if (_columns.TryGetValue(col.Name, out var cached)) return cached;
            return _columns[col.Name] = Read(col);
        }

        private static Vector Read(Column col)
        {
            var n = col.Count;
            if (col is StringColumn sc)
            {
                if (sc.Nulls is null) return new TextVector(sc.Values);
                var s = new string?[n];
                for (var i = 0; i < n; i++) s[i] = sc[i];
                return new TextVector(s);
            }
            if (col.Field.IsString)
            {
                var s = new string?[n];
                for (var i = 0; i < n; i++) s[i] = col.IsNull(i) ? null : col.FormatCell(i);
                return new TextVector(s);
            }
            if (col is ScalarColumn<bool> bc)
            {
                var b = new byte[n];
                for (var i = 0; i < n; i++) b[i] = bc.IsNull(i) ? BoolVector.Null : bc.Values[i] ? BoolVector.True : BoolVector.False;
                return new BoolVector(b);
            }
            var v = new double[n];
            long[]? exact = null;
            switch (col)
            {
                case ScalarColumn<double> dc: Array.Copy(dc.Values, v, n); break;
                case ScalarColumn<float> fc: for (var i = 0; i < n; i++) v[i] = fc.Values[i]; break;
                case ScalarColumn<long> or ScalarColumn<int> or ScalarColumn<short> or ScalarColumn<byte>:
                    exact = Grouping.Longs(col);
                    for (var i = 0; i < n; i++) v[i] = exact[i];
                    break;
                default: for (var i = 0; i < n; i++) v[i] = col.GetDouble(i); break;
            }
            if (col.Nulls is not null) for (var i = 0; i < n; i++) if (col.IsNull(i)) v[i] = double.NaN;
            return new NumberVector(v, exact);
        }

        private static Vector Gather(Vector v, int[] rows)
        {
            switch (v)
            {
                case NumberVector nv:
                    {
                        var r = new double[rows.Length];
                        var ex = nv.Exact is null ? null : new long[rows.Length];
                        for (var i = 0; i < rows.Length; i++) { r[i] = nv.Values[rows[i]]; if (ex is not null) ex[i] = nv.Exact![rows[i]]; }
                        return new NumberVector(r, ex);
                    }
                case TextVector tv:
                    {
                        var r = new string?[rows.Length];
                        for (var i = 0; i < rows.Length; i++) r[i] = tv.Values[rows[i]];
                        return new TextVector(r);
                    }
                default:
                    {
                        var b = ((BoolVector)v).Values;
                        var r = new byte[rows.Length];
                        for (var i = 0; i < rows.Length; i++) r[i] = b[rows[i]];
                        return new BoolVector(r);
                    }
            }
        }

        /// <summary><c>count()</c> outside group: the rows of the same object (object_id, group_id or the meta.id;meta.main column).</summary>
        private Vector CountPerObject(Call c)
        {
            var obj = table.FindColumn(ExpressionChecker.ObjectColumn(table.Fields.ToList())!.Name)!;
            var g = Grouping.Build([obj], _rows);
            var cond = c.Args.Count == 1 ? AsBool(Eval(c.Args[0], false), _rows) : null;
            var counts = new long[g.Count];
            for (var i = 0; i < _rows; i++)
                if (cond is null || cond[i] == BoolVector.True) counts[g.GroupOf[i]]++;
            var r = new double[_rows];
            var ex = new long[_rows];
            for (var i = 0; i < _rows; i++) r[i] = ex[i] = counts[g.GroupOf[i]];
            return new NumberVector(r, ex);
        }

        /// <summary>The spherical mean position of each group, from the call's two arguments (RA, Dec).</summary>
        public (double[] Ra, double[] Dec) MeanPosition(Call c)
        {
            var ra = Scale((NumberVector)Numeric(Eval(c.Args[0], false)), ToDegrees(c.Args[0])).Values;
            var dec = Scale((NumberVector)Numeric(Eval(c.Args[1], false)), ToDegrees(c.Args[1])).Values;
            return MeanPositions(ra, dec, groups!);
        }

        private Vector Aggregate(Call c)
        {
            var g = groups!;
            var k = g.Count;
            var name = c.Function.ToLowerInvariant();
            switch (name)
            {
                case "count":
                    {
                        var cond = c.Args.Count == 1 ? AsBool(Eval(c.Args[0], false), _rows) : null;
                        var counts = new long[k];
                        for (var i = 0; i < _rows; i++)
                            if (cond is null || cond[i] == BoolVector.True) counts[g.GroupOf[i]]++;
                        return new NumberVector(counts.Select(x => (double)x).ToArray(), counts);
                    }
                case "mean_ra" or "mean_dec" or "mean_position":
                    {
                        var (mra, mdec) = MeanPosition(c);
                        return new NumberVector(name == "mean_dec" ? mdec : mra);
                    }
                case "first":
                    return Gather(Eval(c.Args[0], false), g.FirstRow);
            }
            var arg = Eval(c.Args[0], false);
            if (arg is TextVector tv) return TextMinMax(tv.Values, g, name == "min");
            var v = AsNumber(arg, _rows);
            var exact = (arg as NumberVector)?.Exact;
            switch (name)
            {
                case "sum" or "mean" or "std":
                    {
                        var sum = new double[k]; var cnt = new long[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            sum[gi] += v[i]; cnt[gi]++;
                        }
                        var r = new double[k];
                        if (name == "sum") { for (var j = 0; j < k; j++) r[j] = cnt[j] == 0 ? double.NaN : sum[j]; return new NumberVector(r); }
                        for (var j = 0; j < k; j++) r[j] = cnt[j] == 0 ? double.NaN : sum[j] / cnt[j];
                        if (name == "mean") return new NumberVector(r);
                        var ss = new double[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            var d = v[i] - r[gi];
                            ss[gi] += d * d;
                        }
                        var s = new double[k];
                        for (var j = 0; j < k; j++) s[j] = cnt[j] < 2 ? double.NaN : Math.Sqrt(ss[j] / (cnt[j] - 1));
                        return new NumberVector(s);
                    }
                case "median":
                    {
                        var order = g.Order; var offsets = g.Offsets;
                        var r = new double[k];
                        var buffer = new double[16];
                        for (var j = 0; j < k; j++)
                        {
                            var m = 0;
                            var len = offsets[j + 1] - offsets[j];
                            if (buffer.Length < len) buffer = new double[len];
                            for (var p = offsets[j]; p < offsets[j + 1]; p++) if (!double.IsNaN(v[order[p]])) buffer[m++] = v[order[p]];
                            if (m == 0) { r[j] = double.NaN; continue; }
                            Array.Sort(buffer, 0, m);
                            r[j] = m % 2 == 1 ? buffer[m / 2] : (buffer[m / 2 - 1] + buffer[m / 2]) / 2;
                        }
                        return new NumberVector(r);
                    }
                default: // min, max
                    {
                        var min = name == "min";
                        var r = new double[k];
                        Array.Fill(r, double.NaN);
                        var ex = exact is null ? null : new long[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            var better = double.IsNaN(r[gi]) || (ex is not null
                                ? (min ? exact![i] < ex[gi] : exact![i] > ex[gi])
                                : (min ? v[i] < r[gi] : v[i] > r[gi]));
                            if (!better) continue;
                            r[gi] = v[i];
                            if (ex is not null) ex[gi] = exact![i];
                        }
                        return new NumberVector(r, ex);
                    }
            }
        }

        private static Vector Numeric(Vector v) => v is NumberVector ? v : new NumberVector(AsNumber(v, v.Count));

        private static TextVector TextMinMax(string?[] v, Grouping g, bool min)
        {
            var r = new string?[g.Count];
            for (var i = 0; i < v.Length; i++)
            {
                if (v[i] is not { } s) continue;
                var gi = g.GroupOf[i];
                if (r[gi] is null || (min ? string.CompareOrdinal(s, r[gi]) < 0 : string.CompareOrdinal(s, r[gi]) > 0)) r[gi] = s;
            }
            return new TextVector(r);
        }

        private Vector EvalCall(Call c, string name, bool groupLevel, int n)
        {
            var args = c.Args.Select(a => Eval(a, groupLevel)).ToArray();
            switch (name)
            {
                case "abs": return Map(args[0], n, Math.Abs);
                case "floor": return Map(args[0], n, Math.Floor);
                case "ceil": return Map(args[0], n, Math.Ceiling);
                case "sqrt": return Map(args[0], n, x => x < 0 ? double.NaN : Math.Sqrt(x));
                case "exp": return Map(args[0], n, Math.Exp);
                case "ln": return Map(args[0], n, x => x <= 0 ? double.NaN : Math.Log(x));
                case "log10": return Map(args[0], n, x => x <= 0 ? double.NaN : Math.Log10(x));
                case "round":
                    {
                        var x = AsNumber(args[0], n);
                        var d = args.Length > 1 ? AsNumber(args[1], n) : null;
                        var r = new double[n];
                        for (var i = 0; i < n; i++)
                        {
                            var digits = d is null ? 0 : d[i];
                            r[i] = double.IsNaN(digits) ? double.NaN
                                : digits is >= 0 and <= 15 ? Math.Round(x[i], (int)digits, MidpointRounding.AwayFromZero)
                                : Math.Round(x[i] * Math.Pow(10, digits), MidpointRounding.AwayFromZero) / Math.Pow(10, digits);
                        }
                        return new NumberVector(r);
                    }
                case "pow": return Map2(args[0], args[1], n, Math.Pow);
                case "atan2": return Map2(args[0], args[1], n, (y, x) => Math.Atan2(y, x) * 180 / Math.PI);
                case "sin" or "cos" or "tan":
                    {
                        var f = ToDegrees(c.Args[0]) * Math.PI / 180;
                        Func<double, double> fn = name == "sin" ? Math.Sin : name == "cos" ? Math.Cos : Math.Tan;
                        return Map(args[0], n, x => fn(x * f));
                    }
                case "asin": return Map(args[0], n, x => Math.Asin(x) * 180 / Math.PI);
                case "acos": return Map(args[0], n, x => Math.Acos(x) * 180 / Math.PI);
                case "atan": return Map(args[0], n, x => Math.Atan(x) * 180 / Math.PI);
                case "separation":
                    {
                        var a = new double[4][];
                        for (var k = 0; k < 4; k++) a[k] = Scale((NumberVector)Numeric(args[k]), ToDegrees(c.Args[k])).Values;
                        var r = new double[n];
                        for (var i = 0; i < n; i++) r[i] = Angles.Separation(a[0][i], a[1][i], a[2][i], a[3][i]);
                        return new NumberVector(r);
                    }
                case "min" or "max":
                    {
                        for (var k = 1; k < args.Length; k++) args[k] = Scale(args[k], Factor(c.Args[k], c.Args[0]));
                        if (args.Any(a => a is TextVector))
                        {
                            var r = new string?[n];
                            var t = args.Select(a => AsText(a, n)).ToArray();
                            for (var i = 0; i < n; i++)
                            {
                                string? best = t[0][i];
                                for (var k = 1; k < t.Length && best is not null; k++)
                                    best = t[k][i] is not { } s ? null : (name == "min" ? string.CompareOrdinal(s, best) < 0 : string.CompareOrdinal(s, best) > 0) ? s : best;
                                r[i] = best;
                            }
                            return new TextVector(r);
                        }
                        var nums = args.Select(a => AsNumber(a, n)).ToArray();
                        var o = new double[n];
                        for (var i = 0; i < n; i++)
                        {
                            var best = nums[0][i];
                            for (var k = 1; k < nums.Length; k++) best = name == "min" ? Math.Min(best, nums[k][i]) : Math.Max(best, nums[k][i]);
                            o[i] = best; // Math.Min/Max give NaN when either is NaN: nulls propagate
                        }
                        return new NumberVector(o);
                    }
                case "coalesce":
                    for (var k = 1; k < args.Length; k++) args[k] = Scale(args[k], Factor(c.Args[k], c.Args[0]));
                    return Choose(args, n, (i, k) => !IsNullAt(args[k], i) ? k : k == args.Length - 1 ? k : -1);
                case "if":
                    {
                        args[2] = Scale(args[2], Factor(c.Args[2], c.Args[1]));
                        var cond = AsBool(args[0], n);
                        var branches = new[] { args[1], args[2] };
                        return Choose(branches, n, (i, k) => k == 0 ? (cond[i] == BoolVector.True ? 0 : -1) : 1);
                    }
                case "isnull":
                    {
                        var r = new byte[n];
                        for (var i = 0; i < n; i++) r[i] = IsNullAt(args[0], i) ? BoolVector.True : BoolVector.False;
                        return new BoolVector(r);
                    }
                case "lower" or "upper":
                    {
                        var t = AsText(args[0], n);
                        var r = new string?[n];
                        for (var i = 0; i < n; i++) r[i] = t[i] is null ? null : name == "lower" ? t[i]!.ToLowerInvariant() : t[i]!.ToUpperInvariant();
                        return new TextVector(r);
                    }
                case "contains" or "startswith":
                    {
                        var t = AsText(args[0], n); var p = AsText(args[1], n);
                        var r = new byte[n];
                        for (var i = 0; i < n; i++)
                            r[i] = t[i] is null || p[i] is null ? BoolVector.Null
                                : (name == "contains" ? t[i]!.Contains(p[i]!, StringComparison.Ordinal) : t[i]!.StartsWith(p[i]!, StringComparison.Ordinal)) ? BoolVector.True : BoolVector.False;
                        return new BoolVector(r);
                    }
                case "concat":
                    {
                        var r = new string?[n];
                        var sb = new System.Text.StringBuilder();
                        for (var i = 0; i < n; i++)
                        {
                            sb.Clear();
                            var isNull = false;
                            foreach (var a in args)
                            {
                                if (IsNullAt(a, i)) { isNull = true; break; }
                                sb.Append(a switch
                                {
                                    TextVector tv => tv.Values[i],
                                    NumberVector { Exact: { } ex } => ex[i].ToString(CultureInfo.InvariantCulture),
                                    NumberVector nv => nv.Values[i].ToString("R", CultureInfo.InvariantCulture),
                                    BoolVector bv => bv.Values[i] == BoolVector.True ? "true" : "false",
                                    _ => "",
                                });
                            }
                            r[i] = isNull ? null : sb.ToString();
                        }
                        return new TextVector(r);
                    }
                case "mag_to_jy" or "jy_to_mag":
                    {
                        var toJy = name == "mag_to_jy";
                        var x = toJy ? AsNumber(args[0], n) : Scale((NumberVector)Numeric(args[0]), UnitTable.Factor(check.UnitOf(c.Args[0]), "Jy") ?? 1).Values;
                        var bands = AsText(args[1], n);
                        var r = new double[n];
                        var cache = new Dictionary<string, Science.Photometry.Band>(StringComparer.Ordinal);
                        for (var i = 0; i < n; i++)
                        {
                            if (double.IsNaN(x[i]) || bands[i] is not { } bn) { r[i] = double.NaN; continue; }
                            if (!cache.TryGetValue(bn, out var band))
                                cache[bn] = band = BandTable.Find(bn)
                                    ?? throw new VoScriptException($"{name}: unknown band \"{bn}\"{BandTable.DidYouMean(bn)}; bands are {string.Join(", ", BandTable.Names)}");
                            r[i] = toJy ? BandTable.ToJy(x[i], band) : BandTable.ToMag(x[i], band);
                        }
                        return new NumberVector(r);
                    }
            }
            throw new InvalidOperationException($"unchecked function {name}");
        }

        /// <summary>Per row, the value of the first vector <paramref name="pick"/> takes (it returns -1 to try the next vector).</summary>
        private static Vector Choose(Vector[] options, int n, Func<int, int, int> pick)
        {
            int Pick(int i)
            {
                for (var k = 0; k < options.Length; k++) if (pick(i, k) is var p and >= 0) return p;
                return options.Length - 1;
            }
            if (options.Any(o => o is NumberVector))
            {
                var nums = options.Select(o => AsNumber(o, n)).ToArray();
                var exact = options.All(o => o is NumberVector { Exact: not null } || o is BoolVector) ? options.Select(o => (o as NumberVector)?.Exact).ToArray() : null;
                var r = new double[n];
                var ex = exact is null ? null : new long[n];
                for (var i = 0; i < n; i++) { var k = Pick(i); r[i] = nums[k][i]; if (ex is not null) ex[i] = exact![k]?[i] ?? 0; }
                return new NumberVector(r, ex);
            }
            if (options.Any(o => o is TextVector))
            {
                var t = options.Select(o => AsText(o, n)).ToArray();
                var r = new string?[n];
                for (var i = 0; i < n; i++) r[i] = t[Pick(i)][i];
                return new TextVector(r);
            }
            var b = options.Select(o => AsBool(o, n)).ToArray();
            var o2 = new byte[n];
            for (var i = 0; i < n; i++) o2[i] = b[Pick(i)][i];
            return new BoolVector(o2);
        }

        private static NumberVector Map(Vector v, int n, Func<double, double> f)
        {
            var x = AsNumber(v, n);
            var r = new double[n];
            for (var i = 0; i < n; i++) r[i] = double.IsNaN(x[i]) ? double.NaN : f(x[i]);
            return new NumberVector(r);
        }

        private static NumberVector Map2(Vector a, Vector b, int n, Func<double, double, double> f)
        {
            var x = AsNumber(a, n); var y = AsNumber(b, n);
            var r = new double[n];
            for (var i = 0; i < n; i++) r[i] = double.IsNaN(x[i]) || double.IsNaN(y[i]) ? double.NaN : f(x[i], y[i]);
            return new NumberVector(r);
        }
    }

    /// <summary>A host function, row by row: arguments as double, string or bool (null for null); the result as its declared type.</summary>
    private static Vector EvalHost(HostFunction f, Vector[] args, int n)
    {
        var results = new object?[n];
        for (var i = 0; i < n; i++)
        {
            var row = new object?[args.Length];
            for (var k = 0; k < args.Length; k++)
                row[k] = args[k] switch
                {
                    NumberVector v => double.IsNaN(v.Values[i]) ? null : v.Values[i],
                    TextVector v => v.Values[i],
                    BoolVector v => v.Values[i] == BoolVector.Null ? null : v.Values[i] == BoolVector.True,
                    _ => null,
                };
            results[i] = f.Invoke(row);
        }
        switch (f.Result)
        {
            case ExprType.Text:
                return new TextVector(results.Select(r => r?.ToString()).ToArray());
            case ExprType.Boolean:
                return new BoolVector(results.Select(r => r is bool b ? (b ? BoolVector.True : BoolVector.False) : BoolVector.Null).ToArray());
            default:
                return new NumberVector(results.Select(r => r is null ? double.NaN : Convert.ToDouble(r, CultureInfo.InvariantCulture)).ToArray());
        }
    }

    private static Vector EvalBinary(Binary b, Vector l, Vector r, int n)
    {
        switch (b.Op)
        {
            case BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide:
                {
                    var x = AsNumber(l, n); var y = AsNumber(r, n);
                    var o = new double[n];
                    switch (b.Op)
                    {
                        case BinaryOp.Add: for (var i = 0; i < n; i++) o[i] = x[i] + y[i]; break;
                        case BinaryOp.Subtract: for (var i = 0; i < n; i++) o[i] = x[i] - y[i]; break;
                        case BinaryOp.Multiply: for (var i = 0; i < n; i++) o[i] = x[i] * y[i]; break;
                        default: for (var i = 0; i < n; i++) o[i] = y[i] == 0 ? double.NaN : x[i] / y[i]; break;
                    }
                    return new NumberVector(o);
                }
            case BinaryOp.And or BinaryOp.Or:
                {
                    var x = AsBool(l, n); var y = AsBool(r, n);
                    var o = new byte[n];
                    var and = b.Op == BinaryOp.And;
                    for (var i = 0; i < n; i++)
                    {
                        byte a = x[i], c = y[i];
                        if (and) o[i] = a == BoolVector.False || c == BoolVector.False ? BoolVector.False : a == BoolVector.Null || c == BoolVector.Null ? BoolVector.Null : BoolVector.True;
                        else o[i] = a == BoolVector.True || c == BoolVector.True ? BoolVector.True : a == BoolVector.Null || c == BoolVector.Null ? BoolVector.Null : BoolVector.False;
                    }
                    return new BoolVector(o);
                }
            default:
                {
                    var o = new byte[n];
                    if (l is TextVector || r is TextVector)
                    {
                        var x = AsText(l, n); var y = AsText(r, n);
                        for (var i = 0; i < n; i++)
                            o[i] = x[i] is null || y[i] is null ? BoolVector.Null : Compare(b.Op, string.CompareOrdinal(x[i], y[i]));
                    }
                    else if (l is BoolVector || r is BoolVector)
                    {
                        var x = AsBool(l, n); var y = AsBool(r, n);
                        for (var i = 0; i < n; i++)
                            o[i] = x[i] == BoolVector.Null || y[i] == BoolVector.Null ? BoolVector.Null : Compare(b.Op, x[i].CompareTo(y[i]));
                    }
                    else if (l is NumberVector { Exact: { } xe } && r is NumberVector { Exact: { } ye })
                    {
                        var x = AsNumber(l, n); var y = AsNumber(r, n);
                        for (var i = 0; i < n; i++)
                            o[i] = double.IsNaN(x[i]) || double.IsNaN(y[i]) ? BoolVector.Null : Compare(b.Op, xe[i].CompareTo(ye[i]));
                    }
                    else
                    {
                        var x = AsNumber(l, n); var y = AsNumber(r, n);
                        for (var i = 0; i < n; i++)
                            o[i] = double.IsNaN(x[i]) || double.IsNaN(y[i]) ? BoolVector.Null : Compare(b.Op, x[i].CompareTo(y[i]));
                    }
                    return new BoolVector(o);
                }
        }
    }

    private static byte Compare(BinaryOp op, int c) => (op switch
    {
        BinaryOp.Equal => c == 0,
        BinaryOp.NotEqual => c != 0,
        BinaryOp.Less => c < 0,
        BinaryOp.LessOrEqual => c <= 0,
        BinaryOp.Greater => c > 0,
        _ => c >= 0,
    }) ? BoolVector.True : BoolVector.False;
}

/// <summary>The table step behind <c>select T where EXPR as NAME</c>.</summary>
internal static class Selector
{
    /// <summary>The rows of <paramref name="table"/> where <paramref name="condition"/> is true (nulls count as not true), metadata kept.</summary>
    public static Table Where(Table table, Expr condition, string? name = null)
    {
        var check = ExpressionChecker.CheckCondition(condition, table.Fields.ToList());
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        var v = ExpressionEvaluator.EvaluateChecked(condition, table, check);
        var keep = new List<int>();
        if (v is BoolVector b)
            for (var i = 0; i < b.Count; i++) if (b.Values[i] == BoolVector.True) keep.Add(i);
        var result = table.SelectRows(keep);
        result.Name = name ?? table.Name;
        result.Warnings.AddRange(table.Warnings);
        return result;
    }
}
