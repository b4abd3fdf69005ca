using ScottPlot;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Plotting;

/// <summary>The kind of plot chosen for a table.</summary>
internal enum PlotKind
{
    /// <summary>Spectral energy distributions: log wavelength against magnitude, brighter up.</summary>
    Sed,
    /// <summary>Sky positions: Dec against RA, RA increasing to the left.</summary>
    Sky,
    /// <summary>One column against another.</summary>
    Columns,
}

/// <summary>Options of <c>plot T [to FILE] [x COL y COL] [title "…"]</c>.</summary>
internal sealed record PlotOptions
{
    public string? X { get; init; }
    public string? Y { get; init; }
    public string? Title { get; init; }
    public int Width { get; init; } = 900;
    public int Height { get; init; } = 600;
    /// <summary>SEDs with more objects than this are drawn as a grid of small panels (PNG) .</summary>
    public int MaxSeriesPerPlot { get; init; } = 10;
    /// <summary>At most this many panels in a grid; objects are shared out among them.</summary>
    public int MaxPanels { get; init; } = 36;
}

/// <summary>What was drawn.</summary>
internal sealed record PlotResult(PlotKind Kind, string Path, int Series, int Panels, string XLabel, string YLabel);

/// <summary>
/// Draws a table to PNG or SVG (by the file's extension) with ScottPlot. The plot fits the
/// table: SED tables (object_id, wavelength, mag) give log wavelength against magnitude with
/// brighter up, one series per object, or a grid of small panels when there are many objects;
/// tables with positions give a sky scatter with RA increasing to the left, one series per
/// source table; otherwise, or when X and Y are given, column against column. Axis labels
/// carry the columns' units.
/// </summary>
internal static class Plotter
{
    private static readonly Color[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    /// <summary>The kind of plot <see cref="Plot"/> would draw for this table and options.</summary>
    public static PlotKind KindOf(Table t, PlotOptions? options = null)
    {
        if (options?.X is not null || options?.Y is not null) return PlotKind.Columns;
        if (IsSed(t)) return PlotKind.Sed;
        if (Positions.Find(new Table().WithColumnsOf(t)) is not null) return PlotKind.Sky;
        return PlotKind.Columns;
    }

    /// <summary>Draws <paramref name="table"/> to <paramref name="path"/> (.png or .svg).</summary>
    public static PlotResult Plot(Table table, string path, PlotOptions? options = null)
    {
        options ??= new PlotOptions();
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg"))
            throw new VoScriptException($"cannot plot to '{path}': the file name must end in .png or .svg");
        if (table.RowCount == 0) throw new VoScriptException($"table '{table.Name ?? "(unnamed)"}' has no rows to plot");
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        return KindOf(table, options) switch
        {
            PlotKind.Sed => PlotSed(table, path, ext == ".svg", options),
            PlotKind.Sky => PlotSky(table, path, ext == ".svg", options),
            _ => PlotColumns(table, path, ext == ".svg", options),
        };
    }

    private static Table WithColumnsOf(this Table empty, Table t)
    {
        // Positions.Find may add a warning; probe on a shallow copy so KindOf has no side effects.
        foreach (var c in t.Columns) empty.AddColumn(c);
        return empty;
    }

    internal static bool IsSed(Table t) => SedBuilder.IsSed(t);

    /// <summary>"name (unit)" for an axis; µm for um.</summary>
    public static string AxisLabel(string name, string? unit) =>
        string.IsNullOrWhiteSpace(unit) ? name : $"{name} ({DisplayUnit(unit)})";

    private static string DisplayUnit(string unit) => unit switch
    {
        "um" => "µm",
        "Angstrom" or "angstrom" => "Å",
        _ => unit,
    };

    private static PlotResult PlotSed(Table t, string path, bool svg, PlotOptions o)
    {
        var id = t.FindColumn(SedBuilder.ObjectId)!;
        var wl = t.FindColumn(SedBuilder.Wavelength)!;
        var mag = t.FindColumn(SedBuilder.Mag)!;
        var err = t.FindColumn(SedBuilder.MagErr);
        var xLabel = AxisLabel(wl.Name == SedBuilder.Wavelength ? "wavelength" : wl.Name, wl.Field.Unit);
        var yLabel = AxisLabel(mag.Name == SedBuilder.Mag ? "magnitude" : mag.Name, mag.Field.Unit ?? "mag");

        // objects in order of first appearance, with their points sorted by wavelength
        var objects = new List<(string Key, List<(double X, double Y, double E)> Points)>();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < t.RowCount; i++)
        {
            var x = wl.GetDouble(i);
            var y = mag.GetDouble(i);
            if (!(x > 0) || double.IsNaN(y)) continue;
            var key = id.FormatCell(i);
            if (!index.TryGetValue(key, out var k)) { k = index[key] = objects.Count; objects.Add((key, [])); }
            objects[k].Points.Add((Math.Log10(x), y, err?.GetDouble(i) ?? double.NaN));
        }
        if (objects.Count == 0) throw new VoScriptException($"table '{t.Name ?? "(unnamed)"}' has no SED points with a wavelength and a magnitude");
        foreach (var ob in objects) ob.Points.Sort((a, b) => a.X.CompareTo(b.X));
        var xmin = objects.Min(ob => ob.Points.Min(p => p.X));
        var xmax = objects.Max(ob => ob.Points.Max(p => p.X));

        if (objects.Count <= o.MaxSeriesPerPlot || svg)
        {
            using var plot = new ScottPlot.Plot();
            for (var k = 0; k < objects.Count; k++)
                AddSedSeries(plot, objects[k].Points, Palette[k % Palette.Length], $"object {objects[k].Key}");
            StyleSed(plot, xmin, xmax, xLabel, yLabel, o.Title ?? (objects.Count == 1 ? $"SED of object {objects[0].Key}" : $"SEDs of {objects.Count} objects"));
            // beside the data, never over it
            if (objects.Count <= o.MaxSeriesPerPlot) plot.ShowLegend(Edge.Right); else plot.HideLegend();
            Save(plot, path, svg, o.Width, o.Height);
            return new PlotResult(PlotKind.Sed, path, objects.Count, 1, xLabel, yLabel);
        }

        // a grid of small panels, objects shared out among them
        var perPanel = (int)Math.Ceiling(objects.Count / (double)o.MaxPanels);
        var panels = (int)Math.Ceiling(objects.Count / (double)perPanel);
        var cols = (int)Math.Ceiling(Math.Sqrt(panels));
        var rows = (int)Math.Ceiling(panels / (double)cols);
        var multi = new Multiplot();
        while (multi.Subplots.Count > 0) multi.Subplots.RemoveAt(0); // it starts with one empty plot
        var plots = new List<ScottPlot.Plot>();
        for (var p = 0; p < panels; p++)
        {
            var plot = new ScottPlot.Plot();
            var first = p * perPanel;
            var last = Math.Min(objects.Count, first + perPanel);
            for (var k = first; k < last; k++)
                AddSedSeries(plot, objects[k].Points, Palette[(k - first) % Palette.Length], $"object {objects[k].Key}");
            var range = last - first == 1 ? $"object {objects[first].Key}" : $"objects {objects[first].Key}–{objects[last - 1].Key}";
            // the plot's own title heads the first panel (a grid has no title of its own)
            StyleSed(plot, xmin, xmax, xLabel, yLabel, p == 0 && o.Title is not null ? $"{o.Title}: {range}" : range, small: true);
            if (last - first > 1)
            {
                // beside the data, never over it
                plot.ShowLegend(Edge.Right);
                plot.Legend.FontSize = 9;
                plot.Legend.Padding = new PixelPadding(2);
                plot.Legend.SymbolWidth = 12;
            }
            multi.Subplots.Add(plot);
            plots.Add(plot);
        }
        multi.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, cols);
        multi.SavePng(path, Math.Max(o.Width, cols * 420), Math.Max(o.Height, rows * 260));
        foreach (var p in plots) p.Dispose();
        return new PlotResult(PlotKind.Sed, path, objects.Count, panels, xLabel, yLabel);
    }

    private static void AddSedSeries(ScottPlot.Plot plot, List<(double X, double Y, double E)> pts, Color color, string label)
    {
        var xs = pts.Select(p => p.X).ToArray();
        var ys = pts.Select(p => p.Y).ToArray();
        var s = plot.Add.Scatter(xs, ys, color);
        s.LegendText = label;
        s.MarkerSize = 6;
        s.LineWidth = 1.5f;
        var withErr = pts.Where(p => p.E > 0).ToArray();
        if (withErr.Length > 0)
        {
            var eb = plot.Add.ErrorBar(withErr.Select(p => p.X).ToArray(), withErr.Select(p => p.Y).ToArray(), withErr.Select(p => p.E).ToArray());
            eb.Color = color;
        }
    }

    private static void StyleSed(ScottPlot.Plot plot, double xmin, double xmax, string xLabel, string yLabel, string title, bool small = false)
    {
        // Log axis: ticks at 1, 2, 5 × 10^k µm, labelled in linear units.
        var ticks = new List<(double Pos, string Label)>();
        for (var e = (int)Math.Floor(xmin) - 1; e <= (int)Math.Ceiling(xmax) + 1; e++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                var v = m * Math.Pow(10, e);
                var lv = Math.Log10(v);
                if (lv >= xmin - 0.15 && lv <= xmax + 0.15) ticks.Add((lv, v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
            }
        var gen = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (pos, label) in ticks) gen.AddMajor(pos, label);
        for (var e = (int)Math.Floor(xmin) - 1; e <= (int)Math.Ceiling(xmax) + 1; e++)
            for (var m = 1; m < 10; m++)
                if (m is not (1 or 2 or 5)) gen.AddMinor(Math.Log10(m * Math.Pow(10, e)));
        plot.Axes.Bottom.TickGenerator = gen;
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsX(xmin - 0.1, xmax + 0.1);
        var pad = Math.Max(0.2, (limits.Top - limits.Bottom) * 0.05);
        // brighter (smaller magnitude) up
        plot.Axes.SetLimitsY(limits.Top + pad, limits.Bottom - pad);
        plot.XLabel(xLabel, small ? 11 : null);
        plot.YLabel(yLabel, small ? 11 : null);
        plot.Title(title, small ? 12 : null);
    }

    private static PlotResult PlotSky(Table t, string path, bool svg, PlotOptions o)
    {
        var pos = Positions.Read(new Table(t.Name).WithColumnsOf(t));
        var ra = (double[])pos.Ra.Clone();
        var dec = (double[])pos.Dec.Clone();
        double[]? groupRa = null, groupDec = null;
        if (pos.Columns.Ra.Name == "group_ra" && OriginalPositions(t, pos) is var (ora, odec))
        {
            // a clustered table: draw each row where its catalogue put it, and the group means on top
            groupRa = ra; groupDec = dec;
            ra = ora; dec = odec;
        }
        // Keep a field that straddles RA 0 in one piece.
        var finite = ra.Where(v => !double.IsNaN(v)).ToArray();
        var wrapped = finite.Length > 0 && finite.Max() - finite.Min() > 180;
        if (wrapped)
            for (var i = 0; i < ra.Length; i++)
            {
                if (ra[i] > 180) ra[i] -= 360;
                if (groupRa is not null && groupRa[i] > 180) groupRa[i] -= 360;
            }
        var series = t.FindColumn("source_table") is StringColumn s
            ? Enumerable.Range(0, t.RowCount).GroupBy(i => s[i] ?? "").Select(g => (Label: g.Key, Rows: g.ToList())).ToList()
            : [(Label: t.Name ?? "positions", Rows: Enumerable.Range(0, t.RowCount).ToList())];
        using var plot = new ScottPlot.Plot();
        for (var k = 0; k < series.Count; k++)
        {
            var rows = series[k].Rows.Where(i => !double.IsNaN(ra[i]) && !double.IsNaN(dec[i])).ToList();
            var sc = plot.Add.ScatterPoints(rows.Select(i => ra[i]).ToArray(), rows.Select(i => dec[i]).ToArray(), Palette[k % Palette.Length]);
            sc.LegendText = series[k].Label;
            sc.MarkerSize = series.Count > 1 ? Math.Max(2f, 7 - k * 1.5f) : 4;
            sc.MarkerShape = k switch { 0 => MarkerShape.FilledCircle, 1 => MarkerShape.OpenSquare, 2 => MarkerShape.Cross, _ => MarkerShape.OpenCircle };
        }
        if (groupRa is not null && groupDec is not null)
        {
            var g = Enumerable.Range(0, t.RowCount).Where(i => !double.IsNaN(groupRa[i])).ToList();
            var gm = plot.Add.ScatterPoints(g.Select(i => groupRa[i]).ToArray(), g.Select(i => groupDec[i]).ToArray(), Colors.Black);
            gm.MarkerShape = MarkerShape.Eks;
            gm.MarkerSize = 9;
            gm.LegendText = "group mean";
        }
        plot.Axes.AutoScale();
        var lim = plot.Axes.GetLimits();
        plot.Axes.SetLimitsX(lim.Right, lim.Left); // RA increases to the left
        if (wrapped)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => ((v % 360 + 360) % 360).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
            };
        var xLabel = AxisLabel("RA", "deg");
        var yLabel = AxisLabel("Dec", "deg");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Title(o.Title ?? $"{t.Name ?? "positions"}: {t.RowCount} positions");
        if (series.Count > 1 || groupRa is not null) plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, svg, o.Width, o.Height);
        return new PlotResult(PlotKind.Sky, path, series.Count, 1, xLabel, yLabel);
    }

    /// <summary>
    /// Per row, the first non-null (RA, Dec) among the table's other pos.eq.ra / pos.eq.dec
    /// columns, paired in column order (the catalogues' own positions in a clustered table).
    /// </summary>
    private static (double[] Ra, double[] Dec)? OriginalPositions(Table t, SkyPositions main)
    {
        var ras = t.Columns.Where(c => c != main.Columns.Ra && Ucds.PrimaryIs(c.Field.Ucd, "pos.eq.ra") && !c.Field.IsString).ToList();
        var decs = t.Columns.Where(c => c != main.Columns.Dec && Ucds.PrimaryIs(c.Field.Ucd, "pos.eq.dec") && !c.Field.IsString).ToList();
        if (ras.Count == 0 || ras.Count != decs.Count) return null;
        var pairs = ras.Zip(decs, (r, d) => (Positions.ToDegrees(r, true), Positions.ToDegrees(d, false))).ToList();
        var ra = new double[t.RowCount];
        var dec = new double[t.RowCount];
        for (var i = 0; i < t.RowCount; i++)
        {
            ra[i] = dec[i] = double.NaN;
            foreach (var (pr, pd) in pairs)
                if (!double.IsNaN(pr[i]) && !double.IsNaN(pd[i])) { ra[i] = pr[i]; dec[i] = pd[i]; break; }
        }
        return (ra, dec);
    }

    private static PlotResult PlotColumns(Table t, string path, bool svg, PlotOptions o)
    {
        Column Pick(string? name, int skip)
        {
            if (name is not null)
                return t.FindColumn(name) is { } c && !c.Field.IsString && c.Field.ArraySize.IsScalar
                    ? c
                    : throw new VoScriptException($"table '{t.Name ?? "(unnamed)"}' has no numeric column {ScriptNames.Mention(name, NamePlace.ColumnList)}{ScriptNames.DidYouMean(name, Numeric(t).Select(x => x.Name), NamePlace.ColumnList)}; numeric columns: {ScriptNames.List(Numeric(t).Select(x => x.Name), NamePlace.ColumnList)}");
            return Numeric(t).Skip(skip).FirstOrDefault()
                ?? throw new VoScriptException($"table '{t.Name ?? "(unnamed)"}' has fewer than two numeric columns to plot; name them with x COL y COL");
        }
        var x = Pick(o.X, 0);
        var y = Pick(o.Y, x == Numeric(t).FirstOrDefault() ? 1 : 0);
        var rows = Enumerable.Range(0, t.RowCount).Where(i => !double.IsNaN(x.GetDouble(i)) && !double.IsNaN(y.GetDouble(i))).ToList();
        using var plot = new ScottPlot.Plot();
        var sc = plot.Add.ScatterPoints(rows.Select(x.GetDouble).ToArray(), rows.Select(y.GetDouble).ToArray(), Palette[0]);
        sc.MarkerSize = 4;
        plot.Axes.AutoScale();
        if (Ucds.PrimaryIs(y.Field.Ucd, "phot.mag") || y.Field.Unit == "mag")
        {
            var lim = plot.Axes.GetLimits();
            plot.Axes.SetLimitsY(lim.Top, lim.Bottom); // magnitudes: brighter up
        }
        var xLabel = AxisLabel(x.Name, x.Field.Unit);
        var yLabel = AxisLabel(y.Name, y.Field.Unit);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Title(o.Title ?? $"{t.Name ?? "table"}: {y.Name} against {x.Name}");
        Save(plot, path, svg, o.Width, o.Height);
        return new PlotResult(PlotKind.Columns, path, 1, 1, xLabel, yLabel);
    }

    private static IEnumerable<Column> Numeric(Table t) =>
        t.Columns.Where(c => !c.Field.IsString && c.Field.ArraySize.IsScalar && (c.Field.DataType.IsInteger() || c.Field.DataType is DataType.Float or DataType.Double));

    private static void Save(ScottPlot.Plot plot, string path, bool svg, int w, int h)
    {
        if (svg) plot.SaveSvg(path, w, h);
        else plot.SavePng(path, w, h);
    }
}
