using System.Diagnostics;
using MeshConf.Core.Audio;
using MeshConf.Node.Audio;
using MeshConf.Node.Tests.Security;

namespace MeshConf.Node.Tests.Audio;

public sealed class FileAudioInputTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Given_a_short_48k_mono_file_When_read_past_its_end_Then_it_loops_sample_for_sample()
    {
        using var dir = new TempDirectory();
        var ramp = Enumerable.Range(0, 1000).Select(i => (short)((i * 37) - 18000)).ToArray();
        var path = dir.Combine("ramp.wav");
        WaveFile.Write(path, new PcmAudio(48000, 1, ramp));
        using var input = FileAudioInput.Open(path, AudioFormat.Frame10Ms, new FakeClock { AutoAdvance = true });
        var frame = new float[AudioFormat.Frame10Ms];
        var read = new List<float>();

        for (var i = 0; i < 5; i++)
        {
            Assert.True(input.Read(frame));
            read.AddRange(frame);
        }

        Assert.Equal(1000, input.LoopSamples);
        for (var i = 0; i < read.Count; i++)
        {
            Assert.Equal(ramp[i % 1000], SampleConversion.ToPcm16(read[i]));
        }

        Assert.Equal("file ramp.wav", input.Description);
        Assert.False(input.IsDevice);
        Assert.Equal(0, input.Errors);
        Assert.Null(input.Problem);
    }

    [Fact]
    public void Given_a_stereo_24k_file_When_read_Then_channels_are_averaged_and_the_rate_doubled_keeping_the_pitch()
    {
        // Left: a 1 kHz sine at half scale; right: silence. Mono is the sine at a quarter scale.
        const int rate = 24000;
        var interleaved = new short[rate * 2];
        for (var i = 0; i < rate; i++)
        {
            interleaved[2 * i] = (short)Math.Round(16384 * Math.Sin(2 * Math.PI * 1000 * i / rate));
        }

        var input = new FileAudioInput(new PcmAudio(rate, 2, interleaved), "sine.wav", AudioFormat.Frame20Ms, new FakeClock { AutoAdvance = true });
        var frame = new float[AudioFormat.Frame20Ms];
        var pcm = new List<short>();
        for (var i = 0; i < 25; i++)
        {
            input.Read(frame);
            pcm.AddRange(frame.Select(SampleConversion.ToPcm16));
        }

        var samples = pcm.ToArray();
        Assert.Equal(48000, input.LoopSamples);
        Assert.Equal((24000, 2), (input.SourceRate, input.SourceChannels));
        Assert.Equal("file sine.wav (resampled from 24000 Hz)", input.Description);
        Assert.InRange(SignalMetrics.ToneAmplitude(samples, 1000, 48000), 8192 * 0.95, 8192 * 1.05);
        Assert.True(SignalMetrics.ToneAmplitude(samples, 2000, 48000) < 100);
        input.Dispose();
    }

    [Fact]
    public void Given_an_empty_or_broken_file_When_opened_Then_an_invalid_data_error_saying_why()
    {
        using var dir = new TempDirectory();
        var empty = dir.Combine("empty.wav");
        WaveFile.Write(empty, new PcmAudio(48000, 1, []));
        var broken = dir.Combine("broken.wav");
        File.WriteAllText(broken, "this is not audio");

        Assert.Contains("no samples", Assert.Throws<InvalidDataException>(() => FileAudioInput.Open(empty, 960, TimeProvider.System)).Message, StringComparison.Ordinal);
        Assert.Contains("not a WAVE file", Assert.Throws<InvalidDataException>(() => FileAudioInput.Open(broken, 960, TimeProvider.System)).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_fake_clock_When_it_moves_Then_a_frame_is_read_every_frame_duration_catching_up_without_drift()
    {
        var clock = new FakeClock();
        using var input = new FileAudioInput(new PcmAudio(48000, 1, new short[4800]), "quiet.wav", AudioFormat.Frame20Ms, clock);
        var frame = new float[AudioFormat.Frame20Ms];
        using var loop = new PacedLoop(() => input.Read(frame));

        await loop.BlockedAfterAsync(0, 20 * Ms, clock);
        clock.Advance(20 * Ms);
        await loop.BlockedAfterAsync(1, 40 * Ms, clock);
        clock.Advance(70 * Ms);
        await loop.BlockedAfterAsync(4, 100 * Ms, clock);

        input.Dispose();
        Assert.True(loop.Join(TimeSpan.FromSeconds(5)), "Read did not return after Dispose");
        Assert.False(input.Read(frame));
    }

    [Fact(Timeout = 30_000)]
    public void Given_the_real_clock_When_a_second_is_read_Then_it_takes_a_second()
    {
        using var input = new FileAudioInput(new PcmAudio(48000, 1, new short[960]), "quiet.wav", AudioFormat.Frame20Ms, TimeProvider.System);
        var frame = new float[AudioFormat.Frame20Ms];
        var started = Stopwatch.GetTimestamp();

        for (var i = 0; i < 50; i++)
        {
            Assert.True(input.Read(frame));
        }

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(999), TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public void Given_a_steady_read_loop_When_reading_Then_nothing_is_allocated()
    {
        using var input = new FileAudioInput(new PcmAudio(48000, 1, new short[1000]), "a.wav", AudioFormat.Frame20Ms, new FakeClock { AutoAdvance = true });
        var frame = new float[AudioFormat.Frame20Ms];
        input.Read(frame);
        input.Read(frame);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            input.Read(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
