using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Selection;

/// <summary>The type of an expression's value.</summary>
public enum ExprType
{
    /// <summary>A number.</summary>
    Number,
    /// <summary>A string.</summary>
    Text,
    /// <summary>True or false.</summary>
    Boolean,
    /// <summary>The literal null: fits any type.</summary>
    Null,
}

/// <summary>A problem in an expression, with the span of the part at fault.</summary>
public sealed record ExprDiagnostic(ExprSpan? Span, string Message)
{
    /// <summary>What kind of problem: an unknown column, a unit mismatch, or anything else (types, arguments, aggregates).</summary>
    public ExprProblem Problem { get; init; } = ExprProblem.Type;

    /// <summary>For <see cref="ExprProblem.UnknownColumn"/>: the name that was not found.</summary>
    public string? Column { get; init; }
}

/// <summary>Kinds of expression problems, so that the language can give each its diagnostic code.</summary>
public enum ExprProblem
{
    /// <summary>A type mismatch, a wrong argument, a misplaced aggregate.</summary>
    Type,
    /// <summary>A column the table does not have.</summary>
    UnknownColumn,
    /// <summary>Two known units that measure different things (mag and Jy).</summary>
    Unit,
    /// <summary>A function that does not exist.</summary>
    UnknownFunction,
}

/// <summary>What checking an expression found: its type and unit, the columns it reads (with their types), errors.</summary>
public sealed record ExprCheck(ExprType Type, IReadOnlyDictionary<string, ExprType> Columns, IReadOnlyList<ExprDiagnostic> Errors)
{
    /// <summary>No errors.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>The unit of the value (null when it has none or it is not known).</summary>
    public string? Unit { get; init; }

    /// <summary>The unit of every node, by reference (the evaluator converts with them).</summary>
    internal IReadOnlyDictionary<Expr, string?> NodeUnits { get; init; } = new Dictionary<Expr, string?>();

    /// <summary>The unit of a node of the checked expression.</summary>
    public string? UnitOf(Expr e) => NodeUnits.TryGetValue(e, out var u) ? u : null;
}

/// <summary>
/// Checks an expression against the columns a plan knows (names, datatypes, units) without data:
/// unknown columns, type mismatches, units that do not mix, wrong arguments, aggregates outside
/// <c>group</c>, <c>count</c> without an object column.
/// </summary>
public static class ExpressionChecker
{
    /// <summary>The names that identify the object of a row, in order of preference (count() groups by the first present).</summary>
    public static readonly string[] ObjectColumns = ["object_id", "group_id"];

    /// <summary>The value type of a column.</summary>
    public static ExprType TypeOf(Field f) =>
        f.IsString ? ExprType.Text : f.DataType is DataType.Boolean or DataType.Bit ? ExprType.Boolean : ExprType.Number;

    /// <summary>The column count() groups by: object_id, group_id, else the meta.id;meta.main column.</summary>
    public static Field? ObjectColumn(IReadOnlyList<Field> fields) =>
        ObjectColumns.Select(n => fields.FirstOrDefault(f => f.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(f => f is not null)
        ?? fields.FirstOrDefault(f => Ucds.PrimaryIs(f.Ucd, "meta.id") && Ucds.HasWord(f.Ucd, "meta.main"));

    /// <summary>
    /// Checks <paramref name="expr"/> as a <c>where</c> condition (it must be true/false). With <paramref name="typesKnown"/>
    /// false, only what <see cref="CheckShape"/> checks (the columns' types come with the data; <paramref name="namesComplete"/> as there).
    /// </summary>
    public static ExprCheck CheckCondition(Expr expr, IReadOnlyList<Field> fields, bool typesKnown = true, bool namesComplete = true)
    {
        var r = typesKnown ? Check(expr, fields) : CheckShape(expr, fields, namesComplete);
        if (r.Ok && r.Type is not (ExprType.Boolean or ExprType.Null))
            return r with { Errors = [new ExprDiagnostic(expr.Span, $"a condition must be true or false, but '{expr}' is a {Name(r.Type)}; compare it, e.g. {expr} > 0")] };
        return r;
    }

    /// <summary>
    /// Checks <paramref name="expr"/> against <paramref name="fields"/>. In <see cref="ExprContext.Group"/>, the
    /// expression is a group's value: aggregates are allowed, and bare columns must be among <paramref name="groupKeys"/>.
    /// </summary>
    public static ExprCheck Check(Expr expr, IReadOnlyList<Field> fields, ExprContext context = ExprContext.Row, IReadOnlyCollection<string>? groupKeys = null)
    {
        var walker = new Walker(fields, context, groupKeys ?? [], NamesComplete: true, TypesKnown: true);
        var (type, unit) = walker.Visit(expr, context == ExprContext.Group, topLevel: true);
        return new ExprCheck(type, walker.Columns, walker.Errors) { Unit = unit, NodeUnits = walker.Units };
    }

    /// <summary>
    /// Checks what can be checked of <paramref name="expr"/> before the run when the table's columns are not all
    /// known with their types: unknown functions, numbers of arguments, aggregates outside <c>group</c> or nested,
    /// a group's bare column that is not a key, and types of what is known (literals, the typed
    /// <paramref name="fields"/>). With <paramref name="namesComplete"/>, <paramref name="fields"/> are all the
    /// columns but their types are not known (a query's select list): an unknown name is an error, types are not
    /// checked. Without it, <paramref name="fields"/> are some of the columns (none for a loaded file): a name not
    /// among them is a column of unknown type, not an error.
    /// </summary>
    public static ExprCheck CheckShape(Expr expr, IReadOnlyList<Field> fields, bool namesComplete, ExprContext context = ExprContext.Row, IReadOnlyCollection<string>? groupKeys = null)
    {
        var walker = new Walker(fields, context, groupKeys ?? [], namesComplete, TypesKnown: !namesComplete);
        var (type, unit) = walker.Visit(expr, context == ExprContext.Group, topLevel: true);
        return new ExprCheck(type, walker.Columns, walker.Errors) { Unit = unit, NodeUnits = walker.Units };
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

    // NamesComplete: every column is among the fields (else a name not found is a column of unknown type);
    // TypesKnown: the fields' types are their real ones (else every column is of unknown type).
    private sealed class Walker(IReadOnlyList<Field> fields, ExprContext context, IReadOnlyCollection<string> keys, bool NamesComplete, bool TypesKnown)
    {
        public readonly Dictionary<string, ExprType> Columns = new(StringComparer.Ordinal);
        public readonly List<ExprDiagnostic> Errors = [];
        public readonly Dictionary<Expr, string?> Units = new(ReferenceEqualityComparer.Instance);

        /// <summary>Visits a node; <paramref name="groupLevel"/> is true above the aggregates of a group expression.</summary>
        public (ExprType Type, string? Unit) Visit(Expr e, bool groupLevel, bool topLevel = false)
        {
            (ExprType Type, string? Unit) r = VisitCore(e, groupLevel, topLevel);
            Units[e] = r.Unit;
            return r;
        }

        private (ExprType, string?) Fail(ExprSpan? span, string message, ExprProblem problem = ExprProblem.Type)
        {
            Errors.Add(new ExprDiagnostic(span, message) { Problem = problem });
            return (ExprType.Null, null);
        }

        private (ExprType, string?) VisitCore(Expr e, bool groupLevel, bool topLevel)
        {
            switch (e)
            {
                case ColumnRef c:
                    {
                        var f = Resolve(fields, c.Name);
                        if (f is null && !NamesComplete)
                        {
                            // a column the plan does not know yet: its type is known when the step runs
                            if (groupLevel && !keys.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
                                return Fail(c.Span, $"{ScriptNames.Mention(c.Name)} is not a key of the group: use it inside an aggregate, e.g. first({ScriptNames.Column(c.Name)}) or mean({ScriptNames.Column(c.Name)}), or add it to 'by'");
                            return (ExprType.Null, null);
                        }
                        if (f is null)
                        {
                            Errors.Add(new ExprDiagnostic(c.Span, $"unknown column {ScriptNames.Mention(c.Name)}{ScriptNames.DidYouMean(c.Name, fields.Select(x => x.Name))}; the table has: {ScriptNames.List(fields.Select(x => x.Name))}")
                            { Problem = ExprProblem.UnknownColumn, Column = c.Name });
                            return (ExprType.Null, null);
                        }
                        if (!f.ArraySize.IsScalar && !f.IsString)
                            return Fail(c.Span, $"column '{f.Name}' holds arrays, which expressions cannot use");
                        if (groupLevel && !keys.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
                            return Fail(c.Span, $"{ScriptNames.Mention(f.Name)} is not a key of the group: use it inside an aggregate, e.g. first({ScriptNames.Column(f.Name)}) or mean({ScriptNames.Column(f.Name)}), or add it to 'by'");
                        if (!TypesKnown) return (ExprType.Null, null); // a name from a select list: its type comes with the data
                        Columns[f.Name] = TypeOf(f);
                        return (TypeOf(f), TypeOf(f) == ExprType.Number ? UnitTable.Normalize(f.Unit) : null);
                    }
                case Literal { Name: not null } when !NamesComplete:
                    return (ExprType.Null, null); // a param or let value, unless the table has a column of that name: not known yet
                case Literal { Name: { } name } l when Resolve(fields, name) is not null:
                    // a param or let value named like a column of this table: the column wins (expressions are about columns)
                    return VisitCore(new ColumnRef(name) { Span = l.Span }, groupLevel, topLevel);
                case Literal l:
                    return l.Value switch
                    {
                        null => (ExprType.Null, null),
                        string => (ExprType.Text, null),
                        bool => (ExprType.Boolean, null),
                        double or float or int or long => (ExprType.Number, UnitTable.Normalize(l.Unit)),
                        _ => Fail(l.Span, $"unsupported constant {l.Value}"),
                    };
                case Unary u:
                    {
                        var (t, unit) = Visit(u.Operand, groupLevel);
                        var want = u.Op == UnaryOp.Not ? ExprType.Boolean : ExprType.Number;
                        if (t != want && t != ExprType.Null)
                            return Fail(u.Span ?? u.Operand.Span, $"'{(u.Op == UnaryOp.Not ? "not" : "-")}' needs a {Name(want)}, but '{u.Operand}' is a {Name(t)}");
                        return (want, want == ExprType.Number ? unit : null);
                    }
                case Binary b:
                    return VisitBinary(b, groupLevel);
                case Call { Host: { } host } hc:
                    {
                        if (hc.Args.Count != host.Parameters.Count)
                            return Fail(hc.Span, $"{host.Name} takes {host.Parameters.Count} argument{(host.Parameters.Count == 1 ? "" : "s")}, not {hc.Args.Count}");
                        for (var k = 0; k < hc.Args.Count; k++)
                        {
                            var (t, _) = Visit(hc.Args[k], groupLevel);
                            if (t != host.Parameters[k] && t != ExprType.Null)
                                return Fail(hc.Args[k].Span ?? hc.Span, $"argument {k + 1} of {host.Name} must be a {Name(host.Parameters[k])}, but '{hc.Args[k]}' is a {Name(t)}");
                        }
                        return (host.Result, null);
                    }
                case Call c:
                    return VisitCall(c, groupLevel, topLevel);
                default:
                    return Fail(e.Span, $"unsupported expression {e}");
            }
        }

        private (ExprType, string?) VisitBinary(Binary b, bool groupLevel)
        {
            var (lt, lu) = Visit(b.Left, groupLevel);
            var (rt, ru) = Visit(b.Right, groupLevel);
            var sym = Binary.Symbol(b.Op);
            switch (b.Op)
            {
                case BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide:
                    if (lt is ExprType.Text or ExprType.Boolean || rt is ExprType.Text or ExprType.Boolean)
                        return Fail(b.Span, $"'{sym}' needs numbers on both sides, but '{(lt is ExprType.Number or ExprType.Null ? b.Right : b.Left)}' is a {Name(lt is ExprType.Number or ExprType.Null ? rt : lt)}");
                    if (b.Op is BinaryOp.Add or BinaryOp.Subtract)
                    {
                        if (UnitTable.Incompatible(lu, ru))
                            return Fail(b.Span, $"'{sym}' mixes units that do not go together: '{b.Left}' is in {lu}, '{b.Right}' in {ru}", ExprProblem.Unit);
                        return (ExprType.Number, lu ?? ru);
                    }
                    if (lu is null) return (ExprType.Number, b.Op == BinaryOp.Multiply ? ru : ru is null ? null : "1/" + ru);
                    if (ru is null) return (ExprType.Number, lu);
                    if (b.Op == BinaryOp.Divide && (lu == ru || UnitTable.Factor(ru, lu) is { } f && f != 1 && UnitTable.KindOf(lu) is not null && UnitTable.KindOf(lu) == UnitTable.KindOf(ru)))
                        return (ExprType.Number, null); // a ratio of like quantities has no unit
                    return (ExprType.Number, b.Op == BinaryOp.Multiply ? lu + "*" + ru : lu + "/" + ru);
                case BinaryOp.And or BinaryOp.Or:
                    if (lt is not (ExprType.Boolean or ExprType.Null) || rt is not (ExprType.Boolean or ExprType.Null))
                        return Fail(b.Span, $"'{sym}' needs true/false values on both sides, but '{(lt is ExprType.Boolean or ExprType.Null ? b.Right : b.Left)}' is a {Name(lt is ExprType.Boolean or ExprType.Null ? rt : lt)}");
                    return (ExprType.Boolean, null);
                default:
                    if (lt != rt && lt != ExprType.Null && rt != ExprType.Null)
                        return Fail(b.Span, $"'{sym}' compares a {Name(lt)} ('{b.Left}') with a {Name(rt)} ('{b.Right}')");
                    if (lt == ExprType.Boolean && b.Op is not (BinaryOp.Equal or BinaryOp.NotEqual))
                        return Fail(b.Span, $"'{sym}' cannot order true/false values");
                    if (UnitTable.Incompatible(lu, ru))
                        return Fail(b.Span, $"'{sym}' compares values in units that do not go together: '{b.Left}' is in {lu}, '{b.Right}' in {ru}", ExprProblem.Unit);
                    return (ExprType.Boolean, null);
            }
        }

        private (ExprType, string?) VisitCall(Call c, bool groupLevel, bool topLevel)
        {
            var name = c.Function.ToLowerInvariant();
            var n = c.Args.Count;
            if (Functions.IsAggregate(name, n))
            {
                if (context != ExprContext.Group && name != "count")
                    return Fail(c.Span, $"'{name}' is an aggregate and belongs in group: group T by KEY with NAME = {name}(…) as NAME");
                if (context == ExprContext.Group && !groupLevel)
                    return Fail(c.Span, $"aggregates cannot be nested: '{c}' is inside another aggregate");
                if (context != ExprContext.Group) return CountPerObject(c);
                return VisitAggregate(c, name, topLevel);
            }
            if (!Functions.Scalar.TryGetValue(name, out var arity))
                return Fail(c.Span, $"unknown function '{c.Function}'{Functions.DidYouMean(c.Function)}; functions are {string.Join(", ", Functions.Scalar.Keys)}" +
                    (context == ExprContext.Group ? $"; aggregates are {string.Join(", ", Functions.Aggregates)}" : ""), ExprProblem.UnknownFunction);
            if (n < arity.Min || n > arity.Max)
                return Fail(c.Span, $"{name} takes {Arity(arity)}, not {n}" + (name is "min" or "max" && n == 1 && context != ExprContext.Group
                    ? $"; {name}(x) of one value is an aggregate and belongs in group" : ""));
            var args = c.Args.Select(a => Visit(a, groupLevel)).ToArray();
            return ScalarCall(c, name, args);
        }

        private static string Arity((int Min, int Max) a) =>
            a.Max == int.MaxValue ? $"{a.Min} or more arguments" : a.Min == a.Max ? $"{a.Min} argument{(a.Min == 1 ? "" : "s")}" : $"{a.Min} to {a.Max} arguments";

        private (ExprType, string?) Need(Call c, int k, (ExprType Type, string? Unit) arg, ExprType want)
        {
            if (arg.Type != want && arg.Type != ExprType.Null)
                return Fail(c.Args[k].Span ?? c.Span, $"{c.Function} needs a {Name(want)} as argument {k + 1}, but '{c.Args[k]}' is a {Name(arg.Type)}");
            return (want, arg.Unit);
        }

        private bool NeedAngle(Call c, int k, string? unit)
        {
            if (UnitTable.IsAngleOrNone(unit) || UnitTable.KindOf(unit) is null) return true;
            Fail(c.Args[k].Span ?? c.Span, $"{c.Function} needs an angle as argument {k + 1}, but '{c.Args[k]}' is in {unit}", ExprProblem.Unit);
            return false;
        }

        private (ExprType, string?) ScalarCall(Call c, string name, (ExprType Type, string? Unit)[] a)
        {
            var before = Errors.Count;
            switch (name)
            {
                case "abs" or "floor" or "ceil" or "round":
                    for (var k = 0; k < a.Length; k++) Need(c, k, a[k], ExprType.Number);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, a[0].Unit);
                case "sqrt" or "exp" or "ln" or "log10" or "pow":
                    for (var k = 0; k < a.Length; k++) Need(c, k, a[k], ExprType.Number);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, null);
                case "sin" or "cos" or "tan":
                    Need(c, 0, a[0], ExprType.Number);
                    NeedAngle(c, 0, a[0].Unit);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, null);
                case "asin" or "acos" or "atan" or "atan2":
                    for (var k = 0; k < a.Length; k++) Need(c, k, a[k], ExprType.Number);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, "deg");
                case "separation":
                    for (var k = 0; k < 4; k++) { Need(c, k, a[k], ExprType.Number); NeedAngle(c, k, a[k].Unit); }
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, "deg");
                case "min" or "max" or "coalesce":
                    return Same(c, a, 0, name is "min" or "max");
                case "if":
                    Need(c, 0, a[0], ExprType.Boolean);
                    var r = Same(c, a, 1, false);
                    return Errors.Count > before ? (ExprType.Null, null) : r;
                case "isnull":
                    return (ExprType.Boolean, null);
                case "lower" or "upper":
                    Need(c, 0, a[0], ExprType.Text);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Text, null);
                case "contains" or "startswith":
                    Need(c, 0, a[0], ExprType.Text); Need(c, 1, a[1], ExprType.Text);
                    return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Boolean, null);
                case "concat":
                    return (ExprType.Text, null);
                case "mag_to_jy" or "jy_to_mag":
                    {
                        Need(c, 0, a[0], ExprType.Number);
                        Need(c, 1, a[1], ExprType.Text);
                        var want = name == "mag_to_jy" ? "magnitude" : "flux density";
                        if (UnitTable.KindOf(a[0].Unit) is { } kind && kind != want)
                            Fail(c.Args[0].Span ?? c.Span, $"{name} needs a {(name == "mag_to_jy" ? "magnitude" : "flux density")} as argument 1, but '{c.Args[0]}' is in {a[0].Unit}", ExprProblem.Unit);
                        if (c.Args[1] is Literal { Value: string band } && BandTable.Find(band) is null)
                            Fail(c.Args[1].Span ?? c.Span, $"unknown band \"{band}\"{BandTable.DidYouMean(band)}; bands are {string.Join(", ", BandTable.Names)}");
                        return Errors.Count > before ? (ExprType.Null, null) : (ExprType.Number, name == "mag_to_jy" ? "Jy" : "mag");
                    }
            }
            return Fail(c.Span, $"unknown function '{c.Function}'", ExprProblem.UnknownFunction);
        }

        /// <summary>Arguments from <paramref name="from"/> on must have one type and units that mix; the result has the first's unit.</summary>
        private (ExprType, string?) Same(Call c, (ExprType Type, string? Unit)[] a, int from, bool orderable)
        {
            var type = ExprType.Null;
            string? unit = null;
            for (var k = from; k < a.Length; k++)
            {
                if (a[k].Type == ExprType.Null) continue;
                if (type == ExprType.Null) { type = a[k].Type; unit = a[k].Unit; continue; }
                if (a[k].Type != type)
                    return Fail(c.Args[k].Span ?? c.Span, $"{c.Function} needs values of one type, but '{c.Args[from]}' is a {Name(type)} and '{c.Args[k]}' a {Name(a[k].Type)}");
                if (UnitTable.Incompatible(unit, a[k].Unit))
                    return Fail(c.Args[k].Span ?? c.Span, $"{c.Function} mixes units that do not go together: {unit} and {a[k].Unit} ('{c.Args[k]}')", ExprProblem.Unit);
                unit ??= a[k].Unit;
            }
            if (orderable && type == ExprType.Boolean)
                return Fail(c.Span, $"{c.Function} cannot order true/false values");
            return (type, type == ExprType.Number ? unit : null);
        }

        private (ExprType, string?) CountPerObject(Call c)
        {
            if (c.Args.Count > 1) return Fail(c.Span, $"count takes no argument or one condition, not {c.Args.Count}");
            if (ObjectColumn(fields) is not { } obj)
            {
                if (!NamesComplete || !TypesKnown) return (ExprType.Number, null); // the object column (or its UCD) is not known yet
                return Fail(c.Span, "count() counts the rows of each object and needs an object column (object_id, group_id, or a meta.id;meta.main column); make one with sed or cluster first");
            }
            Columns[obj.Name] = TypeOf(obj);
            if (c.Args.Count == 1)
            {
                var (ct, _) = Visit(c.Args[0], false);
                if (ct is not (ExprType.Boolean or ExprType.Null)) return Fail(c.Span, $"count(condition) needs a true/false condition, but '{c.Args[0]}' is a {Name(ct)}");
            }
            return (ExprType.Number, null);
        }

        private (ExprType, string?) VisitAggregate(Call c, string name, bool topLevel)
        {
            var n = c.Args.Count;
            switch (name)
            {
                case "count":
                    if (n > 1) return Fail(c.Span, $"count takes no argument or one condition, not {n}");
                    if (n == 1)
                    {
                        var (ct, _) = Visit(c.Args[0], false);
                        if (ct is not (ExprType.Boolean or ExprType.Null)) return Fail(c.Span, $"count(condition) needs a true/false condition, but '{c.Args[0]}' is a {Name(ct)}");
                    }
                    return (ExprType.Number, null);
                case "mean_position" or "mean_ra" or "mean_dec":
                    {
                        if (n != 2) return Fail(c.Span, $"{name} takes 2 arguments (ra, dec), not {n}");
                        if (name == "mean_position" && !topLevel)
                            return Fail(c.Span, "mean_position(ra, dec) makes two columns (NAME_ra and NAME_dec) and must stand alone: NAME = mean_position(ra, dec); inside an expression use mean_ra or mean_dec");
                        for (var k = 0; k < 2; k++)
                        {
                            var a = Visit(c.Args[k], false);
                            Need(c, k, a, ExprType.Number);
                            NeedAngle(c, k, a.Unit);
                        }
                        return (ExprType.Number, "deg");
                    }
                default:
                    {
                        if (n != 1) return Fail(c.Span, $"{name} takes one argument, not {n}");
                        var (t, unit) = Visit(c.Args[0], false);
                        if (name is "first") return (t, unit);
                        if (name is "min" or "max")
                        {
                            if (t == ExprType.Boolean) return Fail(c.Span, $"{name} cannot order true/false values");
                            return (t, unit);
                        }
                        if (t is not (ExprType.Number or ExprType.Null))
                            return Fail(c.Args[0].Span ?? c.Span, $"{name} needs numbers, but '{c.Args[0]}' is a {Name(t)}");
                        return (ExprType.Number, unit);
                    }
            }
        }
    }
}
