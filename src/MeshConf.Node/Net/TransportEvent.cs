using System.Buffers;
using System.Net;

namespace MeshConf.Node.Net;

/// <summary>
/// One event from a transport to its reader. A struct, so the receive path allocates nothing per message.
/// Buffer ownership: for <see cref="TransportEventKind.Received"/> the reader owns <see cref="Buffer"/> (rented
/// from <see cref="ArrayPool{T}.Shared"/>) and must call <see cref="Release"/> exactly once when done with it.
/// </summary>
internal readonly struct TransportEvent
{
    public TransportEvent(TransportEventKind kind, LinkId link, IPEndPoint remote, bool outgoing,
        bool wasConnected = false, DisconnectReason reason = DisconnectReason.None,
        MeshChannel channel = MeshChannel.Control, byte[]? buffer = null, int length = 0)
    {
        Kind = kind;
        Link = link;
        Remote = remote;
        Outgoing = outgoing;
        WasConnected = wasConnected;
        Reason = reason;
        Channel = channel;
        Buffer = buffer;
        Length = length;
    }

    public TransportEventKind Kind { get; }

    public LinkId Link { get; }

    /// <summary>The remote address of the link as seen from here.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>True when this node dialled the link.</summary>
    public bool Outgoing { get; }

    /// <summary>Disconnected only: false when an outgoing connect never completed.</summary>
    public bool WasConnected { get; }

    /// <summary>Disconnected only: the reason the remote gave, or <see cref="DisconnectReason.Timeout"/>.</summary>
    public DisconnectReason Reason { get; }

    /// <summary>Received only.</summary>
    public MeshChannel Channel { get; }

    /// <summary>Received only: a pooled buffer holding the message in its first <see cref="Length"/> bytes.</summary>
    public byte[]? Buffer { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Payload => Buffer is null ? default : Buffer.AsSpan(0, Length);

    /// <summary>Returns the pooled buffer of a Received event.</summary>
    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
