namespace MeshConf.Core.Video;

/// <summary>Mesh application message types of video (wire protocol: never renumber).</summary>
internal static class VideoMessageType
{
    /// <summary>A video frame (<see cref="VideoFrameHeader"/> and body), video channel.</summary>
    public const byte Frame = 0x20;

    /// <summary>A <see cref="VideoRequest"/>, control channel.</summary>
    public const byte Request = 0x21;

    /// <summary>Retired with frame format 2 ("send a keyframe"): <see cref="Feedback"/> took its place. Not reused.</summary>
    public const byte KeyframeRequest = 0x22;

    /// <summary>The sender's <see cref="VideoSourceState"/> (one byte), control channel: sent on change and to each new peer.</summary>
    public const byte SourceState = 0x23;

    /// <summary>A <see cref="VideoFeedback"/> from a receiver to a sender, video channel, after each frame that arrives.</summary>
    public const byte Feedback = 0x24;
}
