namespace MeshConf.Node.Voice;

/// <summary>How this node encodes what it says.</summary>
internal sealed record VoiceOptions
{
    /// <summary>Samples per frame at 48 kHz: 480, 960 (default, 20 ms) or 1920.</summary>
    public int FrameSamples { get; init; } = 960;

    /// <summary>Opus bitrate, bit/s (24 to 32 kbit/s for speech).</summary>
    public int Bitrate { get; init; } = 32_000;

    /// <summary>Variable bitrate: smaller on average, but packet sizes follow speech, which an encrypted link still shows.</summary>
    public bool VariableBitrate { get; init; }

    /// <summary>Start muted.</summary>
    public bool Muted { get; init; }
}
