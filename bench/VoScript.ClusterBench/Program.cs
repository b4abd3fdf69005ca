using System.Diagnostics;
using System.Globalization;
using VoScript.Engine;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Sky;

namespace VoScript.ClusterBench;

/// <summary>
/// <c>VoScript.ClusterBench FILE.fits [ANGLE_ARCSEC=1.5]</c>: the whole cluster step as a
/// process, for the comparison with astropy and STILTS (bench/cluster-compare.sh). Reads the
/// table, runs the interop repairs, finds positions, runs friends-of-friends and builds the
/// full result table (group id, size, mean position, source, every original column).
/// Prints phase timings and GROUPS=N.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: VoScript.ClusterBench FILE.fits [ANGLE_ARCSEC=1.5]");
            return 2;
        }
        try
        {
            var angle = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.5;
            var sw = Stopwatch.StartNew();
            var table = FitsTable.Read(args[0]);
            var read = sw.Elapsed.TotalSeconds;
            Repairs.Apply(table);
            if (Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_DETAIL") is "1")
            {
                if (Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_WARM") is "1")
                {
                    // compile the code first on a small field (two parts), to tell compile time from the first run's page faults
                    var few = Math.Min(table.RowCount, 200_000);
                    var p0 = Positions.Read(table);
                    FriendsOfFriends.Run(p0.Ra[..few], p0.Dec[..few], angle / 3600, 2, CancellationToken.None);
                }
                var t0 = sw.Elapsed.TotalSeconds;
                var pos = Positions.Read(table);
                var t1 = sw.Elapsed.TotalSeconds;
                var fof = FriendsOfFriends.Run(pos.Ra, pos.Dec, angle / 3600);
                var t2 = sw.Elapsed.TotalSeconds;
                Console.WriteLine(FormattableString.Invariant($"detail: positions={t1 - t0:0.000}s fof={t2 - t1:0.000}s groups={fof.GroupCount}"));
                // VOSCRIPT_BENCH_REPEAT=N: friends-of-friends N times more in this process (warm code, reused memory)
                var repeat = int.TryParse(Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_REPEAT"), out var r) ? r : 0;
                for (var i = 0; i < repeat; i++)
                {
                    var t3 = sw.Elapsed.TotalSeconds;
                    fof = FriendsOfFriends.Run(pos.Ra, pos.Dec, angle / 3600);
                    Console.WriteLine(FormattableString.Invariant($"detail: again fof={sw.Elapsed.TotalSeconds - t3:0.000}s groups={fof.GroupCount}"));
                }
                sw.Restart();
                read = 0;
            }
            var result = Clustering.Run([table], angle / 3600, "groups");
            var done = sw.Elapsed.TotalSeconds;
            var ids = result.FindColumn("group_id")!;
            var max = 0L;
            for (var i = 0; i < ids.Count; i++) if (!ids.IsNull(i)) max = Math.Max(max, (long)ids.GetValue(i)!);
            Console.WriteLine($"rows={table.RowCount} columns_out={result.ColumnCount} groups={max}");
            Console.WriteLine(FormattableString.Invariant($"phases: read={read:0.000}s cluster+table={done - read:0.000}s"));
            Console.WriteLine($"GROUPS={max}");
            return 0;
        }
        catch (VoScriptException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
