using System.Globalization;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Fits;

/// <summary>
/// One BINTABLE column as its header describes it (TFORMn, TTYPEn, TNULLn, TSCALn/TZEROn,
/// TDIMn, TUNITn, TDISPn and the TUCDn/TCOMMn conventions), with its place in the row.
/// </summary>
internal sealed class FitsColumnSpec
{
    public int Number { get; init; }
    public string Name { get; init; } = "";
    public string Tform { get; init; } = "";
    /// <summary>The element type code: L X B I J K A E D C M (for P/Q columns, the type of the heap elements).</summary>
    public char Code { get; init; }
    /// <summary>Elements per cell (bits for X); for P/Q, 0 or 1 (the descriptor count).</summary>
    public long Repeat { get; init; }
    /// <summary>P (32-bit) or Q (64-bit) variable-length array descriptor, else null.</summary>
    public char? Descriptor { get; init; }
    public long? VarMax { get; init; }
    public int Width { get; init; }
    public int Offset { get; set; }
    public long? TNull { get; init; }
    public double Scale { get; init; } = 1;
    public decimal Zero { get; init; }
    /// <summary>TZERO had no exact decimal value (a huge real): use <see cref="ZeroDouble"/>.</summary>
    public double ZeroDouble { get; init; }
    public int[]? Dims { get; init; }
    public string? Unit { get; init; }
    public string? Disp { get; init; }
    public string? Ucd { get; init; }
    public string? Comment { get; init; }

    public bool IsVariable => Descriptor is not null;
    public bool IsScaled => Scale != 1 || Zero != 0 || ZeroDouble != 0;

    public static int ElementSize(char code) => code switch
    {
        'L' or 'B' or 'A' => 1,
        'I' => 2,
        'J' or 'E' => 4,
        'K' or 'D' or 'C' => 8,
        'M' => 16,
        _ => 0,
    };

    /// <summary>Parses the column's keywords from <paramref name="h"/>; says which keyword is wrong.</summary>
    public static FitsColumnSpec Parse(FitsHeader h, int n)
    {
        var key = "TFORM" + n.ToString(CultureInfo.InvariantCulture);
        var tform = h.GetString(key) ?? throw new FitsFormatException($"{h.Where}: column {n} has no {key} keyword (corrupt header?)");
        var t = tform.Trim().ToUpperInvariant();
        var i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
        long repeat = 1;
        if (i > 0 && !long.TryParse(t[..i], NumberStyles.None, CultureInfo.InvariantCulture, out repeat))
            throw Bad(h, key, tform, "its repeat count is too large");
        if (i >= t.Length) throw Bad(h, key, tform, "it has no type letter");
        var code = t[i];
        char? desc = null;
        long? varMax = null;
        if (code is 'P' or 'Q')
        {
            desc = code;
            if (repeat > 1) throw Bad(h, key, tform, "a variable-length array descriptor has a repeat count of 0 or 1");
            if (i + 1 >= t.Length) throw Bad(h, key, tform, "P and Q need an element type (for example PE or QJ)");
            code = t[i + 1];
            var rest = t[(i + 2)..].Trim();
            if (rest.StartsWith('(') && rest.IndexOf(')') is var close and > 0
                && long.TryParse(rest[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out var m)) varMax = m;
            if (code is 'P' or 'Q') throw Bad(h, key, tform, "variable-length arrays of descriptors are not allowed");
        }
        if (code is not ('L' or 'X' or 'B' or 'I' or 'J' or 'K' or 'A' or 'E' or 'D' or 'C' or 'M'))
            throw Bad(h, key, tform, $"'{code}' is not a BINTABLE type (L X B I J K A E D C M P Q)");
        long width = desc switch
        {
            'P' => repeat * 8,
            'Q' => repeat * 16,
            _ => code == 'X' ? (repeat + 7) / 8 : repeat * ElementSize(code),
        };
        if (repeat > int.MaxValue || width > int.MaxValue) throw Bad(h, key, tform, "the column is wider than 2 GB (corrupt header?)");
        var nn = n.ToString(CultureInfo.InvariantCulture);
        var scale = h.GetDouble("TSCAL" + nn) ?? 1;
        decimal zero = 0;
        double zeroD = 0;
        if (h.Has("TZERO" + nn))
        {
            if (h.GetDecimal("TZERO" + nn) is { } z) zero = z;
            else zeroD = h.GetDouble("TZERO" + nn) ?? 0;
        }
        if ((scale != 1 || zero != 0 || zeroD != 0) && code is 'L' or 'X' or 'A')
            throw new FitsFormatException($"{h.Where}: column {n} ({tform}) has TSCAL{nn}/TZERO{nn}, which FITS does not allow for L, X and A columns");
        return new FitsColumnSpec
        {
            Number = n,
            Name = h.GetString("TTYPE" + nn) is { Length: > 0 } name ? name : "col" + nn,
            Tform = tform.Trim(),
            Code = code,
            Repeat = repeat,
            Descriptor = desc,
            VarMax = varMax,
            Width = (int)width,
            TNull = code is 'B' or 'I' or 'J' or 'K' ? h.GetLong("TNULL" + nn) : null,
            Scale = scale,
            Zero = zero,
            ZeroDouble = zeroD,
            Dims = ParseDims(h, "TDIM" + nn, desc is null ? repeat : -1),
            Unit = Empty(h.GetString("TUNIT" + nn)),
            Disp = Empty(h.GetString("TDISP" + nn)),
            Ucd = Empty(h.GetString("TUCD" + nn)),
            Comment = Empty(h.GetLongString("TCOMM" + nn)),
        };
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static FitsFormatException Bad(FitsHeader h, string key, string value, string why) =>
        new($"{h.Where}: {key} = '{value}' is not a valid binary table format: {why}");

    /// <summary>TDIMn = '(a,b,…)' (first index fastest, as VOTable's arraysize); ignored with a mismatching product.</summary>
    private static int[]? ParseDims(FitsHeader h, string key, long repeat)
    {
        var s = h.GetString(key)?.Trim();
        if (string.IsNullOrEmpty(s) || s[0] != '(' || s[^1] != ')') return null;
        var parts = s[1..^1].Split(',');
        var dims = new int[parts.Length];
        long product = 1;
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw new FitsFormatException($"{h.Where}: {key} = '{s}' is not a list of dimensions like '(3,2)'");
            product *= dims[i];
            if (product > int.MaxValue) throw new FitsFormatException($"{h.Where}: {key} = '{s}' is too large");
        }
        return repeat < 0 || product == repeat ? dims : null;
    }

    /// <summary>The field this column becomes, with its unit, UCD, description and display hints.</summary>
    public Field ToField(DataType type, ArraySize size)
    {
        var f = new Field(Name, type, size) { Unit = Unit, Ucd = Ucd, Description = Comment };
        if (Disp is { } d) ApplyDisplay(f, d);
        return f;
    }

    /// <summary>TDISP Fw.d / Ew.d / Iw / Aw → width and precision (the digits after the point).</summary>
    private static void ApplyDisplay(Field f, string disp)
    {
        var s = disp.Trim().ToUpperInvariant();
        var i = 0;
        while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
        var rest = s[i..].Split('.');
        if (rest.Length > 0 && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)) f.Width = w.ToString(CultureInfo.InvariantCulture);
        if (rest.Length > 1 && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            f.Precision = (s.StartsWith('E') || s.StartsWith('D') || s.StartsWith('G') ? "E" : "") + p.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The TDISP for a field's width and precision (null when it has neither).</summary>
    public static string? DisplayOf(Field f, char code)
    {
        if (f.Width is null || !int.TryParse(f.Width, NumberStyles.None, CultureInfo.InvariantCulture, out var w) || w <= 0) return null;
        var p = f.Precision;
        return code switch
        {
            'A' => "A" + w.ToString(CultureInfo.InvariantCulture),
            'B' or 'I' or 'J' or 'K' => "I" + w.ToString(CultureInfo.InvariantCulture),
            'E' or 'D' when p is not null && p.StartsWith('E') && int.TryParse(p[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var e) => $"E{w}.{e}",
            'E' or 'D' when p is not null && int.TryParse(p.TrimStart('F'), NumberStyles.None, CultureInfo.InvariantCulture, out var d) => $"F{w}.{d}",
            _ => null,
        };
    }
}
