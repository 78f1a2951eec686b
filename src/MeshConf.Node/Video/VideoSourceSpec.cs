namespace MeshConf.Node.Video;

/// <summary>
/// A parsed `--video` value: <c>camera</c>, <c>camera:DEVICE</c>, <c>file:PATH</c>, <c>pattern</c> or <c>none</c>.
/// The keyword is case-insensitive; what follows the first colon is kept exactly (a Windows path has colons too).
/// </summary>
internal sealed record VideoSourceSpec(VideoSourceKind Kind, string? Argument = null)
{
    /// <summary>What `--video` means when it is not given.</summary>
    public static VideoSourceSpec Default { get; } = new(VideoSourceKind.Camera);

    /// <summary>Parses a `--video` value; false with a one-line <paramref name="error"/> for anything else.</summary>
    public static bool TryParse(string? text, out VideoSourceSpec spec, out string? error)
    {
        spec = Default;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var keyword = colon < 0 ? value : value[..colon];
        var argument = colon < 0 ? null : value[(colon + 1)..];
        switch (keyword.ToUpperInvariant())
        {
            case "CAMERA" when argument is null:
                return true;
            case "CAMERA" when argument.Length > 0:
                spec = new VideoSourceSpec(VideoSourceKind.Camera, argument);
                return true;
            case "CAMERA":
                error = "--video camera: needs a device after the colon, e.g. camera:/dev/video2 (or plain camera for the first)";
                return false;
            case "FILE" when !string.IsNullOrWhiteSpace(argument):
                spec = new VideoSourceSpec(VideoSourceKind.File, argument);
                return true;
            case "FILE":
                error = "--video file: needs a path, e.g. file:clip.mp4";
                return false;
            case "PATTERN" when argument is null:
                spec = new VideoSourceSpec(VideoSourceKind.Pattern);
                return true;
            case "NONE" when argument is null:
                spec = new VideoSourceSpec(VideoSourceKind.None);
                return true;
            default:
                error = $"--video '{value}' is not a source: use camera, camera:DEVICE, file:PATH, pattern or none";
                return false;
        }
    }

    /// <summary>The `--video` text that parses back to this spec.</summary>
    public override string ToString() => Kind switch
    {
        VideoSourceKind.Camera when Argument is not null => "camera:" + Argument,
        VideoSourceKind.File => "file:" + Argument,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
