using System.Numerics;
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
/// (union-find; a tree's root is its smallest point).
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
/// <para>
/// Written for the large case (a million rows in a short process, on few cores): every phase is a plain loop over a
/// chunk of the points, the chunks on all cores; sines and cosines are reduced exactly in degrees and summed as a
/// short series (<see cref="SinCosDegrees"/>, two to three times faster than <see cref="Math.SinCos"/>); the cube key and the row share one 64-bit word when they fit,
/// so the sort moves 8 bytes a point; and the arrays of one phase are used again by the next. No method asks for
/// <see cref="MethodImplOptions.AggressiveOptimization"/> (or uses vectors): that would keep it out of the CLI's
/// precompiled (ReadyToRun) code and have it compiled at every start, 10–20 ms of a short process.
/// </para>
/// </summary>
internal static partial class FriendsOfFriends
{
    private const long AxisMax = (1L << 21) - 4; // cubes per axis; 3 axes fit in 63 bits
    private const int MinRowsPerPart = 50_000;   // below this, one thread does everything
    private const int DigitBits = 11;             // radix sort: 2,048 buckets a pass
    private const double Rad = Math.PI / 180;
    private const double MaxDec = 90.0000001;     // rounding of a pole's declination is forgiven

    /// <summary>Groups points (degrees; NaN = no position) with linking angle <paramref name="linkDegrees"/>, on all cores.</summary>
    public static FofResult Run(double[] raDeg, double[] decDeg, double linkDegrees, CancellationToken cancel = default) =>
        Run(raDeg, decDeg, linkDegrees, Math.Max(1, Math.Min(Environment.ProcessorCount, raDeg.Length / MinRowsPerPart)), cancel);

    /// <summary>
    /// As <see cref="Run(double[], double[], double, CancellationToken)"/>, in <paramref name="parts"/> chunks at once
    /// (the result is the same, to the bit, for any number of parts).
    /// </summary>
    /// <remarks>
    /// No lambda here: a lambda's captured locals would become fields of a heap object for the whole method, and
    /// every loop over them slower. Each parallel step is a method of its own whose lambda calls a static loop.
    /// </remarks>
    internal static FofResult Run(double[] raDeg, double[] decDeg, double linkDegrees, int parts, CancellationToken cancel)
    {
        if (raDeg.Length != decDeg.Length) throw new ArgumentException("RA and Dec have different lengths");
        if (!(linkDegrees >= 0) || linkDegrees >= 180) throw new VoScriptException($"the linking angle must be between 0 and 180 degrees, not {linkDegrees}");
        if (raDeg.Length > Array.MaxLength / 3) throw new VoScriptException($"cluster: {raDeg.Length} rows are too many for one run");
        cancel.ThrowIfCancellationRequested();
        var n = raDeg.Length;
        parts = Math.Max(1, parts);
        var clock = Timings.Start();
        var options = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = parts };

        // Unit vectors by row, x, y, z side by side (one cache line for a random read); rows without a position get
        // x = NaN and group -1. Per chunk of rows: the box of its points and how many there are.
        var xyz = GC.AllocateUninitializedArray<double>(3 * n);
        var groupOf = GC.AllocateUninitializedArray<int>(n);
        var boxes = new double[parts * 7]; // per chunk: min x, y, z, max x, y, z, points
        UnitVectors(raDeg, decDeg, xyz, groupOf, boxes, parts, options);
        var before = new int[parts + 1]; // points in the chunks before each chunk
        double[] box = [double.MaxValue, double.MaxValue, double.MaxValue, double.MinValue, double.MinValue, double.MinValue];
        for (var p = 0; p < parts; p++)
        {
            for (var a = 0; a < 3; a++)
            {
                box[a] = Math.Min(box[a], boxes[7 * p + a]);
                box[a + 3] = Math.Max(box[a + 3], boxes[7 * p + a + 3]);
            }
            before[p + 1] = before[p] + (int)boxes[7 * p + 6];
        }
        var m = before[parts];
        if (m == 0)
        {
            Timings.Stop(clock, "cluster: unit vectors and cube keys");
            return new FofResult(groupOf, [], [], []);
        }

        var chord = 2 * Math.Sin(linkDegrees * Rad / 2);
        var chord2 = chord * chord;
        // The key's major axis is the one the points spread most along: the slabs the parts link are thinnest there.
        int a0 = 0, a1 = 1, a2 = 2;
        if (box[4] - box[1] > box[3] - box[0]) (a0, a1) = (1, 0);
        if (box[5] - box[2] > box[3 + a0] - box[a0]) (a0, a2) = (2, a0);
        var grid = new CubeGrid(a0, a1, a2, box[a0], box[a1], box[a2], 0, 0, 0);
        double spanU = box[3 + a0] - box[a0], spanV = box[3 + a1] - box[a1], spanW = box[3 + a2] - box[a2];
        var span = Math.Max(spanU, Math.Max(spanV, spanW));
        // The cube edge: the chord, made larger when the grid would need too many cubes per axis.
        var edge = Math.Max(chord, span / AxisMax);
        if (edge <= 0) edge = 1; // all points identical: one cube
        var inv = 1 / edge;
        // cube coordinates run from 1 to n-2 on each axis, so that ±1 never leaves the box
        long nu = (long)(spanU * inv) + 3, nv = (long)(spanV * inv) + 3, nw = (long)(spanW * inv) + 3;
        long strideV = nw, strideU = nv * nw;
        grid = grid with { Inv = inv, StrideU = strideU, StrideV = strideV };
        var keyBits = 64 - BitOperations.LeadingZeroCount((ulong)(nu * strideU));
        var rowBits = Math.Max(1, 64 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

        // The points sorted by cube, stably (by row within a cube). When the key and the row fit in 64 bits, each
        // point is one word (key above, row below); else keys and rows are sorted side by side and the rows kept
        // in the words afterwards. `spare` is the sort's other half, then the cubes' keys, then the group sizes.
        var sorted = GC.AllocateUninitializedArray<ulong>(m);
        var spare = GC.AllocateUninitializedArray<ulong>(m);
        var runStart = GC.AllocateUninitializedArray<int>(m + 1);
        int cubes;
        ulong rowMask;
        if (keyBits + rowBits <= 64)
        {
            PackedKeys(xyz, grid, rowBits, before, sorted, parts, options);
            cancel.ThrowIfCancellationRequested();
            clock = Timings.Stop(clock, "cluster: unit vectors and cube keys");
            if (SortPacked(sorted, spare, rowBits, keyBits, parts, options)) (sorted, spare) = (spare, sorted);
            cubes = Runs(sorted, rowBits, runStart, spare);
            rowMask = (1UL << rowBits) - 1;
        }
        else
        {
            var rows = GC.AllocateUninitializedArray<int>(m);
            SeparateKeys(xyz, grid, before, sorted, rows, parts, options);
            cancel.ThrowIfCancellationRequested();
            clock = Timings.Stop(clock, "cluster: unit vectors and cube keys");
            RadixSort.Sort(sorted, rows, (ulong)(nu * strideU), parts, spare, GC.AllocateUninitializedArray<int>(m));
            cubes = Runs(sorted, 0, runStart, spare);
            for (var k = 0; k < m; k++) sorted[k] = (uint)rows[k];
            rowMask = uint.MaxValue;
        }
        var cubeKey = spare; // the first `cubes` entries

        // Coordinates in sorted order, side by side, for locality in the sweep; every point its own tree.
        var s = GC.AllocateUninitializedArray<double>(3 * m);
        var parent = GC.AllocateUninitializedArray<int>(m);
        InSortedOrder(sorted, rowMask, xyz, s, parent, parts, options);
        cancel.ThrowIfCancellationRequested();
        clock = Timings.Stop(clock, "cluster: sort by cube");

        // The parts: runs of whole slabs (cubes with the same major coordinate), about as many points each. A
        // cube's forward neighbours are in its slab or the next, so only pairs from a part's last slab into the
        // next part's first slab cross parts: those are kept and linked after the parts, on one thread.
        // parent[i] <= i always (a root is the smallest point of its tree), and a part links only points of its
        // own cubes: the parts never touch each other's entries.
        var bounds = new List<int> { 0 };
        for (var p = 1; p < parts; p++)
        {
            var c = Math.Max(bounds[^1] + 1, CubeAt(runStart, cubes, (int)((long)m * p / parts)));
            while (c < cubes && cubeKey[c] / (ulong)strideU == cubeKey[c - 1] / (ulong)strideU) c++;
            if (c >= cubes) break;
            bounds.Add(c);
        }
        bounds.Add(cubes);
        var sweep = new Sweep(runStart, cubeKey, cubes, s, parent, chord2,
            // Forward neighbour cubes as key ranges [lo, hi]: (0,0,+1); (0,+1,-1..+1); (+1,-1,-1..+1); (+1,0,-1..+1); (+1,+1,-1..+1).
            [1, (ulong)(strideV - 1), (ulong)(strideU - strideV - 1), (ulong)(strideU - 1), (ulong)(strideU + strideV - 1)],
            [1, (ulong)(strideV + 1), (ulong)(strideU - strideV + 1), (ulong)(strideU + 1), (ulong)(strideU + strideV + 1)]);
        var seams = LinkParts(sweep, bounds, options, cancel);
        foreach (var seam in seams)
            foreach (var (c, q) in seam) LinkCubes(runStart, s, parent, c, q, chord2);
        clock = Timings.Stop(clock, $"cluster: link ({bounds.Count - 1} parts)");

        // Per tree (at its root): its first row, its number of points and the sum of their unit vectors (in sorted
        // order). The cube starts, the rows' unit vectors and the cube keys are no longer needed: their memory is used.
        var firstRow = runStart;
        var sums = xyz;
        var counts = spare;
        Trees(parent, sorted, rowMask, s, firstRow, sums, counts, m);
        // Groups are numbered in order of their first row: a bit per row marks the first rows, and a group's number
        // is the count of marks before its first row.
        var marks = new ulong[(n + 63) >> 6];
        var rank = GC.AllocateUninitializedArray<int>(marks.Length);
        var groups = MarkFirstRows(parent, firstRow, m, marks, rank);
        var sizes = GC.AllocateUninitializedArray<int>(groups);
        var meanRa = GC.AllocateUninitializedArray<double>(groups);
        var meanDec = GC.AllocateUninitializedArray<double>(groups);
        Groups(new Numbering(parent, sorted, rowMask, firstRow, marks, rank, sums, counts), groupOf, sizes, meanRa, meanDec, parts, options);
        Timings.Stop(clock, "cluster: number groups, means");
        return new FofResult(groupOf, sizes, meanRa, meanDec);
    }

    /// <summary>Chunk <paramref name="p"/> of <paramref name="parts"/> over <paramref name="n"/> items.</summary>
    private static (int From, int To) Chunk(int n, int parts, int p)
    {
        var size = (n + parts - 1) / parts;
        return (Math.Min(n, p * size), Math.Min(n, (p + 1) * size));
    }

    private static void InParts(int parts, ParallelOptions options, Action<int> body)
    {
        if (parts == 1) body(0);
        else Parallel.For(0, parts, options, body);
    }

    // ---- linking ------------------------------------------------------------------------------------------------

    /// <summary>The sorted points, their cubes and union-find forest, and the forward neighbour key ranges.</summary>
    private sealed record Sweep(int[] RunStart, ulong[] CubeKey, int Cubes, double[] S, int[] Parent, double Chord2,
        ulong[] LowOffsets, ulong[] HighOffsets);

    /// <summary>Links the cubes of each part (cubes bounds[p]..bounds[p+1]) at once; returns per part the cube pairs that cross into the next.</summary>
    private static List<(int A, int B)>[] LinkParts(Sweep sweep, List<int> bounds, ParallelOptions options, CancellationToken cancel)
    {
        var seams = new List<(int A, int B)>[bounds.Count - 1];
        InParts(seams.Length, options, p => seams[p] = LinkPart(sweep.RunStart, sweep.CubeKey, sweep.Cubes, sweep.S, sweep.Parent,
            sweep.Chord2, sweep.LowOffsets, sweep.HighOffsets, bounds[p], bounds[p + 1], cancel));
        return seams;
    }

    private static List<(int A, int B)> LinkPart(int[] runStart, ulong[] cubeKey, int cubes, double[] s, int[] parent, double chord2,
        ulong[] lowOffsets, ulong[] highOffsets, int first, int last, CancellationToken cancel)
    {
        var seam = new List<(int A, int B)>();
        Span<int> cursor = stackalloc int[5];
        for (var c = first; c < last; c++)
        {
            if ((c & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
            int a0 = runStart[c], a1 = runStart[c + 1];
            for (var i = a0; i < a1; i++)
                for (var j = i + 1; j < a1; j++)
                    if (Close(s, i, j, chord2)) Union(parent, i, j);
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
                    LinkCubes(runStart, s, parent, c, q, chord2);
                }
            }
        }
        return seam;
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
    private static void LinkCubes(int[] runStart, double[] s, int[] parent, int c, int q, double chord2)
    {
        int a0 = runStart[c], a1 = runStart[c + 1], b0 = runStart[q], b1 = runStart[q + 1];
        for (var i = a0; i < a1; i++)
            for (var j = b0; j < b1; j++)
                if (Close(s, i, j, chord2)) Union(parent, i, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Close(double[] s, int i, int j, double chord2)
    {
        int a = 3 * i, b = 3 * j;
        var dx = s[a] - s[b]; var dy = s[a + 1] - s[b + 1]; var dz = s[a + 2] - s[b + 2];
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
