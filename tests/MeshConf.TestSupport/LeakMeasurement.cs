namespace MeshConf.TestSupport;

/// <summary>What grew across a number of create/use/destroy cycles.</summary>
/// <param name="Cycles">Cycles measured (after warm-up).</param>
/// <param name="RssGrowthBytes">Resident set growth after a full GC, extrapolated from the quieter half.</param>
/// <param name="NativeHeapGrowthBytes">Growth of malloc'd bytes in use, extrapolated from the quieter half.</param>
/// <param name="DescriptorGrowth">File descriptors left open, extrapolated from the quieter half.</param>
public sealed record LeakMeasurement(int Cycles, long RssGrowthBytes, long NativeHeapGrowthBytes, int DescriptorGrowth)
{
    public override string ToString() =>
        $"{Cycles} cycles: RSS {RssGrowthBytes / 1024:+#;-#;0} KiB, native heap {NativeHeapGrowthBytes:+#;-#;0} B, descriptors {DescriptorGrowth:+#;-#;0}";
}
