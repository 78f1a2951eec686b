using System.Net;
using MeshConf.Core.Security;
using MeshConf.Node.Net;

namespace MeshConf.Node.Mesh;

/// <summary>A snapshot of one member for display and stats.</summary>
internal sealed record MeshPeerInfo(
    ulong NodeId,
    string Name,
    IPEndPoint Address,
    Fingerprint Fingerprint,
    LinkStats? Link,
    PacketDropSnapshot Drops);

/// <summary>What the packet opener of a peer accepted and dropped so far.</summary>
internal readonly record struct PacketDropSnapshot(long Opened, long Malformed, long BadTag, long Replay, long Stale)
{
    public long Dropped => Malformed + BadTag + Replay + Stale;
}
