using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Tests.Interop;
using static VoScript.Engine.Science.Selection.Expr;

namespace VoScript.Engine.Tests.Selection;

public class SelectTests
{
    private static Table Seds()
    {
        Table[] tables = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        foreach (var t in tables) Repairs.Apply(t);
        return SedBuilder.Build(Clustering.Run(tables, 1.5 / 3600, "objects"), "seds");
    }

    private static long[] Objects(Table t) =>
        Enumerable.Range(0, t.RowCount).Select(i => (long)t.FindColumn("object_id")!.GetValue(i)!).Distinct().ToArray();

    [Test]
    public void ComparisonAndLogicSelectRows()
    {
        var seds = Seds();
        var r = Selector.Where(seds, Col("wavelength") > 1.0 & Col("mag") < 14.0, "bright_ir");
        Assert.That(r.Name, Is.EqualTo("bright_ir"));
        Assert.That(Enumerable.Range(0, r.RowCount).Select(i => (string)r.FindColumn("band")!.GetValue(i)!),
            Is.EqualTo(new[] { "2MASS J", "2MASS H", "2MASS Ks" }));
        Assert.That(r.Columns.Select(c => c.Name), Is.EqualTo(seds.Columns.Select(c => c.Name)));
    }

    [Test]
    public void CountPerObjectKeepsObjectsWithEnoughPoints()
    {
        var seds = Seds();
        // object 1 has 11 points, object 2 has 10, object 3 has 7
        Assert.That(Objects(Selector.Where(seds, Count() >= 10)), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(Objects(Selector.Where(seds, Count(Col("wavelength") > 1) >= 3)), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void NullsAreNeitherTrueNorFalse()
    {
        var seds = Seds();
        var withErr = Selector.Where(seds, !IsNull(Col("mag_err")));
        var small = Selector.Where(seds, Col("mag_err") < 0.1);
        var large = Selector.Where(seds, !(Col("mag_err") < 0.1));
        Assert.That(small.RowCount + large.RowCount, Is.EqualTo(withErr.RowCount), "rows without an error are in neither");
        Assert.That(withErr.RowCount, Is.LessThan(seds.RowCount));
        // three-valued or: null or true = true
        var any = Selector.Where(seds, Col("mag_err") < 0.1 | Col("mag") > 0);
        Assert.That(any.RowCount, Is.EqualTo(seds.RowCount));
    }

    [Test]
    public void ArithmeticAbsAndTextComparisonsWork()
    {
        var seds = Seds();
        var r = Selector.Where(seds, Eq(Col("source_table"), "cat_c") & Abs(Col("mag") - 16.0) <= 0.05 * 2);
        Assert.That(Enumerable.Range(0, r.RowCount).Select(i => r.FindColumn("source_column")!.GetValue(i)), Is.EqualTo(new[] { "r" }));
    }

    [Test]
    public void LongIdsAbove2To53CompareExactly()
    {
        var t = RigCatalogs.CatC();
        // 1237651000000000001 and …002 are the same double
        Assert.That((double)1237651000000000001L, Is.EqualTo((double)1237651000000000002L));
        var r = Selector.Where(t, Eq(Col("objid"), Int(1237651000000000002L)));
        Assert.That(r.RowCount, Is.EqualTo(1));
        Assert.That(r.FindColumn("objid")!.GetValue(0), Is.EqualTo(1237651000000000002L));
        Assert.That(Selector.Where(t, Col("objid") > Int(1237651000000000001L)).RowCount, Is.EqualTo(2));
    }

    [Test]
    public void CheckReportsTheColumnsAnExpressionNeedsWithTheirTypes()
    {
        var fields = Seds().Fields.ToList();
        var c = ExpressionChecker.CheckCondition(Col("mag") < 18 & Ne(Col("band"), "Gaia G") & Count() > 3, fields);
        Assert.That(c.Ok, Is.True);
        Assert.That(c.Columns, Is.EquivalentTo(new Dictionary<string, ExprType>
        {
            ["mag"] = ExprType.Number, ["band"] = ExprType.Text, ["object_id"] = ExprType.Number,
        }));
    }

    [Test]
    public void SedAndClusterSchemasAreKnownBeforeAnyData()
    {
        var sedFields = SedBuilder.OutputFields();
        Assert.That(ExpressionChecker.CheckCondition(Count() >= 5 & Col("mag") < 18, sedFields).Ok, Is.True);
        Assert.That(sedFields.Select(f => f.Name), Is.EqualTo(Seds().Columns.Select(c => c.Name)));

        Table[] inputs = [RigCatalogs.CatA(), RigCatalogs.CatB(), RigCatalogs.CatC()];
        var predicted = Clustering.OutputFields(inputs.Select(t => (t.Name, (IReadOnlyList<Field>)t.Fields.ToList())).ToList());
        var actual = Clustering.Run(inputs, 1.5 / 3600);
        Assert.That(predicted.Select(f => (f.Name, f.DataType, f.Unit, f.Ucd)), Is.EqualTo(actual.Fields.Select(f => (f.Name, f.DataType, f.Unit, f.Ucd))));
        Assert.That(ExpressionChecker.CheckCondition(Col("Jmag") - Col("Kmag") > 0.5, predicted).Ok, Is.True);
    }

    [Test]
    public void UnknownColumnsAreReportedWithTheirSpanAndTheColumnsThereAre()
    {
        var fields = new List<Field> { new("mag", DataType.Double), new("band", DataType.Char, ArraySize.Variable) };
        var c = ExpressionChecker.CheckCondition(new ColumnRef("magg") { Span = new ExprSpan(12, 4) } < 3, fields);
        Assert.That(c.Errors.Single(), Is.EqualTo(new ExprDiagnostic(new ExprSpan(12, 4), "unknown column 'magg' (did you mean 'mag'?); the table has: mag, band") { Problem = ExprProblem.UnknownColumn, Column = "magg" }));
    }

    [Test]
    public void TypeMismatchesAreReported()
    {
        var fields = new List<Field> { new("mag", DataType.Double), new("band", DataType.Char, ArraySize.Variable) };
        Assert.That(ExpressionChecker.CheckCondition(Col("band") < 3, fields).Errors.Single().Message,
            Is.EqualTo("'<' compares a text ('band') with a number ('3')"));
        Assert.That(ExpressionChecker.CheckCondition(Col("mag") + 1, fields).Errors.Single().Message,
            Is.EqualTo("a condition must be true or false, but '(mag + 1)' is a number; compare it, e.g. (mag + 1) > 0"));
        Assert.That(ExpressionChecker.CheckCondition(Col("mag") > 1 & Col("mag"), fields).Errors.Single().Message,
            Is.EqualTo("'and' needs true/false values on both sides, but 'mag' is a number"));
        Assert.That(ExpressionChecker.CheckCondition(Count() > 1, fields).Errors.Single().Message,
            Does.StartWith("count() counts the rows of each object and needs an object column"));
        Assert.That(ExpressionChecker.CheckCondition(new Call("brightness", [Col("mag")]) > 1, fields).Errors.Single().Message,
            Does.StartWith("unknown function 'brightness'; functions are abs, round, floor, ceil, sqrt"));
    }

    [Test]
    public void SelectWithABadConditionIsAUserError()
    {
        Assert.That(() => Selector.Where(Seds(), Col("nope") > 1),
            Throws.InstanceOf<VoScriptException>().With.Message.StartsWith("unknown column 'nope'; the table has: object_id, ra, dec, band"));
    }
}
