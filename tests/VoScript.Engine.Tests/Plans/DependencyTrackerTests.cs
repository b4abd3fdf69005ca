using NUnit.Framework;
using VoScript.Engine.Runtime;

namespace VoScript.Engine.Tests.Plans;

/// <summary>
/// The one place plan dependencies are computed (the compiler's plan pass and the C# PlanBuilder both use it):
/// data first, then replacement, chains, effects in order and async queries until they are awaited.
/// </summary>
public class DependencyTrackerTests
{
    [Test]
    public void IndependentQueriesStayParallelAndAReaderWaitsForItsMakers()
    {
        var t = new DependencyTracker();
        Assert.That(t.Add("s1", [], ["a"]), Is.Empty);
        Assert.That(t.Add("s2", [], ["b"]), Is.Empty, "nothing orders two queries");
        Assert.That(t.Add("s3", ["b", "a", "b", "gaia"], ["ab"]), Is.EqualTo(new[] { "s1", "s2" }), "in the order they were added; a name no step makes (a service) adds nothing");
        Assert.That(t.ProducerOf("ab"), Is.EqualTo("s3"));
        Assert.That(t.ProducerOf("gaia"), Is.Null);
    }

    [Test]
    public void EffectsKeepTheirOrderAndWaitForTheStepsSinceThePreviousEffect()
    {
        var t = new DependencyTracker();
        Assert.That(t.Add("s1", [], [], StepTraits.Effect), Is.Empty);             // print "start"
        Assert.That(t.Add("s2", [], ["a"]), Is.Empty);                             // query a
        Assert.That(t.Add("s3", [], ["radius"], StepTraits.OnlyForReaders), Is.Empty); // let radius
        Assert.That(t.Add("s4", [], ["b"]), Is.Empty);                             // query b
        Assert.That(t.Add("s5", [], [], StepTraits.Effect), Is.EqualTo(new[] { "s1", "s2", "s4" }), "not the let: only its readers wait for it");
        Assert.That(t.Add("s6", ["a"], [], StepTraits.Effect), Is.EqualTo(new[] { "s2", "s5" }), "the previous effect, and what it reads");
        Assert.That(t.Add("s7", ["radius"], ["c"]), Is.EqualTo(new[] { "s3" }), "a plain step does not wait for effects");
    }

    [Test]
    public void LoadsWaitForThePreviousEffectOnlyAndRunSideBySide()
    {
        var t = new DependencyTracker();
        Assert.That(t.Add("s1", [], ["a"]), Is.Empty);                                       // query a
        Assert.That(t.Add("s2", ["a"], [], StepTraits.Effect), Is.EqualTo(new[] { "s1" }));  // save a to "a.vot"
        Assert.That(t.Add("s3", [], ["x"], StepTraits.AfterEffects), Is.EqualTo(new[] { "s2" }), "load \"a.vot\": after the save");
        Assert.That(t.Add("s4", [], ["y"], StepTraits.AfterEffects), Is.EqualTo(new[] { "s2" }), "a second load does not wait for the first");
        Assert.That(t.Add("s5", [], [], StepTraits.Effect), Is.EqualTo(new[] { "s2", "s3", "s4" }), "the next effect waits for both loads");
        Assert.That(t.Add("s6", [], ["z"], StepTraits.AfterEffects), Is.EqualTo(new[] { "s5" }));
    }

    [Test]
    public void AsyncQueriesAreWaitedForOnlyOnceAStepReadsThem()
    {
        var t = new DependencyTracker();
        Assert.That(t.Add("s1", [], ["slow"], StepTraits.Async), Is.Empty);
        Assert.That(t.Add("s2", [], ["other"], StepTraits.Async), Is.Empty);
        Assert.That(t.PendingAsync, Is.EqualTo(new[] { "slow", "other" }));
        Assert.That(t.Add("s3", [], [], StepTraits.Effect), Is.Empty, "a print does not wait for queries not yet awaited");
        Assert.That(t.Add("s4", ["slow"], []), Is.EqualTo(new[] { "s1" }), "await slow");
        Assert.That(t.PendingAsync, Is.EqualTo(new[] { "other" }));
        Assert.That(t.Add("s5", [], [], StepTraits.Effect), Is.EqualTo(new[] { "s3", "s4" }), "after the await, the next effect waits for it (and so for the query)");
    }

    [Test]
    public void ReplacingATableWaitsForItsMakerAndEveryReaderSince()
    {
        var t = new DependencyTracker();
        t.Add("s1", [], ["a"]);
        Assert.That(t.Add("s2", ["a"], ["b"]), Is.EqualTo(new[] { "s1" }));
        Assert.That(t.Add("s3", ["a"], ["c"]), Is.EqualTo(new[] { "s1" }));
        Assert.That(t.Add("s4", [], ["a"]), Is.EqualTo(new[] { "s1", "s2", "s3" }), "write after write and after read");
        Assert.That(t.Add("s5", [], ["a"]), Is.EqualTo(new[] { "s4" }), "the readers of the old table are not waited for twice");
        Assert.That(t.Add("s6", ["a"], []), Is.EqualTo(new[] { "s5" }), "a reader reads the newest maker");
    }

    [Test]
    public void StepsOfAChainRunOneAfterTheOther()
    {
        var t = new DependencyTracker();
        Assert.That(t.Add("s1", [], [], StepTraits.None, chain: "csharp"), Is.Empty);
        Assert.That(t.Add("s2", [], ["x"]), Is.Empty);
        Assert.That(t.Add("s3", [], [], StepTraits.None, chain: "other"), Is.Empty);
        Assert.That(t.Add("s4", [], [], StepTraits.None, chain: "csharp"), Is.EqualTo(new[] { "s1" }));
        Assert.That(() => t.Add("s4", [], []), Throws.ArgumentException.With.Message.Contains("'s4' was added before"));
    }
}
