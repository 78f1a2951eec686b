namespace MeshConf.Interop.Opus;

/// <summary>The coding mode an encoder is tuned for (<c>OPUS_APPLICATION_*</c>).</summary>
public enum OpusApplication
{
    /// <summary>Speech: best for calls (2048).</summary>
    Voip = 2048,

    /// <summary>Music and mixed content (2049).</summary>
    Audio = 2049,

    /// <summary>Lowest delay, CELT only (2051).</summary>
    RestrictedLowDelay = 2051,
}
