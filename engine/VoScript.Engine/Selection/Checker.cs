using VoScript.Engine.Interop;
using VoScript.Engine.Tables;

namespace VoScript.Engine.Selection;

/// <summary>The type of an expression's value.</summary>
internal enum ExprType
{
    Number,
    Text,
    Boolean,
    /// <summary>The literal null: fits any type.</summary>
    Null,
}

/// <summary>A problem in an expression, with the span of the part at fault.</summary>
internal sealed record ExprDiagnostic(ExprSpan? Span, string Message);

/// <summary>What checking an expression found: its type, the columns it reads (with their types), errors.</summary>
internal sealed record ExprCheck(ExprType Type, IReadOnlyDictionary<string, ExprType> Columns, IReadOnlyList<ExprDiagnostic> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Checks an expression against the columns a plan knows (names, datatypes) without data:
/// unknown columns, type mismatches, wrong arguments, <c>count</c> without an object column.
/// </summary>
internal static class ExpressionChecker
{
    /// <summary>The names that identify the object of a row, in order of preference (count() groups by the first present).</summary>
    public static readonly string[] ObjectColumns = ["object_id", "group_id"];

    /// <summary>The value type of a column.</summary>
    public static ExprType TypeOf(Field f) =>
        f.IsString ? ExprType.Text : f.DataType == DataType.Boolean ? ExprType.Boolean : ExprType.Number;

    /// <summary>The column count() groups by: object_id, group_id, else the meta.id;meta.main column.</summary>
    public static Field? ObjectColumn(IReadOnlyList<Field> fields) =>
        ObjectColumns.Select(n => fields.FirstOrDefault(f => f.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(f => f is not null)
        ?? fields.FirstOrDefault(f => Ucds.PrimaryIs(f.Ucd, "meta.id") && Ucds.HasWord(f.Ucd, "meta.main"));

    /// <summary>Checks <paramref name="expr"/> as a <c>where</c> condition (it must be true/false).</summary>
    public static ExprCheck CheckCondition(Expr expr, IReadOnlyList<Field> fields)
    {
        var r = Check(expr, fields);
        if (r.Ok && r.Type is not (ExprType.Boolean or ExprType.Null))
            return r with { Errors = [new ExprDiagnostic(expr.Span, $"a condition must be true or false, but '{expr}' is a {Name(r.Type)}; compare it, e.g. {expr} > 0")] };
        return r;
    }

    /// <summary>Checks <paramref name="expr"/> against <paramref name="fields"/>.</summary>
    public static ExprCheck Check(Expr expr, IReadOnlyList<Field> fields)
    {
        var columns = new Dictionary<string, ExprType>(StringComparer.Ordinal);
        var errors = new List<ExprDiagnostic>();
        var type = Visit(expr, fields, columns, errors);
        return new ExprCheck(type, columns, errors);
    }

    internal static string Name(ExprType t) => t switch
    {
        ExprType.Number => "number",
        ExprType.Text => "text",
        ExprType.Boolean => "true/false value",
        _ => "null",
    };

    internal static Field? Resolve(IReadOnlyList<Field> fields, string name) =>
        fields.FirstOrDefault(f => f.Name == name) ?? fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static ExprType Visit(Expr e, IReadOnlyList<Field> fields, Dictionary<string, ExprType> cols, List<ExprDiagnostic> errors)
    {
        switch (e)
        {
            case ColumnRef c:
                if (Resolve(fields, c.Name) is not { } f)
                {
                    errors.Add(new ExprDiagnostic(c.Span, $"unknown column '{c.Name}'{Suggestions.DidYouMean(c.Name, fields.Select(x => x.Name))}; the table has: {string.Join(", ", fields.Select(x => x.Name))}"));
                    return ExprType.Null;
                }
                if (!f.ArraySize.IsScalar && !f.IsString)
                {
                    errors.Add(new ExprDiagnostic(c.Span, $"column '{f.Name}' holds arrays, which conditions cannot compare"));
                    return ExprType.Null;
                }
                return cols[f.Name] = TypeOf(f);
            case Literal l:
                return l.Value switch
                {
                    null => ExprType.Null,
                    string => ExprType.Text,
                    bool => ExprType.Boolean,
                    double or float or int or long => ExprType.Number,
                    _ => Fail(errors, l.Span, $"unsupported constant {l.Value}"),
                };
            case Unary u:
                {
                    var t = Visit(u.Operand, fields, cols, errors);
                    var want = u.Op == UnaryOp.Not ? ExprType.Boolean : ExprType.Number;
                    if (t != want && t != ExprType.Null)
                        return Fail(errors, u.Span ?? u.Operand.Span, $"'{(u.Op == UnaryOp.Not ? "not" : "-")}' needs a {Name(want)}, but '{u.Operand}' is a {Name(t)}");
                    return want;
                }
            case Binary b:
                {
                    var lt = Visit(b.Left, fields, cols, errors);
                    var rt = Visit(b.Right, fields, cols, errors);
                    var sym = Binary.Symbol(b.Op);
                    switch (b.Op)
                    {
                        case BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide:
                            if (lt is ExprType.Text or ExprType.Boolean || rt is ExprType.Text or ExprType.Boolean)
                                return Fail(errors, b.Span, $"'{sym}' needs numbers on both sides, but '{(lt is ExprType.Number or ExprType.Null ? b.Right : b.Left)}' is a {Name(lt is ExprType.Number or ExprType.Null ? rt : lt)}");
                            return ExprType.Number;
                        case BinaryOp.And or BinaryOp.Or:
                            if (lt is not (ExprType.Boolean or ExprType.Null) || rt is not (ExprType.Boolean or ExprType.Null))
                                return Fail(errors, b.Span, $"'{sym}' needs true/false values on both sides, but '{(lt is ExprType.Boolean or ExprType.Null ? b.Right : b.Left)}' is a {Name(lt is ExprType.Boolean or ExprType.Null ? rt : lt)}");
                            return ExprType.Boolean;
                        default:
                            if (lt != rt && lt != ExprType.Null && rt != ExprType.Null)
                                return Fail(errors, b.Span, $"'{sym}' compares a {Name(lt)} ('{b.Left}') with a {Name(rt)} ('{b.Right}')");
                            if (lt == ExprType.Boolean && b.Op is not (BinaryOp.Equal or BinaryOp.NotEqual))
                                return Fail(errors, b.Span, $"'{sym}' cannot order true/false values");
                            return ExprType.Boolean;
                    }
                }
            case Call { Host: { } host } hc:
                {
                    if (hc.Args.Count != host.Parameters.Count)
                        return Fail(errors, hc.Span, $"{host.Name} takes {host.Parameters.Count} argument{(host.Parameters.Count == 1 ? "" : "s")}, not {hc.Args.Count}");
                    for (var k = 0; k < hc.Args.Count; k++)
                    {
                        var t = Visit(hc.Args[k], fields, cols, errors);
                        if (t != host.Parameters[k] && t != ExprType.Null)
                            return Fail(errors, hc.Args[k].Span ?? hc.Span, $"argument {k + 1} of {host.Name} must be a {Name(host.Parameters[k])}, but '{hc.Args[k]}' is a {Name(t)}");
                    }
                    return host.Result;
                }
            case Call c:
                switch (c.Function.ToLowerInvariant())
                {
                    case "abs":
                        if (c.Args.Count != 1) return Fail(errors, c.Span, $"abs takes one number, not {c.Args.Count} arguments");
                        var at = Visit(c.Args[0], fields, cols, errors);
                        if (at is not (ExprType.Number or ExprType.Null)) return Fail(errors, c.Span, $"abs needs a number, but '{c.Args[0]}' is a {Name(at)}");
                        return ExprType.Number;
                    case "isnull":
                        if (c.Args.Count != 1) return Fail(errors, c.Span, $"isnull takes one argument, not {c.Args.Count}");
                        Visit(c.Args[0], fields, cols, errors);
                        return ExprType.Boolean;
                    case "count":
                        if (c.Args.Count > 1) return Fail(errors, c.Span, $"count takes no argument or one condition, not {c.Args.Count}");
                        if (ObjectColumn(fields) is not { } obj)
                            return Fail(errors, c.Span, "count() counts the rows of each object and needs an object column (object_id, group_id, or a meta.id;meta.main column); make one with sed or cluster first");
                        cols[obj.Name] = TypeOf(obj);
                        if (c.Args.Count == 1)
                        {
                            var ct = Visit(c.Args[0], fields, cols, errors);
                            if (ct is not (ExprType.Boolean or ExprType.Null)) return Fail(errors, c.Span, $"count(condition) needs a true/false condition, but '{c.Args[0]}' is a {Name(ct)}");
                        }
                        return ExprType.Number;
                    default:
                        return Fail(errors, c.Span, $"unknown function '{c.Function}'; functions are abs, isnull and count");
                }
            default:
                return Fail(errors, e.Span, $"unsupported expression {e}");
        }
    }

    private static ExprType Fail(List<ExprDiagnostic> errors, ExprSpan? span, string message)
    {
        errors.Add(new ExprDiagnostic(span, message));
        return ExprType.Null;
    }
}
