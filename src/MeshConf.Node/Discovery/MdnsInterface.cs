using System.Net;

namespace MeshConf.Node.Discovery;

/// <summary>A network interface mDNS runs on: its name, its index (in its network namespace) and its IPv4 addresses.</summary>
/// <param name="Name">The interface name ("eth0", "veth0", "lo").</param>
/// <param name="Index">The kernel's interface index, for joining the group and choosing the outgoing interface.</param>
/// <param name="Addresses">Its IPv4 addresses: our own multicasts come back from one of them.</param>
internal sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Equal when name, index and addresses (in order) are.</summary>
    public bool Equals(MdnsInterface? other) =>
        other is not null && Name == other.Name && Index == other.Index && Addresses.SequenceEqual(other.Addresses);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Index);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}#{Index} {string.Join(",", Addresses)}";
}
