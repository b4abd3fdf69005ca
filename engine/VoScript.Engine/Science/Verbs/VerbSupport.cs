using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>Kinds of problems a verb finds in its inputs, so that the language can give each its diagnostic code.</summary>
public enum VerbProblemKind
{
    /// <summary>A column the input does not have (<see cref="VerbProblem.Subject"/> is the name, <see cref="VerbProblem.Candidates"/> the input's columns).</summary>
    UnknownColumn,
    /// <summary>A type or unit mismatch (join keys, stack columns, expressions).</summary>
    Mismatch,
    /// <summary>An output name used twice (rename, derive, group).</summary>
    NameClash,
    /// <summary>Anything else (a table without positions, a negative count, an aggregate outside group).</summary>
    Other,
}

/// <summary>
/// A problem a verb finds from its inputs' columns: what, where (the name or expression it is about,
/// and the expression span when it comes from an expression), and for unknown columns the candidates.
/// </summary>
public sealed record VerbProblem(VerbProblemKind Kind, string Message)
{
    /// <summary>The column or output name the problem is about.</summary>
    public string? Subject { get; init; }
    /// <summary>Which item of the statement (0-based: the column list, the derivation, the input table) it is about; -1 for the whole.</summary>
    public int Item { get; init; } = -1;
    /// <summary>The span inside an expression, when the problem is in one.</summary>
    public ExprSpan? Span { get; init; }
    /// <summary>For unknown columns: the names there are.</summary>
    public IReadOnlyList<string>? Candidates { get; init; }

    /// <summary>
    /// A problem of the expression of item <paramref name="item"/> as the verb's: an unknown column (with
    /// <paramref name="fields"/>, the columns the expression sees, as candidates), a unit or type mismatch, or another.
    /// </summary>
    public static VerbProblem FromExpression(ExprDiagnostic e, IReadOnlyList<Field> fields, int item) => e.Problem switch
    {
        ExprProblem.UnknownColumn => VerbColumns.Unknown(e.Column!, fields, "the table", item, NamePlace.Expression) with { Span = e.Span },
        ExprProblem.Unit or ExprProblem.Type => new VerbProblem(VerbProblemKind.Mismatch, e.Message) { Span = e.Span, Item = item },
        _ => new VerbProblem(VerbProblemKind.Other, e.Message) { Span = e.Span, Item = item },
    };

    /// <summary>A new column's name that a column of the input table already has.</summary>
    public static VerbProblem TakenName(string name, int item) =>
        new(VerbProblemKind.NameClash, $"'{name}' is already a column of the table: choose another name, or drop or rename the old column first") { Subject = name, Item = item };

    /// <summary>A new column's name given twice in one statement (<paramref name="what"/>: "derived", "a column of the result", …).</summary>
    public static VerbProblem NamedTwice(string name, int item, string what) =>
        new(VerbProblemKind.NameClash, $"'{name}' is {what} twice: choose another name") { Subject = name, Item = item };
}

/// <summary>The columns a verb will produce from its inputs' columns, or the problems that stop it.</summary>
public sealed record VerbSchema(IReadOnlyList<Field> Fields, IReadOnlyList<VerbProblem> Problems)
{
    /// <summary>No problems.</summary>
    public bool Ok => Problems.Count == 0;

    /// <summary>Throws a <see cref="VoScriptException"/> naming every problem (for the run-time check; the executor names the step).</summary>
    public VerbSchema OrThrow(string verb)
    {
        if (!Ok) throw new VoScriptException(string.Join("; ", Problems.Select(p => p.Message)));
        return this;
    }
}

/// <summary>Column helpers shared by the verbs: lookups with suggestions, gathering rows (with nulls), building columns from vectors.</summary>
internal static class VerbColumns
{
    /// <summary>The index of the column called <paramref name="name"/> (exactly, else ignoring case), or -1.</summary>
    public static int Find(IReadOnlyList<Field> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++) if (fields[i].Name == name) return i;
        for (var i = 0; i < fields.Count; i++) if (fields[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>
    /// An unknown-column problem with "did you mean" and the columns there are, each name as it must be typed where it
    /// was written (<paramref name="place"/>: a list of columns, the default, or an expression).
    /// </summary>
    public static VerbProblem Unknown(string name, IReadOnlyList<Field> fields, string table, int item = -1, NamePlace place = NamePlace.ColumnList)
    {
        var names = fields.Select(f => f.Name).ToList();
        var near = Functions.Nearest(name, names);
        return new VerbProblem(VerbProblemKind.UnknownColumn,
            $"'{table}' has no column {ScriptNames.Mention(name, place)}"
            + (near is not null ? $" (did you mean {ScriptNames.Mention(near, place)}?)" : $"; its columns are {ScriptNames.List(names, place)}"))
        { Subject = name, Item = item, Candidates = names };
    }

    /// <summary>Fields with name and position only, for a table (what a plan knows before any data).</summary>
    public static IReadOnlyList<Field> FieldsOf(Table t) => t.Fields.ToList();

    /// <summary>A copy of <paramref name="f"/> called <paramref name="name"/> (the ID dropped: it would no longer be unique).</summary>
    public static Field Renamed(Field f, string name)
    {
        var c = f.Clone();
        c.Name = name;
        c.Id = null;
        return c;
    }

    /// <summary>The UCD without <c>meta.main</c> (null if nothing is left).</summary>
    public static string? WithoutMain(string? ucd)
    {
        if (ucd is null || !Ucds.HasWord(ucd, "meta.main")) return ucd;
        var rest = Ucds.Normalize(ucd)!.Split(';').Where(w => !w.Equals("meta.main", StringComparison.OrdinalIgnoreCase)).ToArray();
        return rest.Length == 0 ? null : string.Join(';', rest);
    }

    /// <summary>
    /// A column of <paramref name="c"/>'s rows at <paramref name="rows"/>; a row of -1 gives a null cell. The one path
    /// every verb gathers by (typed loops, no boxing, blocks of rows on all cores: see <see cref="ColumnGather"/>).
    /// </summary>
    public static Column Take(Column c, int[] rows, Field field) =>
        c.Gather(rows, field, missing: rows.AsSpan().IndexOfAnyInRange(int.MinValue, -1) >= 0);

    /// <summary>The field a computed value of type <paramref name="type"/> gets (numbers double, or long when exact integers).</summary>
    public static Field FieldFor(string name, ExprType type, bool exactInteger, string? unit, string? ucd) =>
        type switch
        {
            ExprType.Text => new Field(name, DataType.Char, ArraySize.Variable) { Ucd = ucd },
            ExprType.Boolean => new Field(name, DataType.Boolean) { Ucd = ucd },
            _ => new Field(name, exactInteger ? DataType.Long : DataType.Double) { Unit = unit, Ucd = ucd },
        };

    /// <summary>A column from a computed vector, with <paramref name="field"/>'s metadata (NaN and null become null cells).</summary>
    public static Column FromVector(Vector v, Field field)
    {
        var n = v.Count;
        switch (v)
        {
            case TextVector t:
                {
                    var values = (string?[])t.Values.Clone();
                    foreach (var s in values)
                        if (s is not null && s.Any(ch => ch > 127)) { field.DataType = DataType.UnicodeChar; break; }
                    return new StringColumn(field, values);
                }
            case BoolVector b when field.DataType is DataType.Boolean:
                {
                    var values = new bool[n];
                    NullMask? nulls = null;
                    for (var i = 0; i < n; i++)
                    {
                        if (b.Values[i] == BoolVector.Null) (nulls ??= new NullMask(n)).Set(i);
                        else values[i] = b.Values[i] == BoolVector.True;
                    }
                    return new ScalarColumn<bool>(field, values, nulls);
                }
            case NumberVector { Exact: { } ex } nv when field.DataType == DataType.Long:
                {
                    var values = new long[n];
                    NullMask? nulls = null;
                    for (var i = 0; i < n; i++)
                    {
                        if (double.IsNaN(nv.Values[i])) (nulls ??= new NullMask(n)).Set(i);
                        else values[i] = ex[i];
                    }
                    return new ScalarColumn<long>(field, values, nulls);
                }
            default:
                {
                    var x = ExpressionEvaluator.AsNumber(v, n);
                    var values = new double[n];
                    NullMask? nulls = null;
                    for (var i = 0; i < n; i++)
                    {
                        if (double.IsNaN(x[i])) { (nulls ??= new NullMask(n)).Set(i); values[i] = double.NaN; }
                        else values[i] = x[i];
                    }
                    if (field.DataType == DataType.Long)
                    {
                        var l = new long[n];
                        for (var i = 0; i < n; i++) l[i] = double.IsNaN(values[i]) ? 0 : (long)values[i];
                        return new ScalarColumn<long>(field, l, nulls);
                    }
                    return new ScalarColumn<double>(field, values, nulls);
                }
        }
    }

    /// <summary>Whether an expression gives exact integers (an integer column or constant, or count()).</summary>
    public static bool IsExactInteger(Expr e, IReadOnlyList<Field> fields) => e switch
    {
        ColumnRef c => ExpressionChecker.Resolve(fields, c.Name) is { } f && f.DataType.IsInteger(),
        Literal { Value: long or int } => true,
        Call c when c.Function.Equals("count", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };

    /// <summary>A new table with the metadata of <paramref name="source"/> and the given columns.</summary>
    public static Table Build(Table source, string? name, IEnumerable<Column> columns)
    {
        var t = source.CopyMetadata();
        t.Name = name ?? source.Name;
        foreach (var c in columns) t.AddColumn(c);
        t.Warnings.AddRange(source.Warnings);
        return t;
    }

    /// <summary>Throws when the table's actual columns give problems (the run-time check of a verb).</summary>
    internal static void ThrowIfProblems(string verb, IReadOnlyList<VerbProblem> problems)
    {
        if (problems.Count > 0) throw new VoScriptException($"{verb}: " + string.Join("; ", problems.Select(p => p.Message)));
    }
}

/// <summary>
/// The most rows a verb whose result can outgrow its inputs (a join on a repeated key, <c>match … all</c> with a
/// wide angle) may make: what fits in half the memory this process may use. A verb that would make more stops
/// with a clear error before it allocates them, instead of the process being killed for want of memory with
/// every result lost.
/// </summary>
internal static class ResultSize
{
    /// <summary>The most rows of <paramref name="bytesPerRow"/> bytes the result may have.</summary>
    public static long MaxRows(long bytesPerRow)
    {
        var memory = MemoryForTests.Value ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (memory <= 0) memory = 4L << 30;
        return Math.Max(1, Math.Min(Array.MaxLength, memory / 2 / Math.Max(1, bytesPerRow)));
    }

    /// <summary>Tests set the memory the limit is computed from (for the current async flow only).</summary>
    internal static readonly AsyncLocal<long?> MemoryForTests = new();

    /// <summary>About how many bytes a row of these columns takes in memory (strings and arrays by a rough average).</summary>
    public static long BytesPerRow(IEnumerable<Field> fields)
    {
        long bytes = 0;
        foreach (var f in fields)
            bytes += f.IsString ? 32 : f.ArraySize.IsScalar ? Math.Max(1, f.DataType.ByteSize()) + 1 : 64;
        return bytes;
    }

    /// <summary>A size in bytes for people (1.2 GB).</summary>
    public static string Bytes(double bytes) =>
        bytes >= 1e9 ? $"{bytes / 1e9:0.#} GB" : bytes >= 1e6 ? $"{bytes / 1e6:0.#} MB" : $"{bytes / 1e3:0.#} kB";
}
