using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Science.Verbs;

/// <summary>Which pairs <c>match</c> keeps (STILTS <c>tmatch2 find=…</c>).</summary>
public enum MatchMode
{
    /// <summary>
    /// <c>best</c> (find=best): each row at most once on either side. As STILTS does it: the nearest row of the other
    /// table for each row of the larger table (of A when both have as many rows); where several rows chose the same
    /// row, the closest of those pairs is kept.
    /// </summary>
    Best,
    /// <summary><c>best for A</c> (find=best1): for each row of A the nearest row of B (a row of B may be used more than once).</summary>
    BestForA,
    /// <summary><c>best for B</c> (find=best2): for each row of B the nearest row of A.</summary>
    BestForB,
    /// <summary><c>all</c> (find=all): every pair within the angle.</summary>
    All,
}

/// <summary>Matched pairs: row of A, row of B, separation in degrees; ordered by A's row, then separation, then B's row.</summary>
public sealed record MatchPairs(int[] A, int[] B, double[] Separation);

/// <summary>
/// <c>match A, B within ANGLE [best | all | best for T] as NAME</c>: one row per pair of positions at most
/// ANGLE apart: A's columns, B's columns (a name both tables have becomes A_col and B_col, with the tables'
/// script names), and <c>separation</c> in arcsec. Positions are found as <c>cluster</c> finds them (UCDs, units,
/// names). Candidates come from a zone index of B (declination strips one angle high, RA sorted within a strip);
/// the separation is the haversine formula on radians, as STILTS computes it.
/// </summary>
public static class SkyMatch
{
    /// <summary>The name of the separation column.</summary>
    public const string SeparationColumn = "separation";

    /// <summary>The output columns for inputs called <paramref name="aName"/> and <paramref name="bName"/>.</summary>
    public static VerbSchema Schema(IReadOnlyList<Field> a, IReadOnlyList<Field> b, string aName, string bName, bool checkPositions = true)
    {
        var problems = new List<VerbProblem>();
        if (checkPositions)
        {
            if (!HasPositions(a)) problems.Add(NoPositions(aName, 0));
            if (!HasPositions(b)) problems.Add(NoPositions(bName, 1));
        }
        if (string.Equals(aName, bName, StringComparison.OrdinalIgnoreCase))
            problems.Add(new VerbProblem(VerbProblemKind.Other, $"match needs two different tables, not '{aName}' twice") { Item = 1 });
        var clash = a.Select(f => f.Name).Intersect(b.Select(f => f.Name), StringComparer.OrdinalIgnoreCase)
            .Append(SeparationColumn).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = new List<Field>();
        foreach (var f in a) fields.Add(clash.Contains(f.Name) ? VerbColumns.Renamed(f, $"{aName}_{f.Name}") : f);
        foreach (var f in b)
        {
            var g = VerbColumns.Renamed(f, clash.Contains(f.Name) ? $"{bName}_{f.Name}" : f.Name);
            g.Ucd = VerbColumns.WithoutMain(g.Ucd);
            fields.Add(g);
        }
        fields.Add(new Field(SeparationColumn, DataType.Double) { Unit = "arcsec", Ucd = "pos.angDistance", Description = $"angle between the positions of {aName} and {bName}" });
        return new VerbSchema(fields, problems);
    }

    private static VerbProblem NoPositions(string table, int item) => new(VerbProblemKind.Other,
        $"'{table}' has no position columns: give RA/Dec the UCDs pos.eq.ra;meta.main and pos.eq.dec;meta.main, or name them ra and dec")
    { Item = item, Subject = table };

    /// <summary>Whether positions can be found among these columns (as <see cref="Positions.Find"/> finds them).</summary>
    public static bool HasPositions(IReadOnlyList<Field> fields)
    {
        var t = new Table();
        foreach (var f in fields)
            t.AddColumn(f.IsString ? new StringColumn(f, []) : new ScalarColumn<double>(f, []));
        return Positions.Find(t) is not null;
    }

    /// <summary>Matches the rows of <paramref name="a"/> and <paramref name="b"/> (script names <paramref name="aName"/>, <paramref name="bName"/>).</summary>
    public static Table Run(Table a, Table b, double radiusDegrees, MatchMode mode, string aName, string bName, string? name = null, CancellationToken cancel = default)
    {
        if (!(radiusDegrees > 0) || radiusDegrees > 180) throw new VoScriptException($"match needs an angle above 0 and at most 180 deg, not {radiusDegrees} deg");
        var schema = Schema(VerbColumns.FieldsOf(a), VerbColumns.FieldsOf(b), aName, bName, checkPositions: false).OrThrow("match");
        var pa = Positions.Read(a);
        var pb = Positions.Read(b);
        var pairs = Pairs(pa.Ra, pa.Dec, pb.Ra, pb.Dec, radiusDegrees, mode, cancel);
        var result = new Table(name ?? $"{aName}_{bName}");
        var at = 0;
        foreach (var c in a.Columns) result.AddColumn(VerbColumns.Take(c, pairs.A, schema.Fields[at++]));
        foreach (var c in b.Columns) result.AddColumn(VerbColumns.Take(c, pairs.B, schema.Fields[at++]));
        var sep = new double[pairs.Separation.Length];
        for (var i = 0; i < sep.Length; i++) sep[i] = pairs.Separation[i] * Angles.ArcsecPerDegree;
        result.AddColumn(new ScalarColumn<double>(schema.Fields[at], sep));
        result.Warnings.AddRange(a.Warnings);
        result.Warnings.AddRange(b.Warnings);
        return result;
    }

    /// <summary>The pairs of positions at most <paramref name="radius"/> degrees apart, kept as <paramref name="mode"/> says.</summary>
    public static MatchPairs Pairs(double[] raA, double[] decA, double[] raB, double[] decB, double radius, MatchMode mode, CancellationToken cancel = default)
    {
        if (mode == MatchMode.BestForB || (mode == MatchMode.Best && raB.Length > raA.Length))
        {
            // best for B is best for A with the tables swapped; so is best when B is the larger table: STILTS takes
            // the nearest partner for each row of the larger table (of table 1 when both are the same size)
            var swapped = Pairs(raB, decB, raA, decA, radius, mode == MatchMode.Best ? MatchMode.Best : MatchMode.BestForA, cancel);
            return Ordered(swapped.B, swapped.A, swapped.Separation);
        }
        var index = new ZoneIndex(raB, decB, radius);
        var counts = new int[raA.Length];
        var found = new List<(int A, int B, double Sep)>[Math.Max(1, Environment.ProcessorCount)];
        var chunk = (raA.Length + found.Length - 1) / found.Length;
        Parallel.For(0, found.Length, new ParallelOptions { CancellationToken = cancel }, p =>
        {
            var list = found[p] = [];
            var end = Math.Min(raA.Length, (p + 1) * chunk);
            for (var i = p * chunk; i < end; i++)
            {
                if ((i & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
                if (mode is MatchMode.BestForA or MatchMode.Best)
                {
                    var best = -1; var bestSep = double.PositiveInfinity;
                    index.ForEachWithin(raA[i], decA[i], (j, s) => { if (s < bestSep || (s == bestSep && j < best)) { best = j; bestSep = s; } });
                    if (best >= 0) list.Add((i, best, bestSep));
                }
                else index.ForEachWithin(raA[i], decA[i], (j, s) => list.Add((i, j, s)));
            }
        });
        var all = found.Where(l => l is not null).SelectMany(l => l).ToList();
        if (mode == MatchMode.Best)
        {
            // STILTS find=best: the nearest row of B for each row of A, A being the larger table (the candidates above), then in order of
            // separation each pair marks its rows as seen and is kept when neither was seen before: where several
            // rows of A chose the same row of B, the closest pair wins.
            all.Sort((x, y) => x.Sep != y.Sep ? x.Sep.CompareTo(y.Sep) : x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
            var seenA = new bool[raA.Length];
            var seenB = new bool[raB.Length];
            var kept = new List<(int A, int B, double Sep)>();
            foreach (var l in all)
            {
                var fresh = !seenA[l.A] && !seenB[l.B];
                seenA[l.A] = seenB[l.B] = true;
                if (fresh) kept.Add(l);
            }
            all = kept;
        }
        return Ordered(all.Select(l => l.A).ToArray(), all.Select(l => l.B).ToArray(), all.Select(l => l.Sep).ToArray());
    }

    private static MatchPairs Ordered(int[] a, int[] b, double[] sep)
    {
        var idx = ColumnVerbs.Identity(a.Length);
        Array.Sort(idx, (x, y) => a[x] != a[y] ? a[x].CompareTo(a[y]) : sep[x] != sep[y] ? sep[x].CompareTo(sep[y]) : b[x].CompareTo(b[y]));
        return new MatchPairs(idx.Select(i => a[i]).ToArray(), idx.Select(i => b[i]).ToArray(), idx.Select(i => sep[i]).ToArray());
    }

    /// <summary>Separation in degrees as STILTS computes it: haversine on radians (π beyond rounding).</summary>
    public static double Separation(double ra1, double dec1, double ra2, double dec2)
    {
        const double toRad = Math.PI / 180;
        double r1 = ra1 * toRad, d1 = dec1 * toRad, r2 = ra2 * toRad, d2 = dec2 * toRad;
        var sd2 = Math.Sin(0.5 * (d2 - d1));
        var sr2 = Math.Sin(0.5 * (r2 - r1));
        var h = sd2 * sd2 + sr2 * sr2 * Math.Cos(d1) * Math.Cos(d2);
        return (h < 1.0 ? 2.0 * Math.Asin(Math.Sqrt(h)) : Math.PI) / toRad;
    }

    /// <summary>
    /// Positions in declination zones one radius high (at least 180/2^20 deg), sorted by RA within each zone;
    /// a search looks at the zones a circle touches and, in each, the RA interval the circle spans there.
    /// </summary>
    private sealed class ZoneIndex
    {
        private readonly double _radius;
        private readonly double _height;
        private readonly int[] _start; // zone z holds _rows[_start[z].._start[z+1]]
        private readonly int[] _rows;
        private readonly double[] _ra;
        private readonly double[] _dec;
        private readonly double[] _sortedRa;
        private readonly int _zones;

        public ZoneIndex(double[] ra, double[] dec, double radius)
        {
            _radius = radius;
            _height = Math.Max(radius, 180.0 / (1 << 20));
            _zones = (int)Math.Floor(180 / _height) + 1;
            _ra = ra; _dec = dec;
            var n = ra.Length;
            var zoneOf = new int[n];
            var count = new int[_zones + 1];
            var valid = 0;
            for (var i = 0; i < n; i++)
            {
                if (double.IsNaN(ra[i]) || double.IsNaN(dec[i]) || dec[i] < -90 || dec[i] > 90) { zoneOf[i] = -1; continue; }
                var z = Zone(dec[i]);
                zoneOf[i] = z;
                count[z + 1]++;
                valid++;
            }
            for (var z = 0; z < _zones; z++) count[z + 1] += count[z];
            _start = (int[])count.Clone();
            _rows = new int[valid];
            var next = (int[])count.Clone();
            for (var i = 0; i < n; i++) if (zoneOf[i] >= 0) _rows[next[zoneOf[i]]++] = i;
            _sortedRa = new double[valid];
            for (var k = 0; k < valid; k++) _sortedRa[k] = Norm(ra[_rows[k]]);
            for (var z = 0; z < _zones; z++)
                if (_start[z + 1] - _start[z] > 1) Array.Sort(_sortedRa, _rows, _start[z], _start[z + 1] - _start[z]);
        }

        private int Zone(double dec) => Math.Clamp((int)Math.Floor((dec + 90) / _height), 0, _zones - 1);

        private static double Norm(double ra)
        {
            ra %= 360;
            return ra < 0 ? ra + 360 : ra;
        }

        /// <summary>Calls <paramref name="found"/> with every row within the radius of (ra, dec) and its separation.</summary>
        public void ForEachWithin(double ra, double dec, Action<int, double> found)
        {
            if (double.IsNaN(ra) || double.IsNaN(dec)) return;
            var z0 = Zone(Math.Max(-90, dec - _radius));
            var z1 = Zone(Math.Min(90, dec + _radius));
            var alpha = RaHalfWidth(dec, _radius);
            var center = Norm(ra);
            for (var z = z0; z <= z1; z++)
            {
                int lo = _start[z], hi = _start[z + 1];
                if (lo == hi) continue;
                if (alpha >= 180) { Scan(lo, hi, ra, dec, found); continue; }
                var from = center - alpha;
                var to = center + alpha;
                if (from < 0) { Range(lo, hi, from + 360, 360, ra, dec, found); from = 0; }
                if (to >= 360) { Range(lo, hi, 0, to - 360, ra, dec, found); to = 360; }
                Range(lo, hi, from, to, ra, dec, found);
            }
        }

        private void Range(int lo, int hi, double from, double to, double ra, double dec, Action<int, double> found)
        {
            var k = LowerBound(lo, hi, from);
            for (; k < hi && _sortedRa[k] <= to; k++) Test(_rows[k], ra, dec, found);
        }

        private void Scan(int lo, int hi, double ra, double dec, Action<int, double> found)
        {
            for (var k = lo; k < hi; k++) Test(_rows[k], ra, dec, found);
        }

        private void Test(int j, double ra, double dec, Action<int, double> found)
        {
            var s = Separation(ra, dec, _ra[j], _dec[j]);
            if (s <= _radius) found(j, s);
        }

        private int LowerBound(int lo, int hi, double value)
        {
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_sortedRa[mid] < value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /// <summary>Half the RA interval (deg) a circle of <paramref name="r"/> around declination <paramref name="dec"/> spans, padded; 180 near a pole.</summary>
        private static double RaHalfWidth(double dec, double r)
        {
            if (Math.Abs(dec) + r >= 89.999) return 180;
            const double toRad = Math.PI / 180;
            var a = Math.Abs(Math.Cos((dec - r) * toRad) * Math.Cos((dec + r) * toRad));
            var alpha = Math.Atan(Math.Sin(r * toRad) / Math.Sqrt(a)) / toRad;
            return Math.Min(180, alpha * 1.0001 + 1e-9);
        }
    }
}
