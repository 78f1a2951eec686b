using MeshConf.Core.Audio;
using MeshConf.Node.Audio;
using MeshConf.Node.Tests.Security;

namespace MeshConf.Node.Tests.Audio;

public sealed class FileAudioOutputTests
{
    private const int Frame = AudioFormat.Frame20Ms;

    [Fact]
    public void Given_frames_written_When_disposed_Then_a_valid_16_bit_mono_48k_wav_with_exactly_those_samples()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("out.wav");
        var expected = new List<short>();

        using (var output = new FileAudioOutput(path, Frame, new FakeClock { AutoAdvance = true }))
        {
            for (var f = 0; f < 7; f++)
            {
                var frame = Ramp(f);
                output.Write(frame);
                expected.AddRange(frame.Select(SampleConversion.ToPcm16));
            }

            Assert.Equal(7 * Frame, output.SamplesWritten);
        }

        var wav = WaveFile.Read(path);
        Assert.Equal((48000, 1), (wav.SampleRate, wav.Channels));
        Assert.Equal(expected, wav.Samples);
        Assert.Equal(44 + (7 * Frame * 2), new FileInfo(path).Length);
    }

    [Fact]
    public void Given_a_file_still_being_written_When_read_Then_it_is_a_valid_wav_holding_what_the_last_header_update_covered()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("live.wav");
        using var output = new FileAudioOutput(path, Frame, new FakeClock { AutoAdvance = true }, headerIntervalSamples: 3 * Frame);
        var expected = new List<short>();
        for (var f = 0; f < 7; f++)
        {
            var frame = Ramp(f);
            output.Write(frame);
            expected.AddRange(frame.Select(SampleConversion.ToPcm16));
        }

        // Every frame is on disk already; the header was last brought up to date after frame 6.
        PcmAudio live;
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            Assert.Equal(44 + (7 * Frame * 2), reader.Length);
            live = WaveFile.Read(reader);
        }

        Assert.Equal((48000, 1), (live.SampleRate, live.Channels));
        Assert.Equal(expected.Take(6 * Frame), live.Samples);
        // The way a killed process leaves it: a plain reader gets the same.
        Assert.Equal(6 * Frame, WaveFile.Read(path).Samples.Length);
    }

    [Fact]
    public void Given_a_new_file_When_nothing_was_written_yet_Then_it_is_already_a_valid_empty_wav()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("new.wav");
        using var output = new FileAudioOutput(path, Frame, TimeProvider.System);

        var wav = WaveFile.Read(path);

        Assert.Empty(wav.Samples);
        Assert.Equal("file new.wav", output.Description);
        Assert.False(output.IsDevice);
    }

    [Fact]
    public void Given_samples_beyond_full_scale_When_written_Then_they_saturate()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("loud.wav");
        var frame = new float[Frame];
        frame[0] = 2f;
        frame[1] = -2f;
        frame[2] = 0.5f;
        using (var output = new FileAudioOutput(path, Frame, new FakeClock { AutoAdvance = true }))
        {
            output.Write(frame);
        }

        var samples = WaveFile.Read(path).Samples;
        Assert.Equal([short.MaxValue, short.MinValue, 16384], samples.Take(3));
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_fake_clock_When_frames_are_written_Then_each_write_takes_a_frame_duration()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock();
        var output = new FileAudioOutput(dir.Combine("paced.wav"), Frame, clock);
        var frame = new float[Frame];
        using var loop = new PacedLoop(() =>
        {
            output.Write(frame);
            return true;
        });

        // The first write is on disk at once and returns when its 20 ms have passed.
        await loop.BlockedAfterAsync(0, TimeSpan.FromMilliseconds(20), clock);
        Assert.Equal(Frame, output.SamplesWritten);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        await loop.BlockedAfterAsync(1, TimeSpan.FromMilliseconds(40), clock);
        Assert.Equal(2 * Frame, output.SamplesWritten);

        loop.Stop();
        output.Dispose();
        Assert.True(loop.Join(TimeSpan.FromSeconds(5)), "Write did not return after Dispose");
        output.Write(frame);
        Assert.Equal(2 * Frame, WaveFile.Read(dir.Combine("paced.wav")).Samples.Length);
    }

    [Fact]
    public void Given_a_steady_write_loop_When_writing_Then_nothing_is_allocated()
    {
        using var dir = new TempDirectory();
        using var output = new FileAudioOutput(dir.Combine("alloc.wav"), Frame, new FakeClock { AutoAdvance = true }, headerIntervalSamples: 4 * Frame);
        var frame = Ramp(1);
        for (var i = 0; i < 10; i++)
        {
            output.Write(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output.Write(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_null_output_When_written_with_a_fake_clock_Then_it_discards_at_the_frame_pace()
    {
        var clock = new FakeClock();
        using var output = new NullAudioOutput(AudioFormat.Frame10Ms, clock);
        var frame = new float[AudioFormat.Frame10Ms];
        using var loop = new PacedLoop(() =>
        {
            output.Write(frame);
            return true;
        });

        await loop.BlockedAfterAsync(0, TimeSpan.FromMilliseconds(10), clock);
        clock.Advance(TimeSpan.FromMilliseconds(30));
        await loop.BlockedAfterAsync(3, TimeSpan.FromMilliseconds(40), clock);

        Assert.Equal(3, output.Frames);
        Assert.Equal("none", output.Description);
        Assert.False(output.IsDevice);
        loop.Stop();
        output.Dispose();
        Assert.True(loop.Join(TimeSpan.FromSeconds(5)));
    }

    private static float[] Ramp(int frameIndex)
    {
        var frame = new float[Frame];
        for (var i = 0; i < Frame; i++)
        {
            frame[i] = (((frameIndex * Frame) + i) % 2000 / 1000f) - 1f;
        }

        return frame;
    }
}
