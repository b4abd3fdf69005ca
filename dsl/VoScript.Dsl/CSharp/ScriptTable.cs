using VoScript.Engine.Model;

namespace VoScript.Dsl.CSharp;

/// <summary>
/// A workspace table as C# in a <c>csharp</c> block sees it: columns as arrays
/// (<see cref="Double"/>, <see cref="String"/>, <see cref="Values{T}"/>), rows as an
/// enumerable (<see cref="Rows"/>), and new tables made from it (<see cref="With(string, double[], string?, string?, string?)"/>,
/// <see cref="Where"/>). The engine's <see cref="Table"/> underneath is there for anything else.
/// Column names are matched without regard to case, as everywhere in VoScript.
/// </summary>
public sealed class ScriptTable
{
    /// <summary>Wraps an engine table (no copy).</summary>
    public ScriptTable(Table table) => Table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>A new empty table; add columns with <c>With</c>.</summary>
    public ScriptTable(string name) => Table = new Table(name);

    /// <summary>The engine's table (columns, fields with units and UCDs, params, infos).</summary>
    public Table Table { get; }

    /// <summary>The table's name (its VOTable TABLE name, or the workspace name it was made under).</summary>
    public string? Name => Table.Name;

    /// <summary>The number of rows.</summary>
    public int RowCount => Table.RowCount;

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => Table.Columns.Select(c => c.Name).ToList();

    /// <summary>Whether the table has a column of that name (case aside).</summary>
    public bool HasColumn(string column) => Table.FindColumn(column) is not null;

    /// <summary>The engine column; throws with the table's column names when there is none of that name.</summary>
    public Column Column(string column) =>
        Table.FindColumn(column)
        ?? throw new ArgumentException($"table '{Name}' has no column '{column}'; its columns are {string.Join(", ", ColumnNames)}", nameof(column));

    /// <summary>A numeric column as doubles (a copy; null cells are NaN).</summary>
    public double[] Double(string column)
    {
        var c = Column(column);
        if (c.Field.IsString || !c.Field.ArraySize.IsScalar)
            throw new ArgumentException($"column '{c.Name}' of '{Name}' holds {(c.Field.IsString ? "text" : "arrays")}, not numbers; use String(\"{c.Name}\")", nameof(column));
        var result = new double[c.Count];
        for (var i = 0; i < result.Length; i++) result[i] = c.GetDouble(i);
        return result;
    }

    /// <summary>A column as text (a copy; null cells are null; numbers as they are written in TABLEDATA).</summary>
    public string?[] String(string column)
    {
        var c = Column(column);
        var result = new string?[c.Count];
        for (var i = 0; i < result.Length; i++) result[i] = c.IsNull(i) ? null : c is StringColumn s ? s[i] : c.FormatCell(i);
        return result;
    }

    /// <summary>
    /// The column's own array, without a copy, when its cells are of type <typeparamref name="T"/>
    /// (<c>long</c> for a VOTable long, <c>float</c> for float, …); null cells hold a fill value, see <see cref="IsNull"/>.
    /// </summary>
    public ReadOnlyMemory<T> Values<T>(string column) where T : unmanaged
    {
        var c = Column(column);
        return c is ScalarColumn<T> s
            ? s.Values
            : throw new ArgumentException($"column '{c.Name}' of '{Name}' holds {c.ElementType.Name}, not {typeof(T).Name}", nameof(column));
    }

    /// <summary>For each row, whether the cell of <paramref name="column"/> is null.</summary>
    public bool[] IsNull(string column)
    {
        var c = Column(column);
        var result = new bool[c.Count];
        for (var i = 0; i < result.Length; i++) result[i] = c.IsNull(i);
        return result;
    }

    /// <summary>The rows, one at a time (for clarity more than speed: use the column arrays for big tables).</summary>
    public IEnumerable<ScriptRow> Rows
    {
        get
        {
            for (var i = 0; i < RowCount; i++) yield return new ScriptRow(this, i);
        }
    }

    /// <summary>A new table: these columns and one more, of numbers (NaN becomes null).</summary>
    public ScriptTable With(string column, double[] values, string? unit = null, string? ucd = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckLength(column, values.Length);
        NullMask? nulls = null;
        for (var i = 0; i < values.Length; i++)
            if (double.IsNaN(values[i])) (nulls ??= new NullMask(values.Length)).Set(i);
        var field = new Field(column, DataType.Double) { Unit = unit, Ucd = ucd, Description = description };
        return Add(new ScalarColumn<double>(field, (double[])values.Clone(), nulls));
    }

    /// <summary>A new table: these columns and one more, of text (null stays null).</summary>
    public ScriptTable With(string column, string?[] values, string? unit = null, string? ucd = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckLength(column, values.Length);
        NullMask? nulls = null;
        for (var i = 0; i < values.Length; i++)
            if (values[i] is null) (nulls ??= new NullMask(values.Length)).Set(i);
        var field = new Field(column, DataType.Char, ArraySize.Variable) { Unit = unit, Ucd = ucd, Description = description };
        return Add(new StringColumn(field, (string?[])values.Clone(), values.Length, nulls));
    }

    /// <summary>A new table with the rows for which <paramref name="keep"/> is true.</summary>
    public ScriptTable Where(Func<ScriptRow, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var rows = new List<int>();
        for (var i = 0; i < RowCount; i++)
            if (keep(new ScriptRow(this, i))) rows.Add(i);
        return new ScriptTable(Table.SelectRows(rows));
    }

    /// <summary><c>NAME: N rows, M columns</c>.</summary>
    public override string ToString() => $"{Name ?? "(unnamed)"}: {RowCount} rows, {Table.ColumnCount} columns";

    private void CheckLength(string column, int length)
    {
        if (Table.ColumnCount > 0 && length != RowCount)
            throw new ArgumentException($"column '{column}' has {length} values, and table '{Name}' has {RowCount} rows", nameof(column));
        if (HasColumn(column))
            throw new ArgumentException($"table '{Name}' already has a column '{column}'; choose another name", nameof(column));
    }

    private ScriptTable Add(Column column)
    {
        var copy = Table.SelectRows(Enumerable.Range(0, RowCount).ToList());
        copy.AddColumn(column);
        return new ScriptTable(copy);
    }
}

/// <summary>One row of a <see cref="ScriptTable"/>.</summary>
public readonly struct ScriptRow
{
    private readonly ScriptTable _table;

    internal ScriptRow(ScriptTable table, int index)
    {
        _table = table;
        Index = index;
    }

    /// <summary>The row number, from 0.</summary>
    public int Index { get; }

    /// <summary>The cell as an object: null for a null cell, else a double, long, string, bool, array, ….</summary>
    public object? this[string column] => _table.Column(column).GetValue(Index);

    /// <summary>The cell as a number (NaN for null or text).</summary>
    public double Double(string column) => _table.Column(column).GetDouble(Index);

    /// <summary>The cell as text (null for null).</summary>
    public string? String(string column)
    {
        var c = _table.Column(column);
        return c.IsNull(Index) ? null : c is StringColumn s ? s[Index] : c.FormatCell(Index);
    }

    /// <summary>Whether the cell is null.</summary>
    public bool IsNull(string column) => _table.Column(column).IsNull(Index);
}
