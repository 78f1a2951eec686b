namespace MeshConf.TestSupport;

/// <summary>Resident memory and open descriptors of this process, for leak tests.</summary>
public static class ProcessMemory
{
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
    /// Runs <paramref name="cycle"/> <paramref name="warmup"/> times, measures, runs it <paramref name="cycles"/>
    /// times more and returns the growth of resident memory and open descriptors across those cycles.
    /// </summary>
    public static (long RssGrowthBytes, int DescriptorGrowth) MeasureGrowth(Action cycle, int cycles, int warmup)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        for (var i = 0; i < warmup; i++)
        {
            cycle();
        }

        var rssBefore = SettledResidentBytes();
        var fdsBefore = OpenDescriptors();
        for (var i = 0; i < cycles; i++)
        {
            cycle();
        }

        var rssAfter = SettledResidentBytes();
        return (rssAfter - rssBefore, OpenDescriptors() - fdsBefore);
    }
}
