namespace MeshConf.Core.Video;

/// <summary>What a node's picture source is doing, as its peers are told (wire protocol: never renumber).</summary>
internal enum VideoSourceState : byte
{
    /// <summary>Frames are flowing.</summary>
    Live = 0,

    /// <summary>This node sends no video (`--video none`, no camera, no ffmpeg, or turned off).</summary>
    Off = 1,

    /// <summary>The camera (or file) went away mid-call; the source keeps trying to get it back.</summary>
    Lost = 2,

    /// <summary>The source is opening (ffmpeg starting, camera warming up).</summary>
    Starting = 3,
}
