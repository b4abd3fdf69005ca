using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>
/// The cells of a match within <see cref="Radius"/> degrees: declination zones a little over one radius high (at
/// least 180/2^20 deg), and in each zone RA steps of an eighth of a zone's height. A position's cell key is its zone
/// and RA step; both tables of a match are sorted by it (<see cref="ZoneSorted"/>), so a search is a sweep over
/// both, in memory order.
/// </summary>
internal readonly struct ZoneGrid
{
    private const double ToRad = Math.PI / 180;

    /// <summary>The search radius (degrees).</summary>
    public readonly double Radius;
    /// <summary>The radius plus rounding: a row farther than this in Dec is never within the radius.</summary>
    public readonly double DecSlack;
    /// <summary>The height of a zone (degrees): above <see cref="DecSlack"/>, so a partner is at most one zone away.</summary>
    public readonly double Height;
    private readonly double _invHeight;
    /// <summary>RA steps per degree.</summary>
    public readonly double StepsPerDegree;
    /// <summary>The number of zones.</summary>
    public readonly int Zones;
    /// <summary>The RA step of 360° (the largest a normalised RA can have).</summary>
    public readonly long TopStep;

    public ZoneGrid(double radius)
    {
        Radius = radius;
        DecSlack = radius * (1 + 1e-9) + 1e-12;
        Height = Math.Max(radius * (1 + 1e-6) + 1e-11, 180.0 / (1 << 20));
        _invHeight = 1 / Height;
        StepsPerDegree = 8 / Height;
        Zones = (int)Math.Floor(180 * _invHeight) + 1;
        TopStep = (long)Math.Floor(360 * StepsPerDegree);
    }

    /// <summary>Whether a row has a position an index can hold: RA finite, Dec within ±90.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Indexable(double ra, double dec) => double.IsFinite(ra) && dec >= -90 && dec <= 90;

    /// <summary>The zone of a declination (deg, within ±90).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Zone(double dec) => Math.Clamp((int)Math.Floor((dec + 90) * _invHeight), 0, Zones - 1);

    /// <summary>The RA step of a normalised RA (deg, 0–360): monotone, so a step range holds every RA of the degree range it was made of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Step(double normRa) => (long)Math.Floor(normRa * StepsPerDegree);

    /// <summary>RA in [0, 360).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Norm(double ra)
    {
        if (ra >= 0 && ra < 360) return ra;
        ra %= 360;
        return ra < 0 ? ra + 360 : ra;
    }

    /// <summary>
    /// The RA half-width (deg) a search from zone <paramref name="z"/> spans: that of the zone's edge farthest from the
    /// equator (the widest of the zone); 180 near a pole.
    /// </summary>
    public double Alpha(int z)
    {
        var lo = -90 + z * Height;
        var edge = Math.Min(90, Math.Max(Math.Abs(lo), Math.Abs(lo + Height)));
        if (edge + Radius >= 89.999) return 180;
        var a = Math.Abs(Math.Cos((edge - Radius) * ToRad) * Math.Cos((edge + Radius) * ToRad));
        var alpha = Math.Atan(Math.Sin(Radius * ToRad) / Math.Sqrt(a)) / ToRad;
        return Math.Min(180, alpha * 1.0001 + 1e-9);
    }
}

/// <summary>
/// The rows of a table with a position, sorted by cell key (zone, then RA step; a stable radix sort, so rows of one
/// cell keep their order). Keys are relative to the table's smallest zone and step, so that they have few bits and
/// the sort few passes.
/// </summary>
internal sealed class ZoneSorted
{
    /// <summary>The cell keys, ascending: (zone − <see cref="ZoneMin"/>) &lt;&lt; <see cref="StepBits"/> | (step − <see cref="StepMin"/>).</summary>
    public readonly ulong[] Keys;
    /// <summary>The input row of each key.</summary>
    public readonly int[] Rows;
    /// <summary>The RA of each key's row, as given (deg).</summary>
    public readonly double[] Ra;
    /// <summary>The Dec of each key's row (deg).</summary>
    public readonly double[] Dec;
    public readonly int ZoneMin;
    public readonly int ZoneMax;
    public readonly long StepMin;
    public readonly long StepMax;
    public readonly int StepBits;

    public int Count => Keys.Length;

    /// <summary>The zone of the key at <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ZoneAt(int k) => (int)(Keys[k] >> StepBits) + ZoneMin;

    /// <summary>The RA step of the key at <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long StepAt(int k) => (long)(Keys[k] & ((1UL << StepBits) - 1)) + StepMin;

    /// <summary>The key of zone <paramref name="zone"/> (within this table's zones) and step <paramref name="step"/> clamped to this table's steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Key(int zone, long step) =>
        ((ulong)(zone - ZoneMin) << StepBits) | (ulong)(Math.Clamp(step, StepMin, StepMax) - StepMin);

    /// <summary>Sorts the rows of (<paramref name="ra"/>, <paramref name="dec"/>) with a position by cell key, and takes their positions in that order (on the calling thread).</summary>
    public ZoneSorted(double[] ra, double[] dec, in ZoneGrid grid)
    {
        var n = ra.Length;
        var keys = new ulong[n];
        var rows = new int[n];
        int zMin = int.MaxValue, zMax = -1, valid = 0;
        long sMin = long.MaxValue, sMax = -1;
        // absolute zone and step first (zone above bit 32; steps are below 2^26), with the smallest and largest
        for (var i = 0; i < n; i++)
        {
            double r = ra[i], d = dec[i];
            if (!ZoneGrid.Indexable(r, d)) continue;
            var z = grid.Zone(d);
            var s = grid.Step(ZoneGrid.Norm(r));
            keys[valid] = ((ulong)z << 32) | (ulong)s;
            rows[valid++] = i;
            if (z < zMin) zMin = z;
            if (z > zMax) zMax = z;
            if (s < sMin) sMin = s;
            if (s > sMax) sMax = s;
        }
        if (valid < n)
        {
            Array.Resize(ref keys, valid);
            Array.Resize(ref rows, valid);
        }
        if (valid == 0) (zMin, zMax, sMin, sMax) = (0, 0, 0, 0);
        var bits = 64 - BitOperations.LeadingZeroCount((ulong)(sMax - sMin));
        for (var k = 0; k < valid; k++)
        {
            var key = keys[k];
            keys[k] = ((key >> 32) - (ulong)zMin) << bits | ((key & 0xFFFF_FFFF) - (ulong)sMin);
        }
        var keyBits = bits + 64 - BitOperations.LeadingZeroCount((ulong)(zMax - zMin));
        (Keys, Rows) = Sort(keys, rows, keyBits);
        Ra = new double[valid];
        Dec = new double[valid];
        Gather(ra, Rows, Ra);
        Gather(dec, Rows, Dec);
        (ZoneMin, ZoneMax, StepMin, StepMax, StepBits) = (zMin, zMax, sMin, sMax, bits);
    }

    /// <summary>
    /// A stable least-significant-digit radix sort of keys below 2^<paramref name="bits"/> with their rows, digits of
    /// at most 14 bits, the counts of every digit taken in one read of the keys, a digit all keys share skipped.
    /// Returns the arrays that hold the result (the given ones or the scratch ones). One core: both tables of a
    /// match are sorted at once, one on each core.
    /// </summary>
    private static (ulong[] Keys, int[] Rows) Sort(ulong[] keys, int[] rows, int bits)
    {
        var n = keys.Length;
        if (n < 2 || bits == 0) return (keys, rows);
        var passes = (bits + 13) / 14;
        var width = (bits + passes - 1) / passes;
        var buckets = 1 << width;
        var mask = (ulong)buckets - 1;
        var counts = new int[passes * buckets];
        for (var i = 0; i < n; i++)
        {
            var key = keys[i];
            for (int p = 0, shift = 0; p < passes; p++, shift += width) counts[p * buckets + (int)((key >> shift) & mask)]++;
        }
        ulong[] k1 = keys, k2 = new ulong[n];
        int[] r1 = rows, r2 = new int[n];
        for (int p = 0, shift = 0; p < passes; p++, shift += width)
        {
            var at = p * buckets;
            if (counts[at + (int)((k1[0] >> shift) & mask)] == n) continue; // one digit for all: nothing to do
            for (int d = 0, sum = 0; d < buckets; d++) { var c = counts[at + d]; counts[at + d] = sum; sum += c; }
            for (var i = 0; i < n; i++)
            {
                var key = k1[i];
                var w = counts[at + (int)((key >> shift) & mask)]++;
                k2[w] = key;
                r2[w] = r1[i];
            }
            (k1, k2) = (k2, k1);
            (r1, r2) = (r2, r1);
        }
        return (k1, r1);
    }

    /// <summary>
    /// <paramref name="to"/>[k] = <paramref name="from"/>[<paramref name="rows"/>[k]]: a loop of nothing but the loads, so
    /// that the processor has many cache misses in flight at once (in a longer loop each miss stalls it alone).
    /// </summary>
    private static void Gather(double[] from, int[] rows, double[] to)
    {
        for (var k = 0; k < rows.Length; k++) to[k] = from[rows[k]];
    }

    /// <summary>The first place in [<paramref name="lo"/>, <paramref name="hi"/>) whose key is at least <paramref name="key"/>.</summary>
    public int LowerBound(ulong key, int lo, int hi)
    {
        var keys = Keys;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>
/// An index of one table's positions for searches within a radius: the rows sorted by cell (<see cref="ZoneSorted"/>)
/// with their RA, Dec and cos(Dec) in that order. The other table, sorted the same way, is searched by a sweep
/// (<see cref="Sweep{TVisit}"/>): for each of its rows, in cell order, the three zones around it, and in each the
/// RA steps its circle spans; the first place of each zone's window only moves forward, so the whole search reads
/// both tables in memory order. Separations are <see cref="Separation"/>'s, to the last bit (so that the pairs
/// equal STILTS's).
/// </summary>
internal sealed class ZoneIndex
{
    private const double ToRad = Math.PI / 180;
    private readonly ZoneGrid _grid;
    private readonly ZoneSorted _cells;
    private readonly double[] _ra;  // RA as given (the separation uses it), in cell order
    private readonly double[] _dec;
    private readonly double[] _cosDec;
    private readonly int[] _rows;

    /// <summary>The grid this index was made for.</summary>
    public ZoneGrid Grid => _grid;

    /// <summary>An index of the positions (degrees; rows with no finite RA or with a Dec that is NaN or beyond ±90 are left out).</summary>
    public ZoneIndex(double[] ra, double[] dec, in ZoneGrid grid)
    {
        _grid = grid;
        _cells = new ZoneSorted(ra, dec, grid);
        (_ra, _dec, _rows) = (_cells.Ra, _cells.Dec, _cells.Rows);
        _cosDec = new double[_dec.Length];
        for (var k = 0; k < _dec.Length; k++) _cosDec[k] = Math.Cos(_dec[k] * ToRad);
    }


    /// <summary>The number of indexed rows.</summary>
    public int Count => _cells.Count;

    /// <summary>The input row of each place of the index.</summary>
    public int[] Rows => _rows;

    /// <summary>Separation in degrees as STILTS computes it: haversine on radians (π beyond rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Separation(double ra1, double dec1, double ra2, double dec2) =>
        Haversine(ra1, dec1, Math.Cos(dec1 * ToRad), ra2, dec2, Math.Cos(dec2 * ToRad));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Haversine(double ra1, double dec1, double cos1, double ra2, double dec2, double cos2)
    {
        double r1 = ra1 * ToRad, d1 = dec1 * ToRad, r2 = ra2 * ToRad, d2 = dec2 * ToRad;
        var sd2 = Math.Sin(0.5 * (d2 - d1));
        var sr2 = Math.Sin(0.5 * (r2 - r1));
        var h = sd2 * sd2 + sr2 * sr2 * cos1 * cos2;
        return (h < 1.0 ? 2.0 * Math.Asin(Math.Sqrt(h)) : Math.PI) / ToRad;
    }

    /// <summary>
    /// For the rows of another table at places [<paramref name="from"/>, <paramref name="to"/>) of
    /// <paramref name="query"/> (sorted on this index's grid, with its positions), in that order: <c>visit.Begin</c>, then
    /// <c>visit.Visit</c> for every indexed row within the radius (each once), then <c>visit.End</c>. A struct visitor keeps the sweep one piece of code for every kind of search, with no
    /// allocation and no indirect call.
    /// </summary>
    public void Sweep<TVisit>(ZoneSorted query, int from, int to, ref TVisit visit, CancellationToken cancel)
        where TVisit : struct, IZoneVisitor
    {
        var cells = _cells;
        if (cells.Count == 0)
        {
            for (var k = from; k < to; k++) { visit.Begin(k, query.Rows[k]); visit.End(k, query.Rows[k]); }
            return;
        }
        var zone = int.MinValue;
        double alpha = 0;
        long width = 0;
        var whole = false;
        int p0 = 0, p1 = 0, p2 = 0; // the first place of the window in the zones below, of, and above the row's
        var rows = query.Rows;
        var ra = query.Ra;
        var dec = query.Dec;
        for (var k = from; k < to; k++)
        {
            if ((k & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
            var i = rows[k];
            var z = query.ZoneAt(k);
            var step = query.StepAt(k);
            if (z != zone)
            {
                // a new zone of the query: its RA half-width, and the windows' first places from the zones' starts
                zone = z;
                alpha = _grid.Alpha(z);
                whole = alpha >= 180;
                width = (long)Math.Ceiling(alpha * _grid.StepsPerDegree) + 2;
                p0 = ZoneStart(z - 1);
                p1 = ZoneStart(z);
                p2 = ZoneStart(z + 1);
            }
            long lo, hi;
            if (whole) (lo, hi) = (long.MinValue, long.MaxValue);
            else (lo, hi) = (step - width, step + width);
            double r = ra[k], d = dec[k], cos = double.NaN;
            visit.Begin(k, i);
            Scan(z - 1, lo, hi, ref p0, r, d, ref cos, ref visit);
            Scan(z, lo, hi, ref p1, r, d, ref cos, ref visit);
            Scan(z + 1, lo, hi, ref p2, r, d, ref cos, ref visit);
            if (!whole && (lo < 0 || hi >= _grid.TopStep)) Wrapped(z, lo, hi, alpha, r, d, ref cos, ref visit);
            visit.End(k, i);
        }
    }

    /// <summary>The first place of zone <paramref name="z"/> (or where it would be).</summary>
    private int ZoneStart(int z)
    {
        var c = _cells;
        if (z <= c.ZoneMin) return 0;
        if (z > c.ZoneMax) return c.Count;
        return c.LowerBound((ulong)(z - c.ZoneMin) << c.StepBits, 0, c.Count);
    }

    /// <summary>The rows of zone <paramref name="z"/> with RA steps in [lo, hi]; <paramref name="p"/> is where the last search of this zone's window started (it only moves forward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scan<TVisit>(int z, long lo, long hi, ref int p, double ra, double dec, ref double cos, ref TVisit visit)
        where TVisit : struct, IZoneVisitor
    {
        var c = _cells;
        if (z < c.ZoneMin || z > c.ZoneMax || hi < c.StepMin || lo > c.StepMax) return;
        var keyLo = c.Key(z, lo);
        var keyHi = c.Key(z, hi);
        var keys = c.Keys;
        var k = p;
        while (k < keys.Length && keys[k] < keyLo) k++;
        p = k;
        for (; k < keys.Length && keys[k] <= keyHi; k++) Test(k, ra, dec, ref cos, ref visit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Test<TVisit>(int k, double ra, double dec, ref double cos, ref TVisit visit) where TVisit : struct, IZoneVisitor
    {
        var d = _dec[k];
        if (Math.Abs(d - dec) > _grid.DecSlack) return;
        if (double.IsNaN(cos)) cos = Math.Cos(dec * ToRad);
        var s = Haversine(ra, dec, cos, _ra[k], d, _cosDec[k]);
        if (s <= _grid.Radius) visit.Visit(k, _rows[k], s);
    }

    /// <summary>
    /// Near RA 0/360: the part of the circle on the other side of the wrap (steps beyond the main window
    /// [<paramref name="lo"/>, <paramref name="hi"/>], so no row is visited twice), found by binary search.
    /// </summary>
    private void Wrapped<TVisit>(int z, long lo, long hi, double alpha, double ra, double dec, ref double cos, ref TVisit visit)
        where TVisit : struct, IZoneVisitor
    {
        var norm = ZoneGrid.Norm(ra);
        long from, to;
        if (norm - alpha < 0) (from, to) = (Math.Max(_grid.Step(norm - alpha + 360) - 2, hi + 1), long.MaxValue);
        else if (norm + alpha >= 360) (from, to) = (long.MinValue, Math.Min(_grid.Step(norm + alpha - 360) + 2, lo - 1));
        else return;
        if (from > to) return;
        var c = _cells;
        for (var zz = z - 1; zz <= z + 1; zz++)
        {
            if (zz < c.ZoneMin || zz > c.ZoneMax || to < c.StepMin || from > c.StepMax) continue;
            var keyHi = c.Key(zz, to);
            for (var k = c.LowerBound(c.Key(zz, from), 0, c.Count); k < c.Count && c.Keys[k] <= keyHi; k++)
                Test(k, ra, dec, ref cos, ref visit);
        }
    }
}

/// <summary>What a <see cref="ZoneIndex.Sweep{TVisit}"/> does with each searched row and the indexed rows within the radius of it.</summary>
internal interface IZoneVisitor
{
    /// <summary>A search for the row at <paramref name="place"/> of the searching table (in its cell order; input row <paramref name="row"/>) begins.</summary>
    void Begin(int place, int row);

    /// <summary>Called with an indexed row (its place in the index's cell order and its input row) within the radius, and its separation in degrees.</summary>
    void Visit(int place, int row, double separation);

    /// <summary>The search for the row at <paramref name="place"/> ends.</summary>
    void End(int place, int row);
}

/// <summary>A growable list of pairs (row of A, row of B, separation) in three arrays.</summary>
internal sealed class PairBuffer(int capacity = 1024)
{
    public int[] A = new int[Math.Max(16, capacity)];
    public int[] B = new int[Math.Max(16, capacity)];
    public double[] Sep = new double[Math.Max(16, capacity)];
    public int Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int a, int b, double sep)
    {
        if (Count == A.Length) Grow();
        A[Count] = a;
        B[Count] = b;
        Sep[Count++] = sep;
    }

    private void Grow()
    {
        var n = (int)Math.Min(Array.MaxLength, 2L * A.Length);
        if (n == A.Length) throw new VoScriptException($"match: more than {A.Length} pairs; use a smaller angle");
        Array.Resize(ref A, n);
        Array.Resize(ref B, n);
        Array.Resize(ref Sep, n);
    }
}
