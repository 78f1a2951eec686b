using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Node.Discovery;

/// <summary>A DNS message that arrived, with where it came from and how.</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Source">The sender's address and port (5353 for a full mDNS sender; any other port is a legacy querier, RFC 6762 §6.7).</param>
/// <param name="InterfaceIndex">The interface it arrived on (IP_PKTINFO).</param>
/// <param name="Destination">The destination address of its IP header: the group for a multicast, one of ours for a unicast.</param>
internal readonly record struct MdnsDatagram(DnsMessage Message, IPEndPoint Source, int InterfaceIndex, IPAddress Destination)
{
    /// <summary>Sent to the multicast group rather than to us alone.</summary>
    public bool IsMulticast => Destination.Equals(Core.Discovery.Mdns.IPv4Group);
}
