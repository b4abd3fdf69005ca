using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Verbs;

/// <summary>Small tables for verb tests: columns from arrays (null in an array of double? / long? / string makes a null cell).</summary>
internal static class TableBuilder
{
    public static Table Make(string name, params Column[] columns)
    {
        var t = new Table(name);
        foreach (var c in columns) t.AddColumn(c);
        return t;
    }

    public static Column D(string name, params double?[] v) => D(name, null, null, v);

    public static Column D(string name, string? unit, string? ucd, params double?[] v)
    {
        NullMask? nulls = null;
        var values = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
            if (v[i] is { } x) values[i] = x; else { (nulls ??= new NullMask(v.Length)).Set(i); values[i] = double.NaN; }
        return new ScalarColumn<double>(new Field(name, DataType.Double) { Unit = unit, Ucd = ucd }, values, nulls);
    }

    public static Column L(string name, params long?[] v)
    {
        NullMask? nulls = null;
        var values = new long[v.Length];
        for (var i = 0; i < v.Length; i++)
            if (v[i] is { } x) values[i] = x; else (nulls ??= new NullMask(v.Length)).Set(i);
        return new ScalarColumn<long>(new Field(name, DataType.Long), values, nulls);
    }

    public static Column I(string name, params int[] v) => new ScalarColumn<int>(new Field(name, DataType.Int), v);

    public static Column S(string name, params string?[] v) => new StringColumn(new Field(name, DataType.Char, ArraySize.Variable), v);

    public static Column B(string name, params bool[] v) => new ScalarColumn<bool>(new Field(name, DataType.Boolean), v);

    public static object?[] Cells(Table t, string column) =>
        Enumerable.Range(0, t.RowCount).Select(i => t.FindColumn(column)!.GetValue(i)).ToArray();

    public static string[] Names(Table t) => t.Columns.Select(c => c.Name).ToArray();
}
