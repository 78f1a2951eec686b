using MeshConf.Core.Audio;
using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

public sealed class ToneAudioInputTests
{
    [Fact]
    public void Given_the_default_tone_When_read_Then_440_Hz_at_minus_12_dBFS_peak()
    {
        using var tone = new ToneAudioInput(AudioFormat.Frame20Ms, new FakeClock { AutoAdvance = true });
        var samples = Read(tone, 50);

        var peak = 32768 * Math.Pow(10, -12 / 20.0);
        Assert.InRange(SignalMetrics.ToneAmplitude(samples, 440, 48000), peak * 0.98, peak * 1.02);
        Assert.InRange(samples.Max(s => Math.Abs((int)s)), peak * 0.99, peak * 1.01);
        // A sine's RMS is 3 dB under its peak: -15 dBFS.
        Assert.InRange(SignalMetrics.RmsDbfs(samples), -15.2, -14.9);
        Assert.Equal("tone 440 Hz", tone.Description);
        Assert.False(tone.IsDevice);
    }

    [Fact]
    public void Given_two_pitches_When_read_Then_they_take_turns_every_half_second_without_a_click()
    {
        using var tone = new ToneAudioInput(AudioFormat.Frame10Ms, new FakeClock { AutoAdvance = true }, 440, -6, alternateFrequency: 660);
        var samples = Read(tone, 200);

        var first = samples.AsSpan(0, 24000);
        var second = samples.AsSpan(24000, 24000);
        var third = samples.AsSpan(48000, 24000);
        Assert.True(SignalMetrics.ToneAmplitude(first, 440, 48000) > 10 * SignalMetrics.ToneAmplitude(first, 660, 48000));
        Assert.True(SignalMetrics.ToneAmplitude(second, 660, 48000) > 10 * SignalMetrics.ToneAmplitude(second, 440, 48000));
        Assert.True(SignalMetrics.ToneAmplitude(third, 440, 48000) > 10 * SignalMetrics.ToneAmplitude(third, 660, 48000));
        // Continuous phase: no step between neighbours larger than the faster sine's steepest slope.
        var maxStep = 32768 * 0.5 * 2 * Math.PI * 660 / 48000 * 1.05;
        for (var i = 1; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - samples[i - 1]) <= maxStep, $"a jump at sample {i}");
        }

        Assert.Equal("tone 440/660 Hz", tone.Description);
    }

    [Fact]
    public void Given_bad_parameters_When_made_Then_argument_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioInput(500, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioInput(960, TimeProvider.System, frequency: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioInput(960, TimeProvider.System, levelDbfs: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioInput(960, TimeProvider.System, alternateFrequency: 30000));
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_fake_clock_When_it_moves_Then_one_tone_frame_per_frame_duration()
    {
        var clock = new FakeClock();
        using var tone = new ToneAudioInput(AudioFormat.Frame40Ms, clock);
        var frame = new float[AudioFormat.Frame40Ms];
        using var loop = new PacedLoop(() => tone.Read(frame));

        await loop.BlockedAfterAsync(0, TimeSpan.FromMilliseconds(40), clock);
        clock.Advance(TimeSpan.FromMilliseconds(80));
        await loop.BlockedAfterAsync(2, TimeSpan.FromMilliseconds(120), clock);
    }

    [Fact]
    public void Given_a_steady_read_loop_When_reading_Then_nothing_is_allocated()
    {
        using var tone = new ToneAudioInput(AudioFormat.Frame20Ms, new FakeClock { AutoAdvance = true }, alternateFrequency: 550);
        var frame = new float[AudioFormat.Frame20Ms];
        tone.Read(frame);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            tone.Read(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static short[] Read(ToneAudioInput input, int frames)
    {
        var frame = new float[input.FrameSamples];
        var samples = new short[frames * input.FrameSamples];
        for (var f = 0; f < frames; f++)
        {
            Assert.True(input.Read(frame));
            for (var i = 0; i < frame.Length; i++)
            {
                samples[(f * frame.Length) + i] = SampleConversion.ToPcm16(frame[i]);
            }
        }

        return samples;
    }
}
