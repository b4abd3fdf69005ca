using NUnit.Framework;
using SkiaSharp;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;

namespace VoScript.Engine.Tests.Plotting;

public class PlotterTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("voscript-plot-").FullName;

    [TearDown]
    public void RemoveDir()
    {
        if (Environment.GetEnvironmentVariable("VOSCRIPT_KEEP_PLOTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            foreach (var f in Directory.GetFiles(_dir)) File.Copy(f, Path.Combine(keep, Path.GetFileName(f)), true);
        }
        Directory.Delete(_dir, true);
    }

    private static Table RigObjects()
    {
        Table[] tables = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        foreach (var t in tables) Repairs.Apply(t);
        return Clustering.Run(tables, 1.5 / 3600, "objects");
    }

    /// <summary>Fraction of pixels that are not (near) white, and the number of distinct colours.</summary>
    private static (double Ink, int Colours, int Width, int Height) Inspect(string png)
    {
        using var bmp = SKBitmap.Decode(png);
        Assert.That(bmp, Is.Not.Null, "a decodable PNG");
        var ink = 0;
        var colours = new HashSet<uint>();
        for (var y = 0; y < bmp.Height; y++)
            for (var x = 0; x < bmp.Width; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red < 230 || c.Green < 230 || c.Blue < 230) ink++;
                colours.Add((uint)c);
            }
        return (ink / (double)(bmp.Width * bmp.Height), colours.Count, bmp.Width, bmp.Height);
    }

    /// <summary>Ink per column band of the image, to see where the data are.</summary>
    private static int ColouredPixels(string png, Func<SKColor, bool> isColour)
    {
        using var bmp = SKBitmap.Decode(png);
        var n = 0;
        for (var y = 0; y < bmp.Height; y++)
            for (var x = 0; x < bmp.Width; x++)
                if (isColour(bmp.GetPixel(x, y))) n++;
        return n;
    }

    [Test]
    public void SedTableIsDrawnAsLogWavelengthAgainstMagnitudePng()
    {
        var sed = SedBuilder.Build(RigObjects());
        var path = Path.Combine(_dir, "seds.png");
        var r = Plotter.Plot(sed, path);
        Assert.That(r.Kind, Is.EqualTo(PlotKind.Sed));
        Assert.That(r.Series, Is.EqualTo(3));
        Assert.That((r.XLabel, r.YLabel), Is.EqualTo(("wavelength (µm)", "magnitude (mag)")));
        var (ink, colours, w, h) = Inspect(path);
        Assert.That((w, h), Is.EqualTo((900, 600)));
        Assert.That(ink, Is.GreaterThan(0.01).And.LessThan(0.5));
        Assert.That(colours, Is.GreaterThan(20));
        // three series in the first three palette colours
        Assert.That(ColouredPixels(path, c => c.Red < 60 && c.Green is > 100 and < 140 && c.Blue > 160), Is.GreaterThan(50), "blue series");
        Assert.That(ColouredPixels(path, c => c.Red > 230 && c.Green is > 100 and < 150 && c.Blue < 50), Is.GreaterThan(50), "orange series");
    }

    [Test]
    public void SedSvgCarriesAxisLabelsWithUnits()
    {
        var sed = SedBuilder.Build(RigObjects());
        var path = Path.Combine(_dir, "seds.svg");
        var r = Plotter.Plot(sed, path, new PlotOptions { Title = "three objects" });
        var svg = File.ReadAllText(path);
        Assert.That(svg, Does.StartWith("<svg").Or.StartWith("<?xml"));
        Assert.That(svg, Does.Contain("wavelength (µm)").And.Contain("magnitude (mag)").And.Contain("three objects"));
        Assert.That(r.Kind, Is.EqualTo(PlotKind.Sed));
    }

    [Test]
    public void ManyObjectsAreDrawnAsAGridOfPanels()
    {
        // 20 synthetic objects, 4 bands each
        var t = new Table("many");
        var n = 20;
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, Enumerable.Range(1, n).Select(i => (long)i).ToArray()));
        foreach (var (name, ucd, off) in new[] { ("Bmag", "phot.mag;em.opt.B", 0.8), ("Vmag", "phot.mag;em.opt.V", 0.0), ("Jmag", "phot.mag;em.IR.J", -1.2), ("Kmag", "phot.mag;em.IR.K", -1.8) })
            t.AddColumn(new ScalarColumn<double>(new Field(name, DataType.Double) { Unit = "mag", Ucd = ucd }, Enumerable.Range(0, n).Select(i => 12 + i * 0.3 + off).ToArray()));
        var sed = SedBuilder.Build(t);
        var path = Path.Combine(_dir, "grid.png");
        var r = Plotter.Plot(sed, path, new PlotOptions { MaxPanels = 12 });
        Assert.That(r.Series, Is.EqualTo(20));
        Assert.That(r.Panels, Is.EqualTo(10), "20 objects over at most 12 panels: 2 per panel");
        var (ink, _, w, h) = Inspect(path);
        Assert.That(w, Is.EqualTo(4 * 420));
        Assert.That(h, Is.EqualTo(3 * 260));
        Assert.That(ink, Is.GreaterThan(0.02));
    }

    [Test]
    public void PositionsAreDrawnOnTheSkyWithRaIncreasingToTheLeft()
    {
        var a = new Table("field");
        a.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 10.0, 10.1));
        a.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 5.0, 5.0));
        var path = Path.Combine(_dir, "sky.png");
        var r = Plotter.Plot(a, path, new PlotOptions { Width = 400, Height = 300 });
        Assert.That(r.Kind, Is.EqualTo(PlotKind.Sky));
        Assert.That((r.XLabel, r.YLabel), Is.EqualTo(("RA (deg)", "Dec (deg)")));
        // Mark RA 10.1 bigger than 10.0 by making a one-point table and comparing blue ink by image half.
        var one = new Table("one");
        one.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 10.0, 10.1, 10.1, 10.1));
        one.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 5.0, 5.0, 5.0001, 4.9999));
        var p2 = Path.Combine(_dir, "sky2.png");
        Plotter.Plot(one, p2, new PlotOptions { Width = 400, Height = 300 });
        using var bmp = SKBitmap.Decode(p2);
        int left = 0, right = 0;
        for (var y = 0; y < bmp.Height; y++)
            for (var x = 0; x < bmp.Width; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Blue > 150 && c.Red < 80) { if (x < bmp.Width / 2) left++; else right++; }
            }
        Assert.That(left, Is.GreaterThan(right), "the three points at the larger RA are on the left");
    }

    [Test]
    public void AFieldAcrossRaZeroStaysInOnePieceWithRaLabelsFrom0To360()
    {
        var a = new Table("wrap");
        a.AddColumn(RigCatalogs.D("ra", "deg", "pos.eq.ra;meta.main", 359.99, 359.995, 0.005, 0.01));
        a.AddColumn(RigCatalogs.D("dec", "deg", "pos.eq.dec;meta.main", 0, 0.005, 0.005, 0.01));
        var path = Path.Combine(_dir, "wrap.svg");
        Plotter.Plot(a, path, new PlotOptions { Width = 500, Height = 400 });
        var labels = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @">\s*([-0-9.]+)\s*</text>")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(labels, Does.Contain(359.99).And.Contain(0.01), "RA ticks on both sides of 0");
        Assert.That(labels, Is.All.GreaterThanOrEqualTo(0), "no negative RA labels");
    }

    [Test]
    public void ClusteredTablesAreSkyPlotsWithOneSeriesPerSourceTable()
    {
        var path = Path.Combine(_dir, "objects.png");
        var r = Plotter.Plot(RigObjects(), path);
        Assert.That(r.Kind, Is.EqualTo(PlotKind.Sky));
        Assert.That(r.Series, Is.EqualTo(3));
        Assert.That(Inspect(path).Ink, Is.GreaterThan(0.01));
    }

    [Test]
    public void NamedColumnsAreDrawnAgainstEachOtherWithUnits()
    {
        var t = RigCatalogs.CatB();
        Repairs.Apply(t);
        var path = Path.Combine(_dir, "jk.svg");
        var r = Plotter.Plot(t, path, new PlotOptions { X = "Jmag", Y = "e_Jmag" });
        Assert.That(r.Kind, Is.EqualTo(PlotKind.Columns));
        Assert.That((r.XLabel, r.YLabel), Is.EqualTo(("Jmag (mag)", "e_Jmag (mag)")));
        Assert.That(File.ReadAllText(path), Does.Contain("Jmag (mag)"));
    }

    [Test]
    public void UnknownColumnAndBadExtensionAreClearErrors()
    {
        var t = RigCatalogs.CatB();
        Assert.That(() => Plotter.Plot(t, Path.Combine(_dir, "x.png"), new PlotOptions { X = "Jmag", Y = "nope" }),
            Throws.InstanceOf<VoScriptException>().With.Message.StartsWith("table 'cat_b' has no numeric column 'nope'; numeric columns: RAJ2000, DEJ2000, Jmag"));
        Assert.That(() => Plotter.Plot(t, Path.Combine(_dir, "x.jpg")),
            Throws.InstanceOf<VoScriptException>().With.Message.EndsWith("the file name must end in .png or .svg"));
    }
}
