using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>
/// <c>keep T columns a, b as NAME</c>, <c>drop T columns a, b as NAME</c> and
/// <c>rename T a to b, … as NAME</c>: the columns change, the rows and all metadata stay.
/// Each has a schema function (the output columns from the input's, or the problems) used both by the
/// compiler before the run and by the kernel.
/// </summary>
public static class ColumnVerbs
{
    /// <summary>The columns <c>keep</c> gives: the named ones, in the order named.</summary>
    public static VerbSchema KeepSchema(IReadOnlyList<Field> input, IReadOnlyList<string> columns, string table = "the table")
    {
        var problems = new List<VerbProblem>();
        var fields = new List<Field>();
        var seen = new HashSet<int>();
        for (var k = 0; k < columns.Count; k++)
        {
            var i = VerbColumns.Find(input, columns[k]);
            if (i < 0) { problems.Add(VerbColumns.Unknown(columns[k], input, table, k)); continue; }
            if (!seen.Add(i))
            {
                problems.Add(new VerbProblem(VerbProblemKind.NameClash, $"column '{input[i].Name}' is named twice in keep") { Subject = columns[k], Item = k });
                continue;
            }
            fields.Add(input[i]);
        }
        return new VerbSchema(fields, problems);
    }

    /// <summary>Keeps the named columns of <paramref name="t"/> in the order named.</summary>
    public static Table Keep(Table t, IReadOnlyList<string> columns, string? name = null)
    {
        var input = VerbColumns.FieldsOf(t);
        KeepSchema(input, columns, t.Name ?? "the table").OrThrow("keep");
        return VerbColumns.Build(t, name, columns.Select(c => t.Columns[VerbColumns.Find(input, c)]));
    }

    /// <summary>The columns <c>drop</c> gives: all but the named ones.</summary>
    public static VerbSchema DropSchema(IReadOnlyList<Field> input, IReadOnlyList<string> columns, string table = "the table")
    {
        var problems = new List<VerbProblem>();
        var dropped = new HashSet<int>();
        for (var k = 0; k < columns.Count; k++)
        {
            var i = VerbColumns.Find(input, columns[k]);
            if (i < 0) problems.Add(VerbColumns.Unknown(columns[k], input, table, k));
            else dropped.Add(i);
        }
        return new VerbSchema(input.Where((_, i) => !dropped.Contains(i)).ToList(), problems);
    }

    /// <summary>Drops the named columns of <paramref name="t"/>.</summary>
    public static Table Drop(Table t, IReadOnlyList<string> columns, string? name = null)
    {
        var input = VerbColumns.FieldsOf(t);
        DropSchema(input, columns, t.Name ?? "the table").OrThrow("drop");
        var dropped = columns.Select(c => VerbColumns.Find(input, c)).ToHashSet();
        return VerbColumns.Build(t, name, t.Columns.Where((_, i) => !dropped.Contains(i)));
    }

    /// <summary>
    /// The columns <c>rename</c> gives: the same, with new names. A new name that another column
    /// keeps (or that two renames give) is a name clash; renames happen at once, so <c>a to b, b to a</c> swaps.
    /// </summary>
    public static VerbSchema RenameSchema(IReadOnlyList<Field> input, IReadOnlyList<(string From, string To)> renames, string table = "the table")
    {
        var problems = new List<VerbProblem>();
        var names = input.Select(f => f.Name).ToArray();
        var renamed = new Dictionary<int, int>();
        for (var k = 0; k < renames.Count; k++)
        {
            var i = VerbColumns.Find(input, renames[k].From);
            if (i < 0) { problems.Add(VerbColumns.Unknown(renames[k].From, input, table, k)); continue; }
            if (renamed.ContainsKey(i))
            {
                problems.Add(new VerbProblem(VerbProblemKind.NameClash, $"column '{input[i].Name}' is renamed twice") { Subject = renames[k].From, Item = k });
                continue;
            }
            renamed[i] = k;
            names[i] = renames[k].To;
        }
        for (var k = 0; k < renames.Count; k++)
        {
            var to = renames[k].To;
            var holders = Enumerable.Range(0, names.Length).Where(i => names[i].Equals(to, StringComparison.OrdinalIgnoreCase)).ToList();
            if (holders.Count > 1 && problems.All(p => p.Item != k))
            {
                var other = holders.Select(i => renamed.TryGetValue(i, out var kk) && kk != k ? $"'{input[i].Name}' is renamed to it too" : !renamed.ContainsKey(i) ? $"'{input[i].Name}' already has that name" : null)
                    .FirstOrDefault(s => s is not null) ?? "another column has it";
                problems.Add(new VerbProblem(VerbProblemKind.NameClash,
                    $"cannot rename '{renames[k].From}' to '{to}': {other}; drop or rename that column first") { Subject = to, Item = k });
            }
        }
        var fields = input.Select((f, i) => renamed.ContainsKey(i) ? VerbColumns.Renamed(f, names[i]) : f).ToList();
        return new VerbSchema(fields, problems);
    }

    /// <summary>Renames columns of <paramref name="t"/>.</summary>
    public static Table Rename(Table t, IReadOnlyList<(string From, string To)> renames, string? name = null)
    {
        var input = VerbColumns.FieldsOf(t);
        var schema = RenameSchema(input, renames, t.Name ?? "the table").OrThrow("rename");
        return VerbColumns.Build(t, name, t.Columns.Select((c, i) => ReferenceEquals(schema.Fields[i], c.Field) ? c : c.Select(Identity(c.Count), schema.Fields[i])));
    }

    internal static int[] Identity(int n)
    {
        var r = new int[n];
        for (var i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
