namespace VoScript.Engine.Sky;

/// <summary>The groups found by <see cref="FriendsOfFriends"/>.</summary>
public sealed class FofResult
{
    internal FofResult(int[] groupOf, int[] sizes, int groups)
    {
        GroupOf = groupOf;
        Sizes = sizes;
        GroupCount = groups;
    }

    /// <summary>Per input point, its group (0-based, numbered in order of first point); -1 for a point without a position.</summary>
    public int[] GroupOf { get; }

    /// <summary>Per group, the number of points in it.</summary>
    public int[] Sizes { get; }

    public int GroupCount { get; }
}

/// <summary>
/// Friends-of-friends on the sphere: two points are friends when their angular
/// separation is at most the linking angle; groups are the connected components.
/// <para>
/// The spatial index is a grid of cubes over unit vectors, edge at least the chord
/// of the linking angle, so every friend of a point lies in its own cube or one of
/// the 26 around it. Points are sorted by cube key (x, y, z packed into 63 bits);
/// then one sweep with five monotone cursors visits, for each cube, the forward half
/// of its neighbours (same cube, +z; and the rows y+1, x+1 of cubes), so each pair is
/// tested once. Sorting dominates: O(n log n) time, O(n) memory. Working in 3-D makes
/// the poles and RA 0/360 ordinary places.
/// </para>
/// </summary>
public static class FriendsOfFriends
{
    private const int Bits = 21;
    private const long AxisMax = (1L << Bits) - 4; // leave room for the ±1 neighbour offsets

    /// <summary>Groups points (degrees; NaN = no position) with linking angle <paramref name="linkDegrees"/>.</summary>
    public static FofResult Run(ReadOnlySpan<double> raDeg, ReadOnlySpan<double> decDeg, double linkDegrees, CancellationToken cancel = default)
    {
        if (raDeg.Length != decDeg.Length) throw new ArgumentException("RA and Dec have different lengths");
        if (!(linkDegrees >= 0) || linkDegrees >= 180) throw new VoScriptException($"the linking angle must be between 0 and 180 degrees, not {linkDegrees}");
        var n = raDeg.Length;

        // Unit vectors of the points that have a position, compacted.
        var rows = new int[n];
        var m = 0;
        for (var i = 0; i < n; i++)
            if (!double.IsNaN(raDeg[i]) && !double.IsNaN(decDeg[i]) && Math.Abs(decDeg[i]) <= 90.0000001) rows[m++] = i;
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
            if (xv < minX) minX = xv; if (xv > maxX) maxX = xv;
            if (yv < minY) minY = yv; if (yv > maxY) maxY = yv;
            if (zv < minZ) minZ = zv; if (zv > maxZ) maxZ = zv;
        }

        var chord = 2 * Math.Sin(linkDegrees * rad / 2);
        var chord2 = chord * chord;
        var span = Math.Max(maxX - minX, Math.Max(maxY - minY, maxZ - minZ));
        // The cube edge: the chord, made larger when the grid would need more than 2^21 cubes per axis.
        var edge = Math.Max(chord, span / AxisMax);
        if (edge <= 0) edge = 1; // all points identical or none: one cube
        var inv = 1 / edge;

        var keys = new long[m];
        var order = new int[m];
        for (var k = 0; k < m; k++)
        {
            var cx = (long)((x[k] - minX) * inv) + 1;
            var cy = (long)((y[k] - minY) * inv) + 1;
            var cz = (long)((z[k] - minZ) * inv) + 1;
            keys[k] = (cx << (2 * Bits)) | (cy << Bits) | cz;
            order[k] = k;
        }
        cancel.ThrowIfCancellationRequested();
        Array.Sort(keys, order);

        // Coordinates in sorted order, for locality in the sweep.
        var sx = new double[m]; var sy = new double[m]; var sz = new double[m];
        for (var k = 0; k < m; k++) { var o = order[k]; sx[k] = x[o]; sy[k] = y[o]; sz[k] = z[o]; }
        x = y = z = null!;

        // Runs of equal keys (the occupied cubes).
        var runStart = new List<int>(m / 2 + 1);
        for (var k = 0; k < m; k++) if (k == 0 || keys[k] != keys[k - 1]) runStart.Add(k);
        var cubes = runStart.Count;
        runStart.Add(m);
        var cubeKey = new long[cubes];
        for (var c = 0; c < cubes; c++) cubeKey[c] = keys[runStart[c]];
        keys = null!;

        var parent = new int[m];
        for (var k = 0; k < m; k++) parent[k] = k;

        // Forward neighbour offsets in key space: same (x,y) row at z+1; row (x, y+1) z-1..z+1;
        // rows (x+1, y-1..y+1) z-1..z+1. Each is a contiguous key range [lo, hi].
        const long Y = 1L << Bits, X = 1L << (2 * Bits);
        ReadOnlySpan<long> lowOffsets = [1, Y - 1, X - Y - 1, X - 1, X + Y - 1];
        ReadOnlySpan<long> highOffsets = [1, Y + 1, X - Y + 1, X + 1, X + Y + 1];
        Span<int> cursor = stackalloc int[5];

        for (var c = 0; c < cubes; c++)
        {
            if ((c & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
            int a0 = runStart[c], a1 = runStart[c + 1];
            // pairs inside the cube
            for (var i = a0; i < a1; i++)
                for (var j = i + 1; j < a1; j++)
                    if (Close(sx, sy, sz, i, j, chord2)) Union(parent, i, j);
            var key = cubeKey[c];
            for (var r = 0; r < 5; r++)
            {
                var lo = key + lowOffsets[r];
                var hi = key + highOffsets[r];
                var p = cursor[r];
                if (p <= c) p = c + 1;            // every forward cube sorts after this one
                while (p < cubes && cubeKey[p] < lo) p++;
                cursor[r] = p;                      // lo grows with key: the cursor never moves back
                for (var q = p; q < cubes && cubeKey[q] <= hi; q++)
                {
                    int b0 = runStart[q], b1 = runStart[q + 1];
                    for (var i = a0; i < a1; i++)
                        for (var j = b0; j < b1; j++)
                            if (Close(sx, sy, sz, i, j, chord2)) Union(parent, i, j);
                }
            }
        }

        // Label groups in order of the first input row.
        var groupOf = new int[n];
        Array.Fill(groupOf, -1);
        var sortedPos = new int[m]; // compact index -> sorted index
        for (var k = 0; k < m; k++) sortedPos[order[k]] = k;
        var rootGroup = new int[m];
        Array.Fill(rootGroup, -1);
        var sizes = new List<int>();
        for (var k = 0; k < m; k++)
        {
            var root = Find(parent, sortedPos[k]);
            var g = rootGroup[root];
            if (g < 0) { g = rootGroup[root] = sizes.Count; sizes.Add(0); }
            sizes[g]++;
            groupOf[rows[k]] = g;
        }
        return new FofResult(groupOf, [.. sizes], sizes.Count);
    }

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
