namespace MeshConf.Node.Video;

/// <summary>How one outgoing video stream is being sent.</summary>
/// <param name="TargetKbps">The stream's bitrate target (`--video-kbps`, or the default for its size and mode).</param>
/// <param name="AllowedKbps">What its receivers' loss and delay allow now; falls below the target under loss.</param>
/// <param name="Threshold">The perceptual threshold in use (ΔE-like units; higher = coarser).</param>
/// <param name="RateDecreases">Times the allowed rate fell because a receiver reported loss or delay.</param>
/// <param name="FramesFromBlank">Frames built on the blank picture (before an acknowledgement, or after a loss of base).</param>
internal sealed record VideoSendStats(int TargetKbps, double AllowedKbps, double Threshold, long RateDecreases, long FramesFromBlank);
