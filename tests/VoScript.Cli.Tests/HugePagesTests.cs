namespace VoScript.Cli.Tests;

/// <summary>The start-up hint that lets the heap use transparent huge pages (<see cref="HugePages"/>).</summary>
public class HugePagesTests
{
    [Test]
    public void TheLargestAnonymousMappingOfAtLeastAGigabyteIsChosen()
    {
        string[] maps =
        [
            "55d0c0000000-55d0c0100000 r-xp 00000000 08:01 1234  /usr/bin/dotnet",
            "7f0000000000-7f4000000000 r--p 00000000 08:01 99    /big/file/mapped/read-only",   // a file, however large
            "7f5000000000-7f5040000000 ---p 00000000 00:00 0 ",                                  // 1 GB, anonymous
            "7f6000000000-7f6800000000 ---p 00000000 00:00 0",                                   // 32 GB, anonymous: the heap
            "7f7000000000-7f7000200000 rw-p 00000000 00:00 0",                                   // 2 MB
            "7ffc00000000-7ffc00100000 rw-p 00000000 00:00 0    [stack]",
            "garbage line",
        ];
        Assert.That(HugePages.LargestAnonymousMapping(maps), Is.EqualTo(((ulong, ulong)?)(0x7f6000000000, 0x7f6800000000)));
        Assert.That(HugePages.LargestAnonymousMapping(maps.Where(l => !l.Contains("7f6000"))), Is.EqualTo(((ulong, ulong)?)(0x7f5000000000, 0x7f5040000000)));
        Assert.That(HugePages.LargestAnonymousMapping(maps.Take(2)), Is.Null);
    }

    [Test]
    public void TheHeapsReservedRangeIsMarkedForHugePages()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
            || File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]"))
            Assert.Ignore("no transparent huge pages on this system");
        var start = HugePages.AdviseHeap();
        Assert.That(start, Is.Not.Null, "nothing was marked");
        // the kernel's own record of the mapping: its flags include "hg" (huge pages advised)
        var lines = File.ReadAllLines("/proc/self/smaps");
        var at = Array.FindIndex(lines, l => l.StartsWith($"{start:x}-", StringComparison.Ordinal));
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "the marked mapping is not in /proc/self/smaps");
        // every mapping's entry ends with its VmFlags line, so the first one after the header is this mapping's
        var flags = lines.Skip(at + 1).FirstOrDefault(l => l.StartsWith("VmFlags:", StringComparison.Ordinal));
        Assert.That(flags?.Split(' ', StringSplitOptions.RemoveEmptyEntries), Does.Contain("hg"));
    }
}
