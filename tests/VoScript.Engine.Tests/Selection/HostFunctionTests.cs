using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Model;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Engine.Tests.Selection;

/// <summary>Functions a host adds to conditions (the csharp blocks' static functions), and printing a value known at run time.</summary>
public class HostFunctionTests
{
    private static Table Stars()
    {
        var t = new Table("stars");
        var mag = new ScalarColumn<double>(new Field("mag", DataType.Double), [10, 12, double.NaN, 15]);
        mag.SetNull(2);
        t.AddColumn(mag);
        t.AddColumn(new StringColumn(new Field("band", DataType.Char, ArraySize.Variable), ["G", "RP", "G", "BP"]));
        return t;
    }

    private static readonly HostFunction Wave = new("wave", [ExprType.Text], ExprType.Number,
        a => a[0] switch { "G" => 0.622, "RP" => 0.777, "BP" => 0.511, _ => null });

    private static readonly HostFunction Brighter = new("brighter", [ExprType.Number, ExprType.Number], ExprType.Boolean,
        a => a[0] is double m && a[1] is double limit ? m < limit : null);

    [Test]
    public void HostFunctionIsCalledPerRowWithNullsAsNull()
    {
        var seen = new List<object?>();
        var spy = Brighter with { Invoke = a => { seen.Add(a[0]); return Brighter.Invoke(a); } };
        var condition = new Call("brighter", [Expr.Col("mag"), Expr.Num(13)]) { Host = spy };
        var kept = (BoolVector)ExpressionEvaluator.Evaluate(condition, Stars());
        Assert.That(kept.Values, Is.EqualTo(new[] { BoolVector.True, BoolVector.True, BoolVector.Null, BoolVector.False }));
        Assert.That(seen, Is.EqualTo(new object?[] { 10.0, 12.0, null, 15.0 }));
    }

    [Test]
    public void HostFunctionResultTakesPartInComparisons()
    {
        var condition = new Binary(BinaryOp.Greater, new Call("wave", [Expr.Col("band")]) { Host = Wave }, Expr.Num(0.6));
        var check = ExpressionChecker.CheckCondition(condition, Stars().Fields.ToList());
        Assert.That(check.Ok, Is.True, string.Join("; ", check.Errors.Select(e => e.Message)));
        var r = (BoolVector)ExpressionEvaluator.Evaluate(condition, Stars());
        Assert.That(r.Values, Is.EqualTo(new[] { BoolVector.True, BoolVector.True, BoolVector.True, BoolVector.False }));
    }

    [Test]
    public void HostFunctionArgumentsAreChecked()
    {
        var wrongType = new Call("wave", [Expr.Col("mag")]) { Host = Wave };
        Assert.That(ExpressionChecker.Check(wrongType, Stars().Fields.ToList()).Errors.Select(e => e.Message),
            Is.EqualTo(new[] { "argument 1 of wave must be a text, but 'mag' is a number" }));
        var wrongCount = new Call("wave", []) { Host = Wave };
        Assert.That(ExpressionChecker.Check(wrongCount, Stars().Fields.ToList()).Errors.Select(e => e.Message),
            Is.EqualTo(new[] { "wave takes 1 argument, not 0" }));
    }

    [Test]
    public async Task PrintOfAValueNamePrintsTheWorkspaceValueAtRunTime()
    {
        var output = new List<string>();
        var executor = new Executor(new StepCatalog([new CoreModule()]), new ExecutorOptions { Events = e => { if (e is StepOutput o) output.Add(o.Text); } });
        var workspace = new Workspace();
        workspace.SetValue("late", new NumberValue(2.5, Quantity.Angle));
        var plan = new Plan([], [new PrintStep { Id = "s1", Value = "late" }, new PrintStep { Id = "s2", Value = "missing" }]);
        var summary = await executor.RunAsync(plan, workspace);
        Assert.That(output, Is.EqualTo(new[] { "2.5 deg" }));
        Assert.That(summary.Steps[1].Message, Is.EqualTo("there is no value 'missing' in the workspace"));
        Assert.That(plan.Steps[0].Describe(), Is.EqualTo("print value late"));
    }
}
