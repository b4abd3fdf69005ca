using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>
/// Positions in declination zones one radius high (at least 180/2^20 deg), sorted by RA within each zone, with
/// RA, Dec and cos(Dec) stored in that order (a search reads memory in sequence); a search looks at the zones a
/// circle touches and, in each, the RA interval the circle spans there. Separations are
/// <see cref="Separation"/>'s, to the last bit (so the pairs and their order equal STILTS's).
/// </summary>
internal sealed class ZoneIndex
{
    private const double ToRad = Math.PI / 180;
    private readonly double _radius;
    private readonly double _decSlack; // radius plus rounding: a row farther than this in Dec is never within the radius
    private readonly double _height;
    private readonly int _zones;
    private readonly int[] _start; // zone z holds sorted positions _start[z].._start[z+1]
    private readonly int[] _rows;  // the input row of each sorted position
    private readonly double[] _ra; // RA normalised to [0, 360), sorted within a zone
    private readonly double[] _rawRa; // RA as given (the separation uses it)
    private readonly double[] _dec;
    private readonly double[] _cosDec;
    private readonly double[] _alpha; // per zone of a search's centre: the RA half-width, NaN until needed

    /// <summary>An index of the positions (degrees; rows with NaN or |Dec| &gt; 90 are left out) for searches of <paramref name="radius"/> degrees.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ZoneIndex(double[] ra, double[] dec, double radius)
    {
        _radius = radius;
        _decSlack = radius * (1 + 1e-9) + 1e-12;
        _height = Math.Max(radius, 180.0 / (1 << 20));
        _zones = (int)Math.Floor(180 / _height) + 1;
        var n = ra.Length;
        // rows with a position, by RA (a stable radix sort), then by zone (a stable counting sort): zone, then RA
        var valid = 0;
        for (var i = 0; i < n; i++) if (Indexable(ra[i], dec[i])) valid++;
        var keys = new ulong[valid];
        var byRa = new int[valid];
        for (int i = 0, k = 0; i < n; i++)
            if (Indexable(ra[i], dec[i])) { keys[k] = RadixSort.Key(Norm(ra[i])); byRa[k++] = i; }
        RadixSort.Sort(keys, byRa);
        var count = new int[_zones + 1];
        foreach (var r in byRa) count[Zone(dec[r]) + 1]++;
        for (var z = 0; z < _zones; z++) count[z + 1] += count[z];
        _start = count;
        _rows = new int[valid];
        var next = (int[])count.Clone();
        foreach (var r in byRa) _rows[next[Zone(dec[r])]++] = r;
        _ra = new double[valid];
        _rawRa = new double[valid];
        _dec = new double[valid];
        _cosDec = new double[valid];
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, valid / 32768));
        var chunk = (valid + parts - 1) / parts;
        Fill(ra, dec, _rows, _ra, _rawRa, _dec, _cosDec, parts, chunk);
        _alpha = new double[_zones];
        Array.Fill(_alpha, double.NaN);
    }

    /// <summary>RA, Dec and cos(Dec) of the indexed rows in index order, in parts on all cores (a method of its own: a lambda's captures would slow the constructor's loops).</summary>
    private static void Fill(double[] ra, double[] dec, int[] rows, double[] normRa, double[] rawRa, double[] decs, double[] cosDec, int parts, int chunk) =>
        Parallel.For(0, parts, p => FillRange(ra, dec, rows, normRa, rawRa, decs, cosDec, p * chunk, Math.Min(rows.Length, (p + 1) * chunk)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillRange(double[] ra, double[] dec, int[] rows, double[] normRa, double[] rawRa, double[] decs, double[] cosDec, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            var r = rows[k];
            normRa[k] = Norm(ra[r]);
            rawRa[k] = ra[r];
            decs[k] = dec[r];
            cosDec[k] = Math.Cos(dec[r] * ToRad);
        }
    }

    /// <summary>
    /// The rows of another table with a position, ordered as this index orders its own (by zone, then RA): searched in
    /// this order, consecutive searches read neighbouring parts of the index, which stay in the processor's caches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] SearchOrder(double[] ra, double[] dec)
    {
        var n = ra.Length;
        var valid = 0;
        for (var i = 0; i < n; i++) if (Indexable(ra[i], dec[i])) valid++;
        var keys = new ulong[valid];
        var byRa = new int[valid];
        for (int i = 0, k = 0; i < n; i++)
            if (Indexable(ra[i], dec[i])) { keys[k] = RadixSort.Key(Norm(ra[i])); byRa[k++] = i; }
        RadixSort.Sort(keys, byRa);
        var next = new int[_zones + 1];
        foreach (var r in byRa) next[Zone(dec[r]) + 1]++;
        for (var z = 0; z < _zones; z++) next[z + 1] += next[z];
        var order = new int[valid];
        foreach (var r in byRa) order[next[Zone(dec[r])]++] = r;
        return order;
    }

    private static bool Indexable(double ra, double dec) => !double.IsNaN(ra) && !double.IsNaN(dec) && dec >= -90 && dec <= 90;

    /// <summary>
    /// The RA half-width a search from declination zone <paramref name="z"/> spans: that of the zone's edge farthest
    /// from the equator (the widest), computed once per zone (threads may compute it at once; they get the same value).
    /// </summary>
    private double Alpha(int z)
    {
        var a = _alpha[z];
        if (!double.IsNaN(a)) return a;
        var lo = -90 + z * _height;
        var edge = Math.Min(90, Math.Max(Math.Abs(lo), Math.Abs(lo + _height)));
        return _alpha[z] = RaHalfWidth(edge, _radius);
    }

    private int Zone(double dec) => Math.Clamp((int)Math.Floor((dec + 90) / _height), 0, _zones - 1);

    private static double Norm(double ra)
    {
        if (ra >= 0 && ra < 360) return ra;
        ra %= 360;
        return ra < 0 ? ra + 360 : ra;
    }

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
    /// The nearest indexed row within the radius of (ra, dec) (the lower row on a tie) and its separation, or -1.
    /// </summary>
    public int Nearest(double ra, double dec, out double separation)
    {
        var nearest = new NearestVisitor { Best = -1, Separation = double.PositiveInfinity };
        Walk(ra, dec, ref nearest);
        separation = nearest.Separation;
        return nearest.Best;
    }

    /// <summary>Adds every indexed row within the radius of (ra, dec) to <paramref name="found"/> as a pair with <paramref name="row"/>.</summary>
    public void All(int row, double ra, double dec, PairBuffer found)
    {
        var all = new AllVisitor { Row = row, Found = found };
        Walk(ra, dec, ref all);
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with every indexed row within the radius of (ra, dec) and its separation: the
    /// zones the circle touches and, in each, the RA interval it spans there. A struct visitor keeps the walk one
    /// piece of code for every kind of search, with no allocation and no indirect call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Walk<TVisit>(double ra, double dec, ref TVisit visit) where TVisit : struct, IZoneVisitor
    {
        if (double.IsNaN(ra) || double.IsNaN(dec)) return;
        var cos = Math.Cos(dec * ToRad);
        Span<int> ranges = stackalloc int[6];
        var z0 = Zone(Math.Max(-90, dec - _radius));
        var z1 = Zone(Math.Min(90, dec + _radius));
        var alpha = Alpha(Zone(dec));
        var center = Norm(ra);
        for (var z = z0; z <= z1; z++)
        {
            var nr = Ranges(z, center, alpha, ranges);
            for (var q = 0; q < nr; q += 2)
                for (int k = ranges[q], end = ranges[q + 1]; k < end; k++)
                {
                    if (Math.Abs(_dec[k] - dec) > _decSlack) continue;
                    var s = Haversine(ra, dec, cos, _rawRa[k], _dec[k], _cosDec[k]);
                    if (s <= _radius) visit.Visit(_rows[k], s);
                }
        }
    }

    /// <summary>Keeps the nearest row (the lower row on a tie).</summary>
    private struct NearestVisitor : IZoneVisitor
    {
        public int Best;
        public double Separation;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int row, double separation)
        {
            if (separation < Separation || (separation == Separation && row < Best)) { Best = row; Separation = separation; }
        }
    }

    /// <summary>Adds every row as a pair with <see cref="Row"/>.</summary>
    private struct AllVisitor : IZoneVisitor
    {
        public int Row;
        public PairBuffer Found;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int row, double separation) => Found.Add(Row, row, separation);
    }

    /// <summary>The intervals of sorted positions of zone <paramref name="z"/> within <paramref name="center"/> ± alpha (RA): pairs (from, to) in <paramref name="ranges"/>; returns 2 × their number.</summary>
    private int Ranges(int z, double center, double alpha, Span<int> ranges)
    {
        int lo = _start[z], hi = _start[z + 1];
        if (lo == hi) return 0;
        if (alpha >= 180) { ranges[0] = lo; ranges[1] = hi; return 2; }
        var from = center - alpha;
        var to = center + alpha;
        var n = 0;
        if (from < 0) { n = Add(ranges, n, lo, hi, from + 360, 360); from = 0; }
        if (to >= 360) { n = Add(ranges, n, lo, hi, 0, to - 360); to = 360; }
        return Add(ranges, n, lo, hi, from, to);
    }

    private int Add(Span<int> ranges, int n, int lo, int hi, double from, double to)
    {
        var a = LowerBound(lo, hi, from);
        var b = a;
        while (b < hi && _ra[b] <= to) b++;
        ranges[n] = a;
        ranges[n + 1] = b;
        return n + 2;
    }

    private int LowerBound(int lo, int hi, double value)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ra[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Half the RA interval (deg) a circle of <paramref name="r"/> around declination <paramref name="dec"/> spans, padded; 180 near a pole.</summary>
    private static double RaHalfWidth(double dec, double r)
    {
        if (Math.Abs(dec) + r >= 89.999) return 180;
        var a = Math.Abs(Math.Cos((dec - r) * ToRad) * Math.Cos((dec + r) * ToRad));
        var alpha = Math.Atan(Math.Sin(r * ToRad) / Math.Sqrt(a)) / ToRad;
        return Math.Min(180, alpha * 1.0001 + 1e-9);
    }
}

/// <summary>What a <see cref="ZoneIndex.Walk{TVisit}"/> does with each indexed row within the radius.</summary>
internal interface IZoneVisitor
{
    /// <summary>Called with an indexed row (its input row) and its separation in degrees.</summary>
    void Visit(int row, double separation);
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
