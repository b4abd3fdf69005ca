using System.Globalization;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Selection;

/// <summary>Functions, host functions and operators, a whole column at a time.</summary>
internal static partial class ExpressionEvaluator
{
    private sealed partial class Scope
    {
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
