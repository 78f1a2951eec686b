using System.Runtime.InteropServices;

namespace MeshConf.Benchmarks.Fidelity;

/// <summary>
/// CPU time from getrusage(2): of the calling thread, and of every child process reaped so far. Timing by CPU
/// rather than by the wall clock keeps the figures honest on a machine shared with other work.
/// </summary>
internal static partial class CpuTime
{
    private const int RusageChildren = -1;
    private const int RusageThread = 1;

    /// <summary>User plus system time of the calling thread.</summary>
    public static TimeSpan Thread() => Get(RusageThread);

    /// <summary>User plus system time of all children that have ended and been waited for.</summary>
    public static TimeSpan Children() => Get(RusageChildren);

    private static TimeSpan Get(int who)
    {
        // struct rusage starts with ru_utime and ru_stime, two struct timeval (64-bit seconds and microseconds on
        // x86_64 and arm64 Linux); 18 longs in all.
        Span<long> usage = stackalloc long[18];
        if (GetRusage(who, ref MemoryMarshal.GetReference(usage)) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var microseconds = (usage[0] * 1_000_000) + usage[1] + (usage[2] * 1_000_000) + usage[3];
        return TimeSpan.FromMicroseconds(microseconds);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, ref long usage);
}
