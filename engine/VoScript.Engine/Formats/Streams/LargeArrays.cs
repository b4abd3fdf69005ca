using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VoScript.Engine.Formats.Streams;

/// <summary>
/// The big arrays of decoded columns. Each new page of memory costs a page fault when it is first written (on a
/// virtual machine a costly one: a fifth of the time of reading a large file went to them); on Linux the arrays of
/// several megabytes are marked for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>, a hint the kernel may
/// ignore), so that one fault maps 2 MB instead of 4 KB. The arrays are not zeroed (the callers write every element
/// they expose). <c>VOSCRIPT_HUGEPAGES=0</c> turns the hint off.
/// </summary>
internal static partial class LargeArrays
{
    private const int HugePage = 2 << 20;
    private const int MadvHugePage = 14;
    private const int MadvDontNeed = 4;
    private const int SmallPage = 4096;
    private static readonly bool Enabled = OperatingSystem.IsLinux()
        && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        && Environment.GetEnvironmentVariable("VOSCRIPT_HUGEPAGES") != "0";

    /// <summary>An array of <paramref name="length"/> elements whose contents are undefined (not zeroed).</summary>
    public static T[] Uninitialized<T>(int length) where T : unmanaged
    {
        var a = GC.AllocateUninitializedArray<T>(length);
        if (Enabled && (long)length * Unsafe.SizeOf<T>() >= HugePage) Advise(a);
        return a;
    }

    /// <summary>The first <paramref name="count"/> elements of <paramref name="a"/>, in a new array of exactly that length (or <paramref name="a"/> itself when it has that length).</summary>
    public static T[] Trimmed<T>(T[] a, int count) where T : unmanaged
    {
        if (a.Length == count) return a;
        var b = Uninitialized<T>(count);
        a.AsSpan(0, count).CopyTo(b);
        return b;
    }

    /// <summary><paramref name="a"/> grown to at least <paramref name="length"/> elements, keeping the first <paramref name="used"/>.</summary>
    public static T[] Grown<T>(T[] a, int used, int length) where T : unmanaged
    {
        var b = Uninitialized<T>(length);
        a.AsSpan(0, used).CopyTo(b);
        return b;
    }

    /// <summary>
    /// Gives the memory of the whole pages inside <paramref name="a"/> back to the system (<c>madvise(MADV_DONTNEED)</c>
    /// on Linux; they read as zeros afterwards). For an array the caller is done with and drops at once: a large
    /// temporary is released as it is used up, instead of at the next full garbage collection.
    /// </summary>
    public static unsafe void Discard<T>(T[] a) where T : unmanaged
    {
        if (!Enabled || (long)a.Length * Unsafe.SizeOf<T>() < HugePage) return;
        try
        {
            fixed (T* p = a)
            {
                var start = ((nuint)p + SmallPage - 1) & ~(nuint)(SmallPage - 1);
                var end = (nuint)(p + a.Length) & ~(nuint)(SmallPage - 1);
                if (end > start) _ = Madvise((void*)start, end - start, MadvDontNeed);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    private static unsafe void Advise<T>(T[] a) where T : unmanaged
    {
        try
        {
            fixed (T* p = a)
            {
                // whole 2 MB blocks, the partial ones at both ends too (the hint on the neighbouring heap memory is harmless)
                var start = (nuint)p & ~(nuint)(HugePage - 1);
                var end = ((nuint)(p + a.Length) + HugePage - 1) & ~(nuint)(HugePage - 1);
                _ = Madvise((void*)start, end - start, MadvHugePage);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static unsafe partial int Madvise(void* addr, nuint length, int advice);
}
