using System.Globalization;
using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Interop;

/// <summary>
/// The DaCHS rig's real synthetic data (its gen_data.py output: inputs/cat_{a,b,c}/data/*.csv
/// and truth/objects.csv), with the column metadata its resource descriptors declare, through
/// repairs, cluster and sed — checked against the rig's truth. The rig is the repository's
/// tests/dachs-rig (or VOSCRIPT_DACHS_RIG); its data are generated here when missing
/// (gen_data.py is deterministic; Debian's python3 with numpy).
/// </summary>
[Category("Conformance")]
public class RigDataTests
{
    private string _rig = "";

    [OneTimeSetUp]
    public void FindRig()
    {
        _rig = Environment.GetEnvironmentVariable("VOSCRIPT_DACHS_RIG") ?? RepoRig();
        if (!File.Exists(Path.Combine(_rig, "truth", "objects.csv")) && File.Exists(Path.Combine(_rig, "gen_data.py")))
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [Path.Combine(_rig, "gen_data.py")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (p is not null)
            {
                p.StandardOutput.ReadToEnd();
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) Assert.Fail($"gen_data.py failed: {err}");
            }
        }
        if (!File.Exists(Path.Combine(_rig, "truth", "objects.csv")))
            Assert.Ignore($"no DaCHS rig data in '{_rig}' (gen_data.py needs /usr/bin/python3 with numpy)");
    }

    private static string RepoRig()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) d = d.Parent;
        return d is null ? "" : Path.Combine(d.FullName, "tests", "dachs-rig");
    }

    private static List<string?[]> Csv(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(',').Select(c => c.Length == 0 ? null : c).ToArray()).ToList();

    private static Column Col(string name, DataType type, string? unit, string? ucd, List<string?[]> rows, int index)
    {
        var f = new Field(name, type, type == DataType.Char ? ArraySize.Variable : null) { Unit = unit, Ucd = ucd };
        switch (type)
        {
            case DataType.Long:
                return new ScalarColumn<long>(f, rows.Select(r => long.Parse(r[index]!, CultureInfo.InvariantCulture)).ToArray());
            case DataType.Short:
                return new ScalarColumn<short>(f, rows.Select(r => short.Parse(r[index]!, CultureInfo.InvariantCulture)).ToArray());
            case DataType.Char:
                return new StringColumn(f, rows.Select(r => r[index]).ToArray());
            default:
                var v = rows.Select(r => r[index] is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : double.NaN).ToArray();
                NullMask? nulls = null;
                for (var i = 0; i < v.Length; i++) if (double.IsNaN(v[i])) (nulls ??= new NullMask(v.Length)).Set(i);
                return type == DataType.Float
                    ? new ScalarColumn<float>(f, v.Select(x => (float)x).ToArray(), nulls)
                    : new ScalarColumn<double>(f, v, nulls);
        }
    }

    private Table Load(string name, params (string Name, DataType Type, string? Unit, string? Ucd)[] cols)
    {
        var rows = Csv(Path.Combine(_rig, "inputs", name, "data", name + ".csv"));
        var t = new Table(name);
        for (var i = 0; i < cols.Length; i++) t.AddColumn(Col(cols[i].Name, cols[i].Type, cols[i].Unit, cols[i].Ucd, rows, i));
        return t;
    }

    // Metadata as the rig's q.rd files declare it (quirks included).
    private Table CatA() => Load("cat_a",
        ("source_id", DataType.Long, null, "meta.id;meta.main"), ("ra", DataType.Double, "deg", "pos.eq.ra;meta.main"),
        ("dec", DataType.Double, "deg", "pos.eq.dec;meta.main"), ("g_mag", DataType.Float, "mag", "phot.mag;em.opt.V"),
        ("bp_mag", DataType.Float, "mag", "phot.mag;em.opt.B"), ("rp_mag", DataType.Float, "mag", "phot.mag;em.opt.R"));

    private Table CatB() => Load("cat_b",
        ("2MASS", DataType.Char, null, "meta.id;meta.main"), ("RAJ2000", DataType.Double, "deg", "pos.eq.ra;meta.main"),
        ("DEJ2000", DataType.Double, "deg", "pos.eq.dec;meta.main"), ("Jmag", DataType.Float, "mag", "phot.mag;em.IR.J"),
        ("e_Jmag", DataType.Float, "mag", "stat.error;phot.mag;em.IR.J"), ("Hmag", DataType.Float, "mags", "phot.mag;em.IR.H"),
        ("e_Hmag", DataType.Float, "mag", "stat.error;phot.mag;em.IR.H"), ("Kmag", DataType.Float, null, "phot.mag;em.IR.K"),
        ("e_Kmag", DataType.Float, "mag", "stat.error;phot.mag;em.IR.K"), ("Qflg", DataType.Char, null, "meta.code.qual"));

    private Table CatC() => Load("cat_c",
        ("objid", DataType.Long, null, "ID_MAIN"), ("ra", DataType.Double, "deg", "POS_EQ_RA_MAIN"),
        ("dec", DataType.Double, "deg", "POS_EQ_DEC_MAIN"), ("type", DataType.Short, null, "src.class.starGalaxy"),
        ("u", DataType.Float, "mag", "PHOT_SDSS_U"), ("g", DataType.Float, "mag", "phot.mag;em.opt.B"),
        ("r", DataType.Float, "mag", "PHOT.MAG;EM.OPT.R"), ("i", DataType.Float, "mag", "phot.mag;em.opt.I"),
        ("z", DataType.Float, "mag", "Phot.Mag;Em.Opt.I"), ("err_u", DataType.Float, "mag", "stat.error;phot.mag"),
        ("err_g", DataType.Float, "mag", "stat.error;phot.mag"), ("err_r", DataType.Float, "mag", "stat.error;phot.mag"),
        ("err_i", DataType.Float, "mag", "stat.error;phot.mag"), ("err_z", DataType.Float, "mag", "stat.error;phot.mag"));

    [Test]
    public void RigCatalogsClusterIntoTheTrueObjectsAndGiveSeds()
    {
        Table a = CatA(), b = CatB(), c = CatC();
        Assert.That(Repairs.Apply(a), Is.Empty);
        Assert.That(Repairs.Apply(b), Is.EqualTo(new[] { "mag-unit" }));
        Assert.That(Repairs.Apply(c), Is.EqualTo(new[] { "ucd1", "ucd-case", "sentinels" }));
        Assert.That(c.FindColumn("u")!.NullCount, Is.EqualTo(38));
        Assert.That(c.FindColumn("z")!.NullCount, Is.EqualTo(9));

        var objects = Clustering.Run([a, b, c], 1.5 / 3600, "objects");
        Assert.That(objects.RowCount, Is.EqualTo(271 + 259 + 285));

        // truth: catalogue id -> true object
        var truth = Csv(Path.Combine(_rig, "truth", "objects.csv"));
        var trueOf = new Dictionary<string, string>();
        foreach (var r in truth)
        {
            if (r[7] is { } ida) trueOf["a" + ida] = r[0]!;
            if (r[8] is { } idb) trueOf["b" + idb] = r[0]!;
            if (r[9] is { } idc) trueOf["c" + idc] = r[0]!;
        }
        var groupsOfTrue = new Dictionary<string, HashSet<long>>();
        var truesOfGroup = new Dictionary<long, HashSet<string>>();
        var unmatched = 0;
        for (var i = 0; i < objects.RowCount; i++)
        {
            var src = (string)objects.FindColumn("source_table")!.GetValue(i)!;
            var id = src switch
            {
                "cat_a" => "a" + objects.FindColumn("source_id")!.FormatCell(i),
                "cat_b" => "b" + objects.FindColumn("2MASS")!.FormatCell(i),
                _ => "c" + objects.FindColumn("objid")!.FormatCell(i),
            };
            var g = (long)objects.FindColumn("group_id")!.GetValue(i)!;
            if (!trueOf.TryGetValue(id, out var tid)) { unmatched++; continue; }
            (groupsOfTrue.TryGetValue(tid, out var gs) ? gs : groupsOfTrue[tid] = []).Add(g);
            (truesOfGroup.TryGetValue(g, out var ts) ? ts : truesOfGroup[g] = []).Add(tid);
        }
        Assert.That(unmatched, Is.EqualTo(5), "3 cat_b artifacts and 2 spurious cat_c galaxies");
        Assert.That(groupsOfTrue.Values.Where(g => g.Count > 1), Is.Empty, "every true object in one group");
        // Friends-of-friends joins true objects closer than the linking angle (plus the catalogues'
        // jitter): the rig has one such pair, RIG-0086 and RIG-0052, 1.06" apart.
        var blends = truesOfGroup.Values.Where(t => t.Count > 1).ToList();
        var truePos = truth.ToDictionary(r => r[0]!, r => (Ra: double.Parse(r[2]!, CultureInfo.InvariantCulture), Dec: double.Parse(r[3]!, CultureInfo.InvariantCulture)));
        Assert.That(blends.Select(t => t.Order().ToArray()), Is.EqualTo(new[] { new[] { "52", "86" } }));
        foreach (var blend in blends)
            Assert.That(Angles.Separation(truePos[blend.First()].Ra, truePos[blend.First()].Dec, truePos[blend.Last()].Ra, truePos[blend.Last()].Dec) * 3600,
                Is.LessThan(1.5 + 2 * 0.45));
        var inAllThree = Enumerable.Range(0, objects.RowCount)
            .GroupBy(i => objects.FindColumn("group_id")!.GetValue(i))
            .Count(g => g.Select(i => objects.FindColumn("source_table")!.GetValue(i)).Distinct().Count() == 3);
        Assert.That(inAllThree, Is.EqualTo(234));

        var seds = SedBuilder.Build(objects, "seds");
        var bands = Enumerable.Range(0, seds.RowCount).Select(i => (string)seds.FindColumn("band")!.GetValue(i)!).ToList();
        Assert.That(bands.Distinct(), Is.EquivalentTo(new[] { "Gaia G", "Gaia BP", "Gaia RP", "2MASS J", "2MASS H", "2MASS Ks", "SDSS u", "SDSS g", "SDSS r", "SDSS i", "SDSS z" }));
        Assert.That(bands.Count(x => x == "SDSS u"), Is.EqualTo(285 - 38));
        Assert.That(bands.Count(x => x == "2MASS Ks"), Is.EqualTo(259 - 65));
        Assert.That(bands.Count(x => x == "Gaia BP"), Is.EqualTo(271 - 18));
        Assert.That(Enumerable.Range(0, seds.RowCount).Select(i => seds.FindColumn("mag")!.GetDouble(i)), Is.All.InRange(5.0, 30.0));

        // the tutorial's next steps: keep well-measured objects, plot them
        var picked = Selector.Where(seds, Expr.Count() >= 11 & Expr.Col("mag") < 17.5, "picked");
        var pickedObjects = Enumerable.Range(0, picked.RowCount).Select(i => picked.FindColumn("object_id")!.GetValue(i)).Distinct().Count();
        Assert.That(pickedObjects, Is.InRange(1, 234));
        var dir = Environment.GetEnvironmentVariable("VOSCRIPT_KEEP_PLOTS") ?? Path.GetTempPath();
        Directory.CreateDirectory(dir);
        var png = Path.Combine(dir, "rig-seds.png");
        var plot = Plotter.Plot(picked, png);
        Assert.That(plot.Kind, Is.EqualTo(PlotKind.Sed));
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(10_000));
        var sky = Plotter.Plot(objects, Path.Combine(dir, "rig-objects.png"));
        Assert.That(sky.Series, Is.EqualTo(3));
    }
}
