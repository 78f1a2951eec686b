namespace MeshConf.Terminal.Call;

/// <summary>What a tile shows when it has no picture, or why.</summary>
internal enum TileState
{
    /// <summary>The peer is known but its link is not up yet.</summary>
    Connecting,

    /// <summary>Linked, pictures arriving.</summary>
    Live,

    /// <summary>Linked, but the peer sends no video.</summary>
    NoVideo,

    /// <summary>The peer's camera went away mid-call.</summary>
    CameraLost,

    /// <summary>Linked, and the video source is still opening (ffmpeg starting, camera warming up).</summary>
    Starting,
}
