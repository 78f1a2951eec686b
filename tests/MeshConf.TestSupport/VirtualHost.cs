using System.Net;

namespace MeshConf.TestSupport;

/// <summary>
/// One host of a <see cref="VirtualLan"/>: its own network namespace with one interface on the LAN.
/// </summary>
/// <param name="Namespace">The host's network namespace.</param>
/// <param name="Address">Its IPv4 address on the LAN (10.77.Y.k/24), or 127.0.0.1 in a loopback-only namespace.</param>
/// <param name="InterfaceName">The LAN interface inside the namespace ("veth0", or "lo").</param>
/// <param name="InterfaceIndex">That interface's index inside the namespace, for MulticastOption and MulticastInterface.</param>
public sealed record VirtualHost(NetworkNamespace Namespace, IPAddress Address, string InterfaceName, int InterfaceIndex)
{
    /// <summary>Runs <paramref name="function"/> inside this host's namespace (<see cref="NetworkNamespace.Run{T}(Func{T})"/>).</summary>
    public T Run<T>(Func<T> function) => Namespace.Run(function);

    /// <inheritdoc/>
    public override string ToString() => $"{Namespace.Name} {InterfaceName}#{InterfaceIndex} {Address}";
}
