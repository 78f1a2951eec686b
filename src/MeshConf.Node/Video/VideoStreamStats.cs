using MeshConf.Core.Video;

namespace MeshConf.Node.Video;

/// <summary>What one peer's incoming video looked like lately.</summary>
/// <param name="FramesIn">Frames decoded and shown, since the start.</param>
/// <param name="FramesBad">Frames that failed to decode (malformed or hash mismatch); must stay 0.</param>
/// <param name="FpsIn">Frames decoded over the last second.</param>
/// <param name="KbpsIn">Video bits received over the last second, in kbit/s.</param>
/// <param name="LatencyP50Ms">Median capture-to-decoded latency of the last 256 frames (same-host clocks).</param>
/// <param name="LatencyP99Ms">99th percentile of the same.</param>
/// <param name="Source">What the peer last said its picture source is doing.</param>
internal sealed record VideoStreamStats(long FramesIn, long FramesBad, double FpsIn, double KbpsIn, double LatencyP50Ms, double LatencyP99Ms,
    VideoSourceState Source = VideoSourceState.Starting)
{
    /// <summary>The other direction: how our video is sent to this peer, or null when we send it none.</summary>
    public VideoSendStats? Sent { get; init; }
}
