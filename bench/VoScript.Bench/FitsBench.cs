using System.Diagnostics;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;

namespace VoScript.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/VoScript.Bench -- fits</c>: the FITS reader, the FITS writer and the gathering
/// of columns by row lists (<see cref="VerbColumns.Take"/>) on the user's-path files of bench/scripts/gen_xmatch.py
/// (VOSCRIPT_BENCH_DATA or /var/tmp/voscript-bench: xm_1000000_concat.fits, xm_1000000_cat1.fits), in one process:
/// the first run (as a <c>voscript run</c> meets it: fresh memory) and the best of 5 of wall and CPU time (user + system).
/// </summary>
public static class FitsBench
{
    public static void Run(string[] args)
    {
        var dir = Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_DATA") ?? "/var/tmp/voscript-bench";
        var only = args.ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Want(string what) => only.Count == 0 || only.Contains(what);
        var concatPath = Path.Combine(dir, "xm_1000000_concat.fits");
        var cat1Path = Path.Combine(dir, "xm_1000000_cat1.fits");
        var concat = TableFiles.Read(concatPath);
        var cat1 = TableFiles.Read(cat1Path);
        if (Want("read"))
        {
            foreach (var path in new[] { concatPath, cat1Path })
            {
                var bytes = File.ReadAllBytes(path);
                Report($"read  {Path.GetFileName(path)} (file)", () => TableFiles.Read(path));
                Report($"read  {Path.GetFileName(path)} (bytes)", () => FitsReader.Read(new MemoryStream(bytes, writable: false), path));
            }
        }
        var cluster = ClusterShaped(concat);
        var pairs = MatchShaped(cat1, 233_967);
        if (Want("write"))
        {
            var tmp = Path.Combine(Path.GetTempPath(), $"fits-bench-{Environment.ProcessId}.fits");
            try
            {
                foreach (var t in new[] { cluster, pairs })
                {
                    Report($"write {t.RowCount} x {t.ColumnCount} (file)", () => TableFiles.Write(t, tmp));
                    Report($"write {t.RowCount} x {t.ColumnCount} (null stream)", () => FitsWriter.Write(t, Stream.Null));
                }
            }
            finally { File.Delete(tmp); }
        }
        if (Want("gather"))
        {
            var perm = Permutation(concat.RowCount, 7);
            var rows = RandomRows(cat1.RowCount, 233_967, 8);
            Report($"gather {concat.RowCount} x {concat.ColumnCount} (permutation)", () => GatherAll(concat, perm));
            Report($"gather {rows.Length} of {cat1.RowCount} x {cat1.ColumnCount} (random)", () => GatherAll(cat1, rows));
            Report($"gather {cluster.RowCount} x {cluster.ColumnCount} with string column", () => GatherAll(cluster, perm));
        }
    }

    /// <summary>Every column of <paramref name="t"/> taken at <paramref name="rows"/>, the columns on all cores (as match and cluster take them).</summary>
    internal static Column[] GatherAll(Table t, int[] rows)
    {
        var columns = new Column[t.ColumnCount];
        Parallel.For(0, columns.Length, k => columns[k] = VerbColumns.Take(t.Columns[k], rows, t.Columns[k].Field));
        return columns;
    }

    /// <summary>A table shaped like the cluster result: group id, size, position, source table (text), then the input's columns.</summary>
    internal static Table ClusterShaped(Table input)
    {
        var n = input.RowCount;
        var rnd = new Random(3);
        var gid = new long[n]; var size = new int[n]; var gra = new double[n]; var gdec = new double[n]; var src = new string?[n];
        string[] names = ["cat1", "cat2", "cat3"];
        for (var i = 0; i < n; i++)
        {
            gid[i] = i / 3 + 1; size[i] = 1 + rnd.Next(3); gra[i] = 150 + rnd.NextDouble(); gdec[i] = 2 + rnd.NextDouble();
            src[i] = names[rnd.Next(3)];
        }
        var t = new Table("groups");
        t.AddColumn(new ScalarColumn<long>(new Field("group_id", DataType.Long), gid));
        t.AddColumn(new ScalarColumn<int>(new Field("group_size", DataType.Int), size));
        t.AddColumn(new ScalarColumn<double>(new Field("group_ra", DataType.Double) { Unit = "deg" }, gra));
        t.AddColumn(new ScalarColumn<double>(new Field("group_dec", DataType.Double) { Unit = "deg" }, gdec));
        t.AddColumn(new StringColumn(new Field("source_table", DataType.Char, ArraySize.Variable), src));
        foreach (var c in input.Columns) t.AddColumn(c);
        return t;
    }

    /// <summary>A table shaped like the match result: two catalogues' columns at random rows, and a separation.</summary>
    internal static Table MatchShaped(Table cat, int pairs)
    {
        var ra = RandomRows(cat.RowCount, pairs, 1);
        var rb = RandomRows(cat.RowCount, pairs, 2);
        var t = new Table("pairs");
        foreach (var c in cat.Columns) t.AddColumn(VerbColumns.Take(c, ra, VerbColumns.Renamed(c.Field, "a_" + c.Name)));
        foreach (var c in cat.Columns) t.AddColumn(VerbColumns.Take(c, rb, VerbColumns.Renamed(c.Field, "b_" + c.Name)));
        var rnd = new Random(4);
        var sep = new double[pairs];
        for (var i = 0; i < pairs; i++) sep[i] = 1.5 * rnd.NextDouble();
        t.AddColumn(new ScalarColumn<double>(new Field("separation", DataType.Double) { Unit = "arcsec" }, sep));
        return t;
    }

    internal static int[] Permutation(int n, int seed)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        new Random(seed).Shuffle(p);
        return p;
    }

    internal static int[] RandomRows(int n, int count, int seed)
    {
        var rnd = new Random(seed);
        var r = new int[count];
        for (var i = 0; i < count; i++) r[i] = rnd.Next(n);
        return r;
    }

    private static void Report(string what, Action run)
    {
        var p = Process.GetCurrentProcess();
        p.Refresh();
        var c0 = p.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        run();
        var firstWall = sw.Elapsed.TotalMilliseconds;
        p.Refresh();
        var firstCpu = (p.TotalProcessorTime - c0).TotalMilliseconds;
        double wall = double.MaxValue, cpu = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            p.Refresh();
            c0 = p.TotalProcessorTime;
            sw.Restart();
            run();
            var w = sw.Elapsed.TotalMilliseconds;
            p.Refresh();
            wall = Math.Min(wall, w);
            cpu = Math.Min(cpu, (p.TotalProcessorTime - c0).TotalMilliseconds);
        }
        Console.WriteLine($"{what,-52} first {firstWall,6:0.0} ms (cpu {firstCpu,5:0})   best {wall,6:0.0} ms (cpu {cpu,5:0})");
    }
}
