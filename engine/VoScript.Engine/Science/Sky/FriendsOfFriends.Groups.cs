using System.Numerics;
using System.Runtime.CompilerServices;

namespace VoScript.Engine.Science.Sky;

/// <summary>Friends-of-friends, last phase: the trees of the union-find forest become numbered groups with sizes and means.</summary>
internal static partial class FriendsOfFriends
{
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
