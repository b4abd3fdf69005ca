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
internal static class FriendsOfFriends
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

    // ---- groups -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Every point straight to its root (in sorted order: a parent comes before its children, so its own entry is
    /// final already), and per root its first row, its points and the sum of their unit vectors.
    /// </summary>
    private static void Trees(int[] parent, ulong[] sorted, ulong rowMask, double[] s, int[] firstRow, double[] sums, ulong[] counts, int m)
    {
        for (var k = 0; k < m; k++)
        {
            var row = (int)(sorted[k] & rowMask);
            var o = 3 * k;
            var r = parent[k];
            if (r == k)
            {
                firstRow[k] = row;
                counts[k] = 1;
                sums[o] = s[o]; sums[o + 1] = s[o + 1]; sums[o + 2] = s[o + 2];
                continue;
            }
            r = parent[r];
            parent[k] = r;
            if (row < firstRow[r]) firstRow[r] = row;
            counts[r]++;
            var t = 3 * r;
            sums[t] += s[o]; sums[t + 1] += s[o + 1]; sums[t + 2] += s[o + 2];
        }
    }

    /// <summary>Marks the first row of every tree; per word of marks, the marks before it. Returns the number of groups.</summary>
    private static int MarkFirstRows(int[] parent, int[] firstRow, int m, ulong[] marks, int[] rank)
    {
        for (var k = 0; k < m; k++)
            if (parent[k] == k) marks[firstRow[k] >> 6] |= 1UL << firstRow[k];
        var groups = 0;
        for (var w = 0; w < marks.Length; w++)
        {
            rank[w] = groups;
            groups += BitOperations.PopCount(marks[w]);
        }
        return groups;
    }

    /// <summary>What the numbering of groups reads: the flat forest, the sorted points' rows, the trees' first rows, sums and counts.</summary>
    private sealed record Numbering(int[] Parent, ulong[] Sorted, ulong RowMask, int[] FirstRow, ulong[] Marks, int[] Rank, double[] Sums, ulong[] Counts);

    private static void Groups(Numbering t, int[] groupOf, int[] sizes, double[] meanRa, double[] meanDec, int parts, ParallelOptions options) =>
        InParts(parts, options, p => Groups(t.Parent, t.Sorted, t.RowMask, t.FirstRow, t.Marks, t.Rank, t.Sums, t.Counts,
            groupOf, sizes, meanRa, meanDec, Chunk(t.Parent.Length, parts, p)));

    /// <summary>Each point's group (the number of its tree's first row among the first rows); each group's size and mean position.</summary>
    private static void Groups(int[] parent, ulong[] sorted, ulong rowMask, int[] firstRow, ulong[] marks, int[] rank, double[] sums, ulong[] counts,
        int[] groupOf, int[] sizes, double[] meanRa, double[] meanDec, (int From, int To) range)
    {
        for (var k = range.From; k < range.To; k++)
        {
            var r = parent[k];
            var f = firstRow[r];
            var g = rank[f >> 6] + BitOperations.PopCount(marks[f >> 6] & ((1UL << f) - 1));
            groupOf[(int)(sorted[k] & rowMask)] = g;
            if (r != k) continue;
            sizes[g] = (int)counts[k];
            var o = 3 * k;
            double mx = sums[o], my = sums[o + 1], mz = sums[o + 2];
            var a = Math.Atan2(my, mx) / Rad;
            meanRa[g] = a < 0 ? a + 360 : a;
            meanDec[g] = Math.Atan2(mz, Math.Sqrt(mx * mx + my * my)) / Rad;
        }
    }
}
