using NUnit.Framework;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Tests.Units;

public class VoUnitsTests
{
    [TestCase("deg", "deg")]
    [TestCase("mJy", "mJy")]
    [TestCase("erg.s**-1.cm**-2.Hz**-1", "erg.s**-1.cm**-2.Hz**-1")]
    [TestCase("km.s**-1", "km.s**-1")]
    [TestCase("mas.yr**-1", "mas.yr**-1")]
    [TestCase("log(cm.s**-2)", "log(cm.s**-2)")]
    [TestCase("10**-7W", "1e-07W")]
    [TestCase("keV", "keV")]
    [TestCase("kpc", "kpc")]
    [TestCase("uarcsec", "uarcsec")]
    public void ValidVoUnitsParseAsWritten(string text, string canonical)
    {
        var p = VoUnits.Parse(text);
        Assert.That(p.Ok, Is.True, p.Error);
        Assert.That(p.Canonical, Is.EqualTo(canonical));
        if (!text.StartsWith("10**", StringComparison.Ordinal)) Assert.That(p.Notes, Is.Empty);
    }

    [TestCase("degrees", "deg")]
    [TestCase("arcsecs", "arcsec")]
    [TestCase("Jansky", "Jy")]
    [TestCase("erg/s/cm2/A", "erg.s**-1.cm**-2.Angstrom**-1")]
    [TestCase("erg/s/cm^2/Hz", "erg.s**-1.cm**-2.Hz**-1")]
    [TestCase("erg s-1 cm-2 Hz-1", "erg.s**-1.cm**-2.Hz**-1")]
    [TestCase("km/sec", "km.s**-1")]
    [TestCase("µJy", "uJy")]
    [TestCase("microJy", "uJy")]
    [TestCase("Angstroms", "Angstrom")]
    [TestCase("microns", "um")]
    [TestCase("mags", "mag")]
    [TestCase("10-26W/m2/Hz", "1e-26W.m**-2.Hz**-1")]
    [TestCase("[cm/s2]", "log(cm.s**-2)")]
    public void NonStandardSpellingsParseWithANote(string text, string canonical)
    {
        var p = VoUnits.Parse(text);
        Assert.That(p.Ok, Is.True, p.Error);
        Assert.That(p.Canonical, Is.EqualTo(canonical));
        Assert.That(p.Notes, Is.Not.Empty, "a non-standard spelling is noted");
        Assert.That(p.IsStandard, Is.False);
    }

    [TestCase("mag(AB)", "AB")]
    [TestCase("ABmag", "AB")]
    [TestCase("mag (Vega)", "Vega")]
    [TestCase("vegamag", "Vega")]
    [TestCase("AB mag", "AB")]
    public void MagnitudeAnnotationsGiveTheSystem(string text, string system)
    {
        var p = VoUnits.Parse(text);
        Assert.That(p.Unit!.IsMagnitude, Is.True);
        Assert.That(p.MagSystem.ToString(), Is.EqualTo(system));
    }

    [TestCase("furlongs")]
    [TestCase("'counts per beam'")]
    [TestCase("m/")]
    [TestCase("km**")]
    [TestCase("h:m:s")]
    public void TextThatIsNoUnitIsReportedWithTheReason(string text)
    {
        var p = VoUnits.Parse(text);
        Assert.That(p.Ok, Is.False);
        Assert.That(p.Error, Does.Contain(text.Trim('\'')).Or.Contain("quoted"));
    }

    [TestCase(1.0, "Jy", "mJy", 1000.0)]
    [TestCase(1.0, "mJy", "uJy", 1000.0)]
    [TestCase(1.0, "Jy", "erg.s**-1.cm**-2.Hz**-1", 1e-23)]
    [TestCase(1.0, "W.m**-2.Hz**-1", "Jy", 1e26)]
    [TestCase(1.0, "deg", "arcsec", 3600.0)]
    [TestCase(1.0, "rad", "deg", 57.29577951308232)]
    [TestCase(1.0, "mas", "arcsec", 1e-3)]
    [TestCase(5000.0, "Angstrom", "um", 0.5)]
    [TestCase(1.0, "um", "nm", 1000.0)]
    [TestCase(1.0, "GHz", "MHz", 1000.0)]
    [TestCase(1.0, "keV", "eV", 1000.0)]
    [TestCase(1.0, "pc", "m", 3.0856775814913673e16)]
    public void CompatibleUnitsConvert(double value, string from, string to, double expected)
    {
        Assert.That(VoUnits.TryConvert(value, from, to, out var r), Is.True);
        Assert.That(r, Is.EqualTo(expected).Within(1e-9).Percent);
    }

    [TestCase("Jy", "deg")]
    [TestCase("mag", "Jy")]
    [TestCase("m", "s")]
    [TestCase("rad", "1")]
    public void IncompatibleUnitsDoNotConvert(string from, string to) =>
        Assert.That(VoUnits.TryConvert(1, from, to, out _), Is.False);

    [Test]
    public void FluxDensityPerWavelengthConvertsToJanskyAtTheBandWavelength()
    {
        // F_nu = F_lambda * lambda^2 / c: 1e-17 erg/s/cm2/A at 0.5 µm
        var u = VoUnits.Parse("1e-17erg/s/cm2/A").Unit!;
        Assert.That(u.IsFluxDensityPerWavelength, Is.True);
        var expected = 1e-17 * 1e-7 / 1e-4 / 1e-10 * Math.Pow(0.5e-6, 2) / VoUnits.SpeedOfLight / 1e-26;
        Assert.That(VoUnits.JanskyFactor(u, 0.5), Is.EqualTo(expected).Within(1e-9).Percent);
        Assert.That(VoUnits.JanskyFactor(u), Is.Null, "no wavelength, no conversion");
        Assert.That(VoUnits.JanskyFactor(VoUnits.Parse("uJy").Unit!), Is.EqualTo(1e-6).Within(1e-12).Percent);
    }

    [TestCase("h", 15.0)]
    [TestCase("min", 0.25)]
    [TestCase("rad", 57.29577951308232)]
    [TestCase("arcmin", 1.0 / 60)]
    public void AnglesAndHoursOfRightAscension(string unit, double degrees) =>
        Assert.That(VoUnits.DegreesPer(VoUnits.Parse(unit).Unit!, timeIsHourAngle: true), Is.EqualTo(degrees).Within(1e-12).Percent);
}
