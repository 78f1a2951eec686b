using System.Net;

namespace MeshConf.Node.Net;

/// <summary>
/// One request queued to the ENet owner thread. A struct, so queueing a send allocates nothing.
/// Buffer ownership: a Send command owns <see cref="Buffer"/>, rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>
/// by the sending thread; whoever dequeues the command returns it, sent or not.
/// </summary>
internal readonly struct EnetCommand
{
    private EnetCommand(EnetCommandKind kind, LinkId link, MeshChannel channel = MeshChannel.Control, byte[]? buffer = null,
        int length = 0, DisconnectReason reason = DisconnectReason.None, IPEndPoint? remote = null)
    {
        Kind = kind;
        Link = link;
        Channel = channel;
        Buffer = buffer;
        Length = length;
        Reason = reason;
        Remote = remote;
    }

    public EnetCommandKind Kind { get; }

    public LinkId Link { get; }

    public MeshChannel Channel { get; }

    public byte[]? Buffer { get; }

    public int Length { get; }

    public DisconnectReason Reason { get; }

    /// <summary>Connect only: where to dial.</summary>
    public IPEndPoint? Remote { get; }

    public static EnetCommand Connect(LinkId link, IPEndPoint remote) => new(EnetCommandKind.Connect, link, remote: remote);

    public static EnetCommand Send(LinkId link, MeshChannel channel, byte[] buffer, int length) =>
        new(EnetCommandKind.Send, link, channel, buffer, length);

    public static EnetCommand Disconnect(LinkId link, DisconnectReason reason) => new(EnetCommandKind.Disconnect, link, reason: reason);

    public static EnetCommand Signal(EnetCommandKind kind) => new(kind, default);
}
