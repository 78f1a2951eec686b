namespace MeshConf.Node.Video;

/// <summary>What `--video` names: where this node's pictures come from.</summary>
internal enum VideoSourceKind
{
    /// <summary>A camera through ffmpeg; <see cref="VideoSourceSpec.Argument"/> picks one, or null for the first.</summary>
    Camera,

    /// <summary>A video file through ffmpeg, looped; <see cref="VideoSourceSpec.Argument"/> is its path.</summary>
    File,

    /// <summary>The built-in test pattern (no ffmpeg).</summary>
    Pattern,

    /// <summary>No video from this node.</summary>
    None,
}
