using MeshConf.Core.Video;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Video;

/// <summary>
/// Video on top of a mesh: routes video messages to the sender (requests, receivers' feedback) and the receiver
/// (frames, peers' source states), and membership changes to both. Without a source, each request is answered
/// with <see cref="VideoSourceState.Off"/>, so the peer's tile says so instead of waiting for frames. The
/// composition root sets <see cref="OnMessage"/> as the node's message handler and passes every mesh event to
/// <see cref="OnEvent"/>.
/// </summary>
internal sealed class VideoCall : IDisposable
{
    private readonly MeshNode _node;

    /// <param name="node">The mesh the call's video travels on.</param>
    /// <param name="source">This node's pictures (owned from here on), or null to send none.</param>
    /// <param name="fps">Frames a second to capture.</param>
    /// <param name="request">How this node asks peers to send their video.</param>
    /// <param name="time">The clock of capture pacing, frame times and statistics.</param>
    /// <param name="targetKbps">Each outgoing stream's bitrate target (kbit/s); 0 = the default for its size and mode.</param>
    /// <param name="faults">Where an unexpected exception on the capture thread goes (see <see cref="ThreadFaults"/>).</param>
    public VideoCall(MeshNode node, IFrameSource? source, int fps, VideoRequest request, TimeProvider time, int targetKbps = 0, ThreadFaults? faults = null)
    {
        _node = node;
        Receiver = new VideoReceiver(node, time, request);
        Sender = source is null ? null : new VideoSender(node, source, fps, time, new VideoEncoderSettings(TargetKbps: targetKbps, Fps: fps), faults);
    }

    /// <summary>Null when this node sends no video (`--video none`).</summary>
    public VideoSender? Sender { get; }

    public VideoReceiver Receiver { get; }

    /// <summary>
    /// Messages nobody expects (a frame on the control channel, a bad request, a source state that is not one
    /// byte of a known value) are counted here.
    /// </summary>
    public long UnexpectedMessages { get; private set; }

    public void Start() => Sender?.Start();

    public void OnMessage(ulong peerId, MeshChannel channel, byte type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case VideoMessageType.Frame when channel == MeshChannel.Video:
                Receiver.OnFrame(peerId, payload);
                break;
            case VideoMessageType.Request when channel == MeshChannel.Control && VideoRequest.TryDecode(payload, out var request):
                if (Sender is { } sender)
                {
                    sender.SetRequest(peerId, request);
                }
                else
                {
                    _node.Send(peerId, MeshChannel.Control, VideoMessageType.SourceState, [(byte)VideoSourceState.Off]);
                }

                break;
            case VideoMessageType.SourceState when channel == MeshChannel.Control && payload.Length == 1 && Enum.IsDefined((VideoSourceState)payload[0]):
                Receiver.SetSourceState(peerId, (VideoSourceState)payload[0]);
                break;
            case VideoMessageType.Feedback when channel == MeshChannel.Video && VideoFeedback.TryRead(payload, out var feedback):
                // Feedback about a stream the peer just left (it asked for another size) is expected, not counted.
                Sender?.OnFeedback(peerId, feedback);
                break;
            default:
                UnexpectedMessages++;
                break;
        }
    }

    public void OnEvent(MeshEvent meshEvent)
    {
        switch (meshEvent)
        {
            case PeerJoinedEvent joined:
                Receiver.PeerJoined(joined.NodeId);
                break;
            case PeerLeftEvent left:
                Receiver.PeerLeft(left.NodeId);
                Sender?.RemovePeer(left.NodeId);
                break;
        }
    }

    public void Dispose() => Sender?.Dispose();
}
