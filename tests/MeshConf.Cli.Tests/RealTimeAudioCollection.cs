namespace MeshConf.Cli.Tests;

/// <summary>
/// End-to-end audio tests measure a real-time pipeline (capture pacing, jitter buffer, playout pacing) in child
/// processes. They run alone: on a two-core machine, video tests beside them starve the nodes' audio threads for
/// tens of milliseconds and the measurement becomes one of the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeAudioCollection
{
    public const string Name = "Real-time audio end to end";
}
