using NUnit.Framework;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.VOTable;

/// <summary>
/// BINARY and BINARY2 tables of scalars and UTF-8 strings are written column by column in blocks of rows, the base64
/// made on a second thread; the bytes must be those of the row by row writer, and an error of the output must
/// reach the caller.
/// </summary>
public class ColumnarWriterTests
{
    private static Table Sample(int rows)
    {
        var rnd = new Random(11);
        var t = new Table("w");
        var l = new long[rows];
        var d = new double[rows];
        var f = new float[rows];
        var s = new short[rows];
        var b = new bool[rows];
        var bit = new bool[rows];
        var u = new byte[rows];
        var i32 = new int[rows];
        var fn = new NullMask(rows);
        var sn = new NullMask(rows);
        var bn = new NullMask(rows);
        var ln = new NullMask(rows);
        for (var i = 0; i < rows; i++)
        {
            l[i] = rnd.NextInt64();
            if (i % 101 == 5) ln.Set(i);
            d[i] = rnd.NextDouble() * 1e6 - 5e5;
            f[i] = (float)rnd.NextDouble();
            if (i % 37 == 1) { fn.Set(i); f[i] = float.NaN; }
            s[i] = (short)rnd.Next(short.MinValue, short.MaxValue);
            if (i % 29 == 0) sn.Set(i);
            b[i] = rnd.Next(2) == 0;
            if (i % 23 == 2) bn.Set(i);
            bit[i] = rnd.Next(2) == 0;
            u[i] = (byte)rnd.Next(256);
            i32[i] = rnd.Next();
        }
        t.AddColumn(new ScalarColumn<long>(new Field("l", DataType.Long) { Values = new FieldValues { Null = "-1" } }, l, ln));
        t.AddColumn(new ScalarColumn<double>(new Field("d", DataType.Double), d));
        t.AddColumn(new ScalarColumn<float>(new Field("f", DataType.Float), f, fn));
        t.AddColumn(new ScalarColumn<short>(new Field("s", DataType.Short), s, sn));
        t.AddColumn(new ScalarColumn<bool>(new Field("b", DataType.Boolean), b, bn));
        t.AddColumn(new ScalarColumn<bool>(new Field("bit", DataType.Bit), bit));
        t.AddColumn(new ScalarColumn<byte>(new Field("u", DataType.UnsignedByte), u));
        t.AddColumn(new ScalarColumn<int>(new Field("i", DataType.Int), i32));
        return t;
    }

    /// <summary>The sample with UTF-8 string columns, as a reader makes them (variable, bounded, fixed; nulls, markup, non-ASCII, too long).</summary>
    private static Table WithStrings(int rows, VOTableSerialization ser)
    {
        var names = new string?[rows];
        for (var i = 0; i < rows; i++)
            names[i] = i % 19 == 0 ? null : new string((char)('a' + i % 26), i % 23) + (i % 5 == 0 ? "<é&>" : "");
        var t = Sample(rows);
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), names));
        t.AddColumn(new StringColumn(new Field("short", DataType.Char, ArraySize.VariableWith([], 6)), names));
        t.AddColumn(new StringColumn(new Field("code", DataType.Char, ArraySize.Fixed(5)), names));
        // through a reader: the string columns become UTF-8 buffers
        return VOTableReader.Read(new MemoryStream(TableAssert.WriteBytes(t, ser)));
    }

    private static byte[] Write(Table t, VOTableSerialization ser, bool rowByRow)
    {
        VOTableWriter.RowByRow = rowByRow;
        try { return TableAssert.WriteBytes(t, ser); }
        finally { VOTableWriter.RowByRow = false; }
    }

    [TestCase(VOTableSerialization.Binary, 0)]
    [TestCase(VOTableSerialization.Binary2, 0)]
    [TestCase(VOTableSerialization.Binary2, 1)]
    [TestCase(VOTableSerialization.Binary2, 4095)]
    [TestCase(VOTableSerialization.Binary, 4097)]
    [TestCase(VOTableSerialization.Binary2, 50_001)]
    [TestCase(VOTableSerialization.Binary, 50_002)]
    public void Columns_give_the_bytes_of_rows(VOTableSerialization ser, int rows)
    {
        var t = WithStrings(rows, ser);
        Assert.That(t.Columns.OfType<StringColumn>().All(c => c.IsUtf8), "the reader makes UTF-8 string columns");
        var byColumns = Write(t, ser, rowByRow: false);
        var byRows = Write(t, ser, rowByRow: true);
        Assert.That(byColumns, Is.EqualTo(byRows));
        Assert.That(VOTableReader.Read(new MemoryStream(byColumns)).RowCount, Is.EqualTo(rows));
    }

    [Test]
    public void Scalars_alone_give_the_bytes_of_rows()
    {
        var t = Sample(30_000);
        Assert.That(Write(t, VOTableSerialization.Binary2, false), Is.EqualTo(Write(t, VOTableSerialization.Binary2, true)));
    }

    [Test]
    public void An_error_of_the_output_reaches_the_caller()
    {
        var t = Sample(200_000);
        var e = Assert.Throws<IOException>(() =>
            VOTableWriter.Write(t, new FailingStream(1 << 20), new VOTableWriteOptions { Serialization = VOTableSerialization.Binary2 }));
        Assert.That(e!.Message, Does.Contain("disk full"));
    }

    private sealed class FailingStream(long after) : Stream
    {
        private long _n;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _n;
        public override long Position { get => _n; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            _n += count;
            if (_n > after) throw new IOException("disk full (test)");
        }
    }
}
