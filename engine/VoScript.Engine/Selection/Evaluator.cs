using VoScript.Engine.Tables;

namespace VoScript.Engine.Selection;

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
/// Evaluates expressions a whole column at a time, with SQL-like nulls: arithmetic and
/// comparisons with a null give null; <c>and</c>/<c>or</c> use three-valued logic
/// (null and false = false, null or true = true); a <c>where</c> keeps rows whose condition is true.
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="expr"/> over <paramref name="table"/>; throws <see cref="VoScriptException"/> with the checker's messages if it does not fit the table.</summary>
    public static Vector Evaluate(Expr expr, Table table)
    {
        var check = ExpressionChecker.Check(expr, table.Fields.ToList());
        if (!check.Ok) throw new VoScriptException(string.Join("; ", check.Errors.Select(e => e.Message)));
        return Eval(expr, table);
    }

    private static Vector Eval(Expr e, Table t)
    {
        var n = t.RowCount;
        switch (e)
        {
            case ColumnRef c:
                {
                    var col = t.FindColumn(c.Name)!;
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
                    if (col is ScalarColumn<long> lc) { exact = lc.Values; for (var i = 0; i < n; i++) v[i] = lc.Values[i]; }
                    else if (col is ScalarColumn<double> dc) Array.Copy(dc.Values, v, n);
                    else for (var i = 0; i < n; i++) v[i] = col.GetDouble(i);
                    if (col.Nulls is not null) for (var i = 0; i < n; i++) if (col.IsNull(i)) v[i] = double.NaN;
                    return new NumberVector(v, exact);
                }
            case Literal l:
                return l.Value switch
                {
                    null => new BoolVector(Filled(n, BoolVector.Null)),
                    string s => new TextVector(Enumerable.Repeat<string?>(s, n).ToArray()),
                    bool b => new BoolVector(Filled(n, b ? BoolVector.True : BoolVector.False)),
                    long v => new NumberVector(Enumerable.Repeat((double)v, n).ToArray(), Enumerable.Repeat(v, n).ToArray()),
                    int v => new NumberVector(Enumerable.Repeat((double)v, n).ToArray(), Enumerable.Repeat((long)v, n).ToArray()),
                    _ => new NumberVector(Enumerable.Repeat(Convert.ToDouble(l.Value, System.Globalization.CultureInfo.InvariantCulture), n).ToArray()),
                };
            case Unary { Op: UnaryOp.Not } u:
                {
                    var b = AsBool(Eval(u.Operand, t), n);
                    var r = new byte[n];
                    for (var i = 0; i < n; i++) r[i] = b[i] == BoolVector.Null ? BoolVector.Null : (byte)(1 - b[i]);
                    return new BoolVector(r);
                }
            case Unary u:
                {
                    var v = AsNumber(Eval(u.Operand, t), n);
                    var r = new double[n];
                    for (var i = 0; i < n; i++) r[i] = -v[i];
                    return new NumberVector(r);
                }
            case Binary b:
                return EvalBinary(b, Eval(b.Left, t), Eval(b.Right, t), n);
            case Call { Host: { } host } hc:
                return EvalHost(host, hc.Args.Select(a => Eval(a, t)).ToArray(), n);
            case Call c:
                switch (c.Function.ToLowerInvariant())
                {
                    case "abs":
                        {
                            var v = AsNumber(Eval(c.Args[0], t), n);
                            var r = new double[n];
                            for (var i = 0; i < n; i++) r[i] = Math.Abs(v[i]);
                            return new NumberVector(r);
                        }
                    case "isnull":
                        {
                            var v = Eval(c.Args[0], t);
                            var r = new byte[n];
                            for (var i = 0; i < n; i++)
                                r[i] = v switch
                                {
                                    NumberVector nv => double.IsNaN(nv.Values[i]),
                                    TextVector tv => tv.Values[i] is null,
                                    BoolVector bv => bv.Values[i] == BoolVector.Null,
                                    _ => false,
                                } ? BoolVector.True : BoolVector.False;
                            return new BoolVector(r);
                        }
                    case "count":
                        {
                            var obj = t.FindColumn(ExpressionChecker.ObjectColumn(t.Fields.ToList())!.Name)!;
                            var cond = c.Args.Count == 1 ? AsBool(Eval(c.Args[0], t), n) : null;
                            var counts = new Dictionary<string, int>();
                            var keys = new string[n];
                            for (var i = 0; i < n; i++)
                            {
                                keys[i] = obj.IsNull(i) ? "\0null" : obj.FormatCell(i);
                                if (cond is null || cond[i] == BoolVector.True) counts[keys[i]] = counts.GetValueOrDefault(keys[i]) + 1;
                            }
                            var r = new double[n];
                            for (var i = 0; i < n; i++) r[i] = counts.GetValueOrDefault(keys[i]);
                            return new NumberVector(r);
                        }
                }
                break;
        }
        throw new InvalidOperationException($"unchecked expression {e}");
    }

    private static byte[] Filled(int n, byte v)
    {
        var a = new byte[n];
        Array.Fill(a, v);
        return a;
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
                return new NumberVector(results.Select(r => r is null ? double.NaN : Convert.ToDouble(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
    }

    private static double[] AsNumber(Vector v, int n) => v switch
    {
        NumberVector nv => nv.Values,
        _ => Enumerable.Repeat(double.NaN, n).ToArray(), // the null literal
    };

    private static byte[] AsBool(Vector v, int n) => v switch
    {
        BoolVector bv => bv.Values,
        _ => Filled(n, BoolVector.Null),
    };

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
                        var x = (l as TextVector)?.Values ?? new string?[n];
                        var y = (r as TextVector)?.Values ?? new string?[n];
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
        var v = ExpressionEvaluator.Evaluate(condition, table);
        var keep = new List<int>();
        if (v is BoolVector b)
            for (var i = 0; i < b.Count; i++) if (b.Values[i] == BoolVector.True) keep.Add(i);
        var result = table.SelectRows(keep);
        result.Name = name ?? table.Name;
        result.Warnings.AddRange(table.Warnings);
        return result;
    }
}
