using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class AudioMixerTests
{
    private const int Frame = 960;

    [Fact]
    public void Given_quiet_peers_When_mixed_Then_the_output_is_their_exact_sum()
    {
        var mixer = new AudioMixer(Frame);
        var a = Tone(440, 0.1, frames: 1);
        var b = Tone(660, 0.2, frames: 1);
        mixer.AddChannel().Submit(a);
        mixer.AddChannel().Submit(b);
        var output = new float[Frame];

        mixer.Mix(output);

        for (var i = 0; i < Frame; i++)
        {
            Assert.Equal(a[i] + b[i], output[i], 1e-6f);
        }

        Assert.Equal(0, mixer.LimitedSamples);
    }

    [Fact]
    public void Given_a_volume_change_When_mixed_Then_it_ramps_over_one_frame_and_then_holds()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();
        var tone = new float[Frame];
        Array.Fill(tone, 0.3f);
        var output = new float[Frame];
        channel.Submit(tone);
        mixer.Mix(output);
        Assert.All(output, x => Assert.Equal(0.3f, x, 1e-6f));

        channel.Volume = 0.5f;
        channel.Submit(tone);
        mixer.Mix(output);

        // From just under the old gain to exactly the new one, falling all the way.
        Assert.InRange(output[0], 0.299f, 0.3f);
        Assert.Equal(0.15f, output[^1], 1e-6f);
        for (var i = 1; i < Frame; i++)
        {
            Assert.True(output[i] < output[i - 1]);
        }

        channel.Submit(tone);
        mixer.Mix(output);
        Assert.All(output, x => Assert.Equal(0.15f, x, 1e-6f));
        Assert.Equal(0.5f, channel.Volume);
    }

    [Fact]
    public void Given_a_peer_muted_locally_When_mixed_Then_it_fades_out_of_the_mix_but_is_still_metered()
    {
        var mixer = new AudioMixer(Frame);
        var loud = mixer.AddChannel();
        var other = mixer.AddChannel();
        var output = new float[Frame];
        var tone = Tone(300, 0.3, frames: 3);
        var quiet = Tone(500, 0.01, frames: 3);

        loud.IsMuted = true;
        for (var f = 0; f < 3; f++)
        {
            loud.Submit(tone.AsSpan(f * Frame, Frame));
            other.Submit(quiet.AsSpan(f * Frame, Frame));
            mixer.Mix(output);
        }

        // After the fade (first frame) only the other peer is heard; the muted one still shows its level.
        for (var i = 0; i < Frame; i++)
        {
            Assert.Equal(quiet[(2 * Frame) + i], output[i], 1e-6f);
        }

        Assert.True(loud.IsMuted);
        Assert.InRange(loud.LevelDbfs, -14, -13);
        Assert.True(loud.IsSpeaking);
    }

    [Fact]
    public void Given_volumes_outside_0_to_2_Then_setting_them_throws()
    {
        var channel = new AudioMixer(Frame).AddChannel();

        channel.Volume = 0;
        channel.Volume = MixerChannel.MaxVolume;
        Assert.Throws<ArgumentOutOfRangeException>(() => channel.Volume = -0.01f);
        Assert.Throws<ArgumentOutOfRangeException>(() => channel.Volume = 2.01f);
        Assert.Throws<ArgumentOutOfRangeException>(() => channel.Volume = float.NaN);
        Assert.Equal(MixerChannel.MaxVolume, channel.Volume);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Given_8_full_scale_peers_at_double_volume_When_mixed_Then_the_output_stays_within_full_scale_and_never_wraps(bool inPhase)
    {
        var mixer = new AudioMixer(Frame);
        var peers = Enumerable.Range(0, 8).Select(_ => mixer.AddChannel()).ToArray();
        var floats = new float[Frame];
        var pcm = new short[Frame];
        var frames = 20;
        var sources = Enumerable.Range(0, 8).Select(p => Square(inPhase ? 100 : 100 + (37 * p), frames)).ToArray();
        for (var f = 0; f < frames; f++)
        {
            for (var p = 0; p < 8; p++)
            {
                peers[p].Volume = 2;
                peers[p].Submit(sources[p].AsSpan(f * Frame, Frame));
            }

            mixer.Mix(floats);
            for (var p = 0; p < 8; p++)
            {
                peers[p].Submit(sources[p].AsSpan(f * Frame, Frame));
            }

            mixer.Mix(pcm);
            for (var i = 0; i < Frame; i++)
            {
                var sum = sources.Sum(s => s[(f * Frame) + i]) * (f == 0 ? 1 : 2);
                Assert.InRange(floats[i], -1f, 1f);
                // The sign of the sum survives: a wrap-around would flip a loud positive sum negative.
                if (MathF.Abs(sum) > 0.6f)
                {
                    Assert.Equal(MathF.Sign(sum), MathF.Sign(floats[i]));
                    Assert.Equal(MathF.Sign(sum), Math.Sign(pcm[i]));
                    Assert.True(Math.Abs((int)pcm[i]) > 16_000, $"{pcm[i]} for a sum of {sum}");
                }
            }
        }

        Assert.True(mixer.LimitedSamples > 0);
        if (inPhase)
        {
            // Sixteen times full scale saturates: the 16-bit output pins at the rails.
            Assert.Contains(short.MaxValue, pcm);
            Assert.Contains(short.MinValue, pcm);
        }
    }

    [Fact]
    public void Given_levels_Then_they_read_in_dBFS_as_SignalMetrics_does_and_silence_reads_the_floor()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();
        var output = new float[Frame];

        channel.Submit(Tone(1000, 1.0, frames: 1));
        Assert.Equal(-3.01, channel.LevelDbfs, 0.05);

        var pcm = new short[Frame];
        new SineOscillator(1000, 0.1, 48_000).Fill(pcm);
        channel.Submit(pcm);
        Assert.Equal(SignalMetrics.RmsDbfs(pcm), channel.LevelDbfs, 0.05);
        mixer.Mix(output);

        channel.Submit(new float[Frame]);
        Assert.Equal(MixerChannel.SilenceDbfs, channel.LevelDbfs);

        // A peer that sends nothing this time is metered as silence too.
        channel.Submit(Tone(1000, 1.0, frames: 1));
        mixer.Mix(output);
        mixer.Mix(output);
        Assert.Equal(MixerChannel.SilenceDbfs, channel.LevelDbfs);
    }

    [Fact]
    public void Given_speech_with_short_gaps_When_metered_Then_the_speaking_flag_holds_across_gaps_and_drops_after_400ms_of_silence()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();
        var output = new float[Frame];
        var speech = Tone(200, 0.1, frames: 1);
        var noise = Noise(0.001, seed: 3);
        var flags = new List<bool>();

        void Play(float[] frame, int frames)
        {
            for (var f = 0; f < frames; f++)
            {
                channel.Submit(frame);
                mixer.Mix(output);
                flags.Add(channel.IsSpeaking);
            }
        }

        Play(noise, 10);        // background noise (about -60 dBFS): never speaking
        Play(speech, 1);        // one loud frame, a click: not yet
        Play(noise, 2);
        Play(speech, 20);       // speech
        Play(noise, 5);         // a 100 ms pause between words
        Play(speech, 20);
        Play(noise, 30);        // the talker stops

        // Speech starts at frame 13 and is flagged from its second frame; it stops after frame 57, and the 20th
        // frame of silence after it (400 ms) is the first not flagged.
        Assert.All(flags[..14], Assert.False);
        Assert.All(flags[14..58], Assert.True);
        Assert.Equal(19, flags.Skip(58).TakeWhile(f => f).Count());
        Assert.All(flags[77..], Assert.False);
    }

    [Fact]
    public void Given_a_level_between_the_thresholds_Then_the_speaking_flag_keeps_its_state()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();
        var output = new float[Frame];
        var between = Tone(300, Math.Pow(10, -44 / 20.0) * Math.Sqrt(2), frames: 1);

        for (var f = 0; f < 50; f++)
        {
            channel.Submit(between);
            mixer.Mix(output);
            Assert.False(channel.IsSpeaking);
        }

        channel.Submit(Tone(300, 0.1, frames: 1));
        mixer.Mix(output);
        channel.Submit(Tone(300, 0.1, frames: 1));
        mixer.Mix(output);
        Assert.True(channel.IsSpeaking);
        for (var f = 0; f < 50; f++)
        {
            channel.Submit(between);
            mixer.Mix(output);
            Assert.True(channel.IsSpeaking);
        }

        Assert.InRange(channel.LevelDbfs, -44.1, -43.9);
    }

    [Fact]
    public void Given_a_removed_peer_Then_it_is_no_longer_mixed_and_removing_it_again_is_false()
    {
        var mixer = new AudioMixer(Frame);
        var a = mixer.AddChannel();
        var b = mixer.AddChannel();
        var output = new float[Frame];

        Assert.True(mixer.RemoveChannel(a));
        a.Submit(Tone(300, 0.3, frames: 1));
        b.Submit(new float[Frame]);
        mixer.Mix(output);

        Assert.All(output, x => Assert.Equal(0f, x));
        Assert.False(mixer.RemoveChannel(a));
        Assert.Equal([b], mixer.Channels);
    }

    [Fact]
    public void Given_a_broken_frame_with_NaN_and_infinity_When_mixed_Then_the_output_is_finite_and_bounded()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();
        var frame = Tone(300, 0.2, frames: 1);
        frame[3] = float.NaN;
        frame[100] = float.PositiveInfinity;
        frame[101] = float.NegativeInfinity;
        frame[959] = float.NaN;
        var output = new float[Frame];

        channel.Submit(frame);
        mixer.Mix(output);

        Assert.All(output, x => Assert.True(float.IsFinite(x) && MathF.Abs(x) <= 1f));
        Assert.Equal(0f, output[3]);
        Assert.True(output[100] > 0.85f && output[101] < -0.85f);
        Assert.True(double.IsFinite(channel.LevelDbfs));
    }

    [Fact]
    public void Given_frames_of_the_wrong_length_Then_submitting_or_mixing_them_throws()
    {
        var mixer = new AudioMixer(Frame);
        var channel = mixer.AddChannel();

        Assert.Throws<ArgumentException>(() => channel.Submit(new float[Frame - 1]));
        Assert.Throws<ArgumentException>(() => channel.Submit(new short[Frame + 1]));
        Assert.Throws<ArgumentException>(() => mixer.Mix(new float[480]));
        Assert.Throws<ArgumentException>(() => mixer.Mix(new short[480]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioMixer(0));
    }

    [Fact]
    public void Given_8_peers_in_steady_state_When_frames_are_submitted_and_mixed_Then_nothing_is_allocated()
    {
        var mixer = new AudioMixer(Frame);
        var peers = Enumerable.Range(0, 8).Select(_ => mixer.AddChannel()).ToArray();
        var floatFrames = Enumerable.Range(0, 8).Select(p => Tone(150 + (50 * p), 0.3, frames: 1)).ToArray();
        var pcmFrame = new short[Frame];
        new SineOscillator(400, 0.5, 48_000).Fill(pcmFrame);
        var floats = new float[Frame];
        var pcm = new short[Frame];
        var sink = 0.0;

        void Run(int frames)
        {
            for (var f = 0; f < frames; f++)
            {
                for (var p = 0; p < 8; p++)
                {
                    peers[p].Volume = p % 2 == 0 ? 1f : (f % 3) * 0.5f;
                    peers[p].IsMuted = p == 7 && f % 5 == 0;
                    if (p == 3)
                    {
                        peers[p].Submit(pcmFrame);
                    }
                    else
                    {
                        peers[p].Submit(floatFrames[p]);
                    }

                    sink += peers[p].LevelDbfs + (peers[p].IsSpeaking ? 1 : 0);
                }

                if (f % 2 == 0)
                {
                    mixer.Mix(floats);
                }
                else
                {
                    mixer.Mix(pcm);
                }
            }
        }

        Run(100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    private static float[] Tone(double frequency, double amplitude, int frames)
    {
        var samples = new float[frames * Frame];
        new SineOscillator(frequency, amplitude, 48_000).Fill(samples);
        return samples;
    }

    private static float[] Square(double frequency, int frames)
    {
        var samples = new float[frames * Frame];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Math.Sin(2 * Math.PI * frequency * i / 48_000) >= 0 ? 1f : -1f;
        }

        return samples;
    }

    private static float[] Noise(double amplitude, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Frame).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * amplitude)).ToArray();
    }
}
