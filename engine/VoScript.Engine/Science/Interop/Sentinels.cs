using System.Globalization;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Model.Ucds;

namespace VoScript.Engine.Science.Interop;

/// <summary>The physical range of a column's quantity, from its UCD and unit.</summary>
/// <param name="What">The quantity, for messages (<c>magnitude</c>, <c>declination</c> …).</param>
/// <param name="IsValid">True for a value the quantity can physically take (in the column's own unit).</param>
internal sealed record PhysicalRange(string What, Func<double, bool> IsValid)
{
    /// <summary>
    /// The range of <paramref name="f"/>'s quantity, or null when nothing is known about it: magnitudes −5…40,
    /// magnitude errors above 0 and below 90 mag, flux densities and fluxes ≥ 0, their errors ≥ 0,
    /// declinations and latitudes within ±90°, right ascensions and longitudes within ±360° (after the unit).
    /// </summary>
    public static PhysicalRange? Of(Field f)
    {
        var words = Ucds.Words(f.Ucd);
        var primary = words.FirstOrDefault();
        var unit = VoUnits.Parse(f.Unit).Unit;
        var isError = primary is "stat.error" or "stat.error.sys" || (f.Ucd is null && Repairs.IsMagnitudeError(f));
        var mag = words.Contains("phot.mag") || primary is "phot.mag.sb" || (f.Ucd is null && (Repairs.IsMagnitude(f) || Repairs.IsMagnitudeError(f)))
                  || (primary is null or "stat.error" && unit is { IsMagnitude: true });
        var magScale = unit is { IsMagnitude: true } mu ? mu.Factor : 1; // mmag: 1e-3
        if (mag && isError) return new PhysicalRange("magnitude error", v => v * magScale > 0 && v * magScale < 90);
        if (mag && (primary is "phot.mag" or "phot.mag.sb" || f.Ucd is null)) return new PhysicalRange("magnitude", v => v * magScale >= -5 && v * magScale <= 40);
        var flux = words.Any(w => w.StartsWith("phot.flux", StringComparison.Ordinal))
                   || (primary is null or "stat.error" && unit is { } fu && (fu.IsFluxDensityPerFrequency || fu.IsFluxDensityPerWavelength || fu.IsFlux));
        if (flux && isError) return new PhysicalRange("flux error", v => v >= 0);
        if (flux && !isError && primary is null or "phot.flux" or "phot.flux.density" or "phot.flux.bol") return new PhysicalRange("flux density", v => v >= 0);
        if (isError) return null;
        var deg = unit is null ? 1.0 : VoUnits.DegreesPer(unit, timeIsHourAngle: true) ?? double.NaN;
        if (double.IsNaN(deg)) return null;
        if (primary is "pos.eq.dec" or "pos.galactic.lat" or "pos.ecliptic.lat" or "pos.supergalactic.lat")
            return new PhysicalRange("latitude", v => Math.Abs(v * deg) <= 90);
        if (primary is "pos.eq.ra" or "pos.galactic.lon" or "pos.ecliptic.lon" or "pos.supergalactic.lon")
            return new PhysicalRange("longitude", v => Math.Abs(v * deg) <= 360);
        return null;
    }
}

/// <summary>
/// <c>sentinels</c>: numbers that stand for "no value" (SDSS <c>-9999</c>, VizieR <c>99.99</c>, <c>-99</c> flux) found by
/// rule, not by list: a value that lies outside the physical range of its quantity (<see cref="PhysicalRange"/>) and
/// repeats exactly in at least 3 rows (in tables under 300 rows: 1 % of the rows, at least one) becomes null, reported
/// with the value and its count. Out-of-range values that do not repeat are kept and reported as <c>out-of-range</c>.
/// </summary>
internal sealed class SentinelRepair : ITableRepair
{
    public string Name => "sentinels";

    /// <summary>How often a value outside the range must occur to be a sentinel in a table of <paramref name="rows"/> rows.</summary>
    public static int Threshold(int rows) => Math.Max(1, Math.Min(3, (int)Math.Ceiling(rows * 0.01)));

    public int Apply(Table table)
    {
        var changed = new List<string>();
        var suspect = new List<string>();
        var threshold = Threshold(table.RowCount);
        foreach (var c in table.Columns)
        {
            if (c.Field.IsString || c is not (ScalarColumn<double> or ScalarColumn<float> or ScalarColumn<int> or ScalarColumn<short> or ScalarColumn<long>)) continue;
            if (PhysicalRange.Of(c.Field) is not { } range) continue;
            var outside = new SortedDictionary<double, int>();
            for (var i = 0; i < c.Count; i++)
            {
                if (c.IsNull(i)) continue;
                var v = c.GetDouble(i);
                if (double.IsNaN(v) || range.IsValid(v)) continue;
                outside[v] = outside.GetValueOrDefault(v) + 1;
            }
            if (outside.Count == 0) continue;
            var sentinels = outside.Where(x => x.Value >= threshold).Select(x => x.Key).ToHashSet();
            if (sentinels.Count > 0)
            {
                for (var i = 0; i < c.Count; i++)
                    if (!c.IsNull(i) && sentinels.Contains(c.GetDouble(i))) c.SetNull(i);
                changed.Add($"{c.Name} ({string.Join(", ", outside.Where(x => sentinels.Contains(x.Key)).OrderByDescending(x => x.Value).Select(x => $"{x.Value} × {Num(x.Key)}"))})");
            }
            var kept = outside.Where(x => !sentinels.Contains(x.Key)).ToList();
            if (kept.Count > 0)
                suspect.Add($"{c.Name} ({kept.Sum(x => x.Value)} values outside the {range.What} range, e.g. {Num(kept[0].Key)})");
        }
        if (changed.Count > 0) Repairs.Warn(table, Name, "sentinel values set to null (outside the physical range, repeated)", changed);
        if (suspect.Count > 0 && !table.Warnings.All.Any(w => w.Code == "out-of-range"))
            table.Warnings.Add("out-of-range", "values outside the physical range that do not repeat, kept: " + string.Join(", ", suspect));
        return changed.Count;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
