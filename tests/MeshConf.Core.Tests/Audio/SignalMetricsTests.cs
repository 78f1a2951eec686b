using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class SignalMetricsTests
{
    [Fact]
    public void A_full_scale_sine_has_rms_of_peak_over_root_two_and_minus_3_dbfs()
    {
        var tone = new short[48000];
        new SineOscillator(1000, 1.0, 48000).Fill(tone);

        Assert.InRange(SignalMetrics.Rms(tone), 32767 / Math.Sqrt(2) - 10, 32767 / Math.Sqrt(2) + 10);
        Assert.InRange(SignalMetrics.RmsDbfs(tone), -3.1, -2.9);
    }

    [Fact]
    public void Silence_has_zero_rms_and_minus_infinity_dbfs()
    {
        Assert.Equal(0, SignalMetrics.Rms(new short[100]));
        Assert.Equal(double.NegativeInfinity, SignalMetrics.RmsDbfs(new short[100]));
        Assert.Equal(0, SignalMetrics.Rms([]));
    }

    [Fact]
    public void Tone_amplitude_finds_the_tone_and_ignores_other_frequencies()
    {
        var tone = new short[4800];
        new SineOscillator(1000, 0.5, 48000).Fill(tone);

        Assert.InRange(SignalMetrics.ToneAmplitude(tone, 1000, 48000), 0.49 * 32767, 0.51 * 32767);
        Assert.True(SignalMetrics.ToneAmplitude(tone, 1500, 48000) < 0.01 * 32767);
    }

    [Fact]
    public void Attenuation_of_a_signal_halved_is_6_db()
    {
        var tone = new short[4800];
        new SineOscillator(440, 0.8, 48000).Fill(tone);
        var half = tone.Select(s => (short)(s / 2)).ToArray();

        Assert.InRange(SignalMetrics.AttenuationDb(tone, half), 6.0, 6.1);
    }

    [Fact]
    public void Cross_correlation_finds_the_delay_of_a_scaled_copy()
    {
        var random = new Random(5);
        var reference = Enumerable.Range(0, 5000).Select(_ => (short)random.Next(-8000, 8000)).ToArray();
        var delayed = new short[5200];
        for (var i = 0; i < reference.Length; i++)
        {
            delayed[i + 123] = (short)(reference[i] / 2);
        }

        var (correlation, lag) = SignalMetrics.PeakCrossCorrelation(reference, delayed, maxLag: 200);

        Assert.Equal(123, lag);
        Assert.InRange(correlation, 0.999, 1.0);
    }

    [Fact]
    public void Unrelated_noise_does_not_correlate()
    {
        var a = new Random(1);
        var b = new Random(2);
        var x = Enumerable.Range(0, 5000).Select(_ => (short)a.Next(-8000, 8000)).ToArray();
        var y = Enumerable.Range(0, 5000).Select(_ => (short)b.Next(-8000, 8000)).ToArray();

        Assert.True(SignalMetrics.PeakCrossCorrelation(x, y, maxLag: 50).Correlation < 0.1);
    }

    [Fact]
    public void Oscillator_blocks_join_without_a_phase_jump()
    {
        var whole = new short[1000];
        new SineOscillator(440, 0.5, 48000).Fill(whole);
        var pieces = new short[1000];
        var osc = new SineOscillator(440, 0.5, 48000);
        osc.Fill(pieces.AsSpan(0, 333));
        osc.Fill(pieces.AsSpan(333));

        Assert.Equal(whole, pieces);
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, short.MaxValue)]
    [InlineData(-1f, short.MinValue)]
    [InlineData(5f, short.MaxValue)]
    [InlineData(-0.5f, -16384)]
    public void Float_to_pcm16_saturates(float sample, short expected)
    {
        Assert.Equal(expected, SampleConversion.ToPcm16(sample));
    }
}
