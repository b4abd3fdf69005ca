using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// names). Both tables are sorted by cell (declination zones a little over one angle high, RA steps within a zone)
/// and searched in one sweep (<see cref="ZoneIndex"/>); the separation is the haversine formula on radians, as
/// STILTS computes it.
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
            problems.Add(new VerbProblem(VerbProblemKind.Other, $"match pairs the rows of two different tables, not '{aName}' and '{bName}' (their columns would get the same prefix); to find the rows of one table that lie close together, use cluster") { Item = 1 });
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
        var clock = Timings.Start();
        var pa = Positions.Read(a, readOnly: true); // the columns' own arrays when they are degrees: no copies
        var pb = Positions.Read(b, readOnly: true);
        clock = Timings.Stop(clock, "match: positions");
        // the most pairs whose rows fit in memory (the pairs as they are found, then a row of the result each)
        var maxPairs = ResultSize.MaxRows(ResultSize.BytesPerRow(schema.Fields) + 2 * PairBytes);
        MatchPairs pairs;
        try { pairs = Pairs(pa.Ra, pa.Dec, pb.Ra, pb.Dec, radiusDegrees, mode, maxPairs, cancel); }
        catch (TooManyPairsException e)
        {
            throw new VoScriptException($"match {aName}, {bName} within {radiusDegrees * 3600:0.###} arcsec all: more than {e.Limit:N0} pairs from {e.Done:N0} of the {e.Rows:N0} rows searched, "
                + $"more than fit in memory (about {ResultSize.Bytes((double)e.Limit * ResultSize.BytesPerRow(schema.Fields))}); use a smaller angle, or best for the nearest partners only");
        }
        clock = Timings.Start();
        var result = new Table(name ?? $"{aName}_{bName}");
        // the output columns are independent: taken on all cores
        var sources = a.Columns.Select(c => (Column: c, Rows: pairs.A)).Concat(b.Columns.Select(c => (Column: c, Rows: pairs.B))).ToList();
        var columns = new Column[sources.Count + 1];
        Parallel.For(0, columns.Length, new ParallelOptions { CancellationToken = cancel }, k =>
        {
            if (k < sources.Count) { columns[k] = VerbColumns.Take(sources[k].Column, sources[k].Rows, schema.Fields[k]); return; }
            var sep = pairs.Separation; // the pairs are this method's: converted in place
            for (var i = 0; i < sep.Length; i++) sep[i] *= Angles.ArcsecPerDegree;
            columns[k] = new ScalarColumn<double>(schema.Fields[k], sep);
        });
        foreach (var c in columns) result.AddColumn(c);
        result.Warnings.AddRange(a.Warnings);
        result.Warnings.AddRange(b.Warnings);
        Timings.Stop(clock, "match: output table");
        return result;
    }

    /// <summary>The pairs of positions at most <paramref name="radius"/> degrees apart, kept as <paramref name="mode"/> says.</summary>
    public static MatchPairs Pairs(double[] raA, double[] decA, double[] raB, double[] decB, double radius, MatchMode mode, CancellationToken cancel = default)
    {
        try { return Pairs(raA, decA, raB, decB, radius, mode, ResultSize.MaxRows(2 * PairBytes), cancel); }
        catch (TooManyPairsException e)
        {
            throw new VoScriptException($"match: more than {e.Limit:N0} pairs from {e.Done:N0} of the {e.Rows:N0} rows searched, more than fit in memory; use a smaller angle");
        }
    }

    /// <summary>The bytes a pair takes while the pairs are found and ordered (two row numbers and a separation).</summary>
    private const int PairBytes = 16;

    /// <summary>More pairs than <see cref="Limit"/> were found after <see cref="Done"/> of the <see cref="Rows"/> rows searched.</summary>
    private sealed class TooManyPairsException(long limit, long done, long rows) : Exception
    {
        public long Limit { get; } = limit;
        public long Done { get; } = done;
        public long Rows { get; } = rows;
    }

    /// <summary>Shared by the parts of an <c>all</c> search: the pairs found so far, and the most there may be.</summary>
    private sealed class PairBudget(long limit, int rows)
    {
        private long _found;
        private long _rowsDone;
        public readonly long Limit = limit;

        /// <summary>Counts <paramref name="pairs"/> more pairs from <paramref name="rowsDone"/> more rows of A; throws past the limit.</summary>
        public void Add(long pairs, long rowsDone)
        {
            var done = Interlocked.Add(ref _rowsDone, rowsDone);
            if (Interlocked.Add(ref _found, pairs) > Limit) throw new TooManyPairsException(Limit, Math.Max(1, done), rows);
        }
    }

    private static MatchPairs Pairs(double[] raA, double[] decA, double[] raB, double[] decB, double radius, MatchMode mode, long maxPairs, CancellationToken cancel)
    {
        // The searching table: A, but B for best for B, and for best when B is the larger table (STILTS takes the
        // nearest partner for each row of the larger table, of table 1 when both are the same size). The other one is indexed.
        var swap = mode == MatchMode.BestForB || (mode == MatchMode.Best && raB.Length > raA.Length);
        var clock = Timings.Start();
        // the index and the searching table's rows in the same cell order (zone, then RA step), each sorted on a core of its own
        var (index, order) = swap ? Sorted(raB, decB, raA, decA, new ZoneGrid(radius)) : Sorted(raA, decA, raB, decB, new ZoneGrid(radius));
        clock = Timings.Stop(clock, "match: index");
        // the searching rows in cell order in contiguous parts, one per core: each part sweeps its rows and the index
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, order.Count / 4096));
        if (mode != MatchMode.All)
        {
            // the nearest indexed row for each searching row, in cell order: its place in the index and the separation,
            // written where the searching rows' positions were (in the arrays of their Spare)
            InParts(parts, p => Nearest(index, order, Part(p, parts, order.Count), cancel));
            var nearSep = order.Spare.First.Span;
            var near = order.Spare.Second.Span;
            clock = Timings.Stop(clock, "match: candidates");
            if (mode == MatchMode.Best) Greedy(near, nearSep, order, index.Cells);
            MatchPairs best;
            if (!swap) best = Keyed(near, nearSep, order, index.Cells, raA.Length, byIndexed: false);
            else if (mode == MatchMode.Best) best = Keyed(near, nearSep, order, index.Cells, raA.Length, byIndexed: true); // each row of A once
            else
            {
                var byB = Keyed(near, nearSep, order, index.Cells, raB.Length, byIndexed: false);
                best = Ordered(byB.B, byB.A, byB.Separation, byB.A.Length, raA.Length);
            }
            Timings.Stop(clock, mode == MatchMode.Best ? "match: best pairs" : "match: order");
            return best;
        }
        var found = new PairBuffer[parts];
        var budget = new PairBudget(maxPairs, order.Count);
        InParts(parts, p => found[p] = All(index, order, Part(p, parts, order.Count), budget, cancel));
        clock = Timings.Stop(clock, "match: candidates");
        var total = 0L;
        foreach (var l in found) total += l.Count;
        if (total > Array.MaxLength) throw new VoScriptException($"match: more than {Array.MaxLength} pairs; use a smaller angle");
        var all = new PairBuffer((int)total);
        foreach (var l in found)
        {
            Array.Copy(l.A, 0, all.A, all.Count, l.Count);
            Array.Copy(l.B, 0, all.B, all.Count, l.Count);
            Array.Copy(l.Sep, 0, all.Sep, all.Count, l.Count);
            all.Count += l.Count;
        }
        var ordered = Ordered(all.A, all.B, all.Sep, all.Count, raA.Length);
        Timings.Stop(clock, "match: order");
        return ordered;
    }

    /// <summary>
    /// STILTS find=best from the nearest row of B for each row of A (A the larger table): in order of separation
    /// (then of A's row), each pair marks its rows as seen and is kept when neither was seen before. Each row of A
    /// has one pair, so a pair is kept exactly when it comes first among the pairs of its row of B: the smallest
    /// (separation, row of A) of each row of B, found in one pass without sorting. The others are dropped (set to
    /// <see cref="None"/>) from <paramref name="near"/>, which holds for each row of A, in A's cell order, the place of
    /// its nearest row of B in the index. Both tables are in cell order, so the places of B are read nearly in sequence.
    /// </summary>
    private static void Greedy(Span<ulong> near, Span<ulong> nearSep, ZoneSorted rowsOfA, ZoneSorted index)
    {
        // the place of A of the first pair of each place of B, plus one (0: none yet), in memory the index no longer needs
        var first = Borrow<int>(index.Spare.Second, index.Count);
        first.Clear();
        for (var k = 0; k < near.Length; k++)
        {
            if (near[k] == None) continue;
            var j = (int)near[k];
            var w = first[j] - 1;
            if (w < 0) { first[j] = k + 1; continue; }
            double s = Sep(nearSep, k), t = Sep(nearSep, w);
            if (s < t || (s == t && rowsOfA.RowAt(k) < rowsOfA.RowAt(w))) first[j] = k + 1;
        }
        for (var k = 0; k < near.Length; k++)
            if (near[k] != None && first[(int)near[k]] != k + 1) near[k] = None;
    }

    /// <summary>No nearest row (in the words of the nearest search).</summary>
    private const ulong None = ulong.MaxValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Sep(Span<ulong> bits, int k) => BitConverter.UInt64BitsToDouble(bits[k]);

    /// <summary><paramref name="count"/> elements in the memory of <paramref name="spare"/> when it is large enough, else new ones.</summary>
    private static Span<T> Borrow<T>(Block spare, int count) where T : unmanaged
    {
        var s = MemoryMarshal.Cast<ulong, T>(spare.Span);
        return s.Length >= count ? s[..count] : new T[count];
    }

    /// <summary>
    /// The pairs (place of a searching row in cell order → place in the index, or none) as (key row, other row,
    /// separation), in order of the key rows (<paramref name="rows"/> of them). The key is the searching row, or with
    /// <paramref name="byIndexed"/> (when each indexed row has at most one pair) the indexed row.
    /// </summary>
    private static MatchPairs Keyed(Span<ulong> near, Span<ulong> nearSep, ZoneSorted searching, ZoneSorted indexed, int rows, bool byIndexed)
    {
        // the other row of each key row plus one (0: none), and the separation, in memory the index no longer needs
        var partner = Borrow<int>(indexed.Spare.Second, rows);
        var sepOf = Borrow<double>(indexed.Spare.First, rows);
        partner.Clear();
        var count = 0;
        for (var k = 0; k < near.Length; k++)
        {
            if (near[k] == None) continue;
            var (s, x) = (searching.RowAt(k), indexed.RowAt((int)near[k]));
            var (key, other) = byIndexed ? (x, s) : (s, x);
            partner[key] = other + 1;
            sepOf[key] = Sep(nearSep, k);
            count++;
        }
        return Compact(partner, sepOf, count);
    }

    /// <summary>The <paramref name="count"/> pairs (row, <paramref name="partner"/>[row] − 1) where there is one, in order of the rows.</summary>
    private static MatchPairs Compact(Span<int> partner, Span<double> sepOf, int count)
    {
        var a = new int[count];
        var b = new int[count];
        var sep = new double[count];
        for (int i = 0, w = 0; i < partner.Length; i++)
        {
            var j = partner[i] - 1;
            if (j < 0) continue;
            a[w] = i; b[w] = j; sep[w++] = sepOf[i];
        }
        return new MatchPairs(a, b, sep);
    }

    // The index, the sorts and the searches run in parts, one per core, in methods of their own: a lambda's captured
    // locals become fields of a heap object for the whole method that holds it, and slow its loops. No Parallel.For:
    // its generic code is compiled at run time (in a short process that costs more than the loops it runs).

    /// <summary>B's index and A's rows in cell order, on two cores when there are enough rows to be worth it.</summary>
    private static (ZoneIndex Index, ZoneSorted Order) Sorted(double[] raA, double[] decA, double[] raB, double[] decB, ZoneGrid grid)
    {
        // one block of memory for both (see Block)
        int wordsA = ZoneSorted.Words(raA.Length), wordsB = ZoneSorted.Words(raB.Length);
        var memory = new ulong[(long)wordsA + wordsB <= Array.MaxLength ? wordsA + wordsB : throw new VoScriptException("match: too many rows for one search; split the tables")];
        Block forA = new(memory, 0, wordsA), forB = new(memory, wordsA, wordsB);
        if (Environment.ProcessorCount < 2 || raA.Length + raB.Length < 65_536)
            return (new ZoneIndex(raB, decB, grid, forB), new ZoneSorted(raA, decA, grid, forA));
        ZoneIndex? index = null;
        ZoneSorted? order = null;
        Parallel.Invoke(() => index = new ZoneIndex(raB, decB, grid, forB), () => order = new ZoneSorted(raA, decA, grid, forA));
        return (index!, order!);
    }

    /// <summary>Runs <paramref name="part"/>(0 … parts − 1), at once on as many threads; a part's exception (too many pairs, cancelled) is thrown as it is.</summary>
    private static void InParts(int parts, Action<int> part)
    {
        if (parts == 1) { part(0); return; }
        var actions = new Action[parts];
        for (var p = 0; p < parts; p++)
        {
            var q = p;
            actions[p] = () => part(q);
        }
        try { Parallel.Invoke(actions); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>Part <paramref name="p"/> of <paramref name="parts"/> contiguous parts of <paramref name="count"/> places.</summary>
    private static (int From, int To) Part(int p, int parts, int count)
    {
        var chunk = (count + parts - 1) / parts;
        return (Math.Min(count, p * chunk), Math.Min(count, (p + 1) * chunk));
    }

    private static void Nearest(ZoneIndex index, ZoneSorted order, (int From, int To) part, CancellationToken cancel)
    {
        var (sep, near) = order.Spare;
        var nearest = new NearestVisitor { Memory = sep.Memory, NearAt = near.At, SepAt = sep.At };
        index.Sweep(order, part.From, part.To, ref nearest, cancel);
    }

    /// <summary>
    /// Keeps the nearest indexed row for each searching row (the lower row on a tie): its place in the index (or
    /// <see cref="None"/>) and the separation's bits, at the searching row's place (where its position was).
    /// </summary>
    private struct NearestVisitor : IZoneVisitor
    {
        public ulong[] Memory;
        public int NearAt;
        public int SepAt;
        private int _place;
        private int _row;
        private double _sep;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Begin(int place, int row) { _place = -1; _row = -1; _sep = double.PositiveInfinity; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int place, int row, double separation)
        {
            if (separation < _sep || (separation == _sep && row < _row)) { _place = place; _row = row; _sep = separation; }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void End(int place, int row)
        {
            Memory[NearAt + place] = _place < 0 ? None : (ulong)_place;
            Memory[SepAt + place] = BitConverter.DoubleToUInt64Bits(_sep);
        }
    }

    private static PairBuffer All(ZoneIndex index, ZoneSorted order, (int From, int To) part, PairBudget budget, CancellationToken cancel)
    {
        var all = new AllVisitor { Found = new PairBuffer(), Budget = budget };
        index.Sweep(order, part.From, part.To, ref all, cancel);
        budget.Add(all.Found.Count - all.Counted, all.Rows);
        return all.Found;
    }

    /// <summary>Adds every pair; every 4096 rows or million pairs, counts them against the budget (which throws when all parts together found more pairs than fit in memory).</summary>
    private struct AllVisitor : IZoneVisitor
    {
        public PairBuffer Found;
        public PairBudget Budget;
        public int Counted; // pairs counted against the budget
        public int Rows;    // rows searched since then
        private int _row;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Begin(int place, int row) => _row = row;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int place, int row, double separation) => Found.Add(_row, row, separation);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void End(int place, int row)
        {
            if ((++Rows & 0xFFF) != 0 && Found.Count - Counted <= 1 << 20) return;
            Budget.Add(Found.Count - Counted, Rows);
            (Counted, Rows) = (Found.Count, 0);
        }
    }

    /// <summary>The pairs ordered by A's row, then separation, then B's row (a stable counting sort on A, then each row's pairs).</summary>
    private static MatchPairs Ordered(int[] a, int[] b, double[] sep, int count, int rowsOfA)
    {
        var start = new int[rowsOfA + 1];
        for (var k = 0; k < count; k++) start[a[k] + 1]++;
        for (var r = 0; r < rowsOfA; r++) start[r + 1] += start[r];
        var oa = new int[count];
        var ob = new int[count];
        var os = new double[count];
        for (var k = 0; k < count; k++)
        {
            var w = start[a[k]]++;
            oa[w] = a[k]; ob[w] = b[k]; os[w] = sep[k];
        }
        SortRuns(oa, ob, os);
        return new MatchPairs(oa, ob, os);
    }

    /// <summary>Within each run of equal A, orders the pairs by separation, then B's row (insertion sort for short runs).</summary>
    private static void SortRuns(int[] a, int[] b, double[] sep)
    {
        for (var i = 0; i < a.Length;)
        {
            var j = i + 1;
            while (j < a.Length && a[j] == a[i]) j++;
            if (j - i > 32)
            {
                var pairs = new (double Sep, int B)[j - i];
                for (var k = i; k < j; k++) pairs[k - i] = (sep[k], b[k]);
                Array.Sort(pairs);
                for (var k = i; k < j; k++) (sep[k], b[k]) = pairs[k - i];
                i = j;
                continue;
            }
            for (var k = i + 1; k < j; k++)
            {
                var bk = b[k]; var sk = sep[k];
                var m = k - 1;
                for (; m >= i && (sep[m] > sk || (sep[m] == sk && b[m] > bk)); m--) { b[m + 1] = b[m]; sep[m + 1] = sep[m]; }
                b[m + 1] = bk; sep[m + 1] = sk;
            }
            i = j;
        }
    }

    /// <summary>Separation in degrees as STILTS computes it: haversine on radians (π beyond rounding).</summary>
    public static double Separation(double ra1, double dec1, double ra2, double dec2) => ZoneIndex.Separation(ra1, dec1, ra2, dec2);
}
