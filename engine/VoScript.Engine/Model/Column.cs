using System.Globalization;
using System.Numerics;

namespace VoScript.Engine.Model;

/// <summary>A complex number of two single-precision parts (VOTable floatComplex).</summary>
public readonly record struct ComplexFloat(float Real, float Imaginary)
{
    /// <summary>Real and imaginary parts, invariant, separated by a space (as TABLEDATA writes them).</summary>
    public override string ToString() =>
        Real.ToString("R", CultureInfo.InvariantCulture) + " " + Imaginary.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A typed column: a primitive array (or flattened array of arrays) plus a null
/// mask. Cells are never boxed objects; <see cref="GetValue"/> boxes only for
/// display and generic code paths.
/// </summary>
public abstract class Column
{
    /// <summary>A column with the given metadata and null mask.</summary>
    protected Column(Field field, NullMask? nulls)
    {
        Field = field;
        Nulls = nulls;
    }

    /// <summary>The metadata of this column.</summary>
    public Field Field { get; }

    /// <summary>The column name (the field's).</summary>
    public string Name => Field.Name;

    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Set bits mark null cells; null when the column has no nulls.</summary>
    public NullMask? Nulls { get; private set; }

    /// <summary>The CLR type of one element: double, int, string, bool, …</summary>
    public abstract Type ElementType { get; }

    /// <summary>Whether the cell at <paramref name="row"/> is null.</summary>
    public bool IsNull(int row) => Nulls is { } m && m[row];

    /// <summary>The number of null cells.</summary>
    public int NullCount => Nulls?.Count(Count) ?? 0;

    /// <summary>Marks the cell at <paramref name="row"/> null.</summary>
    public void SetNull(int row) => (Nulls ??= new NullMask(Count)).Set(row);

    /// <summary>The cell as an object (null for a null cell); for display and generic code.</summary>
    public abstract object? GetValue(int row);

    /// <summary>The cell as TABLEDATA text (empty for null).</summary>
    public abstract string FormatCell(int row);

    /// <summary>The cell as TABLEDATA text, with <paramref name="integerNull"/> written for null integer array elements.</summary>
    internal virtual string FormatCell(int row, string? integerNull) => FormatCell(row);

    /// <summary>
    /// The cell as people read it (<c>show</c>, <c>print</c>, the REPL): as <see cref="FormatCell(int)"/>, except that a
    /// null element of an integer array is <c>--</c>, not the number VALUES null stands for (a boolean's is <c>?</c>).
    /// </summary>
    public virtual string DisplayCell(int row) => FormatCell(row);

    /// <summary>The cell as a double where that makes sense (NaN for null or non-numeric).</summary>
    public virtual double GetDouble(int row) => double.NaN;

    /// <summary>A column with the rows at <paramref name="rows"/>, in that order.</summary>
    public abstract Column Select(IReadOnlyList<int> rows, Field? field = null);

    /// <summary>
    /// A column with the rows at <paramref name="rows"/>, in that order, and the metadata of <paramref name="field"/>;
    /// when <paramref name="missing"/>, a row of -1 gives a null cell.
    /// </summary>
    internal virtual Column Gather(int[] rows, Field field, bool missing)
    {
        if (!missing) return Select(rows, field);
        var at = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) at[i] = Math.Max(0, rows[i]);
        var c = Select(at, field);
        for (var i = 0; i < rows.Length; i++) if (rows[i] < 0) c.SetNull(i);
        return c;
    }

    /// <summary>
    /// This column and the other <paramref name="pieces"/> (all of this column's storage type, this one first) one after
    /// the other, <paramref name="total"/> rows, with <paramref name="field"/>'s metadata; null for a type without it.
    /// </summary>
    internal virtual Column? Concat(IReadOnlyList<Column> pieces, Field field, int total) => null;

    /// <summary>The null mask for the rows at <paramref name="rows"/>, in that order (null when there are no nulls).</summary>
    protected NullMask? SelectNulls(IReadOnlyList<int> rows)
    {
        if (Nulls is null) return null;
        NullMask? m = null;
        for (var i = 0; i < rows.Count; i++)
            if (Nulls[rows[i]]) (m ??= new NullMask(rows.Count)).Set(i);
        return m;
    }

    internal static string FormatScalar<T>(T v) => v switch
    {
        bool b => b ? "T" : "F",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Complex c => c.Real.ToString("R", CultureInfo.InvariantCulture) + " " + c.Imaginary.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v?.ToString() ?? "",
    };

    /// <summary>The name, datatype and row count, for debugging.</summary>
    public override string ToString() => $"{Field} [{Count} rows]";
}

/// <summary>A column of scalars of an unmanaged type (bool, byte, short, int, long, float, double, complex).</summary>
public sealed class ScalarColumn<T> : Column where T : unmanaged
{
    /// <summary>A column of the first <paramref name="count"/> values (the array is trimmed to that length).</summary>
    public ScalarColumn(Field field, T[] values, int count, NullMask? nulls = null) : base(field, nulls)
    {
        if (count > values.Length) throw new ArgumentOutOfRangeException(nameof(count));
        if (values.Length != count) Array.Resize(ref values, count);
        Values = values;
    }

    /// <summary>A column of all the values.</summary>
    public ScalarColumn(Field field, T[] values, NullMask? nulls = null) : this(field, values, values.Length, nulls) { }

    /// <summary>The values, one per row; a null row holds a fill value.</summary>
    public T[] Values { get; }

    /// <inheritdoc/>
    public override int Count => Values.Length;
    /// <inheritdoc/>
    public override Type ElementType => typeof(T);

    /// <summary>The value at <paramref name="row"/> (a fill value when the cell is null).</summary>
    public T this[int row] => Values[row];

    /// <inheritdoc/>
    public override object? GetValue(int row) => IsNull(row) ? null : Values[row];

    /// <inheritdoc/>
    public override string FormatCell(int row) => IsNull(row) ? "" : FormatScalar(Values[row]);

    /// <inheritdoc/>
    public override double GetDouble(int row)
    {
        if (IsNull(row)) return double.NaN;
        return Values[row] switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            bool b => b ? 1 : 0,
            _ => double.NaN,
        };
    }

    /// <inheritdoc/>
    public override Column Select(IReadOnlyList<int> rows, Field? field = null)
    {
        if (rows is int[] list) return ColumnGather.Scalars(this, list, field ?? Field, missing: false);
        var v = new T[rows.Count];
        var values = Values;
        if (rows is int[] array) for (var i = 0; i < v.Length; i++) v[i] = values[array[i]]; // no interface call per cell
        else for (var i = 0; i < v.Length; i++) v[i] = values[rows[i]];
        return new ScalarColumn<T>(field ?? Field, v, SelectNulls(rows));
    }

    internal override Column Gather(int[] rows, Field field, bool missing) => ColumnGather.Scalars(this, rows, field, missing);

    internal override Column Concat(IReadOnlyList<Column> pieces, Field field, int total) => ColumnGather.ConcatScalars<T>(pieces, field, total);
}

/// <summary>
/// A column whose cells are arrays (fixed or variable length; multi-dimensional
/// cells are flattened, first index fastest). Storage is one flat array plus
/// row offsets: row r is <c>Data[Offsets[r]..Offsets[r+1]]</c>. Single elements
/// can be null (a boolean <c>?</c>, an integer equal to VALUES null): they are
/// marked in <see cref="ElementNulls"/>, indexed like <see cref="Data"/>. A float
/// element's null is NaN, kept in the data (VOTable and DALI), and not marked.
/// </summary>
public sealed class ArrayColumn<T> : Column where T : unmanaged
{
    /// <summary>A column of <paramref name="count"/> cells; cell r is <c>data[offsets[r]..offsets[r+1]]</c>;
    /// <paramref name="elementNulls"/> marks null elements by their index in <paramref name="data"/>.</summary>
    public ArrayColumn(Field field, T[] data, int[] offsets, int count, NullMask? nulls = null, NullMask? elementNulls = null) : base(field, nulls)
    {
        if (offsets.Length < count + 1) throw new ArgumentException("offsets needs count+1 entries", nameof(offsets));
        Data = data;
        Offsets = offsets;
        RowCount = count;
        ElementNulls = elementNulls is { } m && m.Count(offsets[count]) > 0 ? m : null;
    }

    /// <summary>All elements of all cells, flat.</summary>
    public T[] Data { get; }
    /// <summary>Where each cell starts in <see cref="Data"/>; one more entry than there are rows.</summary>
    public int[] Offsets { get; }
    /// <summary>Set bits mark null elements, indexed like <see cref="Data"/>; null when no element is null.</summary>
    public NullMask? ElementNulls { get; }
    private int RowCount { get; }

    /// <inheritdoc/>
    public override int Count => RowCount;
    /// <inheritdoc/>
    public override Type ElementType => typeof(T[]);

    /// <summary>The elements of the cell at <paramref name="row"/> (a null element holds a fill value).</summary>
    public ReadOnlySpan<T> this[int row] => Data.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Whether element <paramref name="index"/> of the cell at <paramref name="row"/> is null.</summary>
    public bool IsElementNull(int row, int index) => ElementNulls is { } m && m[Offsets[row] + index];

    /// <summary>Whether the cell at <paramref name="row"/> has a null element.</summary>
    public bool HasElementNulls(int row)
    {
        if (ElementNulls is not { } m) return false;
        for (var i = Offsets[row]; i < Offsets[row + 1]; i++)
            if (m[i]) return true;
        return false;
    }

    /// <summary>The cell as an object: a <c>T[]</c>, or a <c>T?[]</c> when some of its elements are null; null for a null cell.</summary>
    public override object? GetValue(int row)
    {
        if (IsNull(row)) return null;
        if (!HasElementNulls(row)) return this[row].ToArray();
        var span = this[row];
        var v = new T?[span.Length];
        for (var i = 0; i < span.Length; i++) v[i] = IsElementNull(row, i) ? null : span[i];
        return v;
    }

    /// <inheritdoc/>
    public override string FormatCell(int row) => FormatCell(row, Field.Values?.Null);

    /// <inheritdoc/>
    public override string DisplayCell(int row) => FormatCell(row, "--");

    /// <summary>The cell as TABLEDATA text, with <paramref name="integerNull"/> for null integer elements (boolean ones are <c>?</c>).</summary>
    internal override string FormatCell(int row, string? integerNull)
    {
        if (IsNull(row)) return "";
        var span = this[row];
        if (typeof(T) == typeof(bool) && Field.DataType == DataType.Bit)
        {
            var chars = new char[span.Length];
            for (var i = 0; i < span.Length; i++) chars[i] = (bool)(object)span[i] ? '1' : '0';
            return new string(chars);
        }
        var parts = new string[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            if (IsElementNull(row, i))
            {
                if (typeof(T) == typeof(bool)) { parts[i] = "?"; continue; }
                if (!string.IsNullOrWhiteSpace(integerNull)) { parts[i] = integerNull.Trim(); continue; }
            }
            parts[i] = FormatScalar(span[i]);
        }
        return string.Join(' ', parts);
    }

    /// <inheritdoc/>
    public override Column Select(IReadOnlyList<int> rows, Field? field = null)
    {
        if (rows is int[] list) return ColumnGather.Arrays(this, list, field ?? Field, missing: false);
        var offsets = new int[rows.Count + 1];
        var total = 0;
        for (var i = 0; i < rows.Count; i++) { offsets[i] = total; total += Offsets[rows[i] + 1] - Offsets[rows[i]]; }
        offsets[rows.Count] = total;
        var data = new T[total];
        NullMask? elementNulls = null;
        for (var i = 0; i < rows.Count; i++)
        {
            this[rows[i]].CopyTo(data.AsSpan(offsets[i]));
            CopyElementNulls(rows[i], ref elementNulls, offsets[i]);
        }
        return new ArrayColumn<T>(field ?? Field, data, offsets, rows.Count, SelectNulls(rows), elementNulls);
    }

    internal override Column Gather(int[] rows, Field field, bool missing) => ColumnGather.Arrays(this, rows, field, missing);

    internal override Column Concat(IReadOnlyList<Column> pieces, Field field, int total) => ColumnGather.ConcatArrays<T>(pieces, field, total);

    /// <summary>Marks the null elements of the cell at <paramref name="row"/> in <paramref name="target"/>, starting at <paramref name="at"/>.</summary>
    internal void CopyElementNulls(int row, ref NullMask? target, int at)
    {
        if (ElementNulls is not { } m) return;
        var start = Offsets[row];
        for (var i = start; i < Offsets[row + 1]; i++)
            if (m[i]) (target ??= new NullMask(at + Offsets[row + 1] - start)).Set(at + i - start);
    }
}
