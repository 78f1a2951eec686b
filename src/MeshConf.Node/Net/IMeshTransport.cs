using System.Net;
using System.Threading.Channels;

namespace MeshConf.Node.Net;

/// <summary>
/// Moves opaque messages between this node and others over links. Implementations: the ENet transport (one
/// host owned by one thread) and an in-memory network for protocol tests. Every method is thread-safe and
/// never blocks on the network: work is queued to the transport's owner thread.
/// </summary>
internal interface IMeshTransport : IDisposable
{
    /// <summary>The bound address, with the real port when port 0 was asked for.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Events for the (single) reader. Received buffers belong to the reader: see <see cref="TransportEvent"/>.</summary>
    ChannelReader<TransportEvent> Events { get; }

    /// <summary>
    /// Starts dialling <paramref name="remote"/>. A Connected event follows on success, a Disconnected event
    /// with <c>WasConnected == false</c> on failure.
    /// </summary>
    LinkId Connect(IPEndPoint remote);

    /// <summary>
    /// Queues <paramref name="message"/> (copied) for the link. Control is reliable and ordered; media channels
    /// are unreliable-sequenced, fragmenting unreliably when larger than the MTU. Returns false when the link is
    /// unknown or gone.
    /// </summary>
    bool Send(LinkId link, MeshChannel channel, ReadOnlySpan<byte> message);

    /// <summary>Ends the link gracefully after queued messages; the remote sees <paramref name="reason"/>.</summary>
    void Disconnect(LinkId link, DisconnectReason reason);

    /// <summary>The latest snapshot of a live link; false when the link is unknown or gone.</summary>
    bool TryGetStats(LinkId link, out LinkStats? stats);
}
