namespace MeshConf.Node.Tests.Discovery;

/// <summary>
/// Tests that build network namespaces and start avahi run alone, after the parallel ones: each spawns a few
/// dozen short processes and two daemons, which on a two-core machine would stretch a neighbour's timeouts
/// (and theirs). Their namespaces are private, so correctness never depended on running alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VirtualLanCollection
{
    public const string Name = "Virtual LAN (network namespaces, avahi)";
}
