using MeshConf.Core.Video;

namespace MeshConf.Node.Video;

/// <summary>
/// Where this node's pictures come from: the built-in pattern, a camera or a file through ffmpeg. The capture
/// loop asks for a frame at its own pace; the source fills the caller's rgb24 buffer. The sender asks for the
/// capture size its tiles need (<see cref="RequestSize"/>); a source adopts it when it can, so the size of the
/// frames it hands out may change from one capture to the next: <see cref="TryCapture"/> says which size it wrote.
/// </summary>
internal interface IFrameSource : IDisposable
{
    /// <summary>Width of the frame <see cref="TryCapture"/> would write now (size a buffer with it).</summary>
    int Width { get; }

    /// <summary>Height of the frame <see cref="TryCapture"/> would write now.</summary>
    int Height { get; }

    /// <summary>What the source is doing: <see cref="VideoSourceState.Live"/>, <see cref="VideoSourceState.Starting"/> or <see cref="VideoSourceState.Lost"/>.</summary>
    VideoSourceState State { get; }

    /// <summary>The last failure in words ("camera lost: /dev/video0 (...)"), or null when there has been none.</summary>
    string? Problem { get; }

    /// <summary>
    /// The capture size the sender wants. Thread-safe and cheap; the source adopts it later (ffmpeg restarts with
    /// the new scale once the requests stop changing, so a drag-resize does not restart it ten times).
    /// </summary>
    void RequestSize(int width, int height);

    /// <summary>
    /// Writes the newest frame into <paramref name="rgb"/> as packed rgb24 and reports its size. False, writing
    /// nothing, when there is no frame newer than the last one returned, or when <paramref name="rgb"/> is shorter
    /// than <c>width * height * 3</c> of that frame (it is kept: read <see cref="Width"/> and <see cref="Height"/>
    /// again, grow the buffer and ask again). Never throws for a missing or failed device.
    /// </summary>
    bool TryCapture(Span<byte> rgb, out int width, out int height);
}
