using System.Globalization;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Selection;

/// <summary>
/// Evaluates expressions a whole column at a time, with SQL-like nulls: arithmetic, comparisons and
/// functions with a null argument give null (except <c>isnull</c>, <c>coalesce</c>, <c>if</c>);
/// <c>and</c>/<c>or</c> use three-valued logic (null and false = false, null or true = true);
/// aggregates skip nulls. Units are converted where the checker found two that mix
/// (<c>separation(…) &lt; 2 arcsec</c> compares in degrees).
/// </summary>
internal static partial class ExpressionEvaluator
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
        var x = new double[g]; var y = new double[g]; var z = new double[g]; var cnt = new int[g]; var only = new int[g];
        const double r = Math.PI / 180;
        for (var i = 0; i < ra.Length; i++)
        {
            if (double.IsNaN(ra[i]) || double.IsNaN(dec[i])) continue;
            var k = groups.GroupOf[i];
            var cd = Math.Cos(dec[i] * r);
            x[k] += cd * Math.Cos(ra[i] * r); y[k] += cd * Math.Sin(ra[i] * r); z[k] += Math.Sin(dec[i] * r);
            cnt[k]++;
            only[k] = i;
        }
        var mra = new double[g]; var mdec = new double[g];
        for (var k = 0; k < g; k++)
        {
            // no positions, or positions that cancel out (two opposite points): the mean direction is not defined
            if (cnt[k] == 0 || Math.Sqrt(x[k] * x[k] + y[k] * y[k] + z[k] * z[k]) < 1e-9 * cnt[k]) { mra[k] = mdec[k] = double.NaN; continue; }
            if (cnt[k] == 1 && Math.Abs(dec[only[k]]) <= 90) { mra[k] = (ra[only[k]] % 360 + 360) % 360; mdec[k] = dec[only[k]]; continue; } // one position is its own mean, exactly
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

    private sealed partial class Scope(Table table, ExprCheck check, Grouping? groups)
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
    }
}
