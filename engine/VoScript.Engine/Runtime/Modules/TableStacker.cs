using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>Stacks tables with possibly different columns into one, tagging each row with where it came from.</summary>
internal static class TableStacker
{
    /// <summary>
    /// Columns are matched by name (ignoring case); the first table's metadata is kept.
    /// A column keeps its type when every table that has it gives it the same scalar
    /// type; otherwise its cells become strings. Missing cells are nulls. A first
    /// column <c>service</c> (<c>source_service</c> when a table has its own
    /// <c>service</c>) holds each row's source name.
    /// </summary>
    public static Table Stack(string name, IReadOnlyList<(string Source, Table Table)> parts)
    {
        var result = new Table(name);
        var total = parts.Sum(p => p.Table.RowCount);
        var sources = new string?[total];
        var at = 0;
        foreach (var (source, table) in parts)
            for (var r = 0; r < table.RowCount; r++) sources[at++] = source;
        var tag = parts.Any(p => p.Table.FindColumn("service") is not null) ? "source_service" : "service";
        result.AddColumn(new StringColumn(new Field(tag, DataType.Char, ArraySize.Variable) { Ucd = "meta.id;meta.curation" }, sources));

        var names = new List<string>();
        foreach (var (_, table) in parts)
            foreach (var c in table.Columns)
                if (!names.Contains(c.Name, StringComparer.OrdinalIgnoreCase) && !string.Equals(c.Name, tag, StringComparison.OrdinalIgnoreCase))
                    names.Add(c.Name);
        foreach (var column in names)
        {
            var pieces = parts.Select(p => (p.Table.RowCount, Column: p.Table.FindColumn(column))).ToList();
            var present = pieces.Where(p => p.Column is not null).Select(p => p.Column!).ToList();
            var field = present[0].Field.Clone();
            result.AddColumn(present.All(c => c.GetType() == present[0].GetType()) && !present[0].ElementType.IsArray
                ? Concatenate(field, pieces, total)
                : AsStrings(field, pieces, total));
        }
        return result;
    }

    private static Column Concatenate(Field field, List<(int Rows, Column? Column)> pieces, int total) =>
        pieces.First(p => p.Column is not null).Column switch
        {
            StringColumn => AsStrings(field, pieces, total),
            ScalarColumn<double> => Scalars<double>(field, pieces, total),
            ScalarColumn<float> => Scalars<float>(field, pieces, total),
            ScalarColumn<long> => Scalars<long>(field, pieces, total),
            ScalarColumn<int> => Scalars<int>(field, pieces, total),
            ScalarColumn<short> => Scalars<short>(field, pieces, total),
            ScalarColumn<byte> => Scalars<byte>(field, pieces, total),
            ScalarColumn<bool> => Scalars<bool>(field, pieces, total),
            _ => AsStrings(field, pieces, total),
        };

    private static Column Scalars<T>(Field field, List<(int Rows, Column? Column)> pieces, int total) where T : unmanaged
    {
        var values = new T[total];
        NullMask? nulls = null;
        var at = 0;
        foreach (var (rows, column) in pieces)
        {
            for (var r = 0; r < rows; r++, at++)
            {
                if (column is ScalarColumn<T> s && !s.IsNull(r)) values[at] = s[r];
                else (nulls ??= new NullMask(total)).Set(at);
            }
        }
        return new ScalarColumn<T>(field, values, nulls);
    }

    private static Column AsStrings(Field field, List<(int Rows, Column? Column)> pieces, int total)
    {
        var values = new string?[total];
        var at = 0;
        foreach (var (rows, column) in pieces)
            for (var r = 0; r < rows; r++, at++)
                values[at] = column is null || column.IsNull(r) ? null : column.FormatCell(r);
        var f = new Field(field.Name, DataType.Char, ArraySize.Variable)
        {
            Unit = field.Unit, Ucd = field.Ucd, Utype = field.Utype, Description = field.Description,
        };
        return new StringColumn(f, values);
    }
}
