namespace MeshConf.Interop.PortAudio;

/// <summary>Sample formats the bindings support (<c>PaSampleFormat</c>).</summary>
public enum AudioSampleFormat
{
    /// <summary>Signed 16-bit (paInt16).</summary>
    Pcm16,

    /// <summary>32-bit float, nominally ±1 (paFloat32).</summary>
    PcmFloat,
}
