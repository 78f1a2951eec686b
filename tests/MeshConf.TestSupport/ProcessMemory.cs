using System.Runtime.InteropServices;

namespace MeshConf.TestSupport;

/// <summary>Resident memory, native heap and open descriptors of this process, for leak tests.</summary>
public static partial class ProcessMemory
{
    /// <summary>glibc's <c>struct mallinfo2</c>: ten size_t counters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 GetMallInfo2();

    /// <summary>
    /// Bytes the native heap (malloc) has handed out and not had back, in every arena: the precise measure of
    /// a native leak, untouched by the GC heap or by malloc keeping freed pages.
    /// </summary>
    public static long NativeHeapInUseBytes()
    {
        var info = GetMallInfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    /// <summary>Resident set size in bytes, after a full garbage collection so managed garbage does not count.</summary>
    public static long SettledResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var statm = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(statm[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>Open file descriptors of this process.</summary>
    public static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>
    /// Warms <paramref name="cycle"/> up, then runs it <paramref name="cycles"/> times in two equal halves and
    /// reports the smaller growth of the two. A leak grows in both halves alike; one-off costs of the runtime
    /// or the test runner (a JIT tier-up, a logger buffer) land in one half only.
    /// </summary>
    public static LeakMeasurement MeasureGrowth(Action cycle, int cycles, int warmup)
    {
        ArgumentNullException.ThrowIfNull(cycle);

        // Warm up by count AND by time: the runtime's tiered JIT recompiles hot methods a little after they
        // get hot, and its one-off allocations should land before the baseline.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < warmup || warm.Elapsed < TimeSpan.FromSeconds(2); i++)
        {
            cycle();
        }

        var first = MeasureHalf(cycle, cycles / 2);
        var second = MeasureHalf(cycle, cycles - (cycles / 2));
        return new LeakMeasurement(
            cycles,
            2 * Math.Min(first.Rss, second.Rss),
            2 * Math.Min(first.Heap, second.Heap),
            2 * Math.Min(first.Fds, second.Fds));
    }

    private static (long Rss, long Heap, int Fds) MeasureHalf(Action cycle, int cycles)
    {
        var rssBefore = SettledResidentBytes();
        var heapBefore = NativeHeapInUseBytes();
        var fdsBefore = OpenDescriptors();
        for (var i = 0; i < cycles; i++)
        {
            cycle();
        }

        var rssAfter = SettledResidentBytes();
        return (rssAfter - rssBefore, NativeHeapInUseBytes() - heapBefore, OpenDescriptors() - fdsBefore);
    }
}
