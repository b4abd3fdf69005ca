using NUnit.Framework;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using static VoScript.Engine.Science.Selection.Expr;
using static VoScript.Engine.Tests.Verbs.TableBuilder;

namespace VoScript.Engine.Tests.Selection;

public class ExpressionLanguageTests
{
    private static Table Stars() => Make("stars",
        L("id", 1, 2, 3, 4),
        D("ra", "deg", "pos.eq.ra;meta.main", 150.0, 150.0005, 359.9999, 0.0001),
        D("dec", "deg", "pos.eq.dec;meta.main", 2.2, 2.2, 0.0, 0.0),
        D("jmag", "mag", null, 12.0, null, 14.5, 10.0),
        D("kmag", "mag", null, 11.5, 12.0, 14.0, 9.0),
        D("flux", "mJy", null, 1000.0, 2.0, null, 3631000.0),
        S("name", "Vega", "Sirius", null, "alpha Cen"));

    private static double?[] Numbers(Expr e, Table? t = null)
    {
        var v = (NumberVector)ExpressionEvaluator.Evaluate(e, t ?? Stars());
        return v.Values.Select(x => double.IsNaN(x) ? (double?)null : x).ToArray();
    }

    private static bool?[] Bools(Expr e)
    {
        var v = (BoolVector)ExpressionEvaluator.Evaluate(e, Stars());
        return v.Values.Select(x => x == BoolVector.Null ? (bool?)null : x == BoolVector.True).ToArray();
    }

    private static string?[] Texts(Expr e) => ((TextVector)ExpressionEvaluator.Evaluate(e, Stars())).Values;

    [Test]
    public void ArithmeticPropagatesNullsAndKeepsObviousUnits()
    {
        var colour = Col("jmag") - Col("kmag");
        Assert.That(Numbers(colour), Is.EqualTo(new double?[] { 0.5, null, 0.5, 1.0 }));
        var check = ExpressionChecker.Check(colour, Stars().Fields.ToList());
        Assert.That(check.Unit, Is.EqualTo("mag"));
        Assert.That(ExpressionChecker.Check(Col("flux") * 2, Stars().Fields.ToList()).Unit, Is.EqualTo("mJy"));
        Assert.That(ExpressionChecker.Check(Col("flux") / Col("flux"), Stars().Fields.ToList()).Unit, Is.Null);
    }

    [Test]
    public void MixingUnitsThatDoNotGoTogetherIsAnError()
    {
        var c = ExpressionChecker.Check(Col("jmag") + Col("flux"), Stars().Fields.ToList());
        Assert.That(c.Errors.Single().Problem, Is.EqualTo(ExprProblem.Unit));
        Assert.That(c.Errors.Single().Message, Does.Contain("mag").And.Contain("mJy"));
        var cmp = ExpressionChecker.CheckCondition(Col("jmag") < Quantity(2, "arcsec"), Stars().Fields.ToList());
        Assert.That(cmp.Errors.Single().Problem, Is.EqualTo(ExprProblem.Unit));
    }

    [Test]
    public void UnitLiteralsConvertToTheOtherSide()
    {
        // separation is in degrees; 2 arcsec is converted to degrees before comparing
        var near = Fn("separation", Col("ra"), Col("dec"), 150.0, 2.2) < Quantity(2, "arcsec");
        Assert.That(Bools(near), Is.EqualTo(new bool?[] { true, true, false, false }));
        Assert.That(Bools(Col("flux") > Quantity(1, "Jy")), Is.EqualTo(new bool?[] { false, false, null, true }));
        // separation across RA 0/360
        var wrap = Numbers(Fn("separation", Col("ra"), Col("dec"), 0.0, 0.0));
        Assert.That(wrap[2]!.Value * 3600, Is.EqualTo(0.36).Within(1e-6));
        Assert.That(wrap[3]!.Value * 3600, Is.EqualTo(0.36).Within(1e-6));
    }

    [Test]
    public void MathAndTrigonometryInDegrees()
    {
        Assert.That(Numbers(Fn("sqrt", 16.0))[0], Is.EqualTo(4));
        Assert.That(Numbers(Fn("pow", 2.0, 10.0))[0], Is.EqualTo(1024));
        Assert.That(Numbers(Fn("round", 2.5))[0], Is.EqualTo(3));
        Assert.That(Numbers(Fn("round", -2.345, 2))[0], Is.EqualTo(-2.35).Within(1e-12));
        Assert.That(Numbers(Fn("floor", -1.5))[0], Is.EqualTo(-2));
        Assert.That(Numbers(Fn("ceil", -1.5))[0], Is.EqualTo(-1));
        Assert.That(Numbers(Fn("log10", 1000.0))[0], Is.EqualTo(3).Within(1e-12));
        Assert.That(Numbers(Fn("ln", Fn("exp", 2.0)))[0], Is.EqualTo(2).Within(1e-12));
        Assert.That(Numbers(Fn("ln", -1.0))[0], Is.Null);
        Assert.That(Numbers(Fn("sin", 30.0))[0], Is.EqualTo(0.5).Within(1e-12));
        Assert.That(Numbers(Fn("cos", Quantity(Math.PI, "rad")))[0], Is.EqualTo(-1).Within(1e-12));
        Assert.That(Numbers(Fn("atan2", 1.0, 1.0))[0], Is.EqualTo(45).Within(1e-12));
        Assert.That(Numbers(Fn("min", Col("jmag"), Col("kmag"))), Is.EqualTo(new double?[] { 11.5, null, 14.0, 9.0 }));
        Assert.That(Numbers(Fn("max", Col("jmag"), Col("kmag"))), Is.EqualTo(new double?[] { 12.0, null, 14.5, 10.0 }));
        Assert.That(ExpressionChecker.Check(Fn("sin", Col("jmag")), Stars().Fields.ToList()).Errors.Single().Problem, Is.EqualTo(ExprProblem.Unit));
    }

    [Test]
    public void ConditionalsAndNulls()
    {
        Assert.That(Numbers(Fn("coalesce", Col("jmag"), Col("kmag"))), Is.EqualTo(new double?[] { 12.0, 12.0, 14.5, 10.0 }));
        Assert.That(Numbers(Fn("if", Col("jmag") < 13, 1.0, 0.0)), Is.EqualTo(new double?[] { 1, 0, 0, 1 }), "a null condition takes the else branch");
        Assert.That(Bools(Fn("isnull", Col("jmag"))), Is.EqualTo(new bool?[] { false, true, false, false }));
        Assert.That(Bools(Col("jmag") > 11 | Col("kmag") > 11), Is.EqualTo(new bool?[] { true, true, true, false }));
        Assert.That(Bools(Col("jmag") > 11 & Col("kmag") > 11), Is.EqualTo(new bool?[] { true, null, true, false }));
    }

    [Test]
    public void Strings()
    {
        Assert.That(Texts(Fn("lower", Col("name"))), Is.EqualTo(new string?[] { "vega", "sirius", null, "alpha cen" }));
        Assert.That(Texts(Fn("upper", Col("name")))[0], Is.EqualTo("VEGA"));
        Assert.That(Bools(Fn("contains", Col("name"), "i")), Is.EqualTo(new bool?[] { false, true, null, false }));
        Assert.That(Bools(Fn("startswith", Col("name"), "alpha")), Is.EqualTo(new bool?[] { false, false, null, true }));
        Assert.That(Texts(Fn("concat", Col("name"), "-", Col("id"))), Is.EqualTo(new string?[] { "Vega-1", "Sirius-2", null, "alpha Cen-4" }));
    }

    [Test]
    public void PhotometryHelpersUseTheBandTable()
    {
        // 2MASS J zero point 1594 Jy: magnitude 0 is 1594 Jy, 2.5 mag fainter is 159.4 Jy
        Assert.That(Numbers(Fn("mag_to_jy", 2.5, "2MASS J"))[0], Is.EqualTo(159.4).Within(1e-9));
        Assert.That(ExpressionChecker.Check(Fn("mag_to_jy", Col("jmag"), "2MASS J"), Stars().Fields.ToList()).Unit, Is.EqualTo("Jy"));
        // flux in mJy is converted to Jy first: 3631000 mJy = 3631 Jy = AB magnitude 0 in SDSS g
        Assert.That(Numbers(Fn("jy_to_mag", Col("flux"), "SDSS g"))[3], Is.EqualTo(0).Within(1e-9));
        var bad = ExpressionChecker.Check(Fn("mag_to_jy", Col("jmag"), "2MASS Z"), Stars().Fields.ToList());
        Assert.That(bad.Errors.Single().Message, Does.StartWith("unknown band \"2MASS Z\""));
        Assert.That(ExpressionChecker.Check(Fn("mag_to_jy", Col("flux"), "2MASS J"), Stars().Fields.ToList()).Errors.Single().Problem, Is.EqualTo(ExprProblem.Unit));
    }

    [Test]
    public void AggregatesOutsideGroupAreErrorsButCountKeepsItsMeaning()
    {
        var fields = Stars().Fields.ToList();
        var e = ExpressionChecker.Check(Fn("mean", Col("jmag")), fields).Errors.Single();
        Assert.That(e.Message, Does.StartWith("'mean' is an aggregate and belongs in group"));
        Assert.That(ExpressionChecker.Check(Fn("min", Col("jmag")), fields).Errors.Single().Message, Does.StartWith("'min' is an aggregate"));
        Assert.That(ExpressionChecker.CheckCondition(Count() > 1, [.. fields, new Field("object_id", DataType.Long)]).Ok, Is.True);
    }

    [Test]
    public void UnknownFunctionsSuggestTheNearest()
    {
        var e = ExpressionChecker.Check(Fn("sqr", Col("jmag")), Stars().Fields.ToList()).Errors.Single();
        Assert.That(e.Message, Does.StartWith("unknown function 'sqr' (did you mean 'sqrt'?)"));
        Assert.That(e.Problem, Is.EqualTo(ExprProblem.UnknownFunction));
    }

    [Test]
    public void EvaluationIsFastOnAMillionRows()
    {
        const int n = 1_000_000;
        var rnd = new Random(1);
        var t = Make("big", D("a", "mag", null, Enumerable.Range(0, n).Select(_ => (double?)rnd.NextDouble() * 20).ToArray()),
            D("b", "mag", null, Enumerable.Range(0, n).Select(_ => (double?)rnd.NextDouble() * 20).ToArray()));
        var e = Fn("if", Col("a") - Col("b") > 0.5, Fn("abs", Col("a") - Col("b")), Fn("sqrt", Col("a")));
        ExpressionEvaluator.Evaluate(e, t);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var v = (NumberVector)ExpressionEvaluator.Evaluate(e, t);
        Assert.That(v.Count, Is.EqualTo(n));
        TestContext.Out.WriteLine($"1e6 rows: {sw.ElapsedMilliseconds} ms");
    }
}
