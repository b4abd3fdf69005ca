using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>Friends-of-friends, first phases: unit vectors, cube keys, the sort by cube.</summary>
internal static partial class FriendsOfFriends
{
    // ---- unit vectors -------------------------------------------------------------------------------------------

    private static void UnitVectors(double[] ra, double[] dec, double[] xyz, int[] groupOf, double[] boxes, int parts, ParallelOptions options) =>
        InParts(parts, options, p => UnitVectors(ra, dec, xyz, groupOf, boxes.AsSpan(7 * p, 7), Chunk(ra.Length, parts, p)));

    /// <summary>The unit vectors of rows <paramref name="rows"/>; the chunk's box and point count into <paramref name="box"/>.</summary>
    private static void UnitVectors(double[] ra, double[] dec, double[] xyz, int[] groupOf, Span<double> box, (int From, int To) rows)
    {
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        var points = 0;
        for (var row = rows.From; row < rows.To; row++)
        {
            var b = 3 * row;
            double a = ra[row], d = dec[row];
            if (!(double.IsFinite(a) && Math.Abs(d) <= MaxDec))
            {
                xyz[b] = double.NaN;
                groupOf[row] = -1;
                continue;
            }
            var (sa, ca) = SinCosDegrees(a);
            var (sd, cd) = SinCosDegrees(d);
            double x = cd * ca, y = cd * sa, z = sd;
            xyz[b] = x; xyz[b + 1] = y; xyz[b + 2] = z;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
            if (z < minZ) minZ = z;
            if (z > maxZ) maxZ = z;
            points++;
        }
        box[0] = minX; box[1] = minY; box[2] = minZ;
        box[3] = maxX; box[4] = maxY; box[5] = maxZ;
        box[6] = points;
    }

    /// <summary>
    /// Sine and cosine of an angle in degrees, to about one unit in the last place: the angle is reduced exactly
    /// to at most 45° by whole quarter turns (so 90° and 180° give exact zeros), and the rest is the Taylor series up to
    /// x^17 and x^18, whose remainder is below 1e-18 on ±π/4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double Sin, double Cos) SinCosDegrees(double degrees)
    {
        const double Whole = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to a whole number, kept in the low bits
        if (Math.Abs(degrees) > 1e12) degrees %= 360; // exact
        var t = degrees * (1.0 / 90) + Whole;
        var quarters = BitConverter.DoubleToInt64Bits(t);
        var x = (degrees - (t - Whole) * 90) * Rad; // the rest, |x| <= π/4 (the subtraction is exact)
        var x2 = x * x;
        var sp = 1.0 / 355687428096000;
        sp = sp * x2 - 1.0 / 1307674368000;
        sp = sp * x2 + 1.0 / 6227020800;
        sp = sp * x2 - 1.0 / 39916800;
        sp = sp * x2 + 1.0 / 362880;
        sp = sp * x2 - 1.0 / 5040;
        sp = sp * x2 + 1.0 / 120;
        sp = sp * x2 - 1.0 / 6;
        var sin = x + x * x2 * sp;
        var cp = -1.0 / 6402373705728000;
        cp = cp * x2 + 1.0 / 20922789888000;
        cp = cp * x2 - 1.0 / 87178291200;
        cp = cp * x2 + 1.0 / 479001600;
        cp = cp * x2 - 1.0 / 3628800;
        cp = cp * x2 + 1.0 / 40320;
        cp = cp * x2 - 1.0 / 720;
        cp = cp * x2 + 1.0 / 24;
        cp = cp * x2 - 0.5;
        var cos = 1 + x2 * cp;
        // quarter turns q: odd q swaps sine and cosine; the sine is negative for q = 2, 3 and the cosine for q = 1, 2 (mod 4)
        if ((quarters & 1) != 0) (sin, cos) = (cos, sin);
        if ((quarters & 2) != 0) sin = -sin;
        if (((quarters + 1) & 2) != 0) cos = -cos;
        return (sin, cos);
    }

    // ---- cube keys ----------------------------------------------------------------------------------------------

    /// <summary>The grid: axes in key order (major first), the box's corner on them, 1 / edge, and the key's strides.</summary>
    private readonly record struct CubeGrid(int A0, int A1, int A2, double MinU, double MinV, double MinW, double Inv, long StrideU, long StrideV)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Key(double[] xyz, int b)
        {
            var cu = (long)((xyz[b + A0] - MinU) * Inv) + 1;
            var cv = (long)((xyz[b + A1] - MinV) * Inv) + 1;
            var cw = (long)((xyz[b + A2] - MinW) * Inv) + 1;
            return (ulong)(cu * StrideU + cv * StrideV + cw);
        }
    }

    private static void PackedKeys(double[] xyz, CubeGrid grid, int rowBits, int[] before, ulong[] sorted, int parts, ParallelOptions options) =>
        InParts(parts, options, p => PackedKeys(xyz, grid, rowBits, sorted, before[p], Chunk(xyz.Length / 3, parts, p)));

    /// <summary>Each point of rows <paramref name="rows"/>, from place <paramref name="at"/>: its cube key above its row.</summary>
    private static void PackedKeys(double[] xyz, CubeGrid grid, int rowBits, ulong[] sorted, int at, (int From, int To) rows)
    {
        for (var i = rows.From; i < rows.To; i++)
        {
            var b = 3 * i;
            if (double.IsNaN(xyz[b])) continue;
            sorted[at++] = grid.Key(xyz, b) << rowBits | (uint)i;
        }
    }

    private static void SeparateKeys(double[] xyz, CubeGrid grid, int[] before, ulong[] keys, int[] rows, int parts, ParallelOptions options) =>
        InParts(parts, options, p => SeparateKeys(xyz, grid, keys, rows, before[p], Chunk(xyz.Length / 3, parts, p)));

    private static void SeparateKeys(double[] xyz, CubeGrid grid, ulong[] keys, int[] rowOf, int at, (int From, int To) rows)
    {
        for (var i = rows.From; i < rows.To; i++)
        {
            var b = 3 * i;
            if (double.IsNaN(xyz[b])) continue;
            keys[at] = grid.Key(xyz, b);
            rowOf[at++] = i;
        }
    }

    // ---- the sort -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Sorts <paramref name="a"/> by bits <paramref name="low"/> to <paramref name="low"/> + <paramref name="bits"/> − 1,
    /// stably (least significant digit first, 11 bits a pass at most, a pass skipped when every word has the same digit);
    /// true when the result is in <paramref name="b"/>. Each pass in chunks on all cores: every chunk counts its digits,
    /// then writes its words after the smaller digits' and after the same digit's words of the chunks before it.
    /// </summary>
    private static bool SortPacked(ulong[] a, ulong[] b, int low, int bits, int parts, ParallelOptions options)
    {
        var passes = (bits + DigitBits - 1) / DigitBits;
        var width = (bits + passes - 1) / passes;
        var buckets = 1 << width;
        var mask = (ulong)(buckets - 1);
        var counts = new int[parts * buckets];
        var swapped = false;
        for (var shift = low; shift < low + bits; shift += width)
        {
            CountDigits(a, counts, shift, mask, parts, options);
            var first = (int)((a[0] >> shift) & mask);
            var same = 0;
            for (var p = 0; p < parts; p++) same += counts[p * buckets + first];
            if (same == a.Length) continue; // one digit for all: nothing to do
            var sum = 0;
            for (var d = 0; d < buckets; d++)
                for (var p = 0; p < parts; p++)
                {
                    var c = counts[p * buckets + d];
                    counts[p * buckets + d] = sum;
                    sum += c;
                }
            Scatter(a, b, counts, shift, mask, parts, options);
            (a, b) = (b, a);
            swapped = !swapped;
        }
        return swapped;
    }

    private static void CountDigits(ulong[] a, int[] counts, int shift, ulong mask, int parts, ParallelOptions options) =>
        InParts(parts, options, p => CountDigits(a, counts.AsSpan(p * (int)(mask + 1), (int)(mask + 1)), shift, mask, Chunk(a.Length, parts, p)));

    private static void CountDigits(ulong[] a, Span<int> count, int shift, ulong mask, (int From, int To) range)
    {
        count.Clear();
        for (var i = range.From; i < range.To; i++) count[(int)((a[i] >> shift) & mask)]++;
    }

    private static void Scatter(ulong[] a, ulong[] b, int[] counts, int shift, ulong mask, int parts, ParallelOptions options) =>
        InParts(parts, options, p => Scatter(a, b, counts.AsSpan(p * (int)(mask + 1), (int)(mask + 1)), shift, mask, Chunk(a.Length, parts, p)));

    private static void Scatter(ulong[] a, ulong[] b, Span<int> at, int shift, ulong mask, (int From, int To) range)
    {
        for (var i = range.From; i < range.To; i++)
        {
            var v = a[i];
            b[at[(int)((v >> shift) & mask)]++] = v;
        }
    }

    /// <summary>The runs of equal keys (the word shifted right by <paramref name="shift"/>): their starts and keys; returns how many.</summary>
    private static int Runs(ulong[] sorted, int shift, int[] runStart, ulong[] runKey)
    {
        var m = sorted.Length;
        var previous = sorted[0] >> shift;
        runStart[0] = 0;
        runKey[0] = previous;
        var runs = 1;
        for (var k = 1; k < m; k++)
        {
            var key = sorted[k] >> shift;
            if (key == previous) continue;
            runStart[runs] = k;
            runKey[runs++] = key;
            previous = key;
        }
        runStart[runs] = m;
        return runs;
    }

    private static void InSortedOrder(ulong[] sorted, ulong rowMask, double[] xyz, double[] s, int[] parent, int parts, ParallelOptions options) =>
        InParts(parts, options, p => InSortedOrder(sorted, rowMask, xyz, s, parent, Chunk(sorted.Length, parts, p)));

    private static void InSortedOrder(ulong[] sorted, ulong rowMask, double[] xyz, double[] s, int[] parent, (int From, int To) range)
    {
        for (var k = range.From; k < range.To; k++)
        {
            var b = 3 * (int)(sorted[k] & rowMask);
            var o = 3 * k;
            s[o] = xyz[b];
            s[o + 1] = xyz[b + 1];
            s[o + 2] = xyz[b + 2];
            parent[k] = k;
        }
    }
}
