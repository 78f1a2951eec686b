namespace MeshConf.Node.Audio;

/// <summary>
/// The one audio format at MeshConf's interfaces: 48 kHz mono float samples in [-1, 1], in frames of 10, 20 or
/// 40 ms (480, 960 or 1920 samples; Opus frame sizes, RFC 6716 §2.1.4).
/// </summary>
internal static class AudioFormat
{
    /// <summary>Samples per second.</summary>
    public const int SampleRate = 48000;

    /// <summary>10 ms.</summary>
    public const int Frame10Ms = 480;

    /// <summary>20 ms, the default.</summary>
    public const int Frame20Ms = 960;

    /// <summary>40 ms.</summary>
    public const int Frame40Ms = 1920;

    /// <summary>True for 480, 960 or 1920.</summary>
    public static bool IsFrameSize(int samples) => samples is Frame10Ms or Frame20Ms or Frame40Ms;

    /// <summary>Throws unless <paramref name="samples"/> is a frame size MeshConf uses.</summary>
    public static void CheckFrameSize(int samples)
    {
        if (!IsFrameSize(samples))
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "an audio frame is 480, 960 or 1920 samples (10, 20 or 40 ms at 48 kHz)");
        }
    }

    /// <summary>How long <paramref name="samples"/> last.</summary>
    public static TimeSpan DurationOf(int samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / SampleRate);
}
