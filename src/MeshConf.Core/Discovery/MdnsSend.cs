using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>A message an agent wants sent: to the multicast group of its interface, or to one querier.</summary>
/// <param name="Message">The message.</param>
/// <param name="Destination">A unicast destination (a QU or legacy unicast reply), or null for the group.</param>
internal readonly record struct MdnsSend(DnsMessage Message, IPEndPoint? Destination = null)
{
    public bool IsMulticast => Destination is null;
}
