using System.Globalization;
using System.Text;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Plotting;

/// <summary>
/// SEDs drawn with characters, for <c>select … interactively</c> in a terminal (the CLI calls it): log
/// wavelength across, magnitude down (brighter up), one mark per point (<c>o</c>, or the
/// count when several points fall in one cell), axis labels with units.
/// </summary>
public static class CharacterPlot
{
    /// <summary>
    /// Draws the rows <paramref name="rows"/> of an SED table (columns wavelength, mag) in a plot area of
    /// <paramref name="width"/> × <paramref name="height"/> characters (plus 9 columns of labels on the left
    /// and 4 lines of axes below), after an optional <paramref name="title"/> line. Points without a positive
    /// wavelength or with a NaN magnitude are left out; with none left the text says so. Every line ends with a newline.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">the area is smaller than 20 × 5.</exception>
    /// <exception cref="VoScriptException">the table has no wavelength or no mag column.</exception>
    public static string Sed(Table sed, IReadOnlyList<int> rows, int width = 60, int height = 14, string? title = null)
    {
        if (width < 20 || height < 5) throw new ArgumentOutOfRangeException(nameof(width), "the plot needs at least 20×5 characters");
        var wl = sed.FindColumn(SedBuilder.Wavelength) ?? throw new VoScriptException($"table '{sed.Name}' is not an SED table: it has no '{SedBuilder.Wavelength}' column");
        var mag = sed.FindColumn(SedBuilder.Mag) ?? throw new VoScriptException($"table '{sed.Name}' is not an SED table: it has no '{SedBuilder.Mag}' column");
        var pts = rows.Select(i => (X: wl.GetDouble(i), Y: mag.GetDouble(i))).Where(p => p.X > 0 && !double.IsNaN(p.Y)).ToList();
        var sb = new StringBuilder();
        if (title is not null) sb.AppendLine(title);
        if (pts.Count == 0) return sb.AppendLine("(no points with a wavelength and a magnitude)").ToString();

        double x0 = Math.Log10(pts.Min(p => p.X)), x1 = Math.Log10(pts.Max(p => p.X));
        double y0 = pts.Min(p => p.Y), y1 = pts.Max(p => p.Y);
        if (x1 - x0 < 1e-9) { x0 -= 0.1; x1 += 0.1; }
        if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
        var grid = new int[height, width];
        foreach (var (x, y) in pts)
        {
            var c = (int)Math.Round((Math.Log10(x) - x0) / (x1 - x0) * (width - 1));
            var r = (int)Math.Round((y - y0) / (y1 - y0) * (height - 1)); // row 0 = brightest (smallest magnitude)
            grid[r, c]++;
        }
        var label = 8;
        for (var r = 0; r < height; r++)
        {
            var yv = y0 + (y1 - y0) * r / (height - 1);
            var axis = r == 0 || r == height - 1 || r == height / 2 ? yv.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(label - 1) + " " : new string(' ', label);
            sb.Append(axis).Append('|');
            for (var c = 0; c < width; c++)
                sb.Append(grid[r, c] switch { 0 => ' ', 1 => 'o', var k and < 10 => (char)('0' + k), _ => '*' });
            sb.AppendLine();
        }
        sb.Append(new string(' ', label)).Append('+').AppendLine(new string('-', width));
        var left = Math.Pow(10, x0).ToString("0.###", CultureInfo.InvariantCulture);
        var right = Math.Pow(10, x1).ToString("0.###", CultureInfo.InvariantCulture);
        sb.Append(new string(' ', label + 1)).Append(left).Append(new string(' ', Math.Max(1, width - left.Length - right.Length))).AppendLine(right);
        var xl = Plotter.AxisLabel("wavelength", wl.Field.Unit);
        sb.Append(new string(' ', label + 1 + Math.Max(0, (width - xl.Length) / 2))).AppendLine(xl);
        sb.Append("y: ").AppendLine(Plotter.AxisLabel("magnitude", mag.Field.Unit ?? "mag") + ", brighter up");
        return sb.ToString();
    }
}
