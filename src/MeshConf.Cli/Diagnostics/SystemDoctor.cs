using MeshConf.Interop.Enet;
using MeshConf.Interop.Native;
using MeshConf.Interop.Opus;
using MeshConf.Interop.PortAudio;
using MeshConf.Node.Video;
using MeshConf.Terminal;

namespace MeshConf.Cli.Diagnostics;

/// <summary>
/// Checks everything a full call needs: the four native libraries, ffmpeg, a microphone and a speaker, a
/// camera; and describes the terminal and the `--render` modes it can draw. Every check catches its own failure, so one broken piece never hides
/// the others.
/// </summary>
internal static class SystemDoctor
{
    public static IReadOnlyList<DoctorCheck> Run(TerminalCapabilities terminal)
    {
        var checks = new List<DoctorCheck>();
        foreach (var dependency in NativeDependency.All)
        {
            checks.Add(CheckLibrary(dependency));
        }

        checks.Add(CheckFfmpeg());
        checks.AddRange(CheckAudio());
        checks.Add(CheckCameras());
        checks.Add(CheckTerminal(terminal));
        checks.Add(CheckRender(terminal));
        return checks;
    }

    private static DoctorCheck CheckLibrary(NativeDependency dependency)
    {
        if (!dependency.IsAvailable)
        {
            return new DoctorCheck("library", dependency.LogicalName, CheckStatus.Missing, dependency.Problem!, dependency.Remedy);
        }

        try
        {
            var version = LibraryVersion(dependency);
            return new DoctorCheck("library", dependency.LogicalName, CheckStatus.Ok, $"{version}, {dependency.LoadedFrom}");
        }
        catch (Exception error) when (error is NativeCallException or EntryPointNotFoundException or NotSupportedException)
        {
            return new DoctorCheck("library", dependency.LogicalName, CheckStatus.Missing,
                $"{dependency.LoadedFrom} does not work: {error.Message}", dependency.InstallHint);
        }
    }

    private static string LibraryVersion(NativeDependency dependency)
    {
        if (dependency == NativeDependency.Enet)
        {
            var linked = EnetLibrary.LinkedVersion;
            return EnetLibrary.HasKnownLayout
                ? $"ENet {linked}"
                : throw new NotSupportedException($"ENet {linked} lays out its structures differently from {EnetLibrary.LayoutVersion}");
        }

        if (dependency == NativeDependency.Opus)
        {
            return OpusLibrary.Version;
        }

        if (dependency == NativeDependency.PortAudio)
        {
            var text = PortAudioSession.VersionText;
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            return comma > 0 ? text[..comma] : text;
        }

        // speexdsp has no version call; the file name carries the library version (libspeexdsp.so.1.5.2).
        var file = Path.GetFileName(dependency.LoadedFrom ?? dependency.PrimaryName);
        var so = file.IndexOf(".so.", StringComparison.Ordinal);
        return so > 0 ? $"speexdsp, soname {file[(so + 1)..]}" : "speexdsp";
    }

    private static DoctorCheck CheckFfmpeg()
    {
        var fix = OperatingSystem.IsMacOS() ? "install it with: brew install ffmpeg" : "install it with: sudo apt-get install ffmpeg";
        var path = FfmpegLocator.Find();
        if (path is null)
        {
            return new DoctorCheck("program", "ffmpeg", CheckStatus.Missing, "ffmpeg not found on PATH (needed for cameras and video files)", fix);
        }

        var version = FfmpegLocator.GetVersion(path, TimeSpan.FromSeconds(10));
        return version is null
            ? new DoctorCheck("program", "ffmpeg", CheckStatus.Missing, $"{path} does not run", fix)
            : new DoctorCheck("program", "ffmpeg", CheckStatus.Ok, $"ffmpeg {version}, {path}");
    }

    private static IEnumerable<DoctorCheck> CheckAudio()
    {
        if (!NativeDependency.PortAudio.IsAvailable)
        {
            yield return new DoctorCheck("audio", "microphone", CheckStatus.Missing, "cannot list audio devices without PortAudio", NativeDependency.PortAudio.Remedy);
            yield return new DoctorCheck("audio", "speaker", CheckStatus.Missing, "cannot list audio devices without PortAudio", NativeDependency.PortAudio.Remedy);
            yield break;
        }

        IReadOnlyList<AudioDeviceInfo> devices;
        AudioDeviceInfo? input, output;
        string? failure = null;
        try
        {
            using var session = new PortAudioSession();
            // One enumeration: DefaultInput/DefaultOutput would each list every device again.
            devices = session.GetDevices();
            input = devices.FirstOrDefault(d => d.IsDefaultInput && d.CanCapture);
            output = devices.FirstOrDefault(d => d.IsDefaultOutput && d.CanPlay);
        }
        catch (PortAudioException error)
        {
            devices = [];
            input = output = null;
            failure = error.Message;
        }

        var capture = devices.Count(d => d.CanCapture);
        var playback = devices.Count(d => d.CanPlay);
        var noDevicesFix = OperatingSystem.IsLinux()
            ? "connect one, or start a sound server (PulseAudio/PipeWire) so PortAudio can see it; `meshconf devices` lists what is seen"
            : "connect one; `meshconf devices` lists what is seen";
        yield return input is null
            ? new DoctorCheck("audio", "microphone", CheckStatus.Missing, failure ?? $"no capture device ({devices.Count} devices listed)", noDevicesFix)
            : new DoctorCheck("audio", "microphone", CheckStatus.Ok, $"{input.Name} ({input.HostApi}, default of {capture})");
        yield return output is null
            ? new DoctorCheck("audio", "speaker", CheckStatus.Missing, failure ?? $"no playback device ({devices.Count} devices listed)", noDevicesFix)
            : new DoctorCheck("audio", "speaker", CheckStatus.Ok, $"{output.Name} ({output.HostApi}, default of {playback})");
    }

    private static DoctorCheck CheckCameras()
    {
        var cameras = CameraEnumerator.List();
        if (cameras.Count == 0)
        {
            return new DoctorCheck("camera", "camera", CheckStatus.Missing,
                OperatingSystem.IsLinux() ? "no V4L2 camera (/dev/video*)" : "no camera listed",
                "connect a webcam, or join with --video pattern to send a test picture");
        }

        return new DoctorCheck("camera", "camera", CheckStatus.Ok, string.Join(", ", cameras.Select(c => $"{c.Input} ({c.Name})")));
    }

    private static DoctorCheck CheckTerminal(TerminalCapabilities terminal)
    {
        var colours = terminal.Colors switch
        {
            ColorMode.TrueColor => "24-bit colour",
            ColorMode.Ansi256 => "256 colours",
            ColorMode.Ansi16 => "16 colours",
            _ => "no colour",
        };
        var size = terminal.Columns > 0 ? $"{terminal.Columns}x{terminal.Rows}" : "size unknown";
        var detail = $"{size}, {colours} ({terminal.Reason})";
        if (!terminal.IsTerminal)
        {
            return new DoctorCheck("terminal", "terminal", CheckStatus.Note, $"stdout is not a terminal; {detail}", "run calls in a terminal, or use --headless for scripts");
        }

        if (!terminal.IsLargeEnough)
        {
            return new DoctorCheck("terminal", "terminal", CheckStatus.Note, $"{detail}: smaller than {TerminalCapabilities.MinimumColumns}x{TerminalCapabilities.MinimumRows}",
                "enlarge the window to see video tiles");
        }

        return new DoctorCheck("terminal", "terminal", CheckStatus.Ok, detail);
    }

    /// <summary>Which `--render` modes the terminal can be expected to draw (half blocks and glyphs always).</summary>
    internal static DoctorCheck CheckRender(TerminalCapabilities terminal)
    {
        var modes = terminal.Sextants ? "halfblock, quadrant, sextant, glyph"
            : terminal.Quadrants ? "halfblock, quadrant, glyph"
            : "halfblock, glyph";
        var detail = $"--render {modes} ({terminal.RenderReason}); auto draws half blocks";
        return terminal.Quadrants
            ? new DoctorCheck("terminal", "render", CheckStatus.Ok, detail)
            : new DoctorCheck("terminal", "render", CheckStatus.Note, detail, "set a UTF-8 locale (e.g. LANG=C.UTF-8) for the quadrant and sextant renderings");
    }
}
