namespace MeshConf.Core.Audio;

/// <summary>A continuous sine tone, block by block, with no phase jump between blocks.</summary>
public sealed class SineOscillator
{
    private readonly double _step;
    private double _phase;

    /// <param name="frequency">Hz.</param>
    /// <param name="amplitude">Peak level, 0 to 1 of full scale.</param>
    /// <param name="sampleRate">Hz.</param>
    public SineOscillator(double frequency, double amplitude, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(frequency);
        Frequency = frequency;
        Amplitude = amplitude;
        _step = 2 * Math.PI * frequency / sampleRate;
    }

    public double Frequency { get; }

    public double Amplitude { get; }

    /// <summary>Writes the next samples of the tone (mono).</summary>
    public void Fill(Span<short> block)
    {
        var scale = Amplitude * short.MaxValue;
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (short)Math.Round(scale * Math.Sin(_phase));
            _phase += _step;
            if (_phase >= 2 * Math.PI)
            {
                _phase -= 2 * Math.PI;
            }
        }
    }

    /// <summary>Float variant of <see cref="Fill(Span{short})"/>.</summary>
    public void Fill(Span<float> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (float)(Amplitude * Math.Sin(_phase));
            _phase += _step;
            if (_phase >= 2 * Math.PI)
            {
                _phase -= 2 * Math.PI;
            }
        }
    }
}
