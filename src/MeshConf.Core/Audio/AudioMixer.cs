namespace MeshConf.Core.Audio;

/// <summary>
/// Mixes every peer's frame into the one frame that is played: each at its local volume (muted ones fading
/// out), summed in floating point, where no sum can wrap around, then through the <see cref="SoftLimiter"/>, which
/// passes everything below -6 dBFS untouched and bends louder sums smoothly into ±1.0. Mono, 48 kHz, one frame
/// length for all. Buffers are allocated when the mixer or a channel is made, never per frame. Not thread-safe:
/// channels are added, fed and mixed by one thread (only volume and mute may be set from others).
/// </summary>
internal sealed class AudioMixer
{
    private readonly float[] _sum;
    private MixerChannel[] _channels = [];

    /// <param name="frameSamples">Samples per mixed frame (960 is 20 ms).</param>
    public AudioMixer(int frameSamples = 960)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSamples);
        FrameSamples = frameSamples;
        _sum = new float[frameSamples];
    }

    public int FrameSamples { get; }

    public IReadOnlyList<MixerChannel> Channels => _channels;

    /// <summary>Output samples the limiter has bent so far (mixed sums above -6 dBFS).</summary>
    public long LimitedSamples { get; private set; }

    /// <summary>A new peer input, at volume 1 and not muted.</summary>
    public MixerChannel AddChannel()
    {
        var channel = new MixerChannel(FrameSamples);
        _channels = [.. _channels, channel];
        return channel;
    }

    /// <summary>Takes a peer out of the mix; false if it was not in it.</summary>
    public bool RemoveChannel(MixerChannel channel)
    {
        var index = Array.IndexOf(_channels, channel);
        if (index < 0)
        {
            return false;
        }

        _channels = [.. _channels.AsSpan(0, index), .. _channels.AsSpan(index + 1)];
        return true;
    }

    /// <summary>Mixes the frames submitted since the last mix into <paramref name="output"/> (exactly one frame), within ±1.0.</summary>
    public void Mix(Span<float> output)
    {
        if (output.Length != FrameSamples)
        {
            throw new ArgumentException($"the mixer makes frames of {FrameSamples} samples, not {output.Length}", nameof(output));
        }

        var sum = _sum.AsSpan();
        sum.Clear();
        foreach (var channel in _channels)
        {
            channel.MixInto(sum);
        }

        LimitedSamples += SoftLimiter.Apply(sum, output);
    }

    /// <summary>Mixes into 16-bit PCM; full scale saturates at 32767, it never wraps.</summary>
    public void Mix(Span<short> output)
    {
        if (output.Length != FrameSamples)
        {
            throw new ArgumentException($"the mixer makes frames of {FrameSamples} samples, not {output.Length}", nameof(output));
        }

        Mix(_sum.AsSpan());
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = SampleConversion.ToPcm16(_sum[i]);
        }
    }
}
