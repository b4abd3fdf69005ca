using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Sky;

/// <summary>How a position column was chosen.</summary>
internal enum PositionMatch
{
    /// <summary>UCD <c>pos.eq.ra;meta.main</c> / <c>pos.eq.dec;meta.main</c> (or their UCD1 words).</summary>
    MainUcd,
    /// <summary>Another <c>pos.eq.ra</c> / <c>pos.eq.dec</c> UCD.</summary>
    Ucd,
    /// <summary>A common column name (ra, RAJ2000, ra_icrs, …); reported as a warning.</summary>
    Name,
}

/// <summary>The RA and Dec columns of a table and how they were found.</summary>
internal sealed record PositionColumns(Column Ra, Column Dec, PositionMatch Match);

/// <summary>Positions in degrees (NaN where the table has none).</summary>
internal sealed record SkyPositions(double[] Ra, double[] Dec, PositionColumns Columns);

/// <summary>Finds and reads equatorial positions of a table (UCDs first, then names; units honoured).</summary>
internal static class Positions
{
    internal static bool IsRaName(string name) => RaNames.Contains(name, StringComparer.OrdinalIgnoreCase);
    internal static bool IsDecName(string name) => DecNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] RaNames =
        ["ra", "raj2000", "_raj2000", "ra_icrs", "ra_j2000", "ra2000", "radeg", "ra_deg", "ra_d", "raicrs", "s_ra", "alpha", "alpha_j2000", "ra_obj", "ramean"];
    private static readonly string[] DecNames =
        ["dec", "dej2000", "_dej2000", "decj2000", "dec_icrs", "de_icrs", "dec_j2000", "dec2000", "de2000", "dedeg", "decdeg", "dec_deg", "de_deg", "dec_d", "deicrs", "de", "s_dec", "delta", "delta_j2000", "dec_obj", "decmean"];

    /// <summary>
    /// Finds the RA/Dec columns: <c>pos.eq.ra;meta.main</c>, then any <c>pos.eq.ra</c>
    /// UCD (UCD1 words and any case accepted), then common names. Taking a column by
    /// name adds a warning to the table saying which columns were taken. Null when
    /// nothing fits.
    /// </summary>
    public static PositionColumns? Find(Table table)
    {
        Column? ra = null, dec = null;
        foreach (var main in new[] { true, false })
        {
            ra ??= table.Columns.FirstOrDefault(c => IsPos(c, "pos.eq.ra", main));
            dec ??= table.Columns.FirstOrDefault(c => IsPos(c, "pos.eq.dec", main));
            if (ra is not null && dec is not null)
                return new PositionColumns(ra, dec, main ? PositionMatch.MainUcd : PositionMatch.Ucd);
        }
        var byNameRa = ra ?? ByName(table, RaNames);
        var byNameDec = dec ?? ByName(table, DecNames);
        if (byNameRa is null || byNameDec is null) return null;
        table.Warnings.Add("position-by-name",
            $"no pos.eq.ra/pos.eq.dec UCDs: took '{byNameRa.Name}' as RA and '{byNameDec.Name}' as Dec by their names");
        return new PositionColumns(byNameRa, byNameDec, PositionMatch.Name);
    }

    private static bool IsPos(Column c, string word, bool main)
    {
        var words = Ucds.Words(c.Field.Ucd);
        if (words.Length == 0 || words[0] != word) return false;
        // "pos.eq.ra" as primary; pos.pm;pos.eq.ra (a proper motion) has another primary.
        return !main || words.Contains("meta.main");
    }

    private static Column? ByName(Table t, string[] names)
    {
        foreach (var n in names)
            foreach (var c in t.Columns)
                if (string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase) && (IsNumeric(c) || c is StringColumn))
                    return c;
        return null;
    }

    private static bool IsNumeric(Column c) => c.Field.DataType.IsInteger() || c.Field.DataType is DataType.Float or DataType.Double;

    /// <summary>Finds and reads the positions in degrees, or throws a <see cref="VoScriptException"/> saying what is missing.</summary>
    public static SkyPositions Read(Table table) => Read(table, readOnly: false);

    /// <summary>
    /// As <see cref="Read(Table)"/>; with <paramref name="readOnly"/> a column of doubles in degrees without nulls is
    /// given as it is, not copied (the caller must not change the arrays): no new memory for the common case.
    /// </summary>
    public static SkyPositions Read(Table table, bool readOnly)
    {
        var cols = Find(table) ?? throw new VoScriptException(
            $"table '{table.Name ?? "(unnamed)"}' has no position columns: give RA/Dec the UCDs pos.eq.ra;meta.main and pos.eq.dec;meta.main, " +
            "or name them ra and dec");
        return new SkyPositions(ToDegrees(cols.Ra, isRa: true, table, readOnly), ToDegrees(cols.Dec, isRa: false, table, readOnly), cols);
    }

    /// <summary>A column of angles in degrees: numbers scaled by their unit, sexagesimal strings parsed (RA in hours).</summary>
    public static double[] ToDegrees(Column c, bool isRa, Table? warnTo = null) => ToDegrees(c, isRa, warnTo, readOnly: false);

    private static double[] ToDegrees(Column c, bool isRa, Table? warnTo, bool readOnly)
    {
        var n = c.Count;
        if (readOnly && c is ScalarColumn<double> { Nulls: null } plain && Angles.DegreesPer(c.Field.Unit, isRa) == 1)
            return plain.Values;
        var result = new double[n];
        if (c is StringColumn s)
        {
            var bad = 0;
            var raScale = isRa && Angles.RaTextInHours(s.Values, c.Field.Unit) ? 15.0 : 1.0;
            for (var i = 0; i < n; i++)
            {
                var text = s[i];
                if (text is null) { result[i] = double.NaN; continue; }
                if (Angles.TryParseSexagesimal(text, out var v)) result[i] = v * raScale;
                else if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d))
                    result[i] = d * (Angles.DegreesPer(c.Field.Unit, isRa) ?? 1);
                else { result[i] = double.NaN; bad++; }
            }
            if (bad > 0) warnTo?.Warnings.Add("position-unreadable", $"{bad} values of '{c.Name}' are not angles; those rows have no position");
            return result;
        }
        var unitScale = Angles.DegreesPer(c.Field.Unit, isRa);
        if (unitScale is null)
        {
            warnTo?.Warnings.Add("position-unit", $"unit '{c.Field.Unit}' of '{c.Name}' is not an angle unit; read as degrees");
            unitScale = 1;
        }
        var scale = unitScale.Value;
        switch (c)
        {
            case ScalarColumn<double> d:
                if (scale == 1) Array.Copy(d.Values, result, n);
                else for (var i = 0; i < n; i++) result[i] = d.Values[i] * scale;
                if (d.Nulls is not null) for (var i = 0; i < n; i++) if (d.IsNull(i)) result[i] = double.NaN;
                break;
            default:
                for (var i = 0; i < n; i++) result[i] = c.GetDouble(i) * scale;
                break;
        }
        return result;
    }
}
