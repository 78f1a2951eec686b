namespace MeshConf.Core.Video;

/// <summary>What became of one received video frame. Only <see cref="Decoded"/> changes the picture.</summary>
internal enum VideoDecodeResult
{
    /// <summary>The frame was decoded and verified; <see cref="VideoFrameDecoder.Current"/> shows it.</summary>
    Decoded,

    /// <summary>A delta whose base this receiver does not hold (a frame was lost): ask for a keyframe.</summary>
    NeedKeyframe,

    /// <summary>Older than the frame shown (reordered or duplicated): ignored.</summary>
    Stale,

    /// <summary>Bytes that no encoder of ours writes: dropped and counted.</summary>
    Malformed,

    /// <summary>Decoded to something other than what the sender hashed: dropped, and a keyframe is needed.</summary>
    HashMismatch,
}
