using NUnit.Framework;
using VoScript.Engine.Science.Sky;

namespace VoScript.Engine.Tests.Sky;

public class RadixSortTests
{
    [Test]
    public void DoubleKeysSortAsTheNumbersDo()
    {
        double[] values = [3.5, -0.0, 0.0, -1e300, 1e-310, double.NegativeInfinity, double.PositiveInfinity, -2.25, 1e300, -1e-310, 2.0];
        var sorted = values.OrderBy(v => v).ToArray();
        var keys = values.Select(RadixSort.Key).ToArray();
        var items = Enumerable.Range(0, values.Length).ToArray();
        RadixSort.Sort(keys, items);
        Assert.That(items.Select(i => values[i]), Is.EqualTo(sorted));
        Assert.That(keys, Is.Ordered);
    }

    [Test]
    public void EqualKeysKeepTheirOrderAndEveryDigitCounts()
    {
        var rnd = new Random(7);
        var n = 100_000;
        // keys that differ in every 16-bit digit, with many repeats
        var keys = new ulong[n];
        for (var i = 0; i < n; i++) keys[i] = ((ulong)(uint)rnd.Next(50) << 48) | ((ulong)(uint)rnd.Next(3) << 32) | ((ulong)(uint)rnd.Next(4) << 16) | (uint)rnd.Next(2);
        var copy = (ulong[])keys.Clone();
        var items = Enumerable.Range(0, n).ToArray();
        RadixSort.Sort(keys, items);
        var expected = Enumerable.Range(0, n).OrderBy(i => copy[i]).ThenBy(i => i).ToArray(); // LINQ's OrderBy is stable
        Assert.That(items, Is.EqualTo(expected));
        Assert.That(keys, Is.EqualTo(expected.Select(i => copy[i])));
    }

    [TestCase(1, 1UL << 40)]
    [TestCase(2, 1UL << 40)]
    [TestCase(5, 1UL << 33)]      // 3 passes of 11 bits
    [TestCase(3, ulong.MaxValue)]
    public void InPartsTheSortStaysStableForAnyMaxKey(int parts, ulong maxKey)
    {
        var rnd = new Random(11);
        var n = 70_001;
        var keys = new ulong[n];
        for (var i = 0; i < n; i++) keys[i] = (ulong)rnd.NextInt64(0, 40) * (maxKey / 41) + (ulong)rnd.Next(3);
        var copy = (ulong[])keys.Clone();
        var items = Enumerable.Range(0, n).ToArray();
        RadixSort.Sort(keys, items, maxKey, parts);
        var expected = Enumerable.Range(0, n).OrderBy(i => copy[i]).ThenBy(i => i).ToArray();
        Assert.That(items, Is.EqualTo(expected));
        Assert.That(keys, Is.EqualTo(expected.Select(i => copy[i])));
    }

    [Test]
    public void ShortAndUniformInputs()
    {
        ulong[] none = [];
        int[] noItems = [];
        RadixSort.Sort(none, noItems);
        ulong[] same = [5, 5, 5];
        int[] order = [2, 0, 1];
        RadixSort.Sort(same, order);
        Assert.That(order, Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.Throws<ArgumentException>(() => RadixSort.Sort([1UL, 2UL], [0]));
    }
}
