using VoScript.Engine.Science.Selection;

namespace VoScript.Engine.Model.Units;

/// <summary>
/// The units expressions know: a small table of VOUnit spellings grouped by what they measure,
/// enough to convert angles, flux densities, lengths, times and frequencies and to tell that
/// <c>mag</c> and <c>Jy</c> do not mix. A unit not in the table is "unknown": kept as text, never converted.
/// </summary>
public static class UnitTable
{
    private static readonly Dictionary<string, (string Kind, double Factor)> Table = new(StringComparer.Ordinal)
    {
        // angles, in degrees
        ["deg"] = ("angle", 1), ["degree"] = ("angle", 1), ["degrees"] = ("angle", 1),
        ["rad"] = ("angle", 180 / Math.PI),
        ["arcmin"] = ("angle", 1.0 / 60), ["amin"] = ("angle", 1.0 / 60),
        ["arcsec"] = ("angle", 1.0 / 3600), ["asec"] = ("angle", 1.0 / 3600),
        ["mas"] = ("angle", 1.0 / 3_600_000), ["uas"] = ("angle", 1.0 / 3_600_000_000), ["uarcsec"] = ("angle", 1.0 / 3_600_000_000),
        // flux densities, in Jy
        ["Jy"] = ("flux density", 1), ["mJy"] = ("flux density", 1e-3), ["uJy"] = ("flux density", 1e-6), ["nJy"] = ("flux density", 1e-9),
        // magnitudes
        ["mag"] = ("magnitude", 1),
        // lengths (wavelengths, distances), in m
        ["m"] = ("length", 1), ["km"] = ("length", 1e3), ["cm"] = ("length", 1e-2), ["mm"] = ("length", 1e-3),
        ["um"] = ("length", 1e-6), ["nm"] = ("length", 1e-9), ["Angstrom"] = ("length", 1e-10), ["AA"] = ("length", 1e-10),
        ["AU"] = ("length", 1.495978707e11), ["au"] = ("length", 1.495978707e11),
        ["pc"] = ("length", 3.0856775814913673e16), ["kpc"] = ("length", 3.0856775814913673e19), ["Mpc"] = ("length", 3.0856775814913673e22),
        // times, in s
        ["s"] = ("time", 1), ["ms"] = ("time", 1e-3), ["min"] = ("time", 60), ["h"] = ("time", 3600), ["d"] = ("time", 86400),
        ["yr"] = ("time", 365.25 * 86400), ["a"] = ("time", 365.25 * 86400),
        // frequencies, in Hz
        ["Hz"] = ("frequency", 1), ["kHz"] = ("frequency", 1e3), ["MHz"] = ("frequency", 1e6), ["GHz"] = ("frequency", 1e9),
        // velocities, in m/s
        ["m/s"] = ("velocity", 1), ["km/s"] = ("velocity", 1e3), ["km.s-1"] = ("velocity", 1e3), ["m.s-1"] = ("velocity", 1),
    };

    /// <summary>The units a number may carry in an expression (<c>2 arcsec</c>, <c>18 mag</c>, <c>1 mJy</c>).</summary>
    public static IEnumerable<string> LiteralUnits => Table.Keys.Where(k => !k.Contains('/') && !k.Contains('.'));

    /// <summary>Whether <paramref name="unit"/> is one of the units a number may carry in an expression.</summary>
    public static bool IsLiteralUnit(string unit) => Table.ContainsKey(unit) && !unit.Contains('/') && !unit.Contains('.');

    /// <summary>The unit with blanks and quotes trimmed; null for no unit.</summary>
    public static string? Normalize(string? unit)
    {
        var u = unit?.Trim().Trim('"', '\'').Trim();
        return string.IsNullOrEmpty(u) ? null : u;
    }

    /// <summary>What a unit measures ("angle", "magnitude", …), or null when the table does not know it.</summary>
    public static string? KindOf(string? unit) => Normalize(unit) is { } u && Table.TryGetValue(u, out var e) ? e.Kind : null;

    /// <summary>Whether both units are known and measure different things (so mixing them is an error).</summary>
    public static bool Incompatible(string? a, string? b)
    {
        a = Normalize(a); b = Normalize(b);
        if (a is null || b is null || a == b) return false;
        var ka = KindOf(a); var kb = KindOf(b);
        return ka is not null && kb is not null && ka != kb;
    }

    /// <summary>
    /// The factor that turns a value in <paramref name="from"/> into <paramref name="to"/>: 1 when either is
    /// missing or they are equal or unknown; the ratio when both measure the same thing; null when they do not mix.
    /// </summary>
    public static double? Factor(string? from, string? to)
    {
        from = Normalize(from); to = Normalize(to);
        if (from is null || to is null || from == to) return 1;
        if (!Table.TryGetValue(from, out var f) || !Table.TryGetValue(to, out var t)) return 1;
        if (f.Kind != t.Kind) return null;
        return f.Factor / t.Factor;
    }

    /// <summary>Whether the unit is an angle (or no unit, read as degrees).</summary>
    public static bool IsAngleOrNone(string? unit) => Normalize(unit) is not { } u || KindOf(u) == "angle";
}
