using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>
/// A stable least-significant-digit radix sort of 64-bit unsigned keys carrying row numbers, at most 16 bits a pass
/// (a pass where every key has the same digit is skipped). Linear in the rows, no comparisons, no delegates: for the
/// large sorts of <c>match</c> (candidate pairs by separation, positions by RA) and <c>cluster</c> (points by cube),
/// where the runtime's generic <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> starts in unoptimised code in
/// a short process. Large inputs are sorted in parts on all cores: each part counts its digits, then writes its keys
/// to their places (after the same digit's keys of the parts before it), so the sort stays stable.
/// </summary>
internal static class RadixSort
{
    private const int MinRowsPerPart = 65_536;

    /// <summary>The order-preserving key of a double that is not NaN: smaller double, smaller key (−0 before +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Key(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>Sorts <paramref name="keys"/> ascending and <paramref name="items"/> with them; equal keys keep their order.</summary>
    public static void Sort(ulong[] keys, int[] items) => Sort(keys, items, ulong.MaxValue);

    /// <summary>
    /// As <see cref="Sort(ulong[], int[])"/> for keys at most <paramref name="maxKey"/> (fewer passes), in
    /// <paramref name="parts"/> parts at once (0: as many as the cores, fewer for small inputs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(ulong[] keys, int[] items, ulong maxKey, int parts = 0)
    {
        var n = keys.Length;
        if (items.Length != n) throw new ArgumentException("keys and items differ in length", nameof(items));
        if (n < 2) return;
        if (parts <= 0) parts = Math.Max(1, Math.Min(Environment.ProcessorCount, n / MinRowsPerPart));
        var keyBits = Math.Max(1, 64 - BitOperations.LeadingZeroCount(maxKey));
        var passes = (keyBits + 15) / 16;
        var bits = (keyBits + passes - 1) / passes;
        var buckets = 1 << bits;
        var mask = (ulong)(buckets - 1);
        ulong[] k = keys, k2 = new ulong[n];
        int[] it = items, it2 = new int[n];
        var chunk = (n + parts - 1) / parts;
        var count = new int[parts][];
        for (var p = 0; p < parts; p++) count[p] = new int[buckets];
        for (var shift = 0; shift < keyBits; shift += bits)
        {
            if (!Pass(k, it, k2, it2, count, shift, mask, chunk)) continue; // one digit for all: nothing to do
            (k, k2) = (k2, k);
            (it, it2) = (it2, it);
        }
        if (!ReferenceEquals(k, keys))
        {
            Array.Copy(k, keys, n);
            Array.Copy(it, items, n);
        }
    }

    /// <summary>One pass on the digit at <paramref name="shift"/>, from k/it to k2/it2 in parts of <paramref name="chunk"/> rows; false when every key has the same digit (nothing written).</summary>
    private static bool Pass(ulong[] k, int[] it, ulong[] k2, int[] it2, int[][] count, int shift, ulong mask, int chunk)
    {
        var n = k.Length;
        var parts = count.Length;
        Parallel.For(0, parts, p => Count(k, count[p], shift, mask, p * chunk, Math.Min(n, (p + 1) * chunk)));
        var first = (int)((k[0] >> shift) & mask);
        var same = 0L;
        for (var p = 0; p < parts; p++) same += count[p][first];
        if (same == n) return false;
        // where each part's keys of each digit go: after the smaller digits, and after this digit's keys of earlier parts
        var sum = 0;
        var buckets = count[0].Length;
        for (var d = 0; d < buckets; d++)
            for (var p = 0; p < parts; p++) { var c = count[p][d]; count[p][d] = sum; sum += c; }
        Parallel.For(0, parts, p => Scatter(k, it, k2, it2, count[p], shift, mask, p * chunk, Math.Min(n, (p + 1) * chunk)));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Count(ulong[] k, int[] count, int shift, ulong mask, int from, int to)
    {
        Array.Clear(count);
        for (var i = from; i < to; i++) count[(int)((k[i] >> shift) & mask)]++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(ulong[] k, int[] it, ulong[] k2, int[] it2, int[] at, int shift, ulong mask, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var key = k[i];
            var w = at[(int)((key >> shift) & mask)]++;
            k2[w] = key;
            it2[w] = it[i];
        }
    }
}
