using System.Globalization;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;

namespace VoScript.Engine.Model.Units;

/// <summary>Angle units and sexagesimal text.</summary>
internal static class Angles
{
    public const double ArcsecPerDegree = 3600.0;

    /// <summary>
    /// Degrees per one unit of <paramref name="unit"/> (any VOUnits angle: deg, rad, arcmin, arcsec, mas, uarcsec …, and
    /// the non-standard spellings <see cref="VoUnits"/> reads; for RA also hours, minutes and seconds of time); null when
    /// the unit is not an angle. No unit means degrees.
    /// </summary>
    public static double? DegreesPer(string? unit, bool isRa = true)
    {
        var u = unit?.Trim().Trim('\'', '"');
        if (string.IsNullOrEmpty(u)) return 1.0;
        if (u is "hourangle" or "hour angle") return 15.0;
        var p = VoUnits.Parse(u);
        return p.Unit is { } vu ? VoUnits.DegreesPer(vu, timeIsHourAngle: isRa) : null;
    }

    /// <summary>True for units that say "sexagesimal text" (h:m:s, d:m:s, "h m s").</summary>
    public static bool IsSexagesimalUnit(string? unit)
    {
        if (unit is null) return false;
        var u = unit.Trim().ToLowerInvariant().Replace(" ", "");
        return u is "h:m:s" or "hms" or "d:m:s" or "dms" or "\"h:m:s\"" or "\"d:m:s\"" or "hh:mm:ss" or "dd:mm:ss";
    }

    /// <summary>
    /// Parses a sexagesimal angle: "10 00 28.6", "10:00:28.6", "10h00m28.6s",
    /// "+02d12m21s", "-00 30 00" (the sign applies to the whole angle). Returns the
    /// value in units of its first component (hours or degrees), or false.
    /// </summary>
    public static bool TryParseSexagesimal(string? text, out double value)
    {
        value = double.NaN;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = false;
        if (s[0] is '+' or '-' or '−') { negative = s[0] != '+'; s = s[1..].TrimStart(); }
        Span<double> parts = stackalloc double[3];
        var n = 0;
        var i = 0;
        while (i < s.Length)
        {
            if (n == 3) return false;
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)) return false;
            parts[n++] = p;
            // one separator: blanks, ':', or a unit letter/symbol
            var sepStart = i;
            while (i < s.Length && (s[i] is ' ' or ':' or 'h' or 'd' or 'm' or 's' or '°' or '\'' or '"' or '′' or '″' or 'H' or 'D' or 'M' or 'S')) i++;
            if (i < s.Length && i == sepStart) return false;
        }
        if (n < 2) return false; // a plain number is not sexagesimal
        if (parts[1] >= 60 || (n == 3 && parts[2] >= 60)) return false;
        value = parts[0] + parts[1] / 60 + (n == 3 ? parts[2] / 3600 : 0);
        if (negative) value = -value;
        return true;
    }

    /// <summary>
    /// Whether sexagesimal RA text is in hours (the convention) rather than degrees: degrees when
    /// the unit says so (<c>d:m:s</c>, <c>deg</c>) or when a first field reaches 24.
    /// </summary>
    public static bool RaTextInHours(IEnumerable<string?> values, string? unit)
    {
        var u = unit?.Trim().Trim('"', '\'').ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (u is "d:m:s" or "dms" or "deg" or "dd:mm:ss" or "degrees") return false;
        foreach (var v in values)
            if (TryParseSexagesimal(v, out var h) && Math.Abs(h) >= 24) return false;
        return true;
    }

    /// <summary>Great-circle distance in degrees (haversine form: exact for small and large angles).</summary>
    public static double Separation(double ra1, double dec1, double ra2, double dec2)
    {
        const double r = Math.PI / 180;
        var sd = Math.Sin((dec2 - dec1) * r / 2);
        var sa = Math.Sin((ra2 - ra1) * r / 2);
        var h = sd * sd + Math.Cos(dec1 * r) * Math.Cos(dec2 * r) * sa * sa;
        return 2 * Math.Asin(Math.Sqrt(Math.Min(1, h))) / r;
    }
}
