using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.Native;

/// <summary>
/// What "no leak" means over thousands of cycles. The native heap (malloc bytes in use) is the precise
/// measure: under 64 bytes a cycle, far below the smallest native object involved (an ENet packet header is
/// 48 B plus its data, an Opus encoder ~18 KB, an ENet host ~11 KB, a speexdsp echo state ~100 KB).
/// Resident memory also includes the GC heap and pages malloc keeps, so it gets a coarse bound that a leak
/// of any of those objects would still blow through. Descriptors: a leak of one per cycle would show as
/// thousands; a few may open lazily in both halves for reasons of the runtime or runner, not of the binding
/// (seen under CI once: +4 in a full run, 0 alone), so up to <see cref="MaxDescriptorGrowth"/> is tolerated.
/// </summary>
internal static class LeakLimits
{
    public const long MaxNativeHeapGrowthPerCycle = 64;
    public const long MaxRssGrowthBytes = 24L * 1024 * 1024;
    public const int MaxDescriptorGrowth = 8;

    public static void AssertNoGrowth(LeakMeasurement growth)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(growth.ToString());
        Assert.True(growth.NativeHeapGrowthBytes < growth.Cycles * MaxNativeHeapGrowthPerCycle, $"native heap leaked: {growth}");
        Assert.True(growth.RssGrowthBytes < MaxRssGrowthBytes, $"resident memory grew: {growth}");
        Assert.True(growth.DescriptorGrowth <= MaxDescriptorGrowth, $"descriptors left open: {growth}");
    }
}
