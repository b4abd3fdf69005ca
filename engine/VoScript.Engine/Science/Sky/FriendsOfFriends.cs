using System.Runtime.CompilerServices;
using VoScript.Engine.Model.Units;

namespace VoScript.Engine.Science.Sky;

/// <summary>The groups found by <see cref="FriendsOfFriends"/>.</summary>
internal sealed class FofResult
{
    internal FofResult(int[] groupOf, int[] sizes, double[] meanRa, double[] meanDec)
    {
        GroupOf = groupOf;
        Sizes = sizes;
        MeanRa = meanRa;
        MeanDec = meanDec;
    }

    /// <summary>Per input point, its group (0-based, numbered in order of first point); -1 for a point without a position.</summary>
    public int[] GroupOf { get; }

    /// <summary>Per group, the number of points in it.</summary>
    public int[] Sizes { get; }

    /// <summary>Per group, the mean position (normalised mean of the unit vectors), degrees; RA in [0, 360).</summary>
    public double[] MeanRa { get; }

    public double[] MeanDec { get; }

    public int GroupCount => Sizes.Length;
}

/// <summary>
/// Friends-of-friends on the sphere: two points are friends when their angular
/// separation is at most the linking angle; groups are the connected components
/// (union-find with path halving).
/// <para>
/// The spatial index is a grid of cubes over unit vectors, edge at least the chord
/// of the linking angle, so every friend of a point lies in its own cube or one of
/// the 26 around it. Cube coordinates are packed into one integer key (mixed radix
/// over the occupied box) and the points are radix-sorted by key; then one sweep with
/// five monotone cursors visits, for each occupied cube, the forward half of its
/// neighbours (same cube; +z; the rows y+1 and x+1), so each pair of cubes is tested
/// once. Time O(n log n) at worst (the sort is linear in practice), memory O(n).
/// Working in 3-D makes the poles and RA 0/360 ordinary places.
/// </para>
/// </summary>
internal static class FriendsOfFriends
{
    private const long AxisMax = (1L << 21) - 4; // cubes per axis; 3 axes fit in 63 bits

    /// <summary>Groups points (degrees; NaN = no position) with linking angle <paramref name="linkDegrees"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FofResult Run(ReadOnlySpan<double> raDeg, ReadOnlySpan<double> decDeg, double linkDegrees, CancellationToken cancel = default)
    {
        if (raDeg.Length != decDeg.Length) throw new ArgumentException("RA and Dec have different lengths");
        if (!(linkDegrees >= 0) || linkDegrees >= 180) throw new VoScriptException($"the linking angle must be between 0 and 180 degrees, not {linkDegrees}");
        var n = raDeg.Length;

        // Unit vectors of the points that have a position, compacted.
        var rows = new int[n];
        var m = 0;
        for (var i = 0; i < n; i++)
            if (double.IsFinite(raDeg[i]) && Math.Abs(decDeg[i]) <= 90.0000001) rows[m++] = i;
        var x = new double[m];
        var y = new double[m];
        var z = new double[m];
        const double rad = Math.PI / 180;
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        for (var k = 0; k < m; k++)
        {
            var i = rows[k];
            var (sa, ca) = Math.SinCos(raDeg[i] * rad);
            var (sd, cd) = Math.SinCos(decDeg[i] * rad);
            var xv = cd * ca; var yv = cd * sa; var zv = sd;
            x[k] = xv; y[k] = yv; z[k] = zv;
            minX = Math.Min(minX, xv); maxX = Math.Max(maxX, xv);
            minY = Math.Min(minY, yv); maxY = Math.Max(maxY, yv);
            minZ = Math.Min(minZ, zv); maxZ = Math.Max(maxZ, zv);
        }

        var chord = 2 * Math.Sin(linkDegrees * rad / 2);
        var chord2 = chord * chord;
        var span = m == 0 ? 0 : Math.Max(maxX - minX, Math.Max(maxY - minY, maxZ - minZ));
        // The cube edge: the chord, made larger when the grid would need too many cubes per axis.
        var edge = Math.Max(chord, span / AxisMax);
        if (edge <= 0) edge = 1; // all points identical, or none: one cube
        var inv = 1 / edge;
        // cube coordinates run from 1 to n-2 on each axis, so that ±1 never leaves the box
        long nx = (long)((maxX - minX) * inv) + 3, ny = (long)((maxY - minY) * inv) + 3, nz = (long)((maxZ - minZ) * inv) + 3;
        if (m == 0) nx = ny = nz = 3;
        long strideY = nz, strideX = ny * nz;

        var keys = new ulong[m];
        var order = new int[m];
        for (var k = 0; k < m; k++)
        {
            var cx = (long)((x[k] - minX) * inv) + 1;
            var cy = (long)((y[k] - minY) * inv) + 1;
            var cz = (long)((z[k] - minZ) * inv) + 1;
            keys[k] = (ulong)(cx * strideX + cy * strideY + cz);
            order[k] = k;
        }
        cancel.ThrowIfCancellationRequested();
        RadixSort(ref keys, ref order, (ulong)(nx * strideX));

        // Coordinates in sorted order, for locality in the sweep.
        var sx = new double[m]; var sy = new double[m]; var sz = new double[m];
        for (var k = 0; k < m; k++) { var o = order[k]; sx[k] = x[o]; sy[k] = y[o]; sz[k] = z[o]; }

        // Runs of equal keys: the occupied cubes.
        var runStart = new int[m + 1];
        var cubes = 0;
        for (var k = 0; k < m; k++) if (k == 0 || keys[k] != keys[k - 1]) runStart[cubes++] = k;
        runStart[cubes] = m;
        var cubeKey = new long[cubes];
        for (var c = 0; c < cubes; c++) cubeKey[c] = (long)keys[runStart[c]];
        keys = null!;

        var parent = new int[m];
        for (var k = 0; k < m; k++) parent[k] = k;

        // Forward neighbour cubes as key ranges [lo, hi]: (0,0,+1); (0,+1,-1..+1); (+1,-1,-1..+1); (+1,0,-1..+1); (+1,+1,-1..+1).
        ReadOnlySpan<long> lowOffsets = [1, strideY - 1, strideX - strideY - 1, strideX - 1, strideX + strideY - 1];
        ReadOnlySpan<long> highOffsets = [1, strideY + 1, strideX - strideY + 1, strideX + 1, strideX + strideY + 1];
        Span<int> cursor = stackalloc int[5];

        for (var c = 0; c < cubes; c++)
        {
            if ((c & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
            int a0 = runStart[c], a1 = runStart[c + 1];
            for (var i = a0; i < a1; i++)
                for (var j = i + 1; j < a1; j++)
                    if (Close(sx, sy, sz, i, j, chord2)) Union(parent, i, j);
            var key = cubeKey[c];
            for (var r = 0; r < 5; r++)
            {
                var lo = key + lowOffsets[r];
                var hi = key + highOffsets[r];
                var p = Math.Max(cursor[r], c + 1);   // every forward cube sorts after this one
                while (p < cubes && cubeKey[p] < lo) p++;
                cursor[r] = p;                          // lo grows with key: the cursor never moves back
                for (var q = p; q < cubes && cubeKey[q] <= hi; q++)
                {
                    int b0 = runStart[q], b1 = runStart[q + 1];
                    for (var i = a0; i < a1; i++)
                        for (var j = b0; j < b1; j++)
                            if (Close(sx, sy, sz, i, j, chord2)) Union(parent, i, j);
                }
            }
        }

        // Number the groups in order of their first input row; sum unit vectors for the means.
        var sortedPos = new int[m]; // compact index -> sorted index
        for (var s = 0; s < m; s++) sortedPos[order[s]] = s;
        var rootGroup = new int[m];
        Array.Fill(rootGroup, -1);
        var groupOf = new int[n];
        Array.Fill(groupOf, -1);
        var compactGroup = new int[m];
        var groups = 0;
        for (var k = 0; k < m; k++)
        {
            var root = Find(parent, sortedPos[k]);
            var g = rootGroup[root];
            if (g < 0) g = rootGroup[root] = groups++;
            compactGroup[k] = g;
            groupOf[rows[k]] = g;
        }
        var sizes = new int[groups];
        var mx = new double[groups]; var my = new double[groups]; var mz = new double[groups];
        for (var k = 0; k < m; k++)
        {
            var g = compactGroup[k];
            sizes[g]++;
            mx[g] += x[k]; my[g] += y[k]; mz[g] += z[k];
        }
        var meanRa = new double[groups];
        var meanDec = new double[groups];
        for (var g = 0; g < groups; g++)
        {
            var a = Math.Atan2(my[g], mx[g]) / rad;
            meanRa[g] = a < 0 ? a + 360 : a;
            meanDec[g] = Math.Atan2(mz[g], Math.Sqrt(mx[g] * mx[g] + my[g] * my[g])) / rad;
        }
        return new FofResult(groupOf, sizes, meanRa, meanDec);
    }

    /// <summary>LSD radix sort of keys (below <paramref name="maxKey"/>) carrying <paramref name="items"/>; stable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RadixSort(ref ulong[] keys, ref int[] items, ulong maxKey)
    {
        const int Bits = 11, Buckets = 1 << Bits, Mask = Buckets - 1;
        var n = keys.Length;
        if (n < 2) return;
        var keyBits = 64 - System.Numerics.BitOperations.LeadingZeroCount(maxKey);
        var k2 = new ulong[n];
        var i2 = new int[n];
        var count = new int[Buckets];
        for (var shift = 0; shift < keyBits; shift += Bits)
        {
            Array.Clear(count);
            for (var i = 0; i < n; i++) count[(int)(keys[i] >> shift) & Mask]++;
            if (count[(int)(keys[0] >> shift) & Mask] == n) continue; // all keys share this digit
            var sum = 0;
            for (var b = 0; b < Buckets; b++) { var c = count[b]; count[b] = sum; sum += c; }
            for (var i = 0; i < n; i++)
            {
                var d = (int)(keys[i] >> shift) & Mask;
                var p = count[d]++;
                k2[p] = keys[i];
                i2[p] = items[i];
            }
            (keys, k2) = (k2, keys);
            (items, i2) = (i2, items);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Close(double[] x, double[] y, double[] z, int i, int j, double chord2)
    {
        var dx = x[i] - x[j]; var dy = y[i] - y[j]; var dz = z[i] - z[j];
        return dx * dx + dy * dy + dz * dz <= chord2;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a == b) return;
        if (a < b) parent[b] = a; else parent[a] = b;
    }
}
