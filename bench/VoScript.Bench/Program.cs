using System.Diagnostics;
using BenchmarkDotNet.Running;

namespace VoScript.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/VoScript.Bench -- --filter '*'</c> runs BenchmarkDotNet;
/// <c>… -- quick [NAME…]</c> times each verb of <see cref="VerbBenchmarks"/> a few times with a stopwatch
/// (best of 5 after a warm-up), for a fast look while working on a verb; <c>… -- codec [FILE…]</c> times the VOTable
/// reader and writer by columns beside row by row (<see cref="CodecBench"/>); <c>… -- fits [read|write|gather]</c> times the
/// FITS reader and writer and the gathering of columns on the user's-path files (<see cref="FitsBench"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "codec")
        {
            CodecBench.Run(args.Skip(1).ToArray());
            return;
        }
        if (args.Length > 0 && args[0] == "fits")
        {
            FitsBench.Run(args.Skip(1).ToArray());
            return;
        }
        if (args.Length > 0 && args[0] == "quick")
        {
            Quick(args.Skip(1).ToHashSet(StringComparer.OrdinalIgnoreCase));
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Quick(HashSet<string> only)
    {
        var b = new VerbBenchmarks { Rows = 1_000_000 };
        b.Setup();
        var verbs = new (string Name, Func<int> Run)[]
        {
            ("Derive", b.Derive), ("Sort", b.Sort), ("SortTwoKeys", b.SortTwoKeys), ("Top", b.Top), ("Distinct", b.Distinct),
            ("Group", b.Group), ("Match", b.Match), ("MatchAll", b.MatchAll), ("Cluster", b.Cluster), ("ClusterOne", b.ClusterOne),
            ("Join", b.Join), ("Stack", b.Stack),
        };
        foreach (var (name, run) in verbs.Where(v => only.Count == 0 || only.Contains(v.Name)))
        {
            run();
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                run();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"{name,-12} {best:0.000} s");
        }
    }
}
