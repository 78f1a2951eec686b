namespace MeshConf.Node.Video;

/// <summary>A camera ffmpeg can open.</summary>
/// <param name="Input">What to pass to ffmpeg's -i, e.g. "/dev/video0".</param>
/// <param name="Name">What the driver calls it, e.g. "Integrated Camera".</param>
public sealed record CameraDevice(string Input, string Name);
