using System.Collections.Concurrent;

namespace VoScript.Engine.Model.Units;

/// <summary>
/// The units of the expression language (<c>select … where</c>, <c>derive</c>, <c>group</c>), answered by the engine's
/// one unit model, <see cref="VoUnits"/>: any unit a column carries (VOUnits, CDS and the non-standard spellings
/// services send) converts to any other of the same dimensions (<c>mJy</c> and <c>W.m**-2.Hz**-1</c>, <c>km.s-1</c> and
/// <c>m/s</c>), and units of different dimensions do not mix (<c>mag</c> and <c>Jy</c>). A unit that does not parse,
/// and a dimensionless one (<c>1</c>, CDS <c>---</c>), is "unknown": kept as text, never converted, mixing with anything.
/// </summary>
public static class UnitTable
{
    /// <summary>
    /// The spellings a number may carry in an expression (<c>2 arcsec</c>, <c>18 mag</c>, <c>1 mJy</c>): a curated list,
    /// because a bare word after a number must not be read as a unit by accident (<c>2 a</c>); each is a unit of
    /// <see cref="VoUnits"/> (a test holds them to it).
    /// </summary>
    private static readonly string[] Literals =
    [
        "deg", "degree", "degrees", "rad", "arcmin", "amin", "arcsec", "asec", "mas", "uas", "uarcsec",
        "Jy", "mJy", "uJy", "nJy", "mag",
        "m", "km", "cm", "mm", "um", "nm", "Angstrom", "AA", "AU", "au", "pc", "kpc", "Mpc",
        "s", "ms", "min", "h", "d", "yr", "a",
        "Hz", "kHz", "MHz", "GHz",
    ];

    private static readonly HashSet<string> LiteralSet = new(Literals, StringComparer.Ordinal);

    /// <summary>
    /// The parsed units by spelling. Spellings come from files and services (any text a FIELD's unit holds), so the
    /// cache is capped at <see cref="CacheCapacity"/>: when full it starts again empty (the units of one run are few).
    /// </summary>
    private static readonly ConcurrentDictionary<string, VoUnit?> Parsed = new(StringComparer.Ordinal);

    /// <summary>The most unit spellings kept parsed.</summary>
    internal const int CacheCapacity = 2048;

    /// <summary>How many spellings are kept parsed now (for tests).</summary>
    internal static int CachedCount => Parsed.Count;

    private static readonly VoUnit MetrePerSecond = VoUnits.Parse("m/s").Unit!;

    /// <summary>The units a number may carry in an expression (<c>2 arcsec</c>, <c>18 mag</c>, <c>1 mJy</c>).</summary>
    public static IEnumerable<string> LiteralUnits => Literals;

    /// <summary>Whether <paramref name="unit"/> is one of the units a number may carry in an expression.</summary>
    public static bool IsLiteralUnit(string unit) => LiteralSet.Contains(unit);

    /// <summary>The unit with blanks and quotes trimmed; null for no unit.</summary>
    public static string? Normalize(string? unit)
    {
        var u = unit?.Trim().Trim('"', '\'').Trim();
        return string.IsNullOrEmpty(u) ? null : u;
    }

    /// <summary>
    /// What a unit measures ("angle", "magnitude", "flux density", "length", "time", "frequency", "velocity", …, or its
    /// dimensions for others), or null when it is unknown (no unit, not parsed, dimensionless).
    /// </summary>
    public static string? KindOf(string? unit)
    {
        if (Known(unit) is not { } u) return null;
        if (!u.IsLinear) return u.ToString();
        if (u.IsAngle) return "angle";
        if (u.IsMagnitude) return "magnitude";
        if (u.IsFluxDensityPerFrequency) return "flux density";
        if (u.IsFluxDensityPerWavelength) return "flux density per wavelength";
        if (u.IsFlux) return "flux";
        if (u.IsLength) return "length";
        if (u.IsTime) return "time";
        if (u.IsFrequency) return "frequency";
        if (u.IsEnergy) return "energy";
        if (u.SameDimensions(MetrePerSecond)) return "velocity";
        return "quantity of dimensions " + string.Join(" ", u.Powers);
    }

    /// <summary>Whether both units are known and measure different things (so mixing them is an error).</summary>
    public static bool Incompatible(string? a, string? b)
    {
        if (Known(a) is not { } ua || Known(b) is not { } ub) return false;
        if (!ua.IsLinear || !ub.IsLinear) return !ua.Equals(ub) && Normalize(a) != Normalize(b);
        return !ua.SameDimensions(ub);
    }

    /// <summary>
    /// The factor that turns a value in <paramref name="from"/> into <paramref name="to"/>: 1 when either is
    /// missing, unknown or they are equal; the ratio when both have the same dimensions; null when they do not mix.
    /// </summary>
    public static double? Factor(string? from, string? to)
    {
        from = Normalize(from); to = Normalize(to);
        if (from is null || to is null || from == to) return 1;
        if (Known(from) is not { } f || Known(to) is not { } t) return 1;
        if (!f.IsLinear || !t.IsLinear) return f.Equals(t) ? 1 : null;
        return VoUnits.TryFactor(f, t, out var k) ? k : null;
    }

    /// <summary>Whether the unit is an angle (or no unit, read as degrees).</summary>
    public static bool IsAngleOrNone(string? unit) => Normalize(unit) is null || Known(unit) is { IsAngle: true };

    /// <summary>The parsed unit when it is known and not dimensionless; null otherwise.</summary>
    private static VoUnit? Known(string? unit)
    {
        if (Normalize(unit) is not { } u) return null;
        if (Parsed.TryGetValue(u, out var known)) return known;
        var parsed = VoUnits.Parse(u).Unit is { IsDimensionless: false } p ? p : null;
        if (Parsed.Count >= CacheCapacity) Parsed.Clear();
        Parsed.TryAdd(u, parsed);
        return parsed;
    }
}
