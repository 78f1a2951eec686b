namespace MeshConf.Node.Audio;

/// <summary>What an `--audio` or `--audio-out` value names.</summary>
internal enum AudioSpecKind
{
    /// <summary>A sound card through PortAudio (picked with --mic or --speaker).</summary>
    Device,

    /// <summary>A WAV file: looped as input, written as output.</summary>
    File,

    /// <summary>A test tone (input only).</summary>
    Tone,

    /// <summary>Nothing: no input is sent; the output is discarded at real time.</summary>
    None,
}
