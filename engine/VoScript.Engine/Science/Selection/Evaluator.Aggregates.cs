namespace VoScript.Engine.Science.Selection;

/// <summary>The aggregates of <c>group</c> and <c>count()</c> per object.</summary>
internal static partial class ExpressionEvaluator
{
    private sealed partial class Scope
    {
        /// <summary><c>count()</c> outside group: the rows of the same object (object_id, group_id or the meta.id;meta.main column).</summary>
        private Vector CountPerObject(Call c)
        {
            var obj = table.FindColumn(ExpressionChecker.ObjectColumn(table.Fields.ToList())!.Name)!;
            var g = Grouping.Build([obj], _rows);
            var cond = c.Args.Count == 1 ? AsBool(Eval(c.Args[0], false), _rows) : null;
            var counts = new long[g.Count];
            for (var i = 0; i < _rows; i++)
                if (cond is null || cond[i] == BoolVector.True) counts[g.GroupOf[i]]++;
            var r = new double[_rows];
            var ex = new long[_rows];
            for (var i = 0; i < _rows; i++) r[i] = ex[i] = counts[g.GroupOf[i]];
            return new NumberVector(r, ex);
        }

        /// <summary>The spherical mean position of each group, from the call's two arguments (RA, Dec).</summary>
        /// <summary>The sums of integers as exact integers (values above 2^53 add exactly); null when the values are not integers.</summary>
        private long[]? ExactSums(long[]? exact, double[] v, Grouping g, int k, Call c)
        {
            if (exact is null) return null;
            var sums = new long[k];
            try
            {
                for (var i = 0; i < _rows; i++)
                    if (!double.IsNaN(v[i])) sums[g.GroupOf[i]] = checked(sums[g.GroupOf[i]] + exact[i]);
            }
            catch (OverflowException)
            {
                throw new VoScriptException($"{c} does not fit in a 64-bit integer (the sum of whole numbers is kept exact); for an approximate sum, write sum({c.Args[0]} * 1.0)");
            }
            return sums;
        }

        public (double[] Ra, double[] Dec) MeanPosition(Call c)
        {
            var ra = Scale((NumberVector)Numeric(Eval(c.Args[0], false)), ToDegrees(c.Args[0])).Values;
            var dec = Scale((NumberVector)Numeric(Eval(c.Args[1], false)), ToDegrees(c.Args[1])).Values;
            return MeanPositions(ra, dec, groups!);
        }

        private Vector Aggregate(Call c)
        {
            var g = groups!;
            var k = g.Count;
            var name = c.Function.ToLowerInvariant();
            switch (name)
            {
                case "count":
                    {
                        var cond = c.Args.Count == 1 ? AsBool(Eval(c.Args[0], false), _rows) : null;
                        var counts = new long[k];
                        for (var i = 0; i < _rows; i++)
                            if (cond is null || cond[i] == BoolVector.True) counts[g.GroupOf[i]]++;
                        return new NumberVector(counts.Select(x => (double)x).ToArray(), counts);
                    }
                case "mean_ra" or "mean_dec" or "mean_position":
                    {
                        var (mra, mdec) = MeanPosition(c);
                        return new NumberVector(name == "mean_dec" ? mdec : mra);
                    }
                case "first":
                    return Gather(Eval(c.Args[0], false), g.FirstRow);
            }
            var arg = Eval(c.Args[0], false);
            if (arg is TextVector tv) return TextMinMax(tv.Values, g, name == "min");
            var v = AsNumber(arg, _rows);
            var exact = (arg as NumberVector)?.Exact;
            switch (name)
            {
                case "sum" or "mean" or "std":
                    {
                        var sum = new double[k]; var cnt = new long[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            sum[gi] += v[i]; cnt[gi]++;
                        }
                        var r = new double[k];
                        if (name == "sum") { for (var j = 0; j < k; j++) r[j] = cnt[j] == 0 ? double.NaN : sum[j]; return new NumberVector(r, ExactSums(exact, v, g, k, c)); }
                        for (var j = 0; j < k; j++) r[j] = cnt[j] == 0 ? double.NaN : sum[j] / cnt[j];
                        if (name == "mean") return new NumberVector(r);
                        var ss = new double[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            var d = v[i] - r[gi];
                            ss[gi] += d * d;
                        }
                        var s = new double[k];
                        for (var j = 0; j < k; j++) s[j] = cnt[j] < 2 ? double.NaN : Math.Sqrt(ss[j] / (cnt[j] - 1));
                        return new NumberVector(s);
                    }
                case "median":
                    {
                        var order = g.Order; var offsets = g.Offsets;
                        var r = new double[k];
                        var buffer = new double[16];
                        for (var j = 0; j < k; j++)
                        {
                            var m = 0;
                            var len = offsets[j + 1] - offsets[j];
                            if (buffer.Length < len) buffer = new double[len];
                            for (var p = offsets[j]; p < offsets[j + 1]; p++) if (!double.IsNaN(v[order[p]])) buffer[m++] = v[order[p]];
                            if (m == 0) { r[j] = double.NaN; continue; }
                            Array.Sort(buffer, 0, m);
                            r[j] = m % 2 == 1 ? buffer[m / 2] : (buffer[m / 2 - 1] + buffer[m / 2]) / 2;
                        }
                        return new NumberVector(r);
                    }
                default: // min, max
                    {
                        var min = name == "min";
                        var r = new double[k];
                        Array.Fill(r, double.NaN);
                        var ex = exact is null ? null : new long[k];
                        for (var i = 0; i < _rows; i++)
                        {
                            if (double.IsNaN(v[i])) continue;
                            var gi = g.GroupOf[i];
                            var better = double.IsNaN(r[gi]) || (ex is not null
                                ? (min ? exact![i] < ex[gi] : exact![i] > ex[gi])
                                : (min ? v[i] < r[gi] : v[i] > r[gi]));
                            if (!better) continue;
                            r[gi] = v[i];
                            if (ex is not null) ex[gi] = exact![i];
                        }
                        return new NumberVector(r, ex);
                    }
            }
        }

        private static Vector Numeric(Vector v) => v is NumberVector ? v : new NumberVector(AsNumber(v, v.Count));

        private static TextVector TextMinMax(string?[] v, Grouping g, bool min)
        {
            var r = new string?[g.Count];
            for (var i = 0; i < v.Length; i++)
            {
                if (v[i] is not { } s) continue;
                var gi = g.GroupOf[i];
                if (r[gi] is null || (min ? string.CompareOrdinal(s, r[gi]) < 0 : string.CompareOrdinal(s, r[gi]) > 0)) r[gi] = s;
            }
            return new TextVector(r);
        }

    }
}
