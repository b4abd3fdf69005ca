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
/// Words of a block of memory: <see cref="Count"/> of them from <see cref="At"/> in <see cref="Memory"/>. Working
/// memory of a match is taken as one block for both tables (see <see cref="ZoneSorted.Words"/>): the system maps a
/// large block with huge pages (a fault for 2 MB), many smaller arrays mostly with small ones (a fault for 4 KB), and
/// on a virtual machine faults are the costliest part of touching fresh memory.
/// </summary>
internal readonly record struct Block(ulong[] Memory, int At, int Count)
{
    public Span<ulong> Span => Memory.AsSpan(At, Count);
}

/// <summary>
/// The rows of a table with a position, sorted by cell (zone, then RA step; rows of one cell in input order), with
/// their positions in that order. Each row is one 64-bit word: its cell key (relative to the table's smallest zone
/// and step, so that it has few bits) above its row number; the words sort as the cells do, and a cell's range of
/// words is found by comparing words. Working memory: 24 bytes a row (the words, RA and Dec; RA where the sort had
/// its scratch), in a block the caller gives.
/// </summary>
internal sealed class ZoneSorted
{
    private readonly ulong[] _mem;
    private readonly int _words;       // where the words start in _mem: (zone − ZoneMin, (step − StepMin) >> _stepShift, row), ascending
    private readonly int _ra;          // where the RA of each place starts (its bits), as given
    private readonly int _dec;         // where the Dec of each place starts (its bits)
    private readonly int _count;
    private readonly int _rowBits;
    private readonly ulong _rowMask;
    private readonly int _stepBits;
    private readonly int _stepShift;   // low bits of the RA step left out when key and row would not fit in 64 bits
    private readonly ulong _stepMask;

    /// <summary>The smallest and largest zone and RA step of the table's rows.</summary>
    public readonly int ZoneMin, ZoneMax;
    public readonly long StepMin, StepMax;

    /// <summary>The words of memory a table of <paramref name="rows"/> rows needs.</summary>
    public static int Words(int rows) => 3 * rows;

    /// <summary>The number of rows with a position.</summary>
    public int Count => _count;

    /// <summary>How far below its true RA step <see cref="StepAt"/> may be (0 unless the table is huge and its keys wide).</summary>
    public long StepSlack => (1L << _stepShift) - 1;

    /// <summary>The input row at place <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int RowAt(int k) => (int)(_mem[_words + k] & _rowMask);

    /// <summary>The zone of the row at place <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ZoneAt(int k) => (int)(_mem[_words + k] >> (_rowBits + _stepBits)) + ZoneMin;

    /// <summary>The RA step of the row at place <paramref name="k"/> (at most <see cref="StepSlack"/> below its own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long StepAt(int k) => (long)(((_mem[_words + k] >> _rowBits) & _stepMask) << _stepShift) + StepMin;

    /// <summary>The RA of the row at place <paramref name="k"/>, as given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double RaAt(int k) => BitConverter.UInt64BitsToDouble(_mem[_ra + k]);

    /// <summary>The Dec of the row at place <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double DecAt(int k) => BitConverter.UInt64BitsToDouble(_mem[_dec + k]);

    /// <summary>
    /// The two blocks of <see cref="Count"/> words that hold the positions, for the caller to use again once it no
    /// longer reads the positions (<see cref="RaAt"/> and <see cref="DecAt"/> are then undefined): fresh memory is the
    /// costliest thing a short process touches.
    /// </summary>
    public (Block First, Block Second) Spare => (new Block(_mem, _ra, _count), new Block(_mem, _dec, _count));

    /// <summary>The word at place <paramref name="k"/>: words compare as (cell, row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong WordAt(int k) => _mem[_words + k];

    /// <summary>The smallest word of zone <paramref name="zone"/> (within this table's zones) and step <paramref name="step"/> (clamped to this table's steps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong First(int zone, long step) =>
        (((ulong)(zone - ZoneMin) << _stepBits) | ((ulong)(Math.Clamp(step, StepMin, StepMax) - StepMin) >> _stepShift)) << _rowBits;

    /// <summary>The largest word of zone <paramref name="zone"/> and step <paramref name="step"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Last(int zone, long step) => First(zone, step) | _rowMask;

    /// <summary>The words of zone <paramref name="zone"/> with RA steps in [<paramref name="lo"/>, <paramref name="hi"/>]: false when there can be none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Range(int zone, long lo, long hi, out ulong first, out ulong last)
    {
        if (zone < ZoneMin || zone > ZoneMax || hi < StepMin || lo > StepMax || lo > hi)
        {
            (first, last) = (1, 0);
            return false;
        }
        (first, last) = (First(zone, lo), Last(zone, hi));
        return true;
    }

    /// <summary>
    /// Sorts the rows of (<paramref name="ra"/>, <paramref name="dec"/>) with a position by cell, and takes their
    /// positions in that order (on the calling thread), in <paramref name="memory"/> (<see cref="Words"/> of the rows).
    /// </summary>
    public ZoneSorted(double[] ra, double[] dec, in ZoneGrid grid, Block memory)
    {
        var n = ra.Length;
        if (memory.Count < Words(n)) throw new ArgumentException("not enough memory for the table", nameof(memory));
        _mem = memory.Memory;
        var words = memory.Memory.AsSpan(memory.At, n);
        int zMin = int.MaxValue, zMax = -1, valid = 0;
        long sMin = long.MaxValue, sMax = -1;
        // absolute zone and step first (zone above bit 32; steps are below 2^26), with the smallest and largest
        for (var i = 0; i < n; i++)
        {
            double r = ra[i], d = dec[i];
            if (!ZoneGrid.Indexable(r, d)) continue;
            var z = grid.Zone(d);
            var s = grid.Step(ZoneGrid.Norm(r));
            words[valid++] = ((ulong)z << 32) | (ulong)s;
            if (z < zMin) zMin = z;
            if (z > zMax) zMax = z;
            if (s < sMin) sMin = s;
            if (s > sMax) sMax = s;
        }
        if (valid == 0) (zMin, zMax, sMin, sMax) = (0, 0, 0, 0);
        var rowBits = Bits((ulong)Math.Max(1, n - 1));
        var zoneBits = Bits((ulong)(zMax - zMin));
        var stepBits = Bits((ulong)(sMax - sMin));
        var shift = Math.Max(0, zoneBits + stepBits + rowBits - 64);
        stepBits -= shift;
        // the words: relative zone and step above the row (rows with a position, in input order again)
        for (int i = 0, k = 0; k < valid; i++)
        {
            if (!ZoneGrid.Indexable(ra[i], dec[i])) continue;
            var w = words[k];
            var cell = ((w >> 32) - (ulong)zMin) << stepBits | ((w & 0xFFFF_FFFF) - (ulong)sMin) >> shift;
            words[k++] = cell << rowBits | (uint)i;
        }
        // sorted by the cell bits only: the sort is stable, so the rows of a cell stay in input order; the words end
        // where the first pass found them or in the scratch after them, and the RA goes where they are not
        int at = memory.At, scratch = at + valid;
        if (Sort(memory.Memory.AsSpan(at, valid), memory.Memory.AsSpan(scratch, valid), rowBits, zoneBits + stepBits)) (at, scratch) = (scratch, at);
        (_words, _ra, _dec, _count) = (at, scratch, memory.At + 2 * valid, valid);
        (_rowBits, _rowMask, _stepBits, _stepShift, _stepMask) = (rowBits, (1UL << rowBits) - 1, stepBits, shift, (1UL << stepBits) - 1);
        (ZoneMin, ZoneMax, StepMin, StepMax) = (zMin, zMax, sMin, sMax);
        // the positions in sorted order: loops of nothing but the loads, so that the processor has many cache misses in flight at once
        Gather(ra, _mem.AsSpan(_words, valid), _rowMask, _mem.AsSpan(_ra, valid));
        Gather(dec, _mem.AsSpan(_words, valid), _rowMask, _mem.AsSpan(_dec, valid));
    }

    private static void Gather(double[] from, ReadOnlySpan<ulong> words, ulong rowMask, Span<ulong> to)
    {
        for (var k = 0; k < words.Length; k++) to[k] = BitConverter.DoubleToUInt64Bits(from[(int)(words[k] & rowMask)]);
    }

    private static int Bits(ulong x) => 64 - BitOperations.LeadingZeroCount(x);

    /// <summary>
    /// A stable least-significant-digit radix sort of <paramref name="words"/> by their <paramref name="bits"/> bits from
    /// <paramref name="from"/> up, digits of at most 14 bits, the counts of every digit taken in one read, a digit all
    /// words share skipped. True when the sorted words ended in <paramref name="scratch"/>. One core: both tables of a
    /// match are sorted at once, one on each core.
    /// </summary>
    private static bool Sort(Span<ulong> words, Span<ulong> scratch, int from, int bits)
    {
        var n = words.Length;
        if (n < 2 || bits == 0) return false;
        var passes = (bits + 13) / 14;
        var width = (bits + passes - 1) / passes;
        var buckets = 1 << width;
        var mask = (ulong)buckets - 1;
        var counts = new int[passes * buckets];
        for (var i = 0; i < n; i++)
        {
            var word = words[i];
            for (int p = 0, shift = from; p < passes; p++, shift += width) counts[p * buckets + (int)((word >> shift) & mask)]++;
        }
        Span<ulong> w1 = words, w2 = scratch;
        var swapped = false;
        for (int p = 0, shift = from; p < passes; p++, shift += width)
        {
            var at = p * buckets;
            if (counts[at + (int)((w1[0] >> shift) & mask)] == n) continue; // one digit for all: nothing to do
            for (int d = 0, sum = 0; d < buckets; d++) { var c = counts[at + d]; counts[at + d] = sum; sum += c; }
            for (var i = 0; i < n; i++)
            {
                var word = w1[i];
                w2[counts[at + (int)((word >> shift) & mask)]++] = word;
            }
            var t = w1;
            w1 = w2;
            w2 = t;
            swapped = !swapped;
        }
        return swapped;
    }

    /// <summary>The first place in [<paramref name="lo"/>, <paramref name="hi"/>) whose word is at least <paramref name="word"/>.</summary>
    public int LowerBound(ulong word, int lo, int hi)
    {
        var words = _mem.AsSpan(_words, _count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (words[mid] < word) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>
/// An index of one table's positions for searches within a radius: its rows sorted by cell (<see cref="ZoneSorted"/>).
/// The other table, sorted the same way, is searched by a sweep (<see cref="Sweep{TVisit}"/>): for each of its rows,
/// in cell order, the three zones around it, and in each the RA steps its circle spans; the first place of each
/// zone's window only moves forward, so the whole search reads both tables in memory order. Separations are
/// <see cref="Separation"/>'s, to the last bit (so that the pairs equal STILTS's).
/// </summary>
internal sealed class ZoneIndex
{
    private const double ToRad = Math.PI / 180;
    private readonly ZoneGrid _grid;
    private readonly ZoneSorted _cells;

    /// <summary>
    /// An index of the positions (degrees; rows with no finite RA or with a Dec that is NaN or beyond ±90 are left
    /// out), in <paramref name="memory"/> (<see cref="ZoneSorted.Words"/> of the rows).
    /// </summary>
    public ZoneIndex(double[] ra, double[] dec, in ZoneGrid grid, Block memory)
    {
        _grid = grid;
        _cells = new ZoneSorted(ra, dec, grid, memory);
    }

    /// <summary>The indexed rows in cell order.</summary>
    public ZoneSorted Cells => _cells;

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
    /// <paramref name="query"/> (sorted on this index's grid), in that order: <c>visit.Begin</c>, then
    /// <c>visit.Visit</c> for every indexed row within the radius (each once), then <c>visit.End</c>. A struct visitor
    /// keeps the sweep one piece of code for every kind of search, with no allocation and no indirect call. The query's
    /// position at place k is read before <c>visit.Begin(k, …)</c> and never again, so a visitor may write the query's
    /// <see cref="ZoneSorted.Spare"/> arrays at place k in <c>visit.End(k, …)</c>.
    /// </summary>
    public void Sweep<TVisit>(ZoneSorted query, int from, int to, ref TVisit visit, CancellationToken cancel)
        where TVisit : struct, IZoneVisitor
    {
        if (_cells.Count == 0)
        {
            for (var k = from; k < to; k++) { visit.Begin(k, query.RowAt(k)); visit.End(k, query.RowAt(k)); }
            return;
        }
        var zone = int.MinValue;
        double alpha = 0;
        long width = 0;
        var whole = false;
        int p0 = 0, p1 = 0, p2 = 0; // the first place of the window in the zones below, of, and above the row's
        for (var k = from; k < to; k++)
        {
            if ((k & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
            var i = query.RowAt(k);
            var z = query.ZoneAt(k);
            var step = query.StepAt(k);
            if (z != zone)
            {
                // a new zone of the query: its RA half-width, and the windows' first places from the zones' starts
                zone = z;
                alpha = _grid.Alpha(z);
                whole = alpha >= 180;
                width = (long)Math.Ceiling(alpha * _grid.StepsPerDegree) + 2 + query.StepSlack;
                p0 = ZoneStart(z - 1);
                p1 = ZoneStart(z);
                p2 = ZoneStart(z + 1);
            }
            long lo, hi;
            if (whole) (lo, hi) = (long.MinValue, long.MaxValue);
            else (lo, hi) = (step - width, step + width);
            double r = query.RaAt(k), d = query.DecAt(k), cos = double.NaN;
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
        return c.LowerBound(c.First(z, long.MinValue), 0, c.Count);
    }

    /// <summary>The rows of zone <paramref name="z"/> with RA steps in [lo, hi]; <paramref name="p"/> is where the last search of this zone's window started (it only moves forward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scan<TVisit>(int z, long lo, long hi, ref int p, double ra, double dec, ref double cos, ref TVisit visit)
        where TVisit : struct, IZoneVisitor
    {
        var c = _cells;
        if (!c.Range(z, lo, hi, out var first, out var last)) return;
        var n = c.Count;
        var k = p;
        while (k < n && c.WordAt(k) < first) k++;
        p = k;
        for (; k < n && c.WordAt(k) <= last; k++) Test(k, ra, dec, ref cos, ref visit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Test<TVisit>(int k, double ra, double dec, ref double cos, ref TVisit visit) where TVisit : struct, IZoneVisitor
    {
        var c = _cells;
        var d = c.DecAt(k);
        if (Math.Abs(d - dec) > _grid.DecSlack) return;
        if (double.IsNaN(cos)) cos = Math.Cos(dec * ToRad);
        var s = Haversine(ra, dec, cos, c.RaAt(k), d, Math.Cos(d * ToRad));
        if (s <= _grid.Radius) visit.Visit(k, c.RowAt(k), s);
    }

    /// <summary>
    /// Near RA 0/360: the part of the circle on the other side of the wrap, beyond the main window
    /// [<paramref name="lo"/>, <paramref name="hi"/>] (compared as words, so that no row is visited twice), found by
    /// binary search.
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
            if (!c.Range(zz, from, to, out var first, out var last)) continue;
            if (c.Range(zz, lo, hi, out var mainFirst, out var mainLast))
            {
                if (from > hi) first = Math.Max(first, mainLast + 1); // above the main window
                else if (mainFirst == 0) continue;                  // below it, and nothing is
                else last = Math.Min(last, mainFirst - 1);
                if (first > last) continue;
            }
            for (var k = c.LowerBound(first, 0, c.Count); k < c.Count && c.WordAt(k) <= last; k++)
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
