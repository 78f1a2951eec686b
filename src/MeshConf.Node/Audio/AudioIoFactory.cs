using System.Globalization;
using MeshConf.Interop.Native;
using MeshConf.Interop.PortAudio;

namespace MeshConf.Node.Audio;

/// <summary>
/// Turns `--audio`/`--mic` into this node's audio input and `--audio-out`/`--speaker` into its output. A missing
/// piece (no PortAudio, no device, a bad device name, a missing file) never throws: it becomes a one-line notice
/// for the user, and the call goes on listen-only (no input) or silent here (an output that discards).
/// </summary>
/// <param name="openPortAudio">Initialises PortAudio (<see cref="PortAudioSession"/>); may throw
/// <see cref="NativeDependencyMissingException"/> or <see cref="PortAudioException"/>.</param>
internal sealed class AudioIoFactory(Func<PortAudioSession> openPortAudio)
{
    /// <summary>What a notice ends with when the call goes on without a microphone.</summary>
    public const string ListeningOnly = "listening only";

    /// <summary>What a notice ends with when the call goes on without a speaker.</summary>
    public const string SilentHere = "the call is silent here";

    /// <summary>The real machine's PortAudio.</summary>
    public static AudioIoFactory System { get; } = new(static () => new PortAudioSession());

    /// <summary>
    /// The input for <paramref name="spec"/>, or null: for `none` (no notice), or with a <paramref name="notice"/>
    /// saying what is missing and that the call goes on listening only.
    /// </summary>
    /// <param name="spec">The parsed `--audio` value.</param>
    /// <param name="mic">`--mic`: a device name (exact, else a part of it) or index; null for the default microphone.</param>
    /// <param name="frameSamples">480, 960 or 1920.</param>
    /// <param name="time">The clock that paces files and tones.</param>
    /// <param name="notice">Why there is no input, or null.</param>
    public IAudioInput? CreateInput(AudioDeviceSpec spec, string? mic, int frameSamples, TimeProvider time, out string? notice)
    {
        ArgumentNullException.ThrowIfNull(spec);
        AudioFormat.CheckFrameSize(frameSamples);
        notice = null;
        switch (spec.Kind)
        {
            case AudioSpecKind.None:
                return null;
            case AudioSpecKind.Tone:
                return new ToneAudioInput(frameSamples, time, spec.ToneHz, alternateFrequency: spec.AlternateToneHz);
            case AudioSpecKind.File when !File.Exists(spec.Path):
                notice = $"audio file not found: {spec.Path}; {ListeningOnly}";
                return null;
            case AudioSpecKind.File:
                try
                {
                    return FileAudioInput.Open(spec.Path!, frameSamples, time);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    notice = $"audio file {spec.Path} cannot be used ({e.Message}); {ListeningOnly}";
                    return null;
                }

            default:
                return OpenDevice<IAudioInput>(mic, capture: true, out notice, (session, device) => new DeviceAudioInput(session, device, frameSamples, time));
        }
    }

    /// <summary>
    /// The output for <paramref name="spec"/>; never null: for `none`, and with a <paramref name="notice"/> when the
    /// speaker or the file is missing, a <see cref="NullAudioOutput"/> that keeps the playout loop at real time.
    /// </summary>
    /// <param name="spec">The parsed `--audio-out` value.</param>
    /// <param name="speaker">`--speaker`: a device name (exact, else a part of it) or index; null for the default speaker.</param>
    /// <param name="frameSamples">480, 960 or 1920.</param>
    /// <param name="time">The clock that paces files and nothing.</param>
    /// <param name="notice">Why the call is silent here, or null.</param>
    public IAudioOutput CreateOutput(AudioDeviceSpec spec, string? speaker, int frameSamples, TimeProvider time, out string? notice)
    {
        ArgumentNullException.ThrowIfNull(spec);
        AudioFormat.CheckFrameSize(frameSamples);
        notice = null;
        switch (spec.Kind)
        {
            case AudioSpecKind.None:
                return new NullAudioOutput(frameSamples, time);
            case AudioSpecKind.File:
                try
                {
                    return new FileAudioOutput(spec.Path!, frameSamples, time);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    notice = $"cannot write {spec.Path} ({e.Message}): {SilentHere}";
                    return new NullAudioOutput(frameSamples, time);
                }

            case AudioSpecKind.Tone:
                throw new ArgumentException("a tone is an input, not an output", nameof(spec));
            default:
                return OpenDevice<IAudioOutput>(speaker, capture: false, out notice, (session, device) => new DeviceAudioOutput(session, device, frameSamples, time))
                    ?? new NullAudioOutput(frameSamples, time);
        }
    }

    private T? OpenDevice<T>(string? wanted, bool capture, out string? notice, Func<PortAudioSession, AudioDeviceInfo, T> open)
        where T : class
    {
        var what = capture ? "microphone" : "speaker";
        var consequence = capture ? ListeningOnly : SilentHere;
        PortAudioSession session;
        try
        {
            session = openPortAudio();
        }
        catch (NativeDependencyMissingException e)
        {
            notice = $"portaudio missing: {Remedy(e)}; {consequence}";
            return null;
        }
        catch (PortAudioException e)
        {
            notice = $"portaudio failed to start ({e.Message}): {consequence}";
            return null;
        }

        AudioDeviceInfo? device = null;
        try
        {
            device = wanted is null
                ? (capture ? session.DefaultInput : session.DefaultOutput) ?? session.GetDevices().FirstOrDefault(d => capture ? d.CanCapture : d.CanPlay)
                : session.FindDevice(wanted, capture);
            if (device is null)
            {
                notice = wanted is null
                    ? $"no {what} found: {consequence}"
                    : $"{what} '{wanted}' not found ({Listing(session, capture)}): {consequence}";
                session.Dispose();
                return null;
            }

            var opened = open(session, device);
            notice = null;
            return opened;
        }
        catch (PortAudioException e)
        {
            notice = device is null
                ? $"{what}s cannot be listed ({e.Message}): {consequence}"
                : $"{what} {device.Name} cannot be opened ({e.Message}): {consequence}";
            session.Dispose();
            return null;
        }
    }

    private static string Remedy(NativeDependencyMissingException e) =>
        e.Dependency?.Remedy ?? NativeDependency.PortAudio.InstallHint;

    private static string Listing(PortAudioSession session, bool capture)
    {
        var devices = session.GetDevices().Where(d => capture ? d.CanCapture : d.CanPlay).ToList();
        var kind = capture ? "capture" : "playback";
        return devices.Count == 0
            ? $"no {kind} devices"
            : $"{kind} devices: " + string.Join(", ", devices.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Index} {d.Name}")));
    }
}
