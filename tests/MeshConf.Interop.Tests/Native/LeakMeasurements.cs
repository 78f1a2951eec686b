namespace MeshConf.Interop.Tests.Native;

/// <summary>Leak tests read process-wide counters, so they run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeakMeasurements
{
    public const string Name = "Leak measurements";
}
