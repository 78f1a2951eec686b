namespace MeshConf.Node.Video;

/// <summary>
/// Turns a `--video` spec into a frame source, or into no source and a one-line notice for the user when the
/// camera, the file or ffmpeg is missing: the call then goes on without video. Never throws for a missing piece.
/// </summary>
/// <param name="findFfmpeg">Where ffmpeg is, or null (<see cref="FfmpegLocator.Find"/>).</param>
/// <param name="listCameras">The cameras, given the ffmpeg path (on Windows ffmpeg itself lists them).</param>
internal sealed class FrameSourceFactory(Func<string?> findFfmpeg, Func<string, IReadOnlyList<CameraDevice>> listCameras)
{
    /// <summary>The real machine: ffmpeg from MESHCONF_FFMPEG or PATH, cameras from sysfs, dshow or AVFoundation.</summary>
    public static FrameSourceFactory System { get; } = new(FfmpegLocator.Find, ListSystemCameras);

    /// <summary>The first capture size, until the sender asks for the one its peers' tiles need.</summary>
    public const int InitialWidth = 320;

    /// <summary>See <see cref="InitialWidth"/>.</summary>
    public const int InitialHeight = 240;

    /// <summary>
    /// The source for <paramref name="spec"/>, or null: for `none` (no notice), or with a <paramref name="notice"/>
    /// saying what is missing and that the call goes on without video. An ffmpeg source's threads hand an
    /// unexpected exception to <c>faults</c> (see <see cref="ThreadFaults"/>).
    /// </summary>
    public IFrameSource? Create(VideoSourceSpec spec, string name, int fps, TimeProvider time, out string? notice, ThreadFaults? faults = null)
    {
        notice = null;
        switch (spec.Kind)
        {
            case VideoSourceKind.None:
                return null;
            case VideoSourceKind.Pattern:
                return new PatternFrameSource(name, time, InitialWidth, InitialHeight);
            case VideoSourceKind.File when !File.Exists(spec.Argument):
                notice = $"file not found: {spec.Argument}; joining without video";
                return null;
            default:
                break;
        }

        var ffmpeg = findFfmpeg();
        if (ffmpeg is null)
        {
            notice = $"ffmpeg not found: install ffmpeg ({InstallHint}); joining without video";
            return null;
        }

        FfmpegInput input;
        if (spec.Kind == VideoSourceKind.File)
        {
            input = FfmpegInput.File(spec.Argument!);
        }
        else if (spec.Argument is { } device)
        {
            if (OperatingSystem.IsLinux() && !File.Exists(device))
            {
                notice = $"camera not found: {device}; joining without video";
                return null;
            }

            input = FfmpegInput.Camera(device, fps);
        }
        else
        {
            var cameras = listCameras(ffmpeg);
            if (cameras.Count == 0)
            {
                notice = $"no camera found ({NoCameraDetail}): joining without video";
                return null;
            }

            input = FfmpegInput.Camera(cameras[0].Input, fps);
        }

        return new FfmpegFrameSource(ffmpeg, input, fps, time, InitialWidth, InitialHeight, faults);
    }

    private static string InstallHint =>
        OperatingSystem.IsMacOS() ? "brew install ffmpeg"
        : OperatingSystem.IsWindows() ? "winget install ffmpeg"
        : "apt install ffmpeg";

    private static string NoCameraDetail =>
        OperatingSystem.IsWindows() ? "ffmpeg listed no DirectShow camera" : "none at /dev/video*";

    private static IReadOnlyList<CameraDevice> ListSystemCameras(string ffmpeg)
    {
        if (OperatingSystem.IsWindows())
        {
            return FfmpegInput.ListDshowCameras(ffmpeg, TimeSpan.FromSeconds(5));
        }

        // AVFoundation numbers cameras from 0; whether one is there shows when ffmpeg opens it.
        return OperatingSystem.IsMacOS() ? [new CameraDevice("0", "default camera")] : CameraEnumerator.List();
    }
}
