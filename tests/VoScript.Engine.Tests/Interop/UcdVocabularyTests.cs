using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;

namespace VoScript.Engine.Tests.Interop;

public class UcdVocabularyTests
{
    [Test]
    public void TheShippedVocabulariesAreLoadedWithTheirVersion()
    {
        Assert.That(UcdVocabulary.Version, Is.EqualTo("EN-UCDlist-v1.6-2024-12-18"));
        Assert.That(UcdVocabulary.WordCount, Is.GreaterThan(550));
        Assert.That(UcdVocabulary.Ucd1Count, Is.GreaterThan(1300));
        Assert.That(UcdVocabulary.Word("PHOT.MAG")!.Syntax, Is.EqualTo(UcdSyntax.Photometric));
        Assert.That(UcdVocabulary.Word("meta.main")!.Syntax, Is.EqualTo(UcdSyntax.Secondary));
        Assert.That(UcdVocabulary.Word("stat.error")!.Syntax, Is.EqualTo(UcdSyntax.Primary));
        Assert.That(UcdVocabulary.Word("phot.color")!.Syntax, Is.EqualTo(UcdSyntax.Colour));
    }

    [Test]
    public void EveryExplicitUcd1TranslationIsValidUcd1Plus()
    {
        foreach (var (ucd1, plus) in UcdVocabulary.ExplicitUcd1Map)
        {
            Assert.That(UcdVocabulary.IsListedUcd1(ucd1), Is.True, $"{ucd1} is a CDS UCD1 word");
            var a = Ucds.Analyze(plus);
            Assert.That(a.Problems, Is.Empty, $"{ucd1} → {plus}");
            Assert.That(a.Ucd, Is.EqualTo(plus), $"{plus} is spelled as in the list");
        }
    }

    [TestCase("PHOT_JHN_V", "phot.mag;em.opt.V", false)]
    [TestCase("ERROR", "stat.error", false)]
    [TestCase("POS_EQ_RA_MAIN", "pos.eq.ra;meta.main", false)]
    // listed in the UCD1 list, translated by the family rules
    [TestCase("PHOT_COUS_I", "phot.mag;em.opt.I", true)]
    [TestCase("PHOT_JHN_B-V", "phot.color;em.opt.B;em.opt.V", true)]
    [TestCase("PHOT_FLUX_RADIO_1.4G", "phot.flux.density;em.radio.750-1500MHz", true)]
    [TestCase("PHOT_FLUX_IR_60", "phot.flux.density;em.IR.60-100um", true)]
    [TestCase("PHOT_UV_1500", "phot.mag;em.UV.100-200nm", true)]
    [TestCase("PHOT_SB_JHN_B", "phot.mag.sb;em.opt.B", true)]
    // not in any list: archive schemas' own words
    [TestCase("PHOT_PS1_G", "phot.mag;em.opt.B", true)]
    [TestCase("PHOT_2MASS_KS", "phot.mag;em.IR.K", true)]
    [TestCase("PHOT_WISE_W3", "phot.mag;em.IR.8-15um", true)]
    [TestCase("PHOT_GALEX_NUV_MAIN", "phot.mag;em.UV.200-300nm;meta.main", true)]
    [TestCase("PHOT_SDSS_R_ERROR", "stat.error;phot.mag;em.opt.R", true)]
    [TestCase("ERROR_PHOT_WFCAM_Y", "stat.error;phot.mag;em.IR.J", true)]
    [TestCase("POS_EQ_RA_ICRS", "pos.eq.ra", true)]
    [TestCase("POS_EQ_DEC_J2000_MAIN", "pos.eq.dec;meta.main", true)]
    [TestCase("pos_eq_ra_main", "pos.eq.ra;meta.main", false)]
    [TestCase("ID_SOURCE", "meta.id", true)]
    public void Ucd1WordsTranslateByListThenByFamily(string ucd1, string expected, bool inferred)
    {
        var a = Ucds.Analyze(ucd1);
        Assert.That(a.Ucd, Is.EqualTo(expected));
        Assert.That(a.Inferred, Is.EqualTo(inferred));
        Assert.That(a.Problems, Is.Empty);
    }

    [Test]
    public void Ucd1PhotometryKeepsItsSystem()
    {
        Assert.That(Ucds.Analyze("PHOT_PS1_Z").Family, Is.EqualTo("Pan-STARRS"));
        Assert.That(Ucds.Analyze("PHOT_WFCAM_K").Family, Is.EqualTo("UKIDSS"));
        Assert.That(Ucds.Analyze("PHOT_SDSS_U").Family, Is.EqualTo("SDSS"));
    }

    [TestCase("phot.fluxDens;em.IR.J", "phot.flux.density;em.IR.J")]
    [TestCase("phot.color.B-V", "phot.color;em.opt.B;em.opt.V")]
    public void DeprecatedWordsAreReplaced(string ucd, string expected)
    {
        var a = Ucds.Analyze(ucd);
        Assert.That(a.Ucd, Is.EqualTo(expected));
        Assert.That(a.Deprecated, Is.Not.Empty);
    }

    [TestCase("phot.magnitude;em.opt.V", "unknown word 'phot.magnitude'")]
    [TestCase("meta.main;pos.eq.ra", "'meta.main' cannot be the primary word (syntax code S)")]
    [TestCase("phot.mag;stat.error", "'stat.error' can only be the primary word (syntax code P)")]
    [TestCase("PHOT_HST_F555W", "has no UCD1+ translation")]
    [TestCase("MY_OWN_WORD", "unknown UCD1-style word 'MY_OWN_WORD'")]
    public void WhatCannotBeUnderstoodIsReported(string ucd, string problem) =>
        Assert.That(string.Join("; ", Ucds.Analyze(ucd).Problems), Does.Contain(problem));
}
