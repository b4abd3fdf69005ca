using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Interop;

public class RepairTests
{
    private static string[] Codes(Table t) => t.Warnings.All.Select(w => w.Code).ToArray();

    [Test]
    public void WellBehavedCatalogNeedsNoRepair()
    {
        var t = RigCatalogs.CatA();
        Assert.That(Repairs.Apply(t), Is.Empty);
        Assert.That(t.Warnings.Count, Is.EqualTo(0));
    }

    [Test]
    public void Ucd1WordsAreMappedToUcd1Plus()
    {
        var t = RigCatalogs.CatC();
        Repairs.Apply(t);
        Assert.That(t.FindColumn("objid")!.Field.Ucd, Is.EqualTo("meta.id;meta.main"));
        Assert.That(t.FindColumn("ra")!.Field.Ucd, Is.EqualTo("pos.eq.ra;meta.main"));
        Assert.That(t.FindColumn("dec")!.Field.Ucd, Is.EqualTo("pos.eq.dec;meta.main"));
        Assert.That(t.FindColumn("u")!.Field.Ucd, Is.EqualTo("phot.mag;em.opt.U"));
        var w = t.Warnings.All.Single(x => x.Code == "repair.ucd1");
        Assert.That(w.Message, Does.StartWith("UCD1 words replaced by UCD1+: objid ID_MAIN → meta.id;meta.main"));
        Assert.That(w.Count, Is.EqualTo(1));
    }

    [Test]
    public void UcdsInWrongCaseAreRespelled()
    {
        var t = RigCatalogs.CatC();
        Repairs.Apply(t);
        Assert.That(t.FindColumn("r")!.Field.Ucd, Is.EqualTo("phot.mag;em.opt.R"));
        Assert.That(t.FindColumn("z")!.Field.Ucd, Is.EqualTo("phot.mag;em.opt.I"));
        Assert.That(t.FindColumn("g")!.Field.Ucd, Is.EqualTo("phot.mag;em.opt.B"));
        Assert.That(t.Warnings.All.Single(x => x.Code == "repair.ucd-case").Message,
            Is.EqualTo("UCDs respelled: r PHOT.MAG;EM.OPT.R → phot.mag;em.opt.R, z Phot.Mag;Em.Opt.I → phot.mag;em.opt.I"));
    }

    [Test]
    public void ValidCamelCaseUcdsAreNotRespelled()
    {
        var t = new Table("ok");
        t.AddColumn(RigCatalogs.D("pa", "deg", "pos.posAng", 1));
        t.AddColumn(RigCatalogs.D("ell", null, "pos.errorEllipse;stat.max", 1));
        Assert.That(Repairs.Apply(t), Is.Empty);
        Assert.That(t.FindColumn("pa")!.Field.Ucd, Is.EqualTo("pos.posAng"));
    }

    [Test]
    public void MisspelledAndMissingMagnitudeUnitsBecomeMag()
    {
        var t = RigCatalogs.CatB();
        Repairs.Apply(t);
        Assert.That(t.FindColumn("Hmag")!.Field.Unit, Is.EqualTo("mag"));
        Assert.That(t.FindColumn("Kmag")!.Field.Unit, Is.EqualTo("mag"));
        Assert.That(t.Warnings.All.Single(x => x.Code == "repair.mag-unit").Message,
            Is.EqualTo("magnitude units set to mag: Hmag 'mags', Kmag (no unit)"));
        // the quality flag and the designation are untouched
        Assert.That(t.FindColumn("Qflg"), Is.InstanceOf<StringColumn>());
        Assert.That(t.FindColumn("2MASS"), Is.InstanceOf<StringColumn>());
    }

    [Test]
    public void SentinelMagnitudesAndErrorsBecomeNull()
    {
        var t = RigCatalogs.CatC();
        Repairs.Apply(t);
        Assert.That(t.FindColumn("u")!.IsNull(1), Is.True);
        Assert.That(t.FindColumn("err_u")!.IsNull(1), Is.True);
        Assert.That(t.FindColumn("z")!.IsNull(2), Is.True);
        Assert.That(t.FindColumn("err_z")!.IsNull(2), Is.True);
        Assert.That(t.FindColumn("u")!.NullCount, Is.EqualTo(1));
        Assert.That(t.FindColumn("g")!.NullCount, Is.EqualTo(0));
        Assert.That(t.Warnings.All.Single(x => x.Code == "repair.sentinels").Message,
            Is.EqualTo("sentinel values set to null (outside the physical range, repeated): u (1 × -9999), z (1 × -9999), err_u (1 × -9999), err_z (1 × -9999)"));
    }

    [Test]
    public void RepairsWarnOncePerTableAndNotAgainOnSecondRun()
    {
        var t = RigCatalogs.CatC();
        var first = Repairs.Apply(t);
        Assert.That(first, Is.EqualTo(new[] { "ucd1", "ucd-case", "sentinels" }));
        Assert.That(t.Warnings.All.Select(w => w.Count), Is.All.EqualTo(1));
        Assert.That(Repairs.Apply(t), Is.Empty);
        Assert.That(t.Warnings.Count, Is.EqualTo(3));
    }

    [Test]
    public void NumbersStoredAsStringsBecomeDoubleColumns()
    {
        var t = new Table("vizier");
        t.AddColumn(RigCatalogs.S("Vmag", "mag", "phot.mag;em.opt.V", "12.5", " 13.25", "NULL"));
        t.AddColumn(RigCatalogs.S("name", null, "meta.id", "007", "008", "009"));
        t.AddColumn(RigCatalogs.S("plx", "mas", null, "1.5", "-", "2e-1"));
        Repairs.Apply(t);
        var v = t.FindColumn("Vmag");
        Assert.That(v, Is.InstanceOf<ScalarColumn<double>>());
        Assert.That(v!.GetDouble(1), Is.EqualTo(13.25));
        Assert.That(v.IsNull(2), Is.True);
        Assert.That(t.FindColumn("plx")!.GetDouble(2), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(t.FindColumn("plx")!.IsNull(1), Is.True);
        Assert.That(t.FindColumn("name"), Is.InstanceOf<StringColumn>(), "identifiers keep their leading zeros");
        Assert.That(t.Warnings.All.Single(x => x.Code == "repair.number-strings").Message,
            Is.EqualTo("numbers stored as text converted to double: Vmag (1 × 'NULL' → null), plx (1 × '-' → null)"));
    }

    [Test]
    public void TextThatIsNotANumberIsLeftAlone()
    {
        var t = new Table("x");
        t.AddColumn(RigCatalogs.S("Vmag", "mag", "phot.mag;em.opt.V", "12.5", "faint", "13"));
        Repairs.Apply(t);
        Assert.That(t.FindColumn("Vmag"), Is.InstanceOf<StringColumn>());
    }

    [Test]
    public void SexagesimalPositionsBecomeDegrees()
    {
        var t = new Table("old");
        t.AddColumn(RigCatalogs.S("RAJ2000", "\"h:m:s\"", "pos.eq.ra;meta.main", "10 00 00.0", "23:59:59.999", "00h00m36s"));
        t.AddColumn(RigCatalogs.S("DEJ2000", "\"d:m:s\"", "pos.eq.dec;meta.main", "+02 12 00", "-00:30:00", "-89 59 59.64"));
        Repairs.Apply(t);
        var ra = t.FindColumn("RAJ2000")!;
        var dec = t.FindColumn("DEJ2000")!;
        Assert.That(ra, Is.InstanceOf<ScalarColumn<double>>());
        Assert.That(ra.Field.Unit, Is.EqualTo("deg"));
        Assert.That(ra.GetDouble(0), Is.EqualTo(150.0).Within(1e-9));
        Assert.That(ra.GetDouble(1), Is.EqualTo(359.999995833).Within(1e-8));
        Assert.That(ra.GetDouble(2), Is.EqualTo(0.15).Within(1e-9));
        Assert.That(dec.GetDouble(0), Is.EqualTo(2.2).Within(1e-9));
        Assert.That(dec.GetDouble(1), Is.EqualTo(-0.5).Within(1e-9));
        Assert.That(dec.GetDouble(2), Is.EqualTo(-89.9999).Within(1e-9));
        Assert.That(t.Warnings.All.Single(x => x.Code == "repair.sexagesimal").Message,
            Is.EqualTo("sexagesimal positions converted to degrees: RAJ2000 (hours:minutes:seconds), DEJ2000 (degrees:minutes:seconds)"));
    }

    [Test]
    public void SexagesimalRaInDegreesIsRecognisedByItsRangeOrUnit()
    {
        var t = new Table("deg");
        t.AddColumn(RigCatalogs.S("RAJ2000", null, "pos.eq.ra;meta.main", "150 07 30", "10 00 00"));
        t.AddColumn(RigCatalogs.S("ra2", "d:m:s", "pos.eq.ra", "10 00 00", null));
        Repairs.Apply(t);
        Assert.That(t.FindColumn("RAJ2000")!.GetDouble(0), Is.EqualTo(150.125).Within(1e-9));
        Assert.That(t.FindColumn("RAJ2000")!.GetDouble(1), Is.EqualTo(10.0).Within(1e-9), "the whole column is in degrees");
        Assert.That(t.FindColumn("ra2")!.GetDouble(0), Is.EqualTo(10.0).Within(1e-9));
        Assert.That(t.Warnings.All.Single(w => w.Code == "repair.sexagesimal").Message,
            Is.EqualTo("sexagesimal positions converted to degrees: RAJ2000 (degrees:minutes:seconds), ra2 (degrees:minutes:seconds)"));
    }

    [Test]
    public void InvalidSexagesimalLeavesTheColumnAsText()
    {
        var t = new Table("bad");
        t.AddColumn(RigCatalogs.S("DEJ2000", null, "pos.eq.dec;meta.main", "+02 12 00", "-89 59 60.0"));
        Assert.That(Repairs.Apply(t), Is.Empty);
        Assert.That(t.FindColumn("DEJ2000"), Is.InstanceOf<StringColumn>(), "60 seconds is not a valid sexagesimal angle");
    }

    [TestCase("POS_EQ_RA_MAIN", "pos.eq.ra;meta.main")]
    [TestCase("PHOT_SDSS_U", "phot.mag;em.opt.U")]
    [TestCase("ID_MAIN", "meta.id;meta.main")]
    [TestCase("PHOT.MAG;EM.OPT.R", "phot.mag;em.opt.R")]
    [TestCase(" phot.mag ; em.IR.k ", "phot.mag;em.IR.K")]
    [TestCase("STAT.ERROR;PHOT.MAG;EM.IR.3-4UM", "stat.error;phot.mag;em.IR.3-4um")]
    [TestCase("POS.ANGDISTANCE", "pos.angDistance")]
    [TestCase("pos.posAng", "pos.posAng")]
    [TestCase("stat.fit.chi2;phot.mag.reddFree", "stat.fit.chi2;phot.mag.reddFree")]
    [TestCase("em.ir.h", "em.IR.H")]
    public void UcdsNormalize(string input, string expected) =>
        Assert.That(Ucds.Normalize(input), Is.EqualTo(expected));
}
