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
    /// <remarks>
    /// No lambda here: a lambda's captured locals would become fields of a heap object for the whole method, and
    /// every loop over them slower. Each parallel step is a method of its own whose lambda calls a static loop.
    /// </remarks>
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
        var valid = CountValid(raDeg, decDeg, parts, options);
        var m = valid[parts];
        var rows = new int[m];
        var x = new double[m];
        var y = new double[m];
        var z = new double[m];
        var box = UnitVectors(raDeg, decDeg, valid, rows, x, y, z, parts, options); // min x, y, z, max x, y, z

        var chord = 2 * Math.Sin(linkDegrees * Rad / 2);
        var chord2 = chord * chord;
        // The key's major axis is the one the points spread most along: the slabs the parts link are thinnest there.
        int a0 = 0, a1 = 1, a2 = 2;
        if (box[4] - box[1] > box[3] - box[0]) (a0, a1) = (1, 0);
        if (box[5] - box[2] > box[3 + a0] - box[a0]) (a0, a2) = (2, a0);
        var axes = new[] { x, y, z };
        double minU = box[a0], minV = box[a1], minW = box[a2];
        double spanU = box[3 + a0] - minU, spanV = box[3 + a1] - minV, spanW = box[3 + a2] - minW;
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
        CubeKeys(axes[a0], axes[a1], axes[a2], minU, minV, minW, inv, strideU, strideV, keys, order, parts, options);
        cancel.ThrowIfCancellationRequested();
        clock = Timings.Stop(clock, "cluster: unit vectors and cube keys");
        RadixSort.Sort(keys, order, (ulong)(nu * strideU), parts);

        // Coordinates in sorted order, for locality in the sweep; and each point's place in that order.
        var sx = new double[m]; var sy = new double[m]; var sz = new double[m];
        var sortedPos = new int[m]; // compact index -> sorted index
        InSortedOrder(order, x, y, z, sx, sy, sz, sortedPos, parts, options);
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
        var grid = new Grid(runStart, cubeKey, sx, sy, sz, parent, chord2,
            // Forward neighbour cubes as key ranges [lo, hi]: (0,0,+1); (0,+1,-1..+1); (+1,-1,-1..+1); (+1,0,-1..+1); (+1,+1,-1..+1).
            [1, strideV - 1, strideU - strideV - 1, strideU - 1, strideU + strideV - 1],
            [1, strideV + 1, strideU - strideV + 1, strideU + 1, strideU + strideV + 1]);
        var seams = LinkParts(grid, bounds, options, cancel);
        foreach (var seam in seams)
            foreach (var (c, q) in seam) LinkCubes(runStart, sx, sy, sz, parent, c, q, chord2);
        clock = Timings.Stop(clock, $"cluster: link ({bounds.Count - 1} parts)");

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
        Means(mx, my, mz, meanRa, meanDec, parts, options);
        Timings.Stop(clock, "cluster: number groups, means");
        return new FofResult(groupOf, sizes, meanRa, meanDec);
    }

    private const double Rad = Math.PI / 180;

    private static bool HasPosition(double ra, double dec) => double.IsFinite(ra) && Math.Abs(dec) <= 90.0000001;

    /// <summary>Row chunk <paramref name="p"/> of <paramref name="parts"/> over <paramref name="n"/> rows.</summary>
    private static (int From, int To) Chunk(int n, int parts, int p)
    {
        var size = (n + parts - 1) / parts;
        return (Math.Min(n, p * size), Math.Min(n, (p + 1) * size));
    }

    /// <summary>Per row chunk, the points with a position before it (a prefix sum; the last entry is all of them).</summary>
    private static int[] CountValid(double[] ra, double[] dec, int parts, ParallelOptions options)
    {
        var valid = new int[parts + 1];
        Parallel.For(0, parts, options, p => valid[p + 1] = CountValid(ra, dec, Chunk(ra.Length, parts, p)));
        for (var p = 0; p < parts; p++) valid[p + 1] += valid[p];
        return valid;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountValid(double[] ra, double[] dec, (int From, int To) rows)
    {
        var c = 0;
        for (var i = rows.From; i < rows.To; i++) if (HasPosition(ra[i], dec[i])) c++;
        return c;
    }

    /// <summary>Unit vectors of the points with a position, compacted; returns their box (min x, y, z, max x, y, z).</summary>
    private static double[] UnitVectors(double[] ra, double[] dec, int[] valid, int[] rows, double[] x, double[] y, double[] z, int parts, ParallelOptions options)
    {
        var boxes = new double[parts][];
        Parallel.For(0, parts, options, p => boxes[p] = UnitVectors(ra, dec, Chunk(ra.Length, parts, p), valid[p], rows, x, y, z));
        var box = new[] { double.MaxValue, double.MaxValue, double.MaxValue, double.MinValue, double.MinValue, double.MinValue };
        foreach (var b in boxes)
            for (var a = 0; a < 3; a++) { box[a] = Math.Min(box[a], b[a]); box[a + 3] = Math.Max(box[a + 3], b[a + 3]); }
        return box;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] UnitVectors(double[] ra, double[] dec, (int From, int To) range, int k, int[] rows, double[] x, double[] y, double[] z)
    {
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        for (var i = range.From; i < range.To; i++)
        {
            if (!HasPosition(ra[i], dec[i])) continue;
            var (sa, ca) = Math.SinCos(ra[i] * Rad);
            var (sd, cd) = Math.SinCos(dec[i] * Rad);
            var xv = cd * ca; var yv = cd * sa; var zv = sd;
            rows[k] = i; x[k] = xv; y[k] = yv; z[k] = zv; k++;
            minX = Math.Min(minX, xv); maxX = Math.Max(maxX, xv);
            minY = Math.Min(minY, yv); maxY = Math.Max(maxY, yv);
            minZ = Math.Min(minZ, zv); maxZ = Math.Max(maxZ, zv);
        }
        return [minX, minY, minZ, maxX, maxY, maxZ];
    }

    private static void CubeKeys(double[] u, double[] v, double[] w, double minU, double minV, double minW, double inv, long strideU, long strideV,
        ulong[] keys, int[] order, int parts, ParallelOptions options) =>
        Parallel.For(0, parts, options, p => CubeKeys(u, v, w, minU, minV, minW, inv, strideU, strideV, keys, order, Chunk(keys.Length, parts, p)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CubeKeys(double[] u, double[] v, double[] w, double minU, double minV, double minW, double inv, long strideU, long strideV,
        ulong[] keys, int[] order, (int From, int To) range)
    {
        for (var k = range.From; k < range.To; k++)
        {
            var cu = (long)((u[k] - minU) * inv) + 1;
            var cv = (long)((v[k] - minV) * inv) + 1;
            var cw = (long)((w[k] - minW) * inv) + 1;
            keys[k] = (ulong)(cu * strideU + cv * strideV + cw);
            order[k] = k;
        }
    }

    private static void InSortedOrder(int[] order, double[] x, double[] y, double[] z, double[] sx, double[] sy, double[] sz, int[] sortedPos,
        int parts, ParallelOptions options) =>
        Parallel.For(0, parts, options, p => InSortedOrder(order, x, y, z, sx, sy, sz, sortedPos, Chunk(order.Length, parts, p)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InSortedOrder(int[] order, double[] x, double[] y, double[] z, double[] sx, double[] sy, double[] sz, int[] sortedPos,
        (int From, int To) range)
    {
        for (var k = range.From; k < range.To; k++)
        {
            var o = order[k];
            sx[k] = x[o]; sy[k] = y[o]; sz[k] = z[o];
            sortedPos[o] = k;
        }
    }

    /// <summary>The sorted points, their cubes and union-find forest, and the forward neighbour key ranges.</summary>
    private sealed record Grid(int[] RunStart, long[] CubeKey, double[] X, double[] Y, double[] Z, int[] Parent, double Chord2,
        long[] LowOffsets, long[] HighOffsets);

    /// <summary>Links the cubes of each part (cubes bounds[p]..bounds[p+1]) at once; returns per part the cube pairs that cross into the next.</summary>
    private static List<(int A, int B)>[] LinkParts(Grid grid, List<int> bounds, ParallelOptions options, CancellationToken cancel)
    {
        var seams = new List<(int A, int B)>[bounds.Count - 1];
        Parallel.For(0, seams.Length, options, p => seams[p] = LinkPart(grid.RunStart, grid.CubeKey, grid.X, grid.Y, grid.Z, grid.Parent,
            grid.Chord2, grid.LowOffsets, grid.HighOffsets, bounds[p], bounds[p + 1], cancel));
        return seams;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(int A, int B)> LinkPart(int[] runStart, long[] cubeKey, double[] sx, double[] sy, double[] sz, int[] parent, double chord2,
        long[] lowOffsets, long[] highOffsets, int first, int last, CancellationToken cancel)
    {
        var seam = new List<(int A, int B)>();
        var cubes = cubeKey.Length;
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
        return seam;
    }

    private static void Means(double[] mx, double[] my, double[] mz, double[] meanRa, double[] meanDec, int parts, ParallelOptions options) =>
        Parallel.For(0, parts, options, p => Means(mx, my, mz, meanRa, meanDec, Chunk(mx.Length, parts, p)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Means(double[] mx, double[] my, double[] mz, double[] meanRa, double[] meanDec, (int From, int To) range)
    {
        for (var g = range.From; g < range.To; g++)
        {
            var a = Math.Atan2(my[g], mx[g]) / Rad;
            meanRa[g] = a < 0 ? a + 360 : a;
            meanDec[g] = Math.Atan2(mz[g], Math.Sqrt(mx[g] * mx[g] + my[g] * my[g])) / Rad;
        }
    }

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
