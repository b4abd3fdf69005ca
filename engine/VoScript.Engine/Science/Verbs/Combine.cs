using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>
/// <c>join A, B on COL [= COL] [left] as NAME</c>: rows of A and B with equal keys (a hash join on B's key).
/// Inner by default (a row of A with no partner is left out), <c>left</c> keeps it with nulls for B's columns.
/// Output: A's columns, then B's columns without B's key; other names both tables have become A_col and B_col.
/// Rows come in A's order, partners in B's order. Null keys match nothing; numbers compare by value
/// (integers exactly), texts exactly. Keys of different kinds (a number and a text) are an error.
/// </summary>
public static class Join
{
    /// <summary>The output columns, or the problems (unknown keys, keys of different kinds).</summary>
    public static VerbSchema Schema(IReadOnlyList<Field> a, IReadOnlyList<Field> b, string aKey, string bKey, string aName, string bName, bool typed = true)
    {
        var problems = new List<VerbProblem>();
        var ia = VerbColumns.Find(a, aKey);
        var ib = VerbColumns.Find(b, bKey);
        if (ia < 0) problems.Add(VerbColumns.Unknown(aKey, a, aName, 0));
        if (ib < 0) problems.Add(VerbColumns.Unknown(bKey, b, bName, 1));
        if (ia >= 0 && ib >= 0 && typed && Kind(a[ia]) != Kind(b[ib]))
            problems.Add(new VerbProblem(VerbProblemKind.Mismatch,
                $"join keys of different kinds: {aName}.{a[ia].Name} is {Describe(a[ia])} but {bName}.{b[ib].Name} is {Describe(b[ib])}; make them alike first (derive a column of the other kind)")
            { Subject = bKey, Item = 1 });
        var keyA = ia >= 0 ? a[ia].Name : aKey;
        var clash = a.Select(f => f.Name).Intersect(b.Where((_, i) => i != ib).Select(f => f.Name), StringComparer.OrdinalIgnoreCase)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = new List<Field>();
        foreach (var f in a)
            fields.Add(clash.Contains(f.Name) && !f.Name.Equals(keyA, StringComparison.OrdinalIgnoreCase) ? VerbColumns.Renamed(f, $"{aName}_{f.Name}") : f);
        for (var i = 0; i < b.Count; i++)
        {
            if (i == ib) continue;
            var g = VerbColumns.Renamed(b[i], clash.Contains(b[i].Name) ? $"{bName}_{b[i].Name}" : b[i].Name);
            g.Ucd = VerbColumns.WithoutMain(g.Ucd);
            fields.Add(g);
        }
        return new VerbSchema(fields, problems);
    }

    internal static string Kind(Field f) =>
        f.IsString ? "text" : !f.ArraySize.IsScalar ? "array" : f.DataType is DataType.Boolean or DataType.Bit ? "true/false" : "number";

    private static string Describe(Field f) => $"{(Kind(f) == "true/false" ? "a true/false value" : Kind(f) == "array" ? "an array" : "a " + Kind(f))} ({f.DataType.ToString().ToLowerInvariant()})";

    /// <summary>Joins <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static Table Run(Table a, Table b, string aKey, string bKey, bool left, string aName, string bName, string? name = null)
    {
        var fa = VerbColumns.FieldsOf(a);
        var fb = VerbColumns.FieldsOf(b);
        var schema = Schema(fa, fb, aKey, bKey, aName, bName).OrThrow("join");
        var ka = a.Columns[VerbColumns.Find(fa, aKey)];
        var ib = VerbColumns.Find(fb, bKey);
        var kb = b.Columns[ib];
        var (codesA, codesB) = Codes(ka, kb);

        // B's rows by key, in B's order: first[key].Row then next[row]; with how many rows each key has, so that the
        // size of the result is known before any of it is made (a key that repeats in both tables multiplies:
        // 10^5 rows with one key on each side would be 10^10 rows)
        var first = new Dictionary<KeyCode, (int Row, int Count)>();
        var next = new int[b.RowCount];
        for (var j = b.RowCount - 1; j >= 0; j--)
        {
            if (codesB[j].IsNull) continue;
            next[j] = first.TryGetValue(codesB[j], out var f) ? f.Row : -1;
            first[codesB[j]] = (j, f.Count + 1);
        }
        long total = 0;
        for (var i = 0; i < a.RowCount; i++)
        {
            var n = codesA[i].IsNull ? 0 : first.GetValueOrDefault(codesA[i]).Count;
            total += n > 0 ? n : left ? 1 : 0;
        }
        var limit = ResultSize.MaxRows(ResultSize.BytesPerRow(schema.Fields) + 8);
        if (total > limit)
        {
            var worst = first.MaxBy(kv => kv.Value.Count).Value;
            throw new VoScriptException($"join {aName}, {bName} on {aKey} would make {total:N0} rows (about {ResultSize.Bytes((double)total * ResultSize.BytesPerRow(schema.Fields))}), more than fit in memory ({limit:N0}): "
                + $"keys repeat in both tables ({bName}.{bKey} = {kb.FormatCell(worst.Row)} is in {worst.Count:N0} of its rows); join on a key that identifies rows, or make it so first (distinct {bName} by {bKey} as NAME)");
        }
        var ra = new int[total];
        var rb = new int[total];
        var w = 0;
        for (var i = 0; i < a.RowCount; i++)
        {
            var any = false;
            if (!codesA[i].IsNull && first.TryGetValue(codesA[i], out var head))
                for (var j = head.Row; j >= 0; j = next[j]) { ra[w] = i; rb[w++] = j; any = true; }
            if (!any && left) { ra[w] = i; rb[w++] = -1; }
        }
        var result = new Table(name ?? $"{aName}_{bName}");
        var at = 0;
        foreach (var c in a.Columns) result.AddColumn(VerbColumns.Take(c, ra, schema.Fields[at++]));
        for (var k = 0; k < b.ColumnCount; k++)
            if (k != ib) result.AddColumn(VerbColumns.Take(b.Columns[k], rb, schema.Fields[at++]));
        result.Warnings.AddRange(a.Warnings);
        result.Warnings.AddRange(b.Warnings);
        return result;
    }

    /// <summary>A key value: an exact integer, a double's bits, or a string; or null.</summary>
    private readonly record struct KeyCode(long Number, string? Text, bool IsNull);

    private static (KeyCode[] A, KeyCode[] B) Codes(Column a, Column b)
    {
        var integers = a.Field.DataType.IsInteger() && b.Field.DataType.IsInteger() || a is ScalarColumn<bool> && b is ScalarColumn<bool>;
        return (Codes(a, integers), Codes(b, integers));
    }

    private static KeyCode[] Codes(Column c, bool integers)
    {
        var n = c.Count;
        var r = new KeyCode[n];
        if (c.Field.IsString)
        {
            for (var i = 0; i < n; i++) r[i] = c.IsNull(i) ? new KeyCode(0, null, true) : new KeyCode(0, c is StringColumn s ? s.Values[i] : c.FormatCell(i), false);
            return r;
        }
        if (integers)
        {
            var v = Grouping.Longs(c);
            for (var i = 0; i < n; i++) r[i] = new KeyCode(v[i], null, c.IsNull(i));
            return r;
        }
        for (var i = 0; i < n; i++)
        {
            var d = c.GetDouble(i);
            r[i] = double.IsNaN(d) ? new KeyCode(0, null, true) : new KeyCode(BitConverter.DoubleToInt64Bits(d == 0 ? 0.0 : d), null, false);
        }
        return r;
    }
}

/// <summary>
/// <c>stack A, B, … as NAME</c>: the rows of all tables, one after the other. Columns are matched by name
/// (ignoring case) in order of first appearance; a table without a column gives nulls there. Integers of
/// different widths widen (to long), integers and reals become double, numbers in convertible units are
/// converted to the first table's unit; a number and a text, units that do not mix, or arrays of different
/// shapes are an error naming both tables.
/// </summary>
public static class Stack
{
    /// <summary>The output columns of stacking tables with these names and columns, or the problems.</summary>
    public static VerbSchema Schema(IReadOnlyList<(string Name, IReadOnlyList<Field> Fields)> inputs, bool typed = true)
    {
        var problems = new List<VerbProblem>();
        var order = new List<string>();
        var byName = new Dictionary<string, List<(int Table, Field Field)>>(StringComparer.OrdinalIgnoreCase);
        for (var t = 0; t < inputs.Count; t++)
            foreach (var f in inputs[t].Fields)
            {
                if (!byName.TryGetValue(f.Name, out var list)) { byName[f.Name] = list = []; order.Add(f.Name); }
                list.Add((t, f));
            }
        var fields = new List<Field>();
        foreach (var name in order)
        {
            var parts = byName[name];
            var first = parts[0];
            var field = first.Field.Clone();
            field.Id = null;
            if (typed)
                foreach (var (t, f) in parts.Skip(1))
                {
                    var why = Clash(field, f);
                    if (why is null) { Widen(field, f); continue; }
                    problems.Add(new VerbProblem(VerbProblemKind.Mismatch,
                        $"column '{name}' is {Describe(first.Field)} in {inputs[first.Table].Name} but {Describe(f)} in {inputs[t].Name}: {why}")
                    { Subject = name, Item = t });
                    break;
                }
            fields.Add(field);
        }
        return new VerbSchema(fields, problems);
    }

    private static string Describe(Field f)
    {
        var unit = string.IsNullOrEmpty(f.Unit) ? "" : $" in {f.Unit}";
        var shape = f.IsString || f.ArraySize.IsScalar ? "" : $"[{f.ArraySize}]";
        return $"{Join.Kind(f)} ({f.DataType.ToString().ToLowerInvariant()}{shape}){unit}";
    }

    private static string? Clash(Field a, Field b)
    {
        if (Join.Kind(a) != Join.Kind(b)) return "stack needs the same kind of value in a column: convert one with derive, or drop or rename it";
        if (Join.Kind(a) == "array" && (a.DataType != b.DataType || a.ArraySize != b.ArraySize)) return "arrays must have the same type and shape";
        if (Join.Kind(a) == "number" && (a.DataType is DataType.FloatComplex or DataType.DoubleComplex) != (b.DataType is DataType.FloatComplex or DataType.DoubleComplex))
            return "complex and real numbers do not mix";
        if (Join.Kind(a) == "number" && UnitTable.Incompatible(a.Unit, b.Unit)) return "the units do not mix";
        return null;
    }

    private static void Widen(Field into, Field f)
    {
        if (Join.Kind(into) == "text")
        {
            if (f.DataType == DataType.UnicodeChar) into.DataType = DataType.UnicodeChar;
            into.ArraySize = ArraySize.Variable;
            return;
        }
        if (Join.Kind(into) != "number" || into.DataType == f.DataType || into.DataType is DataType.FloatComplex or DataType.DoubleComplex) return;
        into.DataType = into.DataType.IsInteger() && f.DataType.IsInteger() ? DataType.Long : DataType.Double;
        into.Values = null;
    }

    /// <summary>Stacks the tables (names as the script calls them).</summary>
    public static Table Run(IReadOnlyList<(string Name, Table Table)> inputs, string? name = null)
    {
        if (inputs.Count == 0) throw new VoScriptException("stack needs at least one table");
        var schema = Schema(inputs.Select(i => (i.Name, VerbColumns.FieldsOf(i.Table))).ToList()).OrThrow("stack");
        var total = inputs.Sum(i => i.Table.RowCount);
        var result = inputs[0].Table.CopyMetadata();
        result.Name = name ?? inputs[0].Name;
        foreach (var field in schema.Fields)
        {
            var parts = inputs.Select(i => (i.Table.RowCount, Column: i.Table.FindColumn(field.Name))).ToList();
            result.AddColumn(Concat(field, parts, total));
        }
        foreach (var (_, t) in inputs) result.Warnings.AddRange(t.Warnings);
        return result;
    }

    private static Column Concat(Field field, List<(int Rows, Column? Column)> parts, int total)
    {
        var f = field.Clone();
        if (field.IsString)
        {
            var v = new string?[total];
            var at = 0;
            foreach (var (rows, c) in parts)
            {
                for (var i = 0; c is not null && i < rows; i++) v[at + i] = c.IsNull(i) ? null : c is StringColumn s ? s.Values[i] : c.FormatCell(i);
                at += rows;
            }
            return new StringColumn(f, v);
        }
        var present = parts.Where(p => p.Column is not null).Select(p => p.Column!).ToList();
        var sameType = present.All(c => c.GetType() == present[0].GetType()) && present.All(c => UnitTable.Factor(c.Field.Unit, field.Unit) == 1);
        if (sameType && present[0] is not ScalarColumn<double> || present[0].ElementType.IsArray)
        {
            // one storage type for all parts (arrays, booleans, equal numbers): gather rows by (part, row)
            var pieces = new List<Column>();
            foreach (var (rows, c) in parts)
            {
                var take = new int[rows];
                for (var i = 0; i < rows; i++) take[i] = c is null ? -1 : i;
                pieces.Add(VerbColumns.Take(c ?? present[0], take, f));
            }
            return pieces[0].Concat(pieces, f, total) ?? throw new InvalidOperationException("stack: unexpected column type");
        }
        if (f.DataType == DataType.Long)
        {
            var v = new long[total];
            NullMask? nulls = null;
            var at = 0;
            foreach (var (rows, c) in parts)
            {
                var longs = c is null ? null : Grouping.Longs(c);
                for (var i = 0; i < rows; i++)
                    if (c is null || c.IsNull(i)) (nulls ??= new NullMask(total)).Set(at + i); else v[at + i] = longs![i];
                at += rows;
            }
            return new ScalarColumn<long>(f, v, nulls);
        }
        {
            var v = new double[total];
            NullMask? nulls = null;
            var at = 0;
            foreach (var (rows, c) in parts)
            {
                var factor = c is null ? 1 : UnitTable.Factor(c.Field.Unit, field.Unit) ?? 1;
                for (var i = 0; i < rows; i++)
                {
                    if (c is null || c.IsNull(i)) { (nulls ??= new NullMask(total)).Set(at + i); v[at + i] = double.NaN; }
                    else v[at + i] = c.GetDouble(i) * factor;
                }
                at += rows;
            }
            return new ScalarColumn<double>(f, v, nulls);
        }
    }
}
