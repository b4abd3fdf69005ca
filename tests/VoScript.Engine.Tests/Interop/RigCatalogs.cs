using VoScript.Engine.Model;

namespace VoScript.Engine.Tests.Interop;

/// <summary>
/// Small in-code equivalents of the DaCHS rig's three catalogs, with the same
/// metadata quirks (see the rig README): cat_a well-behaved (Gaia-like), cat_b
/// VizieR-style (unit "mags", a magnitude without unit, NULL Kmag), cat_c SDSS-style
/// (UCD1 words, upper/mixed-case UCDs, -9999 sentinels, no pos.eq.ra;meta.main).
/// Three objects near (150, 2.2); object k is at RA 150 + 0.001·k.
/// </summary>
internal static class RigCatalogs
{
    public static readonly double[] TrueRa = [150.001, 150.002, 150.003];
    public const double TrueDec = 2.2;
    private const double Jitter = 0.3 / 3600; // 0.3 arcsec

    public static Table CatA()
    {
        var t = new Table("cat_a");
        t.AddColumn(new ScalarColumn<long>(new Field("source_id", DataType.Long) { Ucd = "meta.id;meta.main" }, [4295806720L, 4295806721L, 4295806722L]));
        t.AddColumn(D("ra", "deg", "pos.eq.ra;meta.main", TrueRa[0], TrueRa[1], TrueRa[2]));
        t.AddColumn(D("dec", "deg", "pos.eq.dec;meta.main", TrueDec, TrueDec, TrueDec));
        t.AddColumn(F("g_mag", "mag", "phot.mag;em.opt.V", 15.0f, 16.0f, 20.5f));
        t.AddColumn(F("bp_mag", "mag", "phot.mag;em.opt.B", 15.4f, 16.5f, 0f, nullRow: 2));
        t.AddColumn(F("rp_mag", "mag", "phot.mag;em.opt.R", 14.5f, 15.4f, 0f, nullRow: 2));
        return t;
    }

    public static Table CatB()
    {
        var t = new Table("cat_b");
        t.AddColumn(new StringColumn(new Field("2MASS", DataType.Char, ArraySize.Variable) { Id = "2MASS", Ucd = "meta.id;meta.main" },
            ["10000024+0212000", "10000048+0212000", "10000072+0212000"]));
        t.AddColumn(D("RAJ2000", "deg", "pos.eq.ra;meta.main", TrueRa[0] + Jitter, TrueRa[1] - Jitter, TrueRa[2]));
        t.AddColumn(D("DEJ2000", "deg", "pos.eq.dec;meta.main", TrueDec, TrueDec + Jitter, TrueDec - Jitter));
        t.AddColumn(F("Jmag", "mag", "phot.mag;em.IR.J", 13.9f, 14.8f, 17.9f));
        t.AddColumn(F("e_Jmag", "mag", "stat.error;phot.mag;em.IR.J", 0.02f, 0.03f, 0.12f));
        t.AddColumn(F("Hmag", "mags", "phot.mag;em.IR.H", 13.5f, 14.3f, 17.5f));
        t.AddColumn(F("e_Hmag", "mag", "stat.error;phot.mag;em.IR.H", 0.03f, 0.04f, 0.15f));
        t.AddColumn(F("Kmag", null, "phot.mag;em.IR.K", 13.4f, 14.2f, 0f, nullRow: 2));
        t.AddColumn(F("e_Kmag", "mag", "stat.error;phot.mag;em.IR.K", 0.03f, 0.05f, 0f, nullRow: 2));
        t.AddColumn(new StringColumn(new Field("Qflg", DataType.Char, ArraySize.Fixed(3)) { Ucd = "meta.code.qual" }, ["AAA", "AAA", "AAU"]));
        return t;
    }

    public static Table CatC()
    {
        var t = new Table("cat_c");
        t.AddColumn(new ScalarColumn<long>(new Field("objid", DataType.Long) { Ucd = "ID_MAIN" }, [1237651000000000001L, 1237651000000000002L, 1237651000000000003L]));
        t.AddColumn(D("ra", "deg", "POS_EQ_RA_MAIN", TrueRa[0] - Jitter, TrueRa[1], TrueRa[2] + Jitter));
        t.AddColumn(D("dec", "deg", "POS_EQ_DEC_MAIN", TrueDec - Jitter, TrueDec, TrueDec));
        t.AddColumn(new ScalarColumn<short>(new Field("type", DataType.Short) { Ucd = "src.class.starGalaxy" }, [6, 6, 3]));
        t.AddColumn(F("u", "mag", "PHOT_SDSS_U", 17.1f, -9999f, 22.0f));
        t.AddColumn(F("g", "mag", "phot.mag;em.opt.B", 15.6f, 16.6f, 21.0f));
        t.AddColumn(F("r", "mag", "PHOT.MAG;EM.OPT.R", 15.0f, 16.0f, 20.6f));
        t.AddColumn(F("i", "mag", "phot.mag;em.opt.I", 14.8f, 15.8f, 20.3f));
        t.AddColumn(F("z", "mag", "Phot.Mag;Em.Opt.I", 14.7f, 15.7f, -9999f));
        t.AddColumn(F("err_u", "mag", "stat.error;phot.mag", 0.05f, -9999f, 0.3f));
        t.AddColumn(F("err_g", "mag", "stat.error;phot.mag", 0.02f, 0.02f, 0.05f));
        t.AddColumn(F("err_r", "mag", "stat.error;phot.mag", 0.02f, 0.02f, 0.05f));
        t.AddColumn(F("err_i", "mag", "stat.error;phot.mag", 0.02f, 0.02f, 0.06f));
        t.AddColumn(F("err_z", "mag", "stat.error;phot.mag", 0.03f, 0.03f, -9999f));
        return t;
    }

    public static ScalarColumn<double> D(string name, string? unit, string? ucd, params double[] v) =>
        new(new Field(name, DataType.Double) { Unit = unit, Ucd = ucd }, v);

    public static ScalarColumn<float> F(string name, string? unit, string? ucd, float a, float b, float c, int nullRow = -1)
    {
        var col = new ScalarColumn<float>(new Field(name, DataType.Float) { Unit = unit, Ucd = ucd }, [a, b, c]);
        if (nullRow >= 0) col.SetNull(nullRow);
        return col;
    }

    public static StringColumn S(string name, string? unit, string? ucd, params string?[] v) =>
        new(new Field(name, DataType.Char, ArraySize.Variable) { Unit = unit, Ucd = ucd }, v);
}
