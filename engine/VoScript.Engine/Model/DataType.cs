namespace VoScript.Engine.Model;

/// <summary>The primitive datatypes of VOTable (VOTable 1.5 §2.1).</summary>
public enum DataType
{
    /// <summary><c>boolean</c>: bool.</summary>
    Boolean,
    /// <summary><c>bit</c>: bool.</summary>
    Bit,
    /// <summary><c>unsignedByte</c>: byte.</summary>
    UnsignedByte,
    /// <summary><c>short</c>: 16-bit integer.</summary>
    Short,
    /// <summary><c>int</c>: 32-bit integer.</summary>
    Int,
    /// <summary><c>long</c>: 64-bit integer.</summary>
    Long,
    /// <summary><c>char</c>: ASCII text.</summary>
    Char,
    /// <summary><c>unicodeChar</c>: UCS-2 text.</summary>
    UnicodeChar,
    /// <summary><c>float</c>: single precision.</summary>
    Float,
    /// <summary><c>double</c>: double precision.</summary>
    Double,
    /// <summary><c>floatComplex</c>: <see cref="ComplexFloat"/>.</summary>
    FloatComplex,
    /// <summary><c>doubleComplex</c>: <see cref="System.Numerics.Complex"/>.</summary>
    DoubleComplex,
}

/// <summary>Names, sizes and lenient parsing of <see cref="DataType"/>.</summary>
public static class DataTypes
{
    /// <summary>The VOTable spelling, e.g. <c>unsignedByte</c>.</summary>
    public static string VOTableName(this DataType t) => t switch
    {
        DataType.Boolean => "boolean",
        DataType.Bit => "bit",
        DataType.UnsignedByte => "unsignedByte",
        DataType.Short => "short",
        DataType.Int => "int",
        DataType.Long => "long",
        DataType.Char => "char",
        DataType.UnicodeChar => "unicodeChar",
        DataType.Float => "float",
        DataType.Double => "double",
        DataType.FloatComplex => "floatComplex",
        DataType.DoubleComplex => "doubleComplex",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Bytes of one element in BINARY/BINARY2 (bit: 0, packed separately).</summary>
    public static int ByteSize(this DataType t) => t switch
    {
        DataType.Boolean or DataType.UnsignedByte or DataType.Char => 1,
        DataType.Short or DataType.UnicodeChar => 2,
        DataType.Int or DataType.Float => 4,
        DataType.Long or DataType.Double or DataType.FloatComplex => 8,
        DataType.DoubleComplex => 16,
        DataType.Bit => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Whether the type is char or unicodeChar.</summary>
    public static bool IsText(this DataType t) => t is DataType.Char or DataType.UnicodeChar;

    /// <summary>Whether the type is an integer (unsignedByte, short, int, long).</summary>
    public static bool IsInteger(this DataType t) =>
        t is DataType.UnsignedByte or DataType.Short or DataType.Int or DataType.Long;

    /// <summary>Whether the type is a floating-point or complex type.</summary>
    public static bool IsFloatingPoint(this DataType t) =>
        t is DataType.Float or DataType.Double or DataType.FloatComplex or DataType.DoubleComplex;

    /// <summary>
    /// Parses a datatype attribute. Standard names are matched exactly; the
    /// non-standard names real services send (<c>string</c>, <c>int32</c>,
    /// <c>float64</c>, any case) are mapped and <paramref name="repaired"/> is set.
    /// </summary>
    public static bool TryParse(string? text, out DataType type, out bool repaired)
    {
        repaired = false;
        switch (text)
        {
            case "boolean": type = DataType.Boolean; return true;
            case "bit": type = DataType.Bit; return true;
            case "unsignedByte": type = DataType.UnsignedByte; return true;
            case "short": type = DataType.Short; return true;
            case "int": type = DataType.Int; return true;
            case "long": type = DataType.Long; return true;
            case "char": type = DataType.Char; return true;
            case "unicodeChar": type = DataType.UnicodeChar; return true;
            case "float": type = DataType.Float; return true;
            case "double": type = DataType.Double; return true;
            case "floatComplex": type = DataType.FloatComplex; return true;
            case "doubleComplex": type = DataType.DoubleComplex; return true;
        }
        repaired = true;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "boolean" or "bool" or "logical": type = DataType.Boolean; return true;
            case "bit": type = DataType.Bit; return true;
            case "unsignedbyte" or "byte" or "uint8": type = DataType.UnsignedByte; return true;
            case "short" or "int16" or "smallint": type = DataType.Short; return true;
            case "int" or "int32" or "integer": type = DataType.Int; return true;
            case "long" or "int64" or "bigint": type = DataType.Long; return true;
            case "char" or "string" or "text": type = DataType.Char; return true;
            case "unicodechar" or "unicodestring": type = DataType.UnicodeChar; return true;
            case "float" or "float32" or "real": type = DataType.Float; return true;
            case "double" or "float64": type = DataType.Double; return true;
            case "floatcomplex" or "complex64": type = DataType.FloatComplex; return true;
            case "doublecomplex" or "complex128": type = DataType.DoubleComplex; return true;
        }
        type = default;
        return false;
    }
}
