using MeshConf.Core.Chat;
using MeshConf.Core.Video;
using MeshConf.Node.Discovery;
using MeshConf.Node.Mesh;
using MeshConf.Node.Video;

namespace MeshConf.Cli.Join;

/// <summary>How a running `join` tells its user what happens: JSON lines (headless) or plain text.</summary>
internal interface IJoinReporter
{
    void Ready(MeshNode node);

    void Event(MeshEvent meshEvent);

    /// <summary>A peer's picture source changed (its camera was lost, came back, was turned off).</summary>
    void VideoSource(ulong peerId, VideoSourceState state);

    /// <summary>Something the user should know that does not end the call (no camera, no ffmpeg).</summary>
    void Notice(string message);

    /// <summary>A MeshConf node seen on the LAN (found, changed or gone), of this session or another.</summary>
    void Discovered(DiscoveryEvent discovery);

    void Stats(MeshNode node, IReadOnlyList<MeshPeerInfo> peers, Func<ulong, VideoStreamStats?> video, AudioSnapshot audio);

    /// <summary>A video frame went to a peer (only with --video-trace).</summary>
    void VideoSent(ulong peerId, VideoFrameHeader header);

    /// <summary>A peer's video frame was decoded (only with --video-trace).</summary>
    void VideoDecoded(ulong peerId, VideoFrameHeader header);

    /// <summary>A chat line: a member's (<paramref name="fromId"/> is theirs) or this node's own (id 0).</summary>
    void Chat(ulong fromId, string fromName, ChatLine line);

    /// <summary>A line typed on a headless node's stdin was carried out, or (with the problem) was not.</summary>
    void Command(string command, string? problem);

    void Stopped(string reason);
}
