namespace MeshConf.Interop.PortAudio;

/// <summary>One audio device as PortAudio lists it.</summary>
/// <param name="Index">PortAudio's device index, stable while the session lasts.</param>
/// <param name="Name">The device name, e.g. "pulse" or "HDA Intel PCH: ALC3246 Analog (hw:0,0)".</param>
/// <param name="HostApi">The host API serving it, e.g. "ALSA", "Core Audio", "WASAPI".</param>
/// <param name="MaxInputChannels">0 for an output-only device.</param>
/// <param name="MaxOutputChannels">0 for an input-only device.</param>
/// <param name="DefaultSampleRate">The device's preferred rate in Hz.</param>
/// <param name="DefaultLowInputLatency">Suggested interactive input latency, seconds.</param>
/// <param name="DefaultLowOutputLatency">Suggested interactive output latency, seconds.</param>
/// <param name="IsDefaultInput">The host's default input device.</param>
/// <param name="IsDefaultOutput">The host's default output device.</param>
public sealed record AudioDeviceInfo(
    int Index,
    string Name,
    string HostApi,
    int MaxInputChannels,
    int MaxOutputChannels,
    double DefaultSampleRate,
    double DefaultLowInputLatency,
    double DefaultLowOutputLatency,
    bool IsDefaultInput,
    bool IsDefaultOutput)
{
    public bool CanCapture => MaxInputChannels > 0;

    public bool CanPlay => MaxOutputChannels > 0;
}
