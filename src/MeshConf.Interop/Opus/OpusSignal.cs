namespace MeshConf.Interop.Opus;

/// <summary>A hint about the content (<c>OPUS_SET_SIGNAL</c>).</summary>
public enum OpusSignal
{
    /// <summary>Let the encoder decide (OPUS_AUTO).</summary>
    Auto = -1000,

    /// <summary>Speech (3001).</summary>
    Voice = 3001,

    /// <summary>Music (3002).</summary>
    Music = 3002,
}
