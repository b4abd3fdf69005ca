using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>One output column of <c>group</c>: <c>NAME = EXPR</c> where EXPR uses aggregates (and the keys).</summary>
public sealed record Aggregation(string Name, Expr Expr);

/// <summary>
/// <c>group T by COL, … with NAME = AGG(EXPR), … as NAME</c>: one row per distinct key (nulls are one key),
/// in order of first appearance; the key columns (with their metadata), then one column per aggregation.
/// Aggregates: <c>count()</c>, <c>count(cond)</c>, <c>sum</c>, <c>mean</c>, <c>median</c>, <c>min</c>, <c>max</c>,
/// <c>std</c> (sample, n−1), <c>first</c>, <c>mean_ra</c>/<c>mean_dec</c>, and <c>mean_position(ra, dec)</c>,
/// which makes two columns NAME_ra and NAME_dec (the spherical mean: the mean of unit vectors).
/// Aggregates skip nulls; a group with no value gives null. <c>first</c>, <c>min</c> and <c>max</c> of a
/// bare column keep its type and metadata.
/// </summary>
public static class GroupVerb
{
    /// <summary>The columns <c>group</c> gives, or the problems (unknown keys, bad aggregates, name clashes).</summary>
    public static VerbSchema Schema(IReadOnlyList<Field> input, IReadOnlyList<string> keys, IReadOnlyList<Aggregation> aggregations, string table = "the table", bool typed = true)
    {
        var problems = new List<VerbProblem>();
        var fields = new List<Field>();
        for (var k = 0; k < keys.Count; k++)
        {
            var i = VerbColumns.Find(input, keys[k]);
            if (i < 0) problems.Add(VerbColumns.Unknown(keys[k], input, table, k));
            else fields.Add(input[i]);
        }
        var keyNames = fields.Select(f => f.Name).ToList();
        for (var a = 0; a < aggregations.Count; a++)
        {
            var agg = aggregations[a];
            var item = keys.Count + a;
            var check = typed ? ExpressionChecker.Check(agg.Expr, input, ExprContext.Group, keyNames)
                : ExpressionChecker.CheckShape(agg.Expr, input, namesComplete: true, ExprContext.Group, keyNames);
            foreach (var e in check.Errors) problems.Add(VerbProblem.FromExpression(e, input, item));
            foreach (var f in OutputFields(agg, check, input))
            {
                if (VerbColumns.Find(fields, f.Name) >= 0)
                    problems.Add(VerbProblem.NamedTwice(f.Name, item, "a column of the result") with { Subject = agg.Name });
                fields.Add(f);
            }
        }
        return new VerbSchema(fields, problems);
    }

    private static IEnumerable<Field> OutputFields(Aggregation agg, ExprCheck check, IReadOnlyList<Field> input)
    {
        if (agg.Expr is Call { Function: var fn } c && fn.Equals("mean_position", StringComparison.OrdinalIgnoreCase))
        {
            yield return new Field(agg.Name + "_ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = $"spherical mean of {c.Args.ElementAtOrDefault(0)}" };
            yield return new Field(agg.Name + "_dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main", Description = $"spherical mean of {c.Args.ElementAtOrDefault(1)}" };
            yield break;
        }
        if (agg.Expr is Call { Args: [ColumnRef col] } keep && keep.Function.ToLowerInvariant() is "first" or "min" or "max"
            && ExpressionChecker.Resolve(input, col.Name) is { } same)
        {
            var f = VerbColumns.Renamed(same, agg.Name);
            f.Ucd = VerbColumns.WithoutMain(same.Ucd);
            yield return f;
            yield break;
        }
        if (agg.Expr is ColumnRef key && ExpressionChecker.Resolve(input, key.Name) is { } k)
        {
            yield return VerbColumns.Renamed(k, agg.Name);
            yield break;
        }
        // count() and the sum of whole numbers are whole numbers, kept exact (a sum of ids above 2^53)
        var exact = agg.Expr is Call cc && (cc.Function.Equals("count", StringComparison.OrdinalIgnoreCase)
            || cc.Function.Equals("sum", StringComparison.OrdinalIgnoreCase) && cc.Args is [var summed] && VerbColumns.IsExactInteger(summed, input));
        yield return VerbColumns.FieldFor(agg.Name, check.Type, exact, check.Unit, null);
    }

    /// <summary>Groups the rows of <paramref name="t"/> and computes the aggregations.</summary>
    public static Table Run(Table t, IReadOnlyList<string> keys, IReadOnlyList<Aggregation> aggregations, string? name = null)
    {
        var input = VerbColumns.FieldsOf(t);
        var schema = Schema(input, keys, aggregations, t.Name ?? "the table").OrThrow("group");
        var keyColumns = keys.Select(k => t.Columns[VerbColumns.Find(input, k)]).ToList();
        var g = Grouping.Build(keyColumns, t.RowCount);
        var columns = new List<Column>();
        foreach (var k in keyColumns) columns.Add(k.Select(g.FirstRow));
        var at = keys.Count;
        var keyNames = keyColumns.Select(k => k.Name).ToList();
        foreach (var agg in aggregations)
        {
            var check = ExpressionChecker.Check(agg.Expr, input, ExprContext.Group, keyNames);
            if (agg.Expr is Call { Function: var fn } c && fn.Equals("mean_position", StringComparison.OrdinalIgnoreCase))
            {
                var (ra, dec) = ExpressionEvaluator.EvaluateMeanPosition(c, t, g, check);
                columns.Add(VerbColumns.FromVector(ra, schema.Fields[at++].Clone()));
                columns.Add(VerbColumns.FromVector(dec, schema.Fields[at++].Clone()));
                continue;
            }
            var field = schema.Fields[at++];
            if (agg.Expr is Call { Args: [ColumnRef col] } keep && keep.Function.Equals("first", StringComparison.OrdinalIgnoreCase))
            {
                columns.Add(t.FindColumn(col.Name)!.Select(g.FirstRow, field));
                continue;
            }
            if (agg.Expr is ColumnRef key)
            {
                columns.Add(t.FindColumn(key.Name)!.Select(g.FirstRow, field));
                continue;
            }
            var v = ExpressionEvaluator.EvaluateGroups(agg.Expr, t, g, check);
            columns.Add(FromVectorAs(v, field));
        }
        var result = VerbColumns.Build(t, name, columns);
        return result;
    }

    /// <summary>A vector as a column of <paramref name="field"/>'s datatype (min/max of a bare column keep theirs).</summary>
    private static Column FromVectorAs(Vector v, Field field)
    {
        var f = field.Clone();
        if (v is NumberVector nv && field.DataType is not (DataType.Double or DataType.Long))
        {
            var dbl = (Column)VerbColumns.FromVector(nv, new Field(f.Name, DataType.Double));
            var rows = ColumnVerbs.Identity(dbl.Count);
            return field.DataType switch
            {
                DataType.Float => Convert<float>(dbl, f, x => (float)x),
                DataType.Int => Convert<int>(dbl, f, x => (int)x),
                DataType.Short => Convert<short>(dbl, f, x => (short)x),
                DataType.UnsignedByte => Convert<byte>(dbl, f, x => (byte)x),
                _ => dbl.Select(rows, f),
            };
        }
        return VerbColumns.FromVector(v, f);
    }

    private static Column Convert<T>(Column dbl, Field f, Func<double, T> cast) where T : unmanaged
    {
        var d = (ScalarColumn<double>)dbl;
        var v = new T[d.Count];
        for (var i = 0; i < v.Length; i++) if (!d.IsNull(i)) v[i] = cast(d.Values[i]);
        return new ScalarColumn<T>(f, v, d.Nulls?.Clone());
    }
}
