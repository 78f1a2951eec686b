namespace MeshConf.Core.Audio;

/// <summary>Conversions between float samples (nominal ±1) and 16-bit PCM, saturating rather than wrapping.</summary>
public static class SampleConversion
{
    public static short ToPcm16(float sample)
    {
        var scaled = sample * 32768f;
        return scaled >= short.MaxValue ? short.MaxValue : scaled <= short.MinValue ? short.MinValue : (short)MathF.Round(scaled);
    }

    public static float ToFloat(short sample) => sample / 32768f;
}
