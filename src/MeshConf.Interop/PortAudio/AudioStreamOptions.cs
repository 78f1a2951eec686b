namespace MeshConf.Interop.PortAudio;

/// <summary>What a blocking stream is opened with.</summary>
/// <param name="Device">Device index; null for the default device of that direction.</param>
/// <param name="SampleRate">Hz, e.g. 48000.</param>
/// <param name="Channels">1 for mono.</param>
/// <param name="FramesPerBuffer">Frames per host buffer, e.g. 960 for 20 ms at 48 kHz; 0 lets PortAudio pick.</param>
/// <param name="Format">Sample format of the caller's buffers.</param>
/// <param name="SuggestedLatencySeconds">Null for the device's default low latency.</param>
public sealed record AudioStreamOptions(
    int? Device = null,
    int SampleRate = 48000,
    int Channels = 1,
    int FramesPerBuffer = 960,
    AudioSampleFormat Format = AudioSampleFormat.Pcm16,
    double? SuggestedLatencySeconds = null);
