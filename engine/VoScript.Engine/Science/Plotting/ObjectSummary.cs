using System.Globalization;
using System.Text;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Sky;

namespace VoScript.Engine.Science.Plotting;

/// <summary>
/// A few lines about one object of <c>select … interactively</c> for a host without a screen
/// (the CLI writes them when the answers come from a pipe): its mean position (degrees and sexagesimal),
/// its bands in wavelength order, and its SED on one line of characters (one per band, taller = brighter).
/// </summary>
public static class ObjectSummary
{
    private const string Levels = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// The lines about the object made of <paramref name="rows"/> of <paramref name="table"/>, each ending with a newline:
    /// the position always (or what is missing), the bands and the one-line SED only when <paramref name="isSed"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">a row index is outside the table.</exception>
    public static string Of(Table table, IReadOnlyList<int> rows, bool isSed)
    {
        var sb = new StringBuilder();
        sb.Append("  position: ").AppendLine(Position(table, rows));
        if (!isSed) return sb.ToString();
        var points = Points(table, rows);
        if (points.Count == 0) return sb.AppendLine("  SED: no points with a wavelength and a magnitude").ToString();
        sb.Append("  bands: ").AppendLine(string.Join(", ", points.Select(p => $"{p.Band} {p.Mag.ToString("0.00", CultureInfo.InvariantCulture)}")));
        sb.Append("  SED: ").AppendLine(Line(points));
        return sb.ToString();
    }

    /// <summary>The mean position of the rows, or what is missing.</summary>
    private static string Position(Table table, IReadOnlyList<int> rows)
    {
        if (Positions.Find(table) is null) return "(no RA/Dec columns)";
        var pos = Positions.Read(table);
        var ra = rows.Select(r => pos.Ra[r]).Where(double.IsFinite).ToList();
        var dec = rows.Select(r => pos.Dec[r]).Where(double.IsFinite).ToList();
        if (ra.Count == 0 || dec.Count == 0) return "(none in these rows)";
        // the mean RA across 0/360: average the unit vectors
        var meanRa = Math.Atan2(ra.Average(a => Math.Sin(a * Math.PI / 180)), ra.Average(a => Math.Cos(a * Math.PI / 180))) * 180 / Math.PI;
        if (meanRa < 0) meanRa += 360;
        var meanDec = dec.Average();
        return string.Create(CultureInfo.InvariantCulture, $"RA {meanRa:0.00000} deg, Dec {meanDec:+0.00000;-0.00000} deg ({Hours(meanRa)} {Degrees(meanDec)})");
    }

    private static string Hours(double deg)
    {
        var s = Math.Round(deg / 15 * 3600, 2);
        var h = Math.Floor(s / 3600);
        var m = Math.Floor((s - h * 3600) / 60);
        var sec = s - h * 3600 - m * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{h % 24:00}h{m:00}m{sec:00.00}s");
    }

    private static string Degrees(double deg)
    {
        var s = Math.Round(Math.Abs(deg) * 3600, 1);
        var d = Math.Floor(s / 3600);
        var m = Math.Floor((s - d * 3600) / 60);
        var sec = s - d * 3600 - m * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{(deg < 0 ? '-' : '+')}{d:00}d{m:00}m{sec:00.0}s");
    }

    private sealed record Point(string Band, double Wavelength, double Mag);

    /// <summary>One point per band (the mean magnitude of its rows), in wavelength order.</summary>
    private static List<Point> Points(Table table, IReadOnlyList<int> rows)
    {
        var wl = table.FindColumn(SedBuilder.Wavelength)!;
        var mag = table.FindColumn(SedBuilder.Mag);
        var band = table.FindColumn(SedBuilder.BandName);
        if (mag is null) return [];
        return rows.Where(r => !wl.IsNull(r) && !mag.IsNull(r) && double.IsFinite(mag.GetDouble(r)) && wl.GetDouble(r) > 0)
            .GroupBy(r => band is null || band.IsNull(r) ? wl.GetDouble(r).ToString("0.###", CultureInfo.InvariantCulture) + " um" : band.FormatCell(r))
            .Select(g => new Point(g.Key, g.Average(wl.GetDouble), g.Average(mag.GetDouble)))
            .OrderBy(p => p.Wavelength).ToList();
    }

    /// <summary><c>0.48 um ▂▄▅█▇▆ 2.16 um (magnitudes 17.9 to 14.2; taller = brighter)</c>.</summary>
    private static string Line(List<Point> points)
    {
        var bright = points.Min(p => p.Mag);
        var faint = points.Max(p => p.Mag);
        var span = faint - bright;
        var bars = new string(points.Select(p => Levels[span < 1e-9 ? Levels.Length / 2 : (int)Math.Round((faint - p.Mag) / span * (Levels.Length - 1))]).ToArray());
        static string Um(double x) => x.ToString("0.###", CultureInfo.InvariantCulture) + " um";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Um(points[0].Wavelength)} {bars} {Um(points[^1].Wavelength)} (magnitudes {faint:0.0} to {bright:0.0}; taller = brighter)");
    }
}
