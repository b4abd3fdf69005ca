using NUnit.Framework;
using System.Numerics;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>Helpers shared by the VOTable tests: sample tables, parsing strings, deep comparison.</summary>
internal static class TableAssert
{
    public static Table Parse(string xml, VOTableReadOptions? options = null) =>
        VOTableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), options);

    public static IReadOnlyList<Table> ParseAll(string xml, VOTableReadOptions? options = null) =>
        VOTableReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(xml)), options);

    public static byte[] WriteBytes(Table t, VOTableSerialization ser, string version = "1.4")
    {
        var ms = new MemoryStream();
        VOTableWriter.Write(t, ms, new VOTableWriteOptions { Serialization = ser, Version = version });
        return ms.ToArray();
    }

    public static Table RoundTrip(Table t, VOTableSerialization ser) =>
        VOTableReader.Read(new MemoryStream(WriteBytes(t, ser)));

    /// <summary>Wraps FIELD and TABLEDATA fragments into a complete VOTable 1.4 document.</summary>
    public static string Doc(string fields, string rows) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
         <RESOURCE type="results">
          <TABLE name="t">
           {fields}
           <DATA><TABLEDATA>
           {rows}
           </TABLEDATA></DATA>
          </TABLE>
         </RESOURCE>
        </VOTABLE>
        """;

    /// <summary>A table with every datatype and arraysize shape, with nulls where every serialization can carry them.</summary>
    public static Table Sample()
    {
        var t = new Table("sample") { Id = "sample", Description = "all datatypes" };
        T Fld<T>(T f, string? unit = null, string? ucd = null) where T : Field { f.Unit = unit; f.Ucd = ucd; return f; }
        NullMask Nulls(params int[] rows) { var m = new NullMask(4); foreach (var r in rows) m.Set(r); return m; }

        t.AddColumn(new ScalarColumn<bool>(new Field("b", DataType.Boolean), [true, false, false, true], Nulls(2)));
        t.AddColumn(new ScalarColumn<bool>(new Field("bit", DataType.Bit), [true, false, true, true]));
        t.AddColumn(new ScalarColumn<byte>(new Field("ub", DataType.UnsignedByte), [0, 7, 255, 0], Nulls(3)));
        t.AddColumn(new ScalarColumn<short>(new Field("s", DataType.Short), [-32768, 1, 32767, 0], Nulls(3)));
        t.AddColumn(new ScalarColumn<int>(Fld(new Field("i", DataType.Int), ucd: "meta.id"), [int.MinValue + 1, -1, int.MaxValue, 0], Nulls(3)));
        t.AddColumn(new ScalarColumn<long>(new Field("l", DataType.Long) { Id = "l_id" }, [long.MinValue + 1, 1_000_000_000_000, long.MaxValue, 0], Nulls(3)));
        t.AddColumn(new ScalarColumn<float>(Fld(new Field("f", DataType.Float), "mag"), [1.5f, -0.1f, float.PositiveInfinity, float.NaN], Nulls(3)));
        t.AddColumn(new ScalarColumn<double>(Fld(new Field("d", DataType.Double), "deg", "pos.eq.ra"), [Math.PI, -1e-300, double.NegativeInfinity, double.NaN], Nulls(3)));
        t.AddColumn(new ScalarColumn<ComplexFloat>(new Field("cf", DataType.FloatComplex), [new(1, 2), new(-1.5f, 0), new(0, 0), new(3, 4)]));
        t.AddColumn(new ScalarColumn<Complex>(new Field("dc", DataType.DoubleComplex), [new(1, 2), new(-1.5, 1e10), new(0, 0), new(3, 4)]));
        t.AddColumn(new StringColumn(new Field("str", DataType.Char, ArraySize.Variable), ["M31", "a < b & \"c\"", null, "Cafe"]));
        t.AddColumn(new StringColumn(new Field("fstr", DataType.Char, ArraySize.Fixed(8)), ["abc", "12345678", "x", "y"]));
        t.AddColumn(new StringColumn(new Field("u", DataType.UnicodeChar, ArraySize.Variable), ["Ωmega", "日本", "plain", null]));
        t.AddColumn(new ArrayColumn<int>(new Field("iarr", DataType.Int, ArraySize.Fixed(3)), [1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3], [0, 3, 6, 9, 12], 4));
        t.AddColumn(new ArrayColumn<double>(new Field("darr", DataType.Double, ArraySize.Variable), [1.5, 2.5, 3.5, -1], [0, 2, 2, 3, 4], 4, Nulls(1)));
        t.AddColumn(new ArrayColumn<bool>(new Field("bits", DataType.Bit, ArraySize.Fixed(10)),
            [.. Enumerable.Range(0, 40).Select(i => i % 3 == 0)], [0, 10, 20, 30, 40], 4));
        t.AddColumn(new ArrayColumn<float>(new Field("m2", DataType.Float, ArraySize.Fixed(2, 3)),
            [.. Enumerable.Range(0, 24).Select(i => i * 0.5f)], [0, 6, 12, 18, 24], 4));
        t.AddColumn(new ArrayColumn<short>(new Field("v3", DataType.Short, ArraySize.VariableWith([2], null)),
            [1, 2, 3, 4, 5, 6], [0, 2, 6, 6, 6], 4, Nulls(2, 3)));
        t.AddColumn(new ArrayColumn<char>(new Field("c2", DataType.Char, ArraySize.Fixed(3, 2)),
            [.. "abcdefghijklmnopqrstuvwx"], [0, 6, 12, 18, 24], 4));
        t.AddColumn(new ArrayColumn<bool>(new Field("barr", DataType.Boolean, ArraySize.Fixed(2)), [true, false, false, true, true, true, false, false], [0, 2, 4, 6, 8], 4));
        t.AddColumn(new ArrayColumn<ComplexFloat>(new Field("cfa", DataType.FloatComplex, ArraySize.Variable), [new(1, 2), new(3, 4), new(5, 6)], [0, 2, 3, 3, 3], 4, Nulls(2, 3)));
        t.AddColumn(new ArrayColumn<long>(new Field("la", DataType.Long, ArraySize.VariableWith([], 4)), [10, 20, 30], [0, 1, 3, 3, 3], 4, Nulls(2, 3)));
        t.AddColumn(new ArrayColumn<byte>(new Field("uba", DataType.UnsignedByte, ArraySize.Fixed(2)), [1, 2, 3, 4, 5, 6, 7, 8], [0, 2, 4, 6, 8], 4));
        t.Params.Add(new Param("epoch", DataType.Double, "2016.0") { Unit = "yr", Ucd = "time.epoch" });
        t.Infos.Add(new Info("QUERY_STATUS", "OK"));
        t.Groups.Add(new Group { Name = "pos", FieldRefs = { "l_id" } });
        return t;
    }

    /// <summary>Every column, its metadata and every cell are equal (NaN equals NaN; null equals null).</summary>
    public static void AreEqual(Table expected, Table actual, string context = "")
    {
        Assert.That(actual.ColumnCount, Is.EqualTo(expected.ColumnCount), context + " column count");
        Assert.That(actual.RowCount, Is.EqualTo(expected.RowCount), context + " row count");
        for (var c = 0; c < expected.ColumnCount; c++)
        {
            var e = expected.Columns[c];
            var a = actual.Columns[c];
            var where = $"{context} column '{e.Name}'";
            Assert.That(a.Name, Is.EqualTo(e.Name), where);
            Assert.That(a.Field.DataType, Is.EqualTo(e.Field.DataType), where + " datatype");
            Assert.That(a.Field.ArraySize.ToString(), Is.EqualTo(e.Field.ArraySize.ToString()), where + " arraysize");
            Assert.That(a.Field.Unit, Is.EqualTo(e.Field.Unit), where + " unit");
            Assert.That(a.Field.Ucd, Is.EqualTo(e.Field.Ucd), where + " ucd");
            Assert.That(a.GetType(), Is.EqualTo(e.GetType()), where + " column type");
            for (var r = 0; r < e.Count; r++)
                Assert.That(CellText(a, r), Is.EqualTo(CellText(e, r)), $"{where} row {r}");
        }
    }

    /// <summary>A canonical text for a cell (null → "null").</summary>
    public static string CellText(Column c, int r)
    {
        if (c.IsNull(r)) return "null";
        var v = c.GetValue(r);
        return v switch
        {
            char[] chars => new string(chars),
            Array arr => "[" + string.Join(",", arr.Cast<object>().Select(Scalar)) + "]",
            _ => Scalar(v!),
        };
    }

    private static string Scalar(object o) => o switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Complex z => $"({z.Real:R},{z.Imaginary:R})",
        _ => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
