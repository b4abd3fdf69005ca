using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>
/// A stable least-significant-digit radix sort of 64-bit unsigned keys carrying row numbers, 16 bits a pass (a pass
/// where every key has the same digit is skipped). Linear in the rows, no comparisons, no delegates: for the large
/// sorts of <c>match</c> (candidate pairs by separation, positions by RA), where the runtime's generic
/// <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> starts in unoptimised code in a short process.
/// </summary>
internal static class RadixSort
{
    /// <summary>The order-preserving key of a double that is not NaN: smaller double, smaller key (−0 before +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Key(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>Sorts <paramref name="keys"/> ascending and <paramref name="items"/> with them; equal keys keep their order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(ulong[] keys, int[] items)
    {
        var n = keys.Length;
        if (items.Length != n) throw new ArgumentException("keys and items differ in length", nameof(items));
        if (n < 2) return;
        ulong[] k = keys, k2 = new ulong[n];
        int[] it = items, it2 = new int[n];
        var count = new int[1 << 16];
        for (var shift = 0; shift < 64; shift += 16)
        {
            Array.Clear(count);
            for (var i = 0; i < n; i++) count[(int)(k[i] >> shift) & 0xFFFF]++;
            if (count[(int)(k[0] >> shift) & 0xFFFF] == n) continue; // one digit for all: nothing to do
            var sum = 0;
            for (var d = 0; d < count.Length; d++) { var c = count[d]; count[d] = sum; sum += c; }
            for (var i = 0; i < n; i++)
            {
                var w = count[(int)(k[i] >> shift) & 0xFFFF]++;
                k2[w] = k[i];
                it2[w] = it[i];
            }
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
