using NUnit.Framework;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using static VoScript.Engine.Science.Selection.Expr;
using static VoScript.Engine.Tests.Verbs.TableBuilder;

namespace VoScript.Engine.Tests.Units;

/// <summary>
/// The expression language's units come from the one unit model (<see cref="VoUnits"/>): any two units of the same
/// dimensions convert, different dimensions do not mix, units that do not parse stay unknown.
/// </summary>
public class UnitTableTests
{
    [Test]
    public void EveryUnitANumberMayCarryIsAVoUnit()
    {
        foreach (var u in UnitTable.LiteralUnits)
            Assert.That(VoUnits.Parse(u).Unit, Is.Not.Null.And.Property(nameof(VoUnit.IsDimensionless)).False, u);
    }

    [TestCase("mJy", "Jy", 1e-3)]
    [TestCase("W.m**-2.Hz**-1", "Jy", 1e26)]
    [TestCase("erg/s/cm2/Hz", "mJy", 1e26)]
    [TestCase("km.s-1", "m/s", 1000)]
    [TestCase("arcsec", "deg", 1 / 3600.0)]
    [TestCase("degrees", "deg", 1)]
    [TestCase("mas", "arcsec", 1e-3)]
    [TestCase("Angstrom", "nm", 0.1)]
    [TestCase("d", "h", 24)]
    [TestCase("GHz", "MHz", 1000)]
    public void UnitsOfTheSameDimensionsConvert(string from, string to, double factor) =>
        Assert.That(UnitTable.Factor(from, to), Is.EqualTo(factor).Within(1e-9).Percent);

    [TestCase("mag", "Jy")]
    [TestCase("erg/s/cm2/A", "Jy")] // per wavelength against per frequency: dimensions differ
    [TestCase("deg", "s")]
    [TestCase("km/s", "km")]
    public void UnitsOfDifferentDimensionsDoNotMix(string a, string b)
    {
        Assert.That(UnitTable.Incompatible(a, b), Is.True);
        Assert.That(UnitTable.Factor(a, b), Is.Null);
    }

    [TestCase("furlongs per fortnight", "deg")] // does not parse: unknown
    [TestCase("---", "deg")] // CDS dimensionless: unknown
    [TestCase(null, "mag")]
    [TestCase("", "Jy")]
    public void UnknownUnitsMixWithAnythingAndAreNotConverted(string? a, string b)
    {
        Assert.That(UnitTable.Incompatible(a, b), Is.False);
        Assert.That(UnitTable.Factor(a, b), Is.EqualTo(1));
    }

    [TestCase("mag(AB)", "magnitude")]
    [TestCase("mags", "magnitude")]
    [TestCase("mJy", "flux density")]
    [TestCase("Angstrom", "length")]
    [TestCase("km.s-1", "velocity")]
    [TestCase("arcsecs", "angle")]
    public void KindsAreNamedByDimensions(string unit, string kind) => Assert.That(UnitTable.KindOf(unit), Is.EqualTo(kind));

    [Test]
    public void ExpressionsConvertBetweenAnyFluxDensityUnits()
    {
        // before the one model, W.m**-2.Hz**-1 was unknown to the expression language and added to mJy unconverted
        var t = Make("f", D("a", "mJy", null, 1.0, 2.0), D("b", "W.m**-2.Hz**-1", null, 1e-29, 2e-29));
        var sum = (NumberVector)ExpressionEvaluator.Evaluate(Col("a") + Col("b"), t);
        Assert.That(sum.Values, Is.EqualTo(new[] { 2.0, 4.0 }).Within(1e-9));
        Assert.That(ExpressionChecker.Check(Col("a") + Col("b"), t.Fields.ToList()).Unit, Is.EqualTo("mJy"));
        var mixed = ExpressionChecker.Check(Col("a") + Col("a") * Col("a"), t.Fields.ToList());
        Assert.That(mixed.Errors, Is.Not.Empty, "mJy + mJy*mJy: the product's unit has other dimensions");
    }

    [Test]
    public void TheParseCacheStaysBoundedUnderManyDistinctSpellings()
    {
        // a service can send any text as a unit: a long stream of distinct spellings must not grow memory without bound
        for (var i = 0; i < UnitTable.CacheCapacity * 3; i++)
        {
            Assert.That(UnitTable.KindOf($"km.s-1.{i}x"), Is.Null.Or.Not.Null);
            Assert.That(UnitTable.CachedCount, Is.LessThanOrEqualTo(UnitTable.CacheCapacity));
        }
        Assert.That(UnitTable.KindOf("mJy"), Is.EqualTo("flux density"), "still right after the cache started again");
        Assert.That(UnitTable.Factor("arcsec", "deg"), Is.EqualTo(1 / 3600.0).Within(1e-15));
    }
}
