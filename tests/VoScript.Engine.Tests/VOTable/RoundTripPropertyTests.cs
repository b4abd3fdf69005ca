using System.Text;
using CsCheck;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.Csv;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>
/// Property tests (CsCheck): random tables — every scalar type, strings with markup characters, variable and
/// fixed arrays, nulls — written and read back give the same cells, in TABLEDATA, BINARY and BINARY2, and in CSV.
/// </summary>
public class RoundTripPropertyTests
{
    private static readonly Gen<string> Text =
        Gen.Char["abcXYZ019<>&\"'=;:"].Array[1, 12].Select(a => new string(a));

    private static Gen<NullMask?> Nulls(int rows) =>
        Gen.Bool.Array[rows].Select(b =>
        {
            if (!b.Contains(true)) return (NullMask?)null;
            var m = new NullMask(Math.Max(1, rows));
            for (var i = 0; i < rows; i++) if (b[i]) m.Set(i);
            return m;
        });

    /// <summary>One random column of <paramref name="rows"/> rows, named <paramref name="name"/>.</summary>
    private static Gen<Column> ColumnGen(int rows, string name) => Gen.Int[0, 9].SelectMany(kind => kind switch
    {
        0 => Gen.Int.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<int>(new Field(name, DataType.Int), v, n)),
        1 => Gen.Long.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<long>(new Field(name, DataType.Long), v, n)),
        2 => Gen.Short.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<short>(new Field(name, DataType.Short), v, n)),
        3 => Gen.Double.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<double>(new Field(name, DataType.Double), NaNWhereNull(v, n), n)),
        4 => Gen.Float.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<float>(new Field(name, DataType.Float), NaNWhereNull(v, n), n)),
        5 => Gen.Bool.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<bool>(new Field(name, DataType.Boolean), v, n)),
        6 => Gen.Byte.Array[rows].Select(Nulls(rows), (v, n) => (Column)new ScalarColumn<byte>(new Field(name, DataType.UnsignedByte), v, n)),
        7 => Text.Null().Array[rows].Select(v => (Column)new StringColumn(new Field(name, DataType.Char, ArraySize.Variable), v)),
        8 => Gen.Double.Array[1, 5].Array[rows].Select(cells => (Column)Arrays(name, cells, ArraySize.Variable)),
        _ => Gen.Int.Array[3].Array[rows].Select(cells => (Column)Arrays(name, cells, ArraySize.Fixed(3))),
    });

    private static T[] NaNWhereNull<T>(T[] v, NullMask? n) where T : struct
    {
        if (n is null) return v;
        for (var i = 0; i < v.Length; i++)
            if (n[i]) v[i] = typeof(T) == typeof(double) ? (T)(object)double.NaN : (T)(object)float.NaN;
        return v;
    }

    private static ArrayColumn<T> Arrays<T>(string name, T[][] cells, ArraySize size) where T : unmanaged
    {
        var offsets = new int[cells.Length + 1];
        for (var i = 0; i < cells.Length; i++) offsets[i + 1] = offsets[i] + cells[i].Length;
        var dt = typeof(T) == typeof(double) ? DataType.Double : DataType.Int;
        return new ArrayColumn<T>(new Field(name, dt, size), cells.SelectMany(c => c).ToArray(), offsets, cells.Length);
    }

    private static readonly Gen<Table> Tables =
        Gen.Int[0, 20].SelectMany(rows => Gen.Int[1, 6].SelectMany(cols =>
        {
            var columns = Gen.Const(new List<Column>());
            for (var c = 0; c < cols; c++)
            {
                var name = "c" + c;
                columns = columns.SelectMany(list => ColumnGen(rows, name).Select(col => new List<Column>(list) { col }));
            }
            return columns.Select(list =>
            {
                var t = new Table("t");
                foreach (var col in list) t.AddColumn(col);
                return t;
            });
        }));

    [TestCase("TableData")]
    [TestCase("Binary")]
    [TestCase("Binary2")]
    public void VOTable_write_then_read_keeps_every_cell(string name)
    {
        var serialization = Enum.Parse<VOTableSerialization>(name);
        Tables.Sample(t =>
        {
            var back = TableAssert.RoundTrip(t, serialization);
            TableAssert.AreEqual(t, back, serialization.ToString());
        }, iter: 300);
    }

    private static readonly Gen<Table> CsvTables =
        Gen.Int[1, 20].SelectMany(rows => Gen.Select(
            Gen.Long.Array[rows],
            Gen.Double[-1e6, 1e6].Array[rows],
            Gen.Char["abc,\"\n xyz"].Array[1, 8].Select(a => "s" + new string(a)).Null().Array[rows]).Select((longs, doubles, strings) =>
        {
            var t = new Table("t");
            t.AddColumn(new ScalarColumn<long>(new Field("l", DataType.Long), longs));
            t.AddColumn(new ScalarColumn<double>(new Field("d", DataType.Double), doubles));
            t.AddColumn(new StringColumn(new Field("s", DataType.Char, ArraySize.Variable), strings));
            return t;
        }));

    [Test]
    public void Csv_write_then_read_keeps_every_cell()
    {
        CsvTables.Sample(t =>
        {
            var ms = new MemoryStream();
            CsvTableWriter.Write(t, ms);
            var back = CsvTableReader.Read(new MemoryStream(ms.ToArray()));
            Assert.That(back.RowCount, Is.EqualTo(t.RowCount));
            for (var c = 0; c < t.ColumnCount; c++)
                for (var r = 0; r < t.RowCount; r++)
                {
                    var expected = TableAssert.CellText(t.Columns[c], r);
                    var actual = TableAssert.CellText(back.Columns[c], r);
                    if (t.Columns[c] is ScalarColumn<double> && actual != "null")
                        Assert.That(double.Parse(actual, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), $"column {c} row {r}");
                    else
                        Assert.That(actual, Is.EqualTo(expected), $"column {c} row {r}: {Encoding.UTF8.GetString(ms.ToArray())}");
                }
        }, iter: 300);
    }
}
