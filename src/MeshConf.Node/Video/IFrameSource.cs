namespace MeshConf.Node.Video;

/// <summary>
/// Where this node's pictures come from: the built-in pattern, a camera or a file through ffmpeg. The capture
/// loop asks for a frame at its own pace; the source fills the caller's rgb24 buffer.
/// </summary>
internal interface IFrameSource : IDisposable
{
    int Width { get; }

    int Height { get; }

    /// <summary>Fills <paramref name="rgb"/> (Width × Height × 3 bytes) with the latest frame; false when none is available now.</summary>
    bool TryCapture(Span<byte> rgb);
}
