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
    private const int MinRowsPerPart = 50_000;   // below this, one thread links everything

    /// <summary>Groups points (degrees; NaN = no position) with linking angle <paramref name="linkDegrees"/>, on all cores.</summary>
    public static FofResult Run(double[] raDeg, double[] decDeg, double linkDegrees, CancellationToken cancel = default) =>
        Run(raDeg, decDeg, linkDegrees, Math.Max(1, Math.Min(Environment.ProcessorCount, raDeg.Length / MinRowsPerPart)), cancel);

    /// <summary>
    /// As <see cref="Run(double[], double[], double, CancellationToken)"/>, linking in <paramref name="parts"/> slabs of cubes
    /// at once (the groups are the same for any number of parts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static FofResult Run(double[] raDeg, double[] decDeg, double linkDegrees, int parts, CancellationToken cancel)
    {
        if (raDeg.Length != decDeg.Length) throw new ArgumentException("RA and Dec have different lengths");
        if (!(linkDegrees >= 0) || linkDegrees >= 180) throw new VoScriptException($"the linking angle must be between 0 and 180 degrees, not {linkDegrees}");
        var n = raDeg.Length;
        parts = Math.Max(1, parts);
        var clock = Timings.Start();
        var options = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = parts };

        // Unit vectors of the points that have a position, compacted; in row chunks, one per part.
        var chunks = parts;
        var chunkRows = (n + chunks - 1) / Math.Max(1, chunks);
        var valid = new int[chunks + 1];
        Parallel.For(0, chunks, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            int from = p * chunkRows, to = Math.Min(n, from + chunkRows), c = 0;
            for (var i = from; i < to; i++) if (HasPosition(raDeg[i], decDeg[i])) c++;
            valid[p + 1] = c;
        });
        for (var p = 0; p < chunks; p++) valid[p + 1] += valid[p];
        var m = valid[chunks];
        var rows = new int[m];
        var x = new double[m];
        var y = new double[m];
        var z = new double[m];
        const double rad = Math.PI / 180;
        var box = new double[chunks, 6]; // per chunk: min x, y, z, max x, y, z
        Parallel.For(0, chunks, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
            double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
            int from = p * chunkRows, to = Math.Min(n, from + chunkRows), k = valid[p];
            for (var i = from; i < to; i++)
            {
                if (!HasPosition(raDeg[i], decDeg[i])) continue;
                var (sa, ca) = Math.SinCos(raDeg[i] * rad);
                var (sd, cd) = Math.SinCos(decDeg[i] * rad);
                var xv = cd * ca; var yv = cd * sa; var zv = sd;
                rows[k] = i; x[k] = xv; y[k] = yv; z[k] = zv; k++;
                minX = Math.Min(minX, xv); maxX = Math.Max(maxX, xv);
                minY = Math.Min(minY, yv); maxY = Math.Max(maxY, yv);
                minZ = Math.Min(minZ, zv); maxZ = Math.Max(maxZ, zv);
            }
            box[p, 0] = minX; box[p, 1] = minY; box[p, 2] = minZ; box[p, 3] = maxX; box[p, 4] = maxY; box[p, 5] = maxZ;
        });
        Span<double> lo3 = [double.MaxValue, double.MaxValue, double.MaxValue];
        Span<double> hi3 = [double.MinValue, double.MinValue, double.MinValue];
        for (var p = 0; p < chunks; p++)
            for (var a = 0; a < 3; a++) { lo3[a] = Math.Min(lo3[a], box[p, a]); hi3[a] = Math.Max(hi3[a], box[p, a + 3]); }

        var chord = 2 * Math.Sin(linkDegrees * rad / 2);
        var chord2 = chord * chord;
        // The key's major axis is the one the points spread most along: the slabs the parts link are thinnest there.
        var axes = new[] { x, y, z };
        Span<int> axis = [0, 1, 2];
        if (m > 0)
        {
            if (hi3[1] - lo3[1] > hi3[axis[0]] - lo3[axis[0]]) (axis[0], axis[1]) = (1, 0);
            if (hi3[2] - lo3[2] > hi3[axis[0]] - lo3[axis[0]]) (axis[0], axis[2]) = (2, axis[0]);
        }
        double[] u = axes[axis[0]], v = axes[axis[1]], w = axes[axis[2]];
        double minU = lo3[axis[0]], minV = lo3[axis[1]], minW = lo3[axis[2]];
        double spanU = hi3[axis[0]] - minU, spanV = hi3[axis[1]] - minV, spanW = hi3[axis[2]] - minW;
        var span = m == 0 ? 0 : Math.Max(spanU, Math.Max(spanV, spanW));
        // The cube edge: the chord, made larger when the grid would need too many cubes per axis.
        var edge = Math.Max(chord, span / AxisMax);
        if (edge <= 0) edge = 1; // all points identical, or none: one cube
        var inv = 1 / edge;
        // cube coordinates run from 1 to n-2 on each axis, so that ±1 never leaves the box
        long nu = (long)(spanU * inv) + 3, nv = (long)(spanV * inv) + 3, nw = (long)(spanW * inv) + 3;
        if (m == 0) nu = nv = nw = 3;
        long strideV = nw, strideU = nv * nw;

        var keys = new ulong[m];
        var order = new int[m];
        var keyChunk = (m + chunks - 1) / Math.Max(1, chunks);
        Parallel.For(0, chunks, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            for (int k = p * keyChunk, end = Math.Min(m, k + keyChunk); k < end; k++)
            {
                var cu = (long)((u[k] - minU) * inv) + 1;
                var cv = (long)((v[k] - minV) * inv) + 1;
                var cw = (long)((w[k] - minW) * inv) + 1;
                keys[k] = (ulong)(cu * strideU + cv * strideV + cw);
                order[k] = k;
            }
        });
        cancel.ThrowIfCancellationRequested();
        clock = Timings.Stop(clock, "cluster: unit vectors and cube keys");
        Sky.RadixSort.Sort(keys, order, (ulong)(nu * strideU), parts);

        // Coordinates in sorted order, for locality in the sweep; and each point's place in that order.
        var sx = new double[m]; var sy = new double[m]; var sz = new double[m];
        var sortedPos = new int[m]; // compact index -> sorted index
        Parallel.For(0, chunks, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            for (int k = p * keyChunk, end = Math.Min(m, k + keyChunk); k < end; k++)
            {
                var o = order[k];
                sx[k] = x[o]; sy[k] = y[o]; sz[k] = z[o];
                sortedPos[o] = k;
            }
        });
        order = null!;

        // Runs of equal keys: the occupied cubes.
        var runStart = new int[m + 1];
        var cubes = 0;
        for (var k = 0; k < m; k++) if (k == 0 || keys[k] != keys[k - 1]) runStart[cubes++] = k;
        runStart[cubes] = m;
        var cubeKey = new long[cubes];
        for (var c = 0; c < cubes; c++) cubeKey[c] = (long)keys[runStart[c]];
        keys = null!;

        // parent[i] <= i always (a root is the smallest point of its tree), and a part links only points of its
        // own cubes: the parts never touch each other's entries.
        var parent = new int[m];
        for (var k = 0; k < m; k++) parent[k] = k;
        clock = Timings.Stop(clock, "cluster: sort by cube");

        // The parts: runs of whole slabs (cubes with the same major coordinate), about as many points each. A
        // cube's forward neighbours are in its slab or the next, so only pairs from a part's last slab into the
        // next part's first slab cross parts: those are kept and linked after the parts, on one thread.
        var bounds = new List<int> { 0 };
        for (var p = 1; p < parts; p++)
        {
            var c = Math.Max(bounds[^1] + 1, CubeAt(runStart, cubes, (int)((long)m * p / parts)));
            while (c < cubes && cubeKey[c] / strideU == cubeKey[c - 1] / strideU) c++;
            if (c >= cubes) break;
            bounds.Add(c);
        }
        bounds.Add(cubes);
        var partCount = bounds.Count - 1;
        var seams = new List<(int A, int B)>[partCount];

        // Forward neighbour cubes as key ranges [lo, hi]: (0,0,+1); (0,+1,-1..+1); (+1,-1,-1..+1); (+1,0,-1..+1); (+1,+1,-1..+1).
        var lowOffsets = new[] { 1, strideV - 1, strideU - strideV - 1, strideU - 1, strideU + strideV - 1 };
        var highOffsets = new[] { 1, strideV + 1, strideU - strideV + 1, strideU + 1, strideU + strideV + 1 };
        Parallel.For(0, partCount, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part) =>
        {
            int first = bounds[part], last = bounds[part + 1];
            var seam = seams[part] = [];
            Span<int> cursor = stackalloc int[5];
            for (var c = first; c < last; c++)
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
                        if (q >= last) { seam.Add((c, q)); continue; }
                        LinkCubes(runStart, sx, sy, sz, parent, c, q, chord2);
                    }
                }
            }
        });
        foreach (var seam in seams)
            foreach (var (c, q) in seam) LinkCubes(runStart, sx, sy, sz, parent, c, q, chord2);

        clock = Timings.Stop(clock, $"cluster: link ({partCount} parts)");
        // Every point straight to its root: in index order, as parents come before their children.
        for (var k = 0; k < m; k++) parent[k] = parent[parent[k]];

        // Number the groups in order of their first input row; sum unit vectors for the means.
        var rootGroup = new int[m];
        Array.Fill(rootGroup, -1);
        var groupOf = new int[n];
        var compactGroup = new int[m];
        var groups = 0;
        var next = 0;
        for (var k = 0; k < m; k++)
        {
            var root = parent[sortedPos[k]];
            var g = rootGroup[root];
            if (g < 0) g = rootGroup[root] = groups++;
            compactGroup[k] = g;
            var row = rows[k];
            while (next < row) groupOf[next++] = -1;
            groupOf[next++] = g;
        }
        while (next < n) groupOf[next++] = -1;
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
        var groupChunk = (groups + chunks - 1) / Math.Max(1, chunks);
        Parallel.For(0, chunks, options, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            for (int g = p * groupChunk, end = Math.Min(groups, g + groupChunk); g < end; g++)
            {
                var a = Math.Atan2(my[g], mx[g]) / rad;
                meanRa[g] = a < 0 ? a + 360 : a;
                meanDec[g] = Math.Atan2(mz[g], Math.Sqrt(mx[g] * mx[g] + my[g] * my[g])) / rad;
            }
        });
        Timings.Stop(clock, "cluster: number groups, means");
        return new FofResult(groupOf, sizes, meanRa, meanDec);
    }

    private static bool HasPosition(double ra, double dec) => double.IsFinite(ra) && Math.Abs(dec) <= 90.0000001;

    /// <summary>The cube holding sorted point <paramref name="k"/>.</summary>
    private static int CubeAt(int[] runStart, int cubes, int k)
    {
        int lo = 0, hi = cubes; // the last cube whose start is at most k
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >>> 1;
            if (runStart[mid] <= k) lo = mid; else hi = mid;
        }
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LinkCubes(int[] runStart, double[] sx, double[] sy, double[] sz, int[] parent, int c, int q, double chord2)
    {
        int a0 = runStart[c], a1 = runStart[c + 1], b0 = runStart[q], b1 = runStart[q + 1];
        for (var i = a0; i < a1; i++)
            for (var j = b0; j < b1; j++)
                if (Close(sx, sy, sz, i, j, chord2)) Union(parent, i, j);
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
