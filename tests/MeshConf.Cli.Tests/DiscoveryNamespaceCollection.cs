namespace MeshConf.Cli.Tests;

/// <summary>
/// End-to-end LAN discovery: `meshconf` processes and avahi in network namespaces of a virtual LAN. They run alone:
/// each test starts several .NET processes and daemons at once, which on a two-core machine would stretch a
/// neighbour's timeouts, and the goodbye and mesh timings they report would become measurements of the machine.
/// Their namespaces are private, so correctness never depended on running alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiscoveryNamespaceCollection
{
    public const string Name = "LAN discovery end to end (network namespaces)";
}
