using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;

namespace VoScript.Engine.Tests.Photometry;

public class PhotometryTests
{
    [TestCase("Jmag", "J")]
    [TestCase("e_Jmag", "J")]
    [TestCase("phot_bp_mean_mag", "bp")]
    [TestCase("g_mag", "g")]
    [TestCase("mag_U", "U")]
    [TestCase("w1mpro", "w1")]
    [TestCase("gPSFMag", "g")]
    [TestCase("FUV_mag", "FUV")]
    [TestCase("Ksmag", "Ks")]
    [TestCase("petroMag_u", "u")]
    [TestCase("u", "u")]
    [TestCase("g_r", null)]
    [TestCase("Qflg", null)]
    public void BandKeysComeFromColumnNames(string name, string? key) =>
        Assert.That(PhotometryColumns.BandKey(name), Is.EqualTo(key));

    private static Dictionary<string, PhotometryColumn> Found(Table t)
    {
        Repairs.Apply(t);
        return PhotometryColumns.Find(t).ToDictionary(p => p.Value.Name);
    }

    [Test]
    public void GaiaLikeColumnsAreGaiaBands()
    {
        var p = Found(RigCatalogs.CatA());
        Assert.That(p["g_mag"].Band, Is.EqualTo(Bands.GaiaG));
        Assert.That(p["bp_mag"].Band, Is.EqualTo(Bands.GaiaBp));
        Assert.That(p["rp_mag"].Band, Is.EqualTo(Bands.GaiaRp));
        Assert.That(p["rp_mag"].BandFrom, Is.EqualTo("name+UCD"));
    }

    [Test]
    public void TwoMassColumnsAndTheirErrorsAreFound()
    {
        var p = Found(RigCatalogs.CatB());
        Assert.That(p.Keys, Is.EquivalentTo(new[] { "Jmag", "Hmag", "Kmag" }));
        Assert.That(p["Kmag"].Band, Is.EqualTo(Bands.TwoMassKs));
        Assert.That(p["Jmag"].Error?.Name, Is.EqualTo("e_Jmag"));
        Assert.That(p["Kmag"].Error?.Name, Is.EqualTo("e_Kmag"));
    }

    [Test]
    public void SdssColumnsAreFoundAfterUcdRepairsWithErrorsByName()
    {
        var p = Found(RigCatalogs.CatC());
        Assert.That(p.Keys, Is.EquivalentTo(new[] { "u", "g", "r", "i", "z" }));
        Assert.That(p.Values.Select(x => x.Band.Family), Is.All.EqualTo("SDSS"));
        Assert.That(p["z"].Band, Is.EqualTo(Bands.SdssZ));
        Assert.That(p["u"].Error?.Name, Is.EqualTo("err_u"));
        Assert.That(p["z"].Error?.Name, Is.EqualTo("err_z"));
    }

    [TestCase("gaia_source", "phot_g_mean_mag", "phot.mag;em.opt", "Gaia G")]
    [TestCase("ps1", "gMeanPSFMag", "phot.mag;em.opt.B", "PS1 g")]
    [TestCase("allwise", "w2mpro", "phot.mag;em.IR.4-8um", "WISE W2")]
    [TestCase("galex", "NUVmag", "phot.mag;em.UV.200-300nm", "GALEX NUV")]
    [TestCase("x", "Vmag", "phot.mag;em.opt.V", "Johnson V")]
    [TestCase("sdss_dr16", "g", "phot.mag;em.opt.B", "SDSS g")]
    public void SurveyColumnNamesGiveTheirBands(string table, string column, string ucd, string band)
    {
        var t = new Table(table);
        t.AddColumn(RigCatalogs.D(column, "mag", ucd, 15));
        Assert.That(PhotometryColumns.Find(t).Single().Band.Name, Is.EqualTo(band));
    }

    [Test]
    public void UcdAloneGivesTheDefaultBandOfItsRange()
    {
        var t = new Table("x");
        t.AddColumn(RigCatalogs.D("flux1", "mJy", "phot.flux.density;em.IR.3-4um", 2.0));
        t.AddColumn(RigCatalogs.D("col7", "mag", "phot.mag;em.opt.V", 12.0));
        var p = PhotometryColumns.Find(t).ToDictionary(x => x.Value.Name);
        Assert.That(p["flux1"].Band, Is.EqualTo(Bands.WiseW1));
        Assert.That(p["flux1"].ToJansky, Is.EqualTo(1e-3));
        Assert.That(p["col7"].Band, Is.EqualTo(Bands.JohnsonV));
        Assert.That(p["col7"].BandFrom, Is.EqualTo("UCD"));
    }

    [Test]
    public void MagnitudesAndFluxesConvertWithTheBandZeroPoint()
    {
        var t = new Table("phot");
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, [7L]));
        t.AddColumn(RigCatalogs.D("Kmag", "mag", "phot.mag;em.IR.K", 0.0));
        t.AddColumn(RigCatalogs.D("e_Kmag", "mag", "stat.error;phot.mag;em.IR.K", 0.1));
        t.AddColumn(RigCatalogs.D("W1flux", "mJy", "phot.flux.density;em.IR.3-4um", 309.54));
        t.AddColumn(RigCatalogs.D("z", "mag", "phot.mag;em.opt.I", 10.0));
        t.AddColumn(RigCatalogs.D("g", "mag", "phot.mag;em.opt.B", 10.0));
        t.AddColumn(RigCatalogs.D("r", "mag", "phot.mag;em.opt.R", 10.0));
        var sed = SedBuilder.Build(t);
        var rows = Enumerable.Range(0, sed.RowCount).ToDictionary(i => (string)sed.FindColumn("band")!.GetValue(i)!);

        Assert.That(sed.FindColumn("flux")!.GetDouble(rows["2MASS Ks"]), Is.EqualTo(666.7).Within(1e-9));
        Assert.That(sed.FindColumn("flux_err")!.GetDouble(rows["2MASS Ks"]), Is.EqualTo(666.7 * 0.4 * Math.Log(10) * 0.1).Within(1e-9));
        Assert.That(sed.FindColumn("wavelength")!.GetDouble(rows["2MASS Ks"]), Is.EqualTo(2.159));
        // 309.54 mJy in W1 is 0.30954 Jy, 1/1000 of the zero point: 7.5 mag
        Assert.That(sed.FindColumn("flux")!.GetDouble(rows["WISE W1"]), Is.EqualTo(0.30954).Within(1e-12));
        Assert.That(sed.FindColumn("mag")!.GetDouble(rows["WISE W1"]), Is.EqualTo(7.5).Within(1e-9));
        Assert.That(sed.FindColumn("mag_err")!.IsNull(rows["WISE W1"]), Is.True);
        // SDSS z is AB after +0.02
        Assert.That(sed.FindColumn("flux")!.GetDouble(rows["SDSS z"]), Is.EqualTo(3631 * Math.Pow(10, -0.4 * 10.02)).Within(1e-12));
        Assert.That(sed.FindColumn("mag_system")!.GetValue(rows["SDSS z"]), Is.EqualTo("AB"));
        Assert.That(sed.FindColumn("object_id")!.GetValue(0), Is.EqualTo(7L));
        Assert.That(sed.FindColumn("filter_id")!.GetValue(rows["2MASS Ks"]), Is.EqualTo("2MASS/2MASS.Ks"));
        Assert.That(Enumerable.Range(0, sed.RowCount).Select(i => sed.FindColumn("wavelength")!.GetDouble(i)), Is.Ordered, "sorted by wavelength within an object");
    }

    [Test]
    public void SedOfClusteredRigCatalogsHasOneRowPerObjectBandAndSource()
    {
        Table[] tables = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        foreach (var t in tables) Repairs.Apply(t);
        var objects = Clustering.Run(tables, 1.5 / 3600, "objects");
        var sed = SedBuilder.Build(objects, "seds");

        var perObject = Enumerable.Range(0, sed.RowCount).GroupBy(i => (long)sed.FindColumn("object_id")!.GetValue(i)!)
            .ToDictionary(g => g.Key, g => g.Select(i => (string)sed.FindColumn("band")!.GetValue(i)!).ToList());
        Assert.That(perObject.Keys, Is.EquivalentTo(new long[] { 1, 2, 3 }));
        // object 1: 3 Gaia + 3 2MASS + 5 SDSS
        Assert.That(perObject[1], Is.EquivalentTo(new[] { "Gaia G", "Gaia BP", "Gaia RP", "2MASS J", "2MASS H", "2MASS Ks", "SDSS u", "SDSS g", "SDSS r", "SDSS i", "SDSS z" }),
            "cat_c's g stays SDSS g although cat_a's bp_mag is in the same clustered table");
        // object 2: SDSS u is a -9999 sentinel
        Assert.That(perObject[2], Has.Count.EqualTo(10).And.Not.Contain("SDSS u"));
        // object 3: no BP/RP (NULL), no Ks (NULL), no z (sentinel)
        Assert.That(perObject[3], Has.Count.EqualTo(7).And.Not.Contain("2MASS Ks").And.Not.Contain("Gaia BP"));
        var first = Enumerable.Range(0, sed.RowCount).First(i => (string)sed.FindColumn("band")!.GetValue(i)! == "2MASS J");
        Assert.That(sed.FindColumn("source_table")!.GetValue(first), Is.EqualTo("cat_b"));
        Assert.That(sed.FindColumn("source_column")!.GetValue(first), Is.EqualTo("Jmag"));
        Assert.That(sed.FindColumn("mag_err")!.GetDouble(first), Is.EqualTo(0.02).Within(1e-6));
        Assert.That(sed.FindColumn("ra")!.GetDouble(first), Is.EqualTo(RigCatalogs.TrueRa[0]).Within(0.3 / 3600));
    }

    [Test]
    public void TableWithoutPhotometryIsAClearError()
    {
        var t = new Table("plain");
        t.AddColumn(RigCatalogs.D("x", null, null, 1));
        Assert.That(() => SedBuilder.Build(t), Throws.InstanceOf<VoScriptException>().With.Message.EqualTo(
            "table 'plain' has no photometry: no column has a UCD phot.mag;em.* or phot.flux.density;em.* or a magnitude name such as Jmag"));
    }
}
