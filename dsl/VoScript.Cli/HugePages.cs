using System.Globalization;
using System.Runtime.InteropServices;

namespace VoScript.Cli;

/// <summary>
/// Marks the garbage collector's address space for transparent huge pages, once at start-up. Every new page of the heap
/// costs a page fault when it is first written, and on a virtual machine a costly one: a run that loads, clusters and
/// saves a million rows took 44,000 of them, a third of its CPU time in the kernel. With the heap marked
/// (<c>madvise(MADV_HUGEPAGE)</c> on Linux, where the system's setting is usually "madvise"), one fault maps 2 MB:
/// 16,000 faults, the same peak memory (measured: docs/performance.md). The hint is process-wide, so the CLI gives it,
/// not the engine (an embedding application decides for itself). <c>VOSCRIPT_HUGEPAGES=0</c> turns it off.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugePage = 14;
    private const long MinReservation = 1L << 30;

    /// <summary>Gives the hint for the largest anonymous mapping of the process (the heap's reserved range) when it is at least 1 GB; returns its start, or null when nothing was marked.</summary>
    public static ulong? AdviseHeap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("VOSCRIPT_HUGEPAGES") == "0") return null;
        try
        {
            if (LargestAnonymousMapping(File.ReadLines("/proc/self/maps")) is not var (start, end)) return null;
            return Madvise((nint)start, (nuint)(end - start), MadvHugePage) == 0 ? start : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The largest mapping of at least 1 GB without a backing file in lines of <c>/proc/PID/maps</c>.</summary>
    internal static (ulong Start, ulong End)? LargestAnonymousMapping(IEnumerable<string> mapsLines)
    {
        (ulong Start, ulong End)? best = null;
        foreach (var line in mapsLines)
        {
            // "start-end perms offset dev inode [path]": anonymous when there is no path and the inode is 0
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 5 || parts[4] != "0") continue;
            var dash = parts[0].IndexOf('-');
            if (dash < 0
                || !ulong.TryParse(parts[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(parts[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
                || end <= start || end - start < MinReservation) continue;
            if (best is not { } b || end - start > b.End - b.Start) best = (start, end);
        }
        return best;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint addr, nuint length, int advice);
}
