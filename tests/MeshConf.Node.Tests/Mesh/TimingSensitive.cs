namespace MeshConf.Node.Tests.Mesh;

/// <summary>
/// Tests that measure how long the mesh takes (timeouts, backoff) run alone, after the parallel ones: on a
/// two-core CI machine a neighbour flooding the thread pool would otherwise add seconds to a 5 s timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive mesh tests";
}
