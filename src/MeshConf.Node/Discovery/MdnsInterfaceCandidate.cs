using System.Net;

namespace MeshConf.Node.Discovery;

/// <summary>What the selector needs to know of one interface of the machine (or of the namespace it runs in).</summary>
/// <param name="Name">The interface name.</param>
/// <param name="Index">The kernel's interface index.</param>
/// <param name="IsUp">Up (or "unknown": Linux reports that for lo and for virtual links that do not track a carrier).</param>
/// <param name="IsLoopback">A loopback interface.</param>
/// <param name="SupportsMulticast">The MULTICAST flag is set.</param>
/// <param name="IPv4Addresses">Its IPv4 addresses, possibly none.</param>
internal sealed record MdnsInterfaceCandidate(string Name, int Index, bool IsUp, bool IsLoopback, bool SupportsMulticast, IReadOnlyList<IPAddress> IPv4Addresses)
{
    /// <summary>Why mDNS cannot use this interface even when it is named, or null when it can.</summary>
    public string? Unusable
    {
        get
        {
            var reasons = new List<string>(3);
            if (!IsUp)
            {
                reasons.Add("down");
            }

            if (!SupportsMulticast)
            {
                reasons.Add("not multicast-capable");
            }

            if (IPv4Addresses.Count == 0)
            {
                reasons.Add("no IPv4 address");
            }

            return reasons.Count == 0 ? null : string.Join(", ", reasons);
        }
    }

    /// <summary>The interface as mDNS uses it.</summary>
    public MdnsInterface ToInterface() => new(Name, Index, IPv4Addresses);

    /// <inheritdoc/>
    public override string ToString() => $"{Describe()} #{Index} [{string.Join(", ", IPv4Addresses)}]";

    /// <summary>"veth0", or "lo (loopback)", "eth1 (down, no IPv4 address)": for the lists in error messages.</summary>
    public string Describe()
    {
        var notes = new List<string>(2);
        if (IsLoopback)
        {
            notes.Add("loopback");
        }

        if (Unusable is { } unusable)
        {
            notes.Add(unusable);
        }

        return notes.Count == 0 ? Name : $"{Name} ({string.Join(", ", notes)})";
    }
}
