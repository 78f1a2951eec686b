using System.Net;
using MeshConf.Core.Security;
using MeshConf.Node.Net;

namespace MeshConf.Node.Mesh;

internal enum PeerLinkState
{
    /// <summary>We dialled; the transport has not connected yet.</summary>
    Connecting,

    /// <summary>Connected; Hello/Auth in flight.</summary>
    Handshaking,

    /// <summary>Keys agreed; sealed traffic flows.</summary>
    Established,

    /// <summary>Refused, replaced or leaving: nothing more is accepted on it.</summary>
    Closing,
}

/// <summary>One transport link and its handshake or ciphers. Owned by the mesh under its lock.</summary>
internal sealed class PeerLink(LinkId id, IPEndPoint remote, bool outgoing, TimeSpan openedAt) : IDisposable
{
    public LinkId Id { get; } = id;

    public IPEndPoint Remote { get; } = remote;

    public bool Outgoing { get; } = outgoing;

    public TimeSpan OpenedAt { get; set; } = openedAt;

    public PeerLinkState State { get; set; } = PeerLinkState.Connecting;

    public Handshake? Handshake { get; set; }

    /// <summary>The peer's Hello, once accepted (kept after the handshake for its id and name).</summary>
    public HelloMessage? Hello { get; set; }

    public Fingerprint? Fingerprint { get; set; }

    /// <summary>Set once established; used from any sending thread (the sealer is thread-safe).</summary>
    public PacketSealer? Sealer { get; set; }

    /// <summary>Set once established; used only by the receive loop.</summary>
    public PacketOpener? Opener { get; set; }

    /// <summary>The explicit or roster dial this link answers, if we dialled it.</summary>
    public DialTarget? Target { get; set; }

    /// <summary>Why we closed it, when we did (so its Disconnected event is not reported twice).</summary>
    public string? CloseReason { get; set; }

    public ulong? PeerId => Hello?.NodeId;

    public void Dispose()
    {
        Handshake?.Dispose();
        Handshake = null;
        Sealer?.Dispose();
        Opener?.Dispose();
    }
}
