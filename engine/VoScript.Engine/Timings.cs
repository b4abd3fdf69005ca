using System.Diagnostics;
using System.Globalization;

namespace VoScript.Engine;

/// <summary>
/// Per-phase times for people who want to know where a run's time goes: with the environment variable
/// <c>VOSCRIPT_TIMINGS=1</c> every timed phase (reading and writing tables, the steps of a run, the phases of
/// <c>match</c> and <c>cluster</c>, the CLI's start-up) prints one line <c>voscript timings: PHASE: N ms (cpu M ms)</c>
/// to standard error: N the wall time, M the CPU time of the whole process meanwhile (all threads; on a busy machine
/// the steadier figure). Off (the default) a phase costs one static field read.
/// </summary>
public static class Timings
{
    /// <summary>Whether <c>VOSCRIPT_TIMINGS</c> is set to 1 (or true).</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("VOSCRIPT_TIMINGS") is "1" or "true";

    /// <summary>A point in time: wall clock and the process's CPU time.</summary>
    public readonly record struct Mark(long Ticks, TimeSpan Cpu);

    /// <summary>The present moment, to give to <see cref="Stop"/> (empty when timings are off).</summary>
    public static Mark Start() => Enabled ? new Mark(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime) : default;

    /// <summary>Prints the time since <paramref name="start"/> as <paramref name="phase"/>'s, and returns the present moment.</summary>
    public static Mark Stop(Mark start, string phase)
    {
        if (!Enabled) return default;
        var now = Start();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"voscript timings: {phase}: {Stopwatch.GetElapsedTime(start.Ticks, now.Ticks).TotalMilliseconds:F1} ms (cpu {(now.Cpu - start.Cpu).TotalMilliseconds:F0} ms)"));
        return now;
    }

    /// <summary>Prints a wall time in milliseconds for <paramref name="phase"/>.</summary>
    public static void Print(string phase, double milliseconds)
    {
        if (!Enabled) return;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"voscript timings: {phase}: {milliseconds:F1} ms"));
    }
}
