using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableWriter: the row buffers and the cell encoders of BINARY and BINARY2.</summary>
public static partial class VOTableWriter
{
    /// <summary>A growable character buffer for TABLEDATA rows, with allocation-free number formatting.</summary>
    internal sealed class RowText
    {
        public char[] Chars = new char[64 * 1024];
        public int Length;

        private Span<char> Room(int n)
        {
            if (Length + n > Chars.Length) Array.Resize(ref Chars, Math.Max(Chars.Length * 2, Length + n));
            return Chars.AsSpan(Length);
        }

        public void Append(ReadOnlySpan<char> s)
        {
            s.CopyTo(Room(s.Length));
            Length += s.Length;
        }

        public void AppendAscii(ReadOnlySpan<byte> s)
        {
            System.Text.Ascii.ToUtf16(s, Room(s.Length), out var n);
            Length += n;
        }

        public void AppendFormattable<T>(T v) where T : ISpanFormattable
        {
            int n;
            while (!v.TryFormat(Room(32), out n, default, CultureInfo.InvariantCulture)) Room(Chars.Length);
            Length += n;
        }

        public void AppendNumber(double d)
        {
            if (double.IsNaN(d)) Append("NaN");
            else if (double.IsInfinity(d)) Append(d > 0 ? "+Inf" : "-Inf");
            else { d.TryFormat(Room(32), out var n, "R", CultureInfo.InvariantCulture); Length += n; }
        }

        public void AppendNumber(float f)
        {
            if (float.IsNaN(f)) Append("NaN");
            else if (float.IsInfinity(f)) Append(f > 0 ? "+Inf" : "-Inf");
            else { f.TryFormat(Room(32), out var n, "R", CultureInfo.InvariantCulture); Length += n; }
        }
    }

    /// <summary>A growable byte buffer for binary rows.</summary>
    internal sealed class RowBuffer
    {
        public byte[] Data = new byte[64 * 1024];
        public int Length;

        public Span<byte> Reserve(int n)
        {
            if (Length + n > Data.Length) Array.Resize(ref Data, Math.Max(Data.Length * 2, Length + n));
            var s = Data.AsSpan(Length, n);
            Length += n;
            return s;
        }

        public void Shift(int n)
        {
            Buffer.BlockCopy(Data, n, Data, 0, Length - n);
            Length -= n;
        }
    }

    private abstract class CellEncoder
    {
        public abstract void Write(RowBuffer b, int row, bool binary2);

        /// <summary>Whether the encoder writes whole columns (<see cref="WriteColumn"/>); the others write row by row.</summary>
        public virtual bool Columnar => false;

        /// <summary>Whether cells differ in size (<see cref="AddSizes"/>); else each takes <see cref="FixedBytes"/>.</summary>
        public virtual bool Variable => false;

        /// <summary>Bytes of every cell of a fixed-size column.</summary>
        public virtual int FixedBytes => 0;

        /// <summary>Adds the bytes of the cells of rows <paramref name="r0"/>… to <paramref name="sizes"/>[0..<paramref name="k"/>).</summary>
        public virtual void AddSizes(int[] sizes, int r0, int k) => throw new NotSupportedException();

        /// <summary>Writes the cells of rows <paramref name="r0"/>… at <paramref name="at"/>[i] of <paramref name="buf"/>, advancing each position past its cell.</summary>
        public virtual void WriteColumn(byte[] buf, int[] at, int r0, int k) => throw new NotSupportedException();

        public static CellEncoder Create(Column c, Field f, Writer w) => c switch
        {
            StringColumn s => new StringEncoder(s, f, w),
            ScalarColumn<bool> x => new BoolEncoder(x, f),
            ScalarColumn<byte> x => new ScalarEncoder<byte>(x, f),
            ScalarColumn<short> x => new ScalarEncoder<short>(x, f),
            ScalarColumn<int> x => new ScalarEncoder<int>(x, f),
            ScalarColumn<long> x => new ScalarEncoder<long>(x, f),
            ScalarColumn<float> x => new ScalarEncoder<float>(x, f),
            ScalarColumn<double> x => new ScalarEncoder<double>(x, f),
            ScalarColumn<ComplexFloat> x => new ScalarEncoder<ComplexFloat>(x, f),
            ScalarColumn<Complex> x => new ScalarEncoder<Complex>(x, f),
            ArrayColumn<bool> x => new ArrayEncoder<bool>(x, f),
            ArrayColumn<byte> x => new ArrayEncoder<byte>(x, f),
            ArrayColumn<short> x => new ArrayEncoder<short>(x, f),
            ArrayColumn<int> x => new ArrayEncoder<int>(x, f),
            ArrayColumn<long> x => new ArrayEncoder<long>(x, f),
            ArrayColumn<float> x => new ArrayEncoder<float>(x, f),
            ArrayColumn<double> x => new ArrayEncoder<double>(x, f),
            ArrayColumn<ComplexFloat> x => new ArrayEncoder<ComplexFloat>(x, f),
            ArrayColumn<Complex> x => new ArrayEncoder<Complex>(x, f),
            ArrayColumn<char> x => new ArrayEncoder<char>(x, f),
            _ => throw new VoScriptException($"cannot write column '{c.Name}' ({c.GetType().Name}) to VOTable"),
        };

        protected static T NullFill<T>(Field f) where T : unmanaged
        {
            // the canonical quiet NaN (0x7FC00000 / 0x7FF8…), not .NET's negative default NaN
            var fnan = BitConverter.Int32BitsToSingle(0x7FC00000);
            var dnan = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
            if (typeof(T) == typeof(double)) return (T)(object)dnan;
            if (typeof(T) == typeof(float)) return (T)(object)fnan;
            if (typeof(T) == typeof(ComplexFloat)) return (T)(object)new ComplexFloat(fnan, fnan);
            if (typeof(T) == typeof(Complex)) return (T)(object)new Complex(dnan, dnan);
            if (f.Values?.Null is { } n && long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                if (typeof(T) == typeof(long)) return (T)(object)l;
                if (typeof(T) == typeof(int)) return (T)(object)unchecked((int)l);
                if (typeof(T) == typeof(short)) return (T)(object)unchecked((short)l);
                if (typeof(T) == typeof(byte)) return (T)(object)unchecked((byte)l);
            }
            return default;
        }
    }

    private sealed class ScalarEncoder<T>(ScalarColumn<T> c, Field f) : CellEncoder where T : unmanaged
    {
        private readonly int _size = f.DataType.ByteSize();
        private readonly T _fill = NullFill<T>(f);

        public override void Write(RowBuffer b, int row, bool binary2) =>
            ValueParsing.WriteBig(b.Reserve(_size), c.IsNull(row) ? _fill : c.Values[row]);

        public override bool Columnar => true;
        public override int FixedBytes => _size;

        public override void WriteColumn(byte[] buf, int[] at, int r0, int k)
        {
            var v = c.Values;
            var m = c.Nulls;
            var size = _size;
            for (var i = 0; i < k; i++)
            {
                var p = at[i];
                ValueParsing.WriteBig(buf.AsSpan(p, size), m is not null && m[r0 + i] ? _fill : v[r0 + i]);
                at[i] = p + size;
            }
        }
    }

    private sealed class BoolEncoder(ScalarColumn<bool> c, Field f) : CellEncoder
    {
        private readonly bool _bit = f.DataType == DataType.Bit;

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            var s = b.Reserve(1);
            if (_bit) s[0] = !c.IsNull(row) && c.Values[row] ? (byte)0x80 : (byte)0;
            else s[0] = c.IsNull(row) ? (byte)'?' : c.Values[row] ? (byte)'T' : (byte)'F';
        }

        public override bool Columnar => true;
        public override int FixedBytes => 1;

        public override void WriteColumn(byte[] buf, int[] at, int r0, int k)
        {
            var v = c.Values;
            var m = c.Nulls;
            for (var i = 0; i < k; i++)
            {
                var isNull = m is not null && m[r0 + i];
                buf[at[i]++] = _bit ? (!isNull && v[r0 + i] ? (byte)0x80 : (byte)0) : isNull ? (byte)'?' : v[r0 + i] ? (byte)'T' : (byte)'F';
            }
        }
    }

    private sealed class StringEncoder(StringColumn c, Field f, Writer w) : CellEncoder
    {
        private readonly bool _unicode = f.DataType == DataType.UnicodeChar;
        private readonly int? _fixed = f.ArraySize.FixedLength;
        private readonly int? _max = f.ArraySize.MaxLast;
        private bool _warned;

        // columns of UTF-8 cells only (what the readers make); other string columns go row by row
        public override bool Columnar => c.IsUtf8 && !_unicode;
        public override bool Variable => _fixed is null;
        public override int FixedBytes => _fixed ?? 0;

        public override void AddSizes(int[] sizes, int r0, int k)
        {
            var max = _max ?? int.MaxValue;
            for (var i = 0; i < k; i++) sizes[i] += 4 + Math.Min(c.Utf8(r0 + i).Length, max);
        }

        public override void WriteColumn(byte[] buf, int[] at, int r0, int k)
        {
            if (_fixed is { } fx)
            {
                for (var i = 0; i < k; i++)
                {
                    var u = c.Utf8(r0 + i);
                    var span = buf.AsSpan(at[i], fx);
                    if (u.Length > fx) { Truncated(fx); u = u[..fx]; }
                    u.CopyTo(span);
                    span[u.Length..].Clear();
                    at[i] += fx;
                }
                return;
            }
            var max = _max ?? int.MaxValue;
            for (var i = 0; i < k; i++)
            {
                var u = c.Utf8(r0 + i);
                if (u.Length > max) { Truncated(max); u = u[..max]; }
                var p = at[i];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buf.AsSpan(p, 4), u.Length);
                u.CopyTo(buf.AsSpan(p + 4, u.Length));
                at[i] = p + 4 + u.Length;
            }
        }

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            if (c.IsUtf8 && !_unicode)
            {
                var u = c.Utf8(row);
                if (_fixed is { } fx)
                {
                    var span = b.Reserve(fx);
                    span.Clear();
                    if (u.Length > fx) { Truncated(fx); u = u[..fx]; }
                    u.CopyTo(span);
                    return;
                }
                if (_max is { } mx && u.Length > mx) { Truncated(mx); u = u[..mx]; }
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), u.Length);
                u.CopyTo(b.Reserve(u.Length));
                return;
            }
            var s = c[row] ?? "";
            var enc = _unicode ? Encoding.BigEndianUnicode : Encoding.UTF8;
            var unit = _unicode ? 2 : 1;
            var bytes = enc.GetByteCount(s);
            if (_fixed is { } n)
            {
                var span = b.Reserve(n * unit);
                span.Clear();
                if (bytes > n * unit)
                {
                    Truncated(n);
                    var tmp = enc.GetBytes(s);
                    tmp.AsSpan(0, n * unit).CopyTo(span);
                }
                else enc.GetBytes(s, span);
                return;
            }
            if (_max is { } m && bytes > m * unit)
            {
                Truncated(m);
                var tmp = enc.GetBytes(s);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), m);
                tmp.AsSpan(0, m * unit).CopyTo(b.Reserve(m * unit));
                return;
            }
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), bytes / unit);
            enc.GetBytes(s, b.Reserve(bytes));
        }

        private void Truncated(int n)
        {
            if (_warned) return;
            _warned = true;
            w.StringTooLong(c.Name, n);
        }
    }

    private sealed class ArrayEncoder<T>(ArrayColumn<T> c, Field f) : CellEncoder where T : unmanaged
    {
        private readonly ArraySize _a = f.ArraySize;
        private readonly DataType _dt = f.DataType;
        private readonly int _size = f.DataType.ByteSize();
        private readonly T _fill = NullFill<T>(f);

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            var cell = c.IsNull(row) ? ReadOnlySpan<T>.Empty : c[row];
            int n;
            if (_a.IsVariable)
            {
                n = cell.Length;
                if (_a.MaxLast is { } m && n > m * _a.FixedElementCount) n = m * _a.FixedElementCount;
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), n);
            }
            else n = _a.FixedElementCount;
            if (_dt == DataType.Bit)
            {
                var s = b.Reserve((n + 7) / 8);
                s.Clear();
                for (var i = 0; i < n && i < cell.Length; i++)
                    if ((bool)(object)cell[i]) s[i >> 3] |= (byte)(0x80 >> (i & 7));
                return;
            }
            if (typeof(T) == typeof(bool))
            {
                var s = b.Reserve(n);
                for (var i = 0; i < n; i++)
                    s[i] = i >= cell.Length || c.IsElementNull(row, i) ? (byte)'?' : (bool)(object)cell[i] ? (byte)'T' : (byte)'F';
                return;
            }
            if (typeof(T) == typeof(char))
            {
                var unicode = _dt == DataType.UnicodeChar;
                var s = b.Reserve(n * (unicode ? 2 : 1));
                s.Clear();
                for (var i = 0; i < n && i < cell.Length; i++)
                {
                    var ch = (char)(object)cell[i];
                    if (unicode) System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[(2 * i)..], ch);
                    else s[i] = ch < 256 ? (byte)ch : (byte)'?';
                }
                return;
            }
            var span = b.Reserve(n * _size);
            var elementNulls = c.ElementNulls is not null && !c.IsNull(row);
            for (var i = 0; i < n; i++)
                ValueParsing.WriteBig(span[(i * _size)..], i < cell.Length && !(elementNulls && c.IsElementNull(row, i)) ? cell[i] : _fill);
        }
    }
}
