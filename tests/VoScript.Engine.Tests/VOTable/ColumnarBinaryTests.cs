using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>
/// BINARY and BINARY2 tables of scalars and strings are decoded by columns after a walk over the rows
/// (<c>ColumnarBinaryDecoder</c>); these tables are large enough to span several of its 4 MB blocks, and their
/// broken streams must fail with the row and field the row by row decoder names.
/// </summary>
public class ColumnarBinaryTests
{
    private const int Rows = 150_000;

    private static Table Big()
    {
        var rnd = new Random(7);
        var l = new long[Rows];
        var d = new double[Rows];
        var f = new float[Rows];
        var s = new short[Rows];
        var b = new bool[Rows];
        var u = new byte[Rows];
        var name = new string?[Rows];
        var code = new string?[Rows];
        var uni = new string?[Rows];
        var fn = new NullMask(Rows);
        var sn = new NullMask(Rows);
        var bn = new NullMask(Rows);
        for (var i = 0; i < Rows; i++)
        {
            l[i] = rnd.NextInt64(long.MinValue + 1, long.MaxValue);
            d[i] = rnd.NextDouble() * 360 - 180;
            f[i] = i % 97 == 0 ? float.NaN : (float)rnd.NextDouble();
            if (i % 97 == 0) fn.Set(i);
            s[i] = (short)rnd.Next(short.MinValue + 1, short.MaxValue);
            if (i % 50 == 3) sn.Set(i);
            b[i] = rnd.Next(2) == 1;
            if (i % 31 == 0) bn.Set(i);
            u[i] = (byte)rnd.Next(256);
            // lengths 0..40, some nulls, markup, non-ASCII
            name[i] = i % 41 == 0 ? null : new string((char)('a' + i % 26), i % 41) + (i % 7 == 0 ? "<&é>" : "");
            code[i] = i % 13 == 0 ? null : $"C{i % 1000:000}";
            uni[i] = i % 17 == 0 ? null : $"Ω{i}";
        }
        var t = new Table("big");
        t.AddColumn(new ScalarColumn<long>(new Field("l", DataType.Long), l));
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), name));
        t.AddColumn(new ScalarColumn<double>(new Field("d", DataType.Double), d));
        t.AddColumn(new ScalarColumn<float>(new Field("f", DataType.Float), f, fn));
        t.AddColumn(new StringColumn(new Field("code", DataType.Char, ArraySize.Fixed(4)), code));
        t.AddColumn(new ScalarColumn<short>(new Field("s", DataType.Short), s, sn));
        t.AddColumn(new StringColumn(new Field("uni", DataType.UnicodeChar, ArraySize.Variable), uni));
        t.AddColumn(new ScalarColumn<bool>(new Field("b", DataType.Boolean), b, bn));
        t.AddColumn(new ScalarColumn<byte>(new Field("u", DataType.UnsignedByte), u));
        return t;
    }

    [TestCase(VOTableSerialization.Binary)]
    [TestCase(VOTableSerialization.Binary2)]
    public void Large_tables_read_back_cell_for_cell(VOTableSerialization ser)
    {
        var t = Big();
        var bytes = TableAssert.WriteBytes(t, ser);
        Assert.That(bytes.Length, Is.GreaterThan(8 << 20), "the table must span several blocks");
        var back = VOTableReader.Read(new MemoryStream(bytes));
        Assert.That(back.RowCount, Is.EqualTo(Rows));
        for (var c = 0; c < t.ColumnCount; c++)
        {
            var a = t.Columns[c];
            var z = back.Columns[c];
            Assert.That(z.Count, Is.EqualTo(Rows), a.Field.Name);
            for (var r = 0; r < Rows; r++)
            {
                // BINARY has no null flags: an empty variable string and a null string are both null there
                var nullA = a.IsNull(r) || (ser == VOTableSerialization.Binary && a is StringColumn sa && sa[r] is "");
                if (nullA != z.IsNull(r))
                    Assert.Fail($"{a.Field.Name} row {r}: null {a.IsNull(r)} written, {z.IsNull(r)} read");
                if (a.IsNull(r) || (ser == VOTableSerialization.Binary && a is ScalarColumn<bool> or ScalarColumn<short>)) continue;
                var va = a.FormatCell(r, null);
                var vz = z.FormatCell(r, null);
                if (va != vz) Assert.Fail($"{a.Field.Name} row {r}: '{va}' written, '{vz}' read");
            }
        }
    }

    [Test]
    public void An_exact_row_count_makes_columns_of_exactly_that_length()
    {
        var back = VOTableReader.Read(new MemoryStream(TableAssert.WriteBytes(Big(), VOTableSerialization.Binary2)));
        Assert.That(((ScalarColumn<double>)back.Columns[2]).Values, Has.Length.EqualTo(Rows));
        Assert.That(((ScalarColumn<long>)back.Columns[0]).Values, Has.Length.EqualTo(Rows));
    }

    // ---------------------------------------------------------------- broken streams, far into the data

    /// <summary>A BINARY2 (or BINARY) document of an int and a variable-length string per row, without nrows.</summary>
    private static string Doc(byte[] data, bool binary2 = true) => $"""
        <?xml version="1.0"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
        <FIELD name="id" datatype="int"/><FIELD name="label" datatype="char" arraysize="*"/>
        <DATA><{(binary2 ? "BINARY2" : "BINARY")}><STREAM encoding="base64">{Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks)}</STREAM></{(binary2 ? "BINARY2" : "BINARY")}></DATA>
        </TABLE></RESOURCE></VOTABLE>
        """;

    /// <summary><paramref name="n"/> rows of 20 bytes in BINARY2 (flags, id, the count and 11 characters of a label), 19 in BINARY.</summary>
    private static MemoryStream RowBytes(int n, bool binary2 = true)
    {
        var ms = new MemoryStream();
        Span<byte> b = stackalloc byte[4];
        for (var i = 0; i < n; i++)
        {
            if (binary2) ms.WriteByte(0);
            BinaryPrimitives.WriteInt32BigEndian(b, i);
            ms.Write(b);
            BinaryPrimitives.WriteInt32BigEndian(b, 11);
            ms.Write(b);
            ms.Write(Encoding.ASCII.GetBytes($"row{i,8:00000000}"));
        }
        return ms;
    }

    private static VOTableFormatException Fails(string xml, VOTableReadOptions? o = null) =>
        Assert.Throws<VOTableFormatException>(() => TableAssert.Parse(xml, o))!;

    [Test]
    public void A_stream_cut_inside_a_row_far_in_names_that_row()
    {
        var ms = RowBytes(400_000);   // 7.6 MB: two blocks
        var data = ms.ToArray()[..(20 * 300_000 + 7)];
        var e = Fails(Doc(data));
        Assert.That(e.Message, Does.Contain("(row 300001, field 'label')"));
        Assert.That(e.Message, Does.Contain("truncated"));
        Assert.That(e.Row, Is.EqualTo(300_001));
    }

    [Test]
    public void A_negative_length_far_in_names_its_row_and_field()
    {
        var data = RowBytes(400_000).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(20 * 250_000 + 5), -3);
        var e = Fails(Doc(data));
        Assert.That(e.Message, Does.Contain("(row 250001, field 'label')"));
        Assert.That(e.Message, Does.Contain("negative array length -3"));
    }

    [Test]
    public void A_cell_longer_than_the_limit_far_in_is_refused()
    {
        var data = RowBytes(400_000).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(20 * 280_000 + 5), 5000);
        var e = Fails(Doc(data), new VOTableReadOptions { MaxCellLength = 1000 });
        Assert.That(e.Message, Does.Contain("(row 280001, field 'label')"));
        Assert.That(e.Message, Does.Contain("larger than the limit of 1000 bytes (ReaderLimits.MaxCellLength)"));
    }

    [Test]
    public void More_rows_than_the_limit_are_refused_at_the_first_one_too_many()
    {
        var e = Fails(Doc(RowBytes(300_000).ToArray()), new VOTableReadOptions { Limits = new ReaderLimits { MaxRows = 250_000 } });
        Assert.That(e.Message, Does.Contain("(row 250001): the table has more rows than the limit of 250000 (ReaderLimits.MaxRows)"));
    }

    [Test]
    public void Bad_base64_far_in_names_the_row_being_read()
    {
        var xml = Doc(RowBytes(300_000).ToArray());
        var at = xml.IndexOf("encoding=\"base64\">", StringComparison.Ordinal) + 18 + 6_000_000;
        xml = xml[..at] + "!" + xml[(at + 1)..];
        var e = Fails(xml);
        Assert.That(e.Message, Does.Contain("invalid base64"));
        Assert.That(e.Row, Is.GreaterThan(200_000));
    }

    [Test]
    public void The_decoded_bytes_limit_holds()
    {
        var e = Fails(Doc(RowBytes(300_000).ToArray()), new VOTableReadOptions { Limits = new ReaderLimits { MaxDecodedBytes = 5_000_000 } });
        Assert.That(e.Message, Does.Contain("ReaderLimits.MaxDecodedBytes"));
    }

    [Test]
    public void Rows_of_binary_without_flags_decode_too()
    {
        var t = TableAssert.Parse(Doc(RowBytes(200_000, binary2: false).ToArray(), binary2: false));
        Assert.That(t.RowCount, Is.EqualTo(200_000));
        Assert.That(((StringColumn)t.Columns[1])[199_999], Is.EqualTo("row00199999"));
        Assert.That(((ScalarColumn<int>)t.Columns[0]).Values[123_456], Is.EqualTo(123_456));
    }
}
