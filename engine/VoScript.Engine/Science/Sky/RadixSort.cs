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
            var from = k;
            Parallel.For(0, parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
            {
                var c = count[p];
                Array.Clear(c);
                for (int i = p * chunk, end = Math.Min(n, i + chunk); i < end; i++) c[(int)((from[i] >> shift) & mask)]++;
            });
            var first = (int)((k[0] >> shift) & mask);
            var same = 0L;
            for (var p = 0; p < parts; p++) same += count[p][first];
            if (same == n) continue; // one digit for all: nothing to do
            // where each part's keys of each digit go: after the smaller digits, and after this digit's keys of earlier parts
            var sum = 0;
            for (var d = 0; d < buckets; d++)
                for (var p = 0; p < parts; p++) { var c = count[p][d]; count[p][d] = sum; sum += c; }
            int[] fromItems = it, toItems = it2;
            var to = k2;
            Parallel.For(0, parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
            {
                var c = count[p];
                for (int i = p * chunk, end = Math.Min(n, i + chunk); i < end; i++)
                {
                    var key = from[i];
                    var w = c[(int)((key >> shift) & mask)]++;
                    to[w] = key;
                    toItems[w] = fromItems[i];
                }
            });
            (k, k2) = (k2, k);
            (it, it2) = (it2, it);
        }
        if (!ReferenceEquals(k, keys))
        {
            Array.Copy(k, keys, n);
            Array.Copy(it, items, n);
        }
    }
}
