namespace MeshConf.Core.Audio;

/// <summary>Interleaved 16-bit PCM with its format.</summary>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="Channels">1 mono, 2 stereo.</param>
/// <param name="Samples">Interleaved samples.</param>
public sealed record PcmAudio(int SampleRate, int Channels, short[] Samples)
{
    /// <summary>Frames (samples per channel).</summary>
    public int FrameCount => Samples.Length / Channels;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / SampleRate);

    /// <summary>A mono copy: channels averaged.</summary>
    public PcmAudio ToMono()
    {
        if (Channels == 1)
        {
            return this;
        }

        var mono = new short[FrameCount];
        for (var f = 0; f < mono.Length; f++)
        {
            var sum = 0;
            for (var c = 0; c < Channels; c++)
            {
                sum += Samples[(f * Channels) + c];
            }

            mono[f] = (short)(sum / Channels);
        }

        return new PcmAudio(SampleRate, 1, mono);
    }
}
