using System.Net;
using MeshConf.Core.Security;

namespace MeshConf.Node.Mesh;

/// <summary>A member of the session, as long as it has a link (or is moving to a new one).</summary>
internal sealed class MeshPeer(ulong nodeId, string name, IPEndPoint address, Fingerprint fingerprint)
{
    public ulong NodeId { get; } = nodeId;

    public string Name { get; } = name;

    /// <summary>Where others can dial it: the address we see it at, with the port it listens on.</summary>
    public IPEndPoint Address { get; } = address;

    public Fingerprint Fingerprint { get; } = fingerprint;

    /// <summary>The established link, or null while a replacement link finishes its handshake.</summary>
    public PeerLink? Link { get; set; }

    /// <summary>When <see cref="Link"/> went away, for the migration grace.</summary>
    public TimeSpan? LinkLostAt { get; set; }
}
