using NUnit.Framework;
using VoScript.Engine.Runtime;

namespace VoScript.Engine.Tests.Plans;

/// <summary>Angles for people (issue 17, item 5): the largest of deg, arcmin, arcsec in which the value is at least 1, at most 6 significant digits.</summary>
public class AngleFormatTests
{
    [TestCase(0.1, "6 arcmin")]
    [TestCase(0.20833333333333334, "12.5 arcmin")]
    [TestCase(1.5 / 3600, "1.5 arcsec")]
    [TestCase(0.25 / 3600, "0.25 arcsec")]
    [TestCase(1.0, "1 deg")]
    [TestCase(150.11916666666667, "150.119 deg")]
    [TestCase(-0.5, "-30 arcmin")]
    [TestCase(1.0 / 60, "1 arcmin")]
    [TestCase(0.0, "0 deg")]
    [TestCase(359.99999999, "360 deg")]
    [TestCase(123456.789, "123457 deg")]
    public void AnglesReadInTheirBestUnit(double degrees, string expected) =>
        Assert.That(PlanValue.FormatAngle(degrees), Is.EqualTo(expected));

    [Test]
    public void PlansShowTheAngleAndTheDegreesSentInAdql()
    {
        Assert.That(new NumberValue(0.1, Quantity.Angle).ToCanonical(), Is.EqualTo("6 arcmin (0.1 deg)"));
        Assert.That(new NumberValue(2, Quantity.Angle).ToCanonical(), Is.EqualTo("2 deg"));
        Assert.That(new NumberValue(150.11916666666667, Quantity.Angle) { Written = "10h00m28.6s" }.ToCanonical(),
            Is.EqualTo("10h00m28.6s (150.11916666666667 deg)"));
        Assert.That(new NumberValue(0.1, Quantity.Angle).ToAdql(), Is.EqualTo("0.1"));
        Assert.That(new NumberValue(0.1, Quantity.Angle).ToDisplay(), Is.EqualTo("6 arcmin"));
    }
}
