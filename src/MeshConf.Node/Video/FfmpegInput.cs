using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace MeshConf.Node.Video;

/// <summary>
/// What ffmpeg reads from: the input options and <c>-i</c> for one camera or file, and how a failure of it is
/// told ("camera lost: /dev/video0"). The output side is <see cref="FfmpegFrameSource"/>'s.
/// </summary>
/// <param name="Kind">"camera" or "file", the word the user sees.</param>
/// <param name="Device">The device or path as the user named it.</param>
/// <param name="Arguments">ffmpeg's arguments up to and including <c>-i INPUT</c>.</param>
internal sealed record FfmpegInput(string Kind, string Device, IReadOnlyList<string> Arguments)
{
    /// <summary>"camera lost: /dev/video0".</summary>
    public string LostText => $"{Kind} lost: {Device}";

    /// <summary>A Linux V4L2 device such as /dev/video0, asked for <paramref name="fps"/> frames a second.</summary>
    public static FfmpegInput V4l2(string device, int fps) =>
        new("camera", device, ["-f", "v4l2", "-framerate", Invariant(fps), "-i", device]);

    /// <summary>A macOS AVFoundation camera by index or name ("0" is the default camera); no audio.</summary>
    public static FfmpegInput AvFoundation(string device, int fps) =>
        new("camera", device, ["-f", "avfoundation", "-framerate", Invariant(fps), "-i", device.Contains(':', StringComparison.Ordinal) ? device : device + ":none"]);

    /// <summary>
    /// A Windows DirectShow camera by its friendly name (<see cref="ParseDshowVideoDevices"/>). No input frame rate:
    /// dshow refuses one the camera does not offer, and the output's fps filter sets the rate anyway.
    /// </summary>
    public static FfmpegInput Dshow(string name) =>
        new("camera", name, ["-f", "dshow", "-i", "video=" + name]);

    /// <summary>
    /// A video file, looped for ever at its own pace (<c>-re</c>). The path goes through ffmpeg's <c>file:</c>
    /// protocol so that a name with a colon or a leading dash is never read as a protocol or an option.
    /// </summary>
    public static FfmpegInput File(string path) =>
        new("file", path, ["-stream_loop", "-1", "-re", "-i", "file:" + Path.GetFullPath(path)]);

    /// <summary>The camera input for this operating system.</summary>
    public static FfmpegInput Camera(string device, int fps) =>
        OperatingSystem.IsWindows() ? Dshow(device)
        : OperatingSystem.IsMacOS() ? AvFoundation(device, fps)
        : V4l2(device, fps);

    /// <summary>
    /// Asks ffmpeg for the DirectShow cameras (<c>ffmpeg -list_devices true -f dshow -i dummy</c>, which lists them
    /// on stderr and then fails on purpose). Empty when ffmpeg does not answer in time. Windows only.
    /// </summary>
    public static IReadOnlyList<CameraDevice> ListDshowCameras(string ffmpeg, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-list_devices", "true", "-f", "dshow", "-i", "dummy"])
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return [];
            }

            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            var listing = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return [];
            }

            return [.. ParseDshowVideoDevices(listing.GetAwaiter().GetResult()).Select(name => new CameraDevice(name, name))];
        }
        catch (Win32Exception)
        {
            return [];
        }
    }

    /// <summary>
    /// The video devices in ffmpeg's DirectShow listing. ffmpeg 5 and later tag each device line,
    /// <c>[dshow @ 0x..] "Integrated Camera" (video)</c>; older ones list video devices under a
    /// "DirectShow video devices" heading and audio ones under "DirectShow audio devices". "Alternative name"
    /// lines (the device path) are skipped.
    /// </summary>
    public static IReadOnlyList<string> ParseDshowVideoDevices(string listing)
    {
        var devices = new List<string>();
        var section = string.Empty;
        foreach (var raw in listing.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Contains("DirectShow video devices", StringComparison.Ordinal))
            {
                section = "video";
                continue;
            }

            if (line.Contains("DirectShow audio devices", StringComparison.Ordinal))
            {
                section = "audio";
                continue;
            }

            var open = line.IndexOf('"', StringComparison.Ordinal);
            var close = open < 0 ? -1 : line.IndexOf('"', open + 1);
            if (close < 0 || line.Contains("Alternative name", StringComparison.Ordinal))
            {
                continue;
            }

            var tag = line[(close + 1)..].Trim();
            var isVideo = tag.Length > 0 ? tag.StartsWith('(') && tag.Contains("video", StringComparison.Ordinal) : section == "video";
            if (isVideo)
            {
                devices.Add(line[(open + 1)..close]);
            }
        }

        return devices;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
