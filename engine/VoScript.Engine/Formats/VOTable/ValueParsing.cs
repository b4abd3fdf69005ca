using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>A bad cell; the scanner adds the row, field and position.</summary>
internal sealed class CellFormatException(string message) : Exception(message);

/// <summary>Receives lenient-repair warnings; in strict mode it throws instead.</summary>
public interface IWarningSink
{
    /// <summary>Reports a problem with a code (<c>W…</c>, <c>E…</c>) and a message.</summary>
    void Warn(string code, string message);
}

/// <summary>Warning codes (documented in docs/votable.md).</summary>
internal static class WarningCodes
{
    public const string NonStandardDatatype = "VOT-DATATYPE";
    public const string CharWithoutArraysize = "VOT-CHAR-ARRAYSIZE";
    public const string NullLiteral = "VOT-NULL-LITERAL";
    public const string FloatInIntColumn = "VOT-INT-AS-FLOAT";
    public const string WrongNrows = "VOT-NROWS";
    public const string BadVersion = "VOT-VERSION";
    public const string LowercaseId = "VOT-LOWERCASE-ID";
    public const string UnknownNamespace = "VOT-NAMESPACE";
    public const string ArrayLength = "VOT-ARRAY-LENGTH";
    public const string MissingName = "VOT-NO-NAME";
    public const string MissingValue = "VOT-PARAM-VALUE";
    public const string BadNullValue = "VOT-VALUES-NULL";
    public const string InvalidId = "VOT-INVALID-ID";
    public const string InvalidXmlChar = "VOT-XML-CHAR";
    public const string StringTooLong = "VOT-STRING-LENGTH";
    public const string NonAsciiChar = "VOT-NON-ASCII";
}

/// <summary>Fast parsing of TABLEDATA literals from UTF-8 and big-endian reading of BINARY values.</summary>
internal static class ValueParsing
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        var b = s.Length;
        while (a < b && IsWs(s[a])) a++;
        while (b > a && IsWs(s[b - 1])) b--;
        return s[a..b];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWs(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>Literals services write for "no value" in numeric cells.</summary>
    public static bool IsNullLiteral(ReadOnlySpan<byte> s) =>
        s.SequenceEqual("NULL"u8) || s.SequenceEqual("null"u8) || s.SequenceEqual("Null"u8) || s.SequenceEqual("-"u8)
        || s.SequenceEqual("--"u8) || s.SequenceEqual("None"u8) || s.SequenceEqual("N/A"u8);

    public static string Show(ReadOnlySpan<byte> s)
    {
        var t = Encoding.UTF8.GetString(s.Length > 40 ? s[..40] : s);
        return s.Length > 40 ? t + "…" : t;
    }

    /// <summary>
    /// Parses one element of type <typeparamref name="T"/> (already trimmed, not empty).
    /// Returns false for a null literal (after a warning). Throws <see cref="CellFormatException"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ParseElement<T>(ReadOnlySpan<byte> s, DataType dt, IWarningSink w, out T value) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            if (!TryFastDecimal(s, out var d) && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && !TryParseSpecialDouble(s, out d))
                return NullOrFail(s, dt, w, out value);
            value = Unsafe.As<double, T>(ref d);
            return true;
        }
        if (typeof(T) == typeof(float))
        {
            if (TryFastDecimal(s, out var fd) && FloatSafe(fd))
            {
                var ff = (float)fd;
                value = Unsafe.As<float, T>(ref ff);
                return true;
            }
            if (!float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
            {
                if (!TryParseSpecialDouble(s, out var d)) return NullOrFail(s, dt, w, out value);
                f = (float)d;
            }
            value = Unsafe.As<float, T>(ref f);
            return true;
        }
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(byte))
        {
            if (!TryParseInteger(s, out var l, out var hexBits))
            {
                if (TryParseSpecialDouble(s, out var d) || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                {
                    if (double.IsNaN(d)) { value = default; return false; }
                    if (d != Math.Floor(d) || double.IsInfinity(d) || d < long.MinValue || d >= 9.2233720368547758E18)
                        throw new CellFormatException($"'{Show(s)}' is not a valid {dt.VOTableName()} (not an integer)");
                    w.Warn(WarningCodes.FloatInIntColumn, $"integral value written as a float (e.g. '{Show(s)}') accepted in a {dt.VOTableName()} column");
                    l = (long)d;
                }
                else return NullOrFail(s, dt, w, out value);
            }
            if (typeof(T) == typeof(long)) { value = Unsafe.As<long, T>(ref l); return true; }
            if (typeof(T) == typeof(int))
            {
                if (hexBits && l is >= 0 and <= uint.MaxValue) l = unchecked((int)(uint)l);
                if (l is < int.MinValue or > int.MaxValue) throw OutOfRange(s, dt);
                var i = (int)l; value = Unsafe.As<int, T>(ref i); return true;
            }
            if (typeof(T) == typeof(short))
            {
                if (hexBits && l is >= 0 and <= ushort.MaxValue) l = unchecked((short)(ushort)l);
                if (l is < short.MinValue or > short.MaxValue) throw OutOfRange(s, dt);
                var sh = (short)l; value = Unsafe.As<short, T>(ref sh); return true;
            }
            if (l is < 0 or > 255) throw OutOfRange(s, dt);
            var b = (byte)l; value = Unsafe.As<byte, T>(ref b); return true;
        }
        if (typeof(T) == typeof(bool))
        {
            bool v;
            if (dt == DataType.Bit)
            {
                if (s.SequenceEqual("1"u8)) v = true;
                else if (s.SequenceEqual("0"u8)) v = false;
                else throw new CellFormatException($"'{Show(s)}' is not a valid bit (expected 0 or 1)");
            }
            else if (!TryParseBoolean(s, out v, out var isNull))
                throw new CellFormatException($"'{Show(s)}' is not a valid boolean (expected T, F, true, false, 1, 0 or ?)");
            else if (isNull) { value = default; return false; }
            value = Unsafe.As<bool, T>(ref v);
            return true;
        }
        throw new InvalidOperationException("complex values are parsed in pairs");
    }

    private static bool NullOrFail<T>(ReadOnlySpan<byte> s, DataType dt, IWarningSink w, out T value) where T : unmanaged
    {
        value = default;
        if (IsNullLiteral(s))
        {
            w.Warn(WarningCodes.NullLiteral, $"literal '{Show(s)}' in a {dt.VOTableName()} column read as null");
            return false;
        }
        throw new CellFormatException($"'{Show(s)}' is not a valid {dt.VOTableName()}");
    }

    private static CellFormatException OutOfRange(ReadOnlySpan<byte> s, DataType dt) =>
        new($"'{Show(s)}' is out of range for {dt.VOTableName()}");

    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Exact decimal parsing for the common case (Clinger's fast path): at most 2^53 as
    /// the digit string and a power of ten up to 22, where one IEEE multiplication or
    /// division is correctly rounded. Anything else returns false (use double.TryParse).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFastDecimal(ReadOnlySpan<byte> s, out double d)
    {
        d = 0;
        var i = 0;
        var n = s.Length;
        if (n == 0 || n > 40) return false;
        var neg = s[0] == '-';
        if (neg || s[0] == '+') i++;
        ulong m = 0;
        var exp = 0;
        var digits = 0;
        for (; i < n; i++)
        {
            var v = (uint)(s[i] - '0');
            if (v > 9) break;
            m = m * 10 + v;
            digits++;
        }
        if (i < n && s[i] == '.')
        {
            i++;
            for (; i < n; i++)
            {
                var v = (uint)(s[i] - '0');
                if (v > 9) break;
                m = m * 10 + v;
                exp--;
                digits++;
            }
        }
        if (digits == 0 || digits > 19) return false;
        if (i < n && (s[i] | 0x20) == 'e')
        {
            i++;
            var eneg = false;
            if (i < n && (s[i] == '-' || s[i] == '+')) { eneg = s[i] == '-'; i++; }
            var e = 0;
            var ed = 0;
            for (; i < n && ed < 4; i++, ed++)
            {
                var v = (uint)(s[i] - '0');
                if (v > 9) break;
                e = e * 10 + (int)v;
            }
            if (ed == 0) return false;
            exp += eneg ? -e : e;
        }
        if (i != n || m > (1UL << 53)) return false;
        double r = m;
        if (exp > 0) { if (exp > 22) return false; r *= Pow10[exp]; }
        else if (exp < 0) { if (exp < -22) return false; r /= Pow10[-exp]; }
        d = neg ? -r : r;
        return true;
    }

    /// <summary>
    /// True when rounding the (correctly rounded) double <paramref name="d"/> to float gives
    /// the correctly rounded float of the decimal: d is a normal float-range value and not
    /// within one double ulp of a halfway point between two floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FloatSafe(double d)
    {
        if (d == 0) return true;
        var a = Math.Abs(d);
        if (a < 1.1754943508222875e-38 || a > 3.4028234663852886e38) return false;
        var low = BitConverter.DoubleToInt64Bits(d) & ((1L << 29) - 1);
        return Math.Abs(low - (1L << 28)) > 1;
    }

    public static bool TryParseInteger(ReadOnlySpan<byte> s, out long value, out bool hex)
    {
        hex = false;
        if (s.Length > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
        {
            hex = true;
            if (Utf8Parser.TryParse(s[2..], out ulong u, out var used, 'X') && used == s.Length - 2) { value = unchecked((long)u); return true; }
            value = 0;
            return false;
        }
        if (s.Length > 0 && s[0] == '+') s = s[1..];
        return Utf8Parser.TryParse(s, out value, out var consumed) && consumed == s.Length && s.Length > 0;
    }

    public static bool TryParseSpecialDouble(ReadOnlySpan<byte> s, out double d)
    {
        d = 0;
        if (s.Length > 16) return false;
        Span<char> c = stackalloc char[s.Length];
        for (var i = 0; i < s.Length; i++) c[i] = (char)(s[i] | 0x20);
        var neg = c.Length > 0 && c[0] == '-';
        if (c.Length > 0 && (c[0] == '-' || c[0] == '+')) c = c[1..];
        if (c.SequenceEqual("inf") || c.SequenceEqual("infinity")) { d = neg ? double.NegativeInfinity : double.PositiveInfinity; return true; }
        if (c.SequenceEqual("nan")) { d = double.NaN; return true; }
        return false;
    }

    public static bool TryParseBoolean(ReadOnlySpan<byte> s, out bool value, out bool isNull)
    {
        value = false;
        isNull = false;
        if (s.Length == 1)
        {
            switch (s[0])
            {
                case (byte)'T' or (byte)'t' or (byte)'1': value = true; return true;
                case (byte)'F' or (byte)'f' or (byte)'0': return true;
                case (byte)'?' or (byte)' ': isNull = true; return true;
            }
            return false;
        }
        if (Ascii.EqualsIgnoreCase(s, "true"u8)) { value = true; return true; }
        if (Ascii.EqualsIgnoreCase(s, "false"u8)) return true;
        return false;
    }

    // ------------------------------------------------------------ binary

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReadBig<T>(ReadOnlySpan<byte> b) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) { var v = BinaryPrimitives.ReadDoubleBigEndian(b); return Unsafe.As<double, T>(ref v); }
        if (typeof(T) == typeof(float)) { var v = BinaryPrimitives.ReadSingleBigEndian(b); return Unsafe.As<float, T>(ref v); }
        if (typeof(T) == typeof(long)) { var v = BinaryPrimitives.ReadInt64BigEndian(b); return Unsafe.As<long, T>(ref v); }
        if (typeof(T) == typeof(int)) { var v = BinaryPrimitives.ReadInt32BigEndian(b); return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(short)) { var v = BinaryPrimitives.ReadInt16BigEndian(b); return Unsafe.As<short, T>(ref v); }
        if (typeof(T) == typeof(byte)) { var v = b[0]; return Unsafe.As<byte, T>(ref v); }
        if (typeof(T) == typeof(ComplexFloat))
        {
            var v = new ComplexFloat(BinaryPrimitives.ReadSingleBigEndian(b), BinaryPrimitives.ReadSingleBigEndian(b[4..]));
            return Unsafe.As<ComplexFloat, T>(ref v);
        }
        if (typeof(T) == typeof(Complex))
        {
            var v = new Complex(BinaryPrimitives.ReadDoubleBigEndian(b), BinaryPrimitives.ReadDoubleBigEndian(b[8..]));
            return Unsafe.As<Complex, T>(ref v);
        }
        throw new InvalidOperationException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBig<T>(Span<byte> b, T value) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) BinaryPrimitives.WriteDoubleBigEndian(b, Unsafe.As<T, double>(ref value));
        else if (typeof(T) == typeof(float)) BinaryPrimitives.WriteSingleBigEndian(b, Unsafe.As<T, float>(ref value));
        else if (typeof(T) == typeof(long)) BinaryPrimitives.WriteInt64BigEndian(b, Unsafe.As<T, long>(ref value));
        else if (typeof(T) == typeof(int)) BinaryPrimitives.WriteInt32BigEndian(b, Unsafe.As<T, int>(ref value));
        else if (typeof(T) == typeof(short)) BinaryPrimitives.WriteInt16BigEndian(b, Unsafe.As<T, short>(ref value));
        else if (typeof(T) == typeof(byte)) b[0] = Unsafe.As<T, byte>(ref value);
        else if (typeof(T) == typeof(ComplexFloat))
        {
            var c = Unsafe.As<T, ComplexFloat>(ref value);
            BinaryPrimitives.WriteSingleBigEndian(b, c.Real);
            BinaryPrimitives.WriteSingleBigEndian(b[4..], c.Imaginary);
        }
        else if (typeof(T) == typeof(Complex))
        {
            var c = Unsafe.As<T, Complex>(ref value);
            BinaryPrimitives.WriteDoubleBigEndian(b, c.Real);
            BinaryPrimitives.WriteDoubleBigEndian(b[8..], c.Imaginary);
        }
        else throw new InvalidOperationException(typeof(T).Name);
    }

    /// <summary>BINARY booleans: T/t/1 true, F/f/0 false, 0x00, space and ? null.</summary>
    public static bool ReadBinaryBoolean(byte b, out bool value)
    {
        value = b is (byte)'T' or (byte)'t' or (byte)'1';
        return value || b is (byte)'F' or (byte)'f' or (byte)'0';
    }

    /// <summary>Decodes a <c>char</c> byte string: UTF-8 when valid (services put it there), else Latin-1.</summary>
    public static string DecodeChars(ReadOnlySpan<byte> b)
    {
        if (Ascii.IsValid(b) || System.Text.Unicode.Utf8.IsValid(b)) return Encoding.UTF8.GetString(b);
        return Encoding.Latin1.GetString(b);
    }
}
