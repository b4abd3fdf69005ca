using System.Diagnostics;
using VoScript.Engine.Formats.VOTable;
using VoScript.Engine.Model;

namespace VoScript.Bench;

/// <summary>
/// The binary VOTable codec by columns beside row by row, in one process, on the files of
/// bench/scripts/gen_votables.py (default: the three 1e6-row files in VOSCRIPT_BENCH_DATA or /var/tmp/voscript-bench):
/// reading from bytes in memory, and writing BINARY2 of the whole table and of its first 10 columns to a file.
/// Prints the best of 5 of wall and CPU time (user + system, all threads) of each.
/// </summary>
public static class CodecBench
{
    public static void Run(string[] files)
    {
        var dir = Environment.GetEnvironmentVariable("VOSCRIPT_BENCH_DATA") ?? "/var/tmp/voscript-bench";
        if (files.Length == 0) files = new[] { "binary", "binary2" }.Select(s => Path.Combine(dir, $"cat_1000000_{s}.vot")).ToArray();
        Table? last = null;
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            foreach (var rows in new[] { true, false })
            {
                var (wall, cpu) = Best(() =>
                {
                    ColumnarBinaryDecoder.RowByRow = rows;
                    try { last = VOTableReader.Read(new MemoryStream(bytes, writable: false)); }
                    finally { ColumnarBinaryDecoder.RowByRow = false; }
                });
                Console.WriteLine($"read  {Path.GetFileName(f),-28} {(rows ? "row by row" : "by columns"),-11} {wall,6:0} ms  cpu {cpu,6:0} ms");
            }
        }
        if (last is null) return;
        var ten = new Table(last.Name ?? "t");
        foreach (var c in last.Columns.Take(10)) ten.AddColumn(c);
        var tmp = Path.Combine(Path.GetTempPath(), $"codec-bench-{Environment.ProcessId}.vot");
        try
        {
            foreach (var (name, t) in new[] { ($"{last.RowCount} x {last.ColumnCount}", last), ($"{ten.RowCount} x {ten.ColumnCount}", ten) })
                foreach (var rows in new[] { true, false })
                {
                    var (wall, cpu) = Best(() =>
                    {
                        VOTableWriter.RowByRow = rows;
                        try { VOTableWriter.WriteFile(t, tmp, new VOTableWriteOptions { Serialization = VOTableSerialization.Binary2 }); }
                        finally { VOTableWriter.RowByRow = false; }
                    });
                    Console.WriteLine($"write {name,-28} {(rows ? "row by row" : "by columns"),-11} {wall,6:0} ms  cpu {cpu,6:0} ms  ({new FileInfo(tmp).Length / 1e6:0.0} MB BINARY2)");
                }
        }
        finally { File.Delete(tmp); }
    }

    private static (double Wall, double Cpu) Best(Action run)
    {
        run();
        double wall = double.MaxValue, cpu = double.MaxValue;
        var p = Process.GetCurrentProcess();
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            var w = sw.Elapsed.TotalMilliseconds;
            p.Refresh();
            wall = Math.Min(wall, w);
            cpu = Math.Min(cpu, (p.TotalProcessorTime - c0).TotalMilliseconds);
        }
        return (wall, cpu);
    }
}
