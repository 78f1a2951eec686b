using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

/// <summary>The jitter buffer over simulated networks, minutes to an hour of audio on a fake clock.</summary>
public sealed class JitterBufferNetworkTests
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(960, 1UL)]
    [InlineData(960, 2UL)]
    [InlineData(960, 3UL)]
    [InlineData(480, 4UL)]
    public void Given_30ms_jitter_5pct_loss_and_reordering_When_ten_minutes_play_Then_under_1pct_is_late_and_the_delay_settles_under_80ms(int frameSamples, ulong seed)
    {
        var path = new AudioPath
        {
            FrameSamples = frameSamples,
            JitterMicros = 30_000,
            LossRate = 0.05,
            ReorderRate = 0.02,
            DuplicateRate = 0.01,
            Seed = seed,
        };

        var report = new AudioPathSimulation(path).Run(TimeSpan.FromMinutes(10), Warmup);
        report.Print();

        Assert.True(report.Reordered > report.Sent * 0.03, "the path must really reorder");
        Assert.InRange(report.NetworkLost, report.Sent * 0.045, report.Sent * 0.055);
        Assert.True(report.LateShare < 0.01, $"late {report.LateShare:P2}");
        Assert.True(report.DelayMaxSettledMs < 80, $"delay reached {report.DelayMaxSettledMs} ms");
        Assert.Equal(report.Duplicated, report.Duplicates);
        Assert.Equal(report.Late, report.Stats.Late);
        Assert.Equal(0, report.Stats.Rejected);
        // Lost at playout: the network's losses and the late packets, give or take one whose loss the end of the
        // run never revealed.
        Assert.InRange(report.Stats.Lost, report.NetworkLost + report.Late - 2, report.NetworkLost + report.Late);
        Assert.True(report.Fecs > report.NetworkLost * 0.8, "most single losses are rebuilt from the next packet's FEC");
    }

    [Theory]
    [InlineData(960, 0L)]
    [InlineData(960, 7_300L)]
    [InlineData(960, 13_000L)]
    [InlineData(960, 19_999L)]
    [InlineData(480, 2_500L)]
    [InlineData(480, 9_000L)]
    public void Given_no_jitter_When_playing_Then_the_delay_is_at_most_30ms_from_the_first_frame_and_nothing_is_late_or_concealed(int frameSamples, long phase)
    {
        var path = new AudioPath { FrameSamples = frameSamples, PlayoutPhaseMicros = phase, Seed = 5 };

        var report = new AudioPathSimulation(path).Run(TimeSpan.FromMinutes(2), TimeSpan.Zero);
        report.Print();

        Assert.True(report.MaxDelayMicros <= 30_000, $"delay reached {report.MaxDelayMicros} us");
        Assert.True(report.Delays.Min() > 0, "a frame is never played before it can have arrived");
        Assert.Equal(0, report.Late);
        Assert.Equal(0, report.Conceals);
        Assert.Equal(0, report.Stats.Lost);
        Assert.Equal(1, report.Stats.Spurts);
        Assert.Equal(report.Sent, report.Decodes);
    }

    [Theory]
    [InlineData(1000.0, false, false)]
    [InlineData(-1000.0, false, false)]
    [InlineData(1000.0, true, false)]
    [InlineData(-1000.0, true, false)]
    [InlineData(1000.0, false, true)]
    [InlineData(-1000.0, false, true)]
    public void Given_a_sender_clock_0_1pct_off_When_an_hour_plays_Then_the_buffer_never_grows_past_its_ceiling_and_stays_near_its_target(double driftPpm, bool alwaysSpeech, bool dtx)
    {
        var path = new AudioPath
        {
            JitterMicros = 10_000,
            LossRate = 0.01,
            DriftPpm = driftPpm,
            AlwaysSpeech = alwaysSpeech,
            Dtx = dtx,
            Seed = 11,
        };

        var report = new AudioPathSimulation(path).Run(TimeSpan.FromHours(1), Warmup);
        report.Print();

        Assert.True(report.MaxDelayMicros <= JitterBuffer.CeilingMicros, $"delay reached {report.MaxDelayMicros} us");
        // Near the target: a frame above it at most (the most a drop waits for in speech), give or take the few
        // milliseconds the fastest-path baseline moves as old packets leave its window.
        Assert.True(report.DelayMaxSettledMs <= (report.MaxTargetMicros / 1000.0) + 20 + 5, $"delay {report.DelayMaxSettledMs} ms, target up to {report.MaxTargetMicros / 1000.0} ms");
        Assert.True(report.MaxBuffered <= 6, $"{report.MaxBuffered} packets held");
        Assert.True(report.LateShare < 0.01, $"late {report.LateShare:P2}");
        // Lost frames are the network's losses (and the late packets), whether the stream pauses (DTX) or not:
        // the fade-out concealed after each spurt is not counted once the next spurt shows nothing was missing.
        Assert.InRange(report.Stats.Lost, report.NetworkLost + report.Late - 2, (report.NetworkLost + report.Late) * 1.01);
        if (!alwaysSpeech && !dtx)
        {
            // A sender 0.1 % off needs a correction every 20 s, and pauses come often enough for nearly all of them.
            Assert.True(report.DroppedSpeech.Count + report.InsertedInSpeech <= (report.Stats.Dropped + report.Stats.Inserted) / 10,
                $"{report.DroppedSpeech.Count} dropped and {report.InsertedInSpeech} inserted in speech");
        }

        if (alwaysSpeech)
        {
            // No pauses to re-anchor in: 0.1 % of an hour is 3.6 s, 180 frames of 20 ms to drop (fast sender)
            // or insert (slow sender) one by one.
            var corrections = driftPpm > 0 ? report.Stats.Dropped : report.Stats.Inserted;
            Assert.InRange(corrections, 170, 200);
        }
    }

    [Theory]
    [InlineData(960, 31UL)]
    [InlineData(480, 32UL)]
    public void Given_delay_spikes_on_top_of_jitter_When_playing_Then_the_target_rises_to_cover_them_and_few_are_late(int frameSamples, ulong seed)
    {
        var path = new AudioPath
        {
            FrameSamples = frameSamples,
            JitterMicros = 20_000,
            SpikeRate = 0.005,
            SpikeMicros = 100_000,
            LossRate = 0.02,
            Seed = seed,
        };

        var report = new AudioPathSimulation(path).Run(TimeSpan.FromMinutes(10), Warmup);
        report.Print();

        Assert.True(report.LateShare < 0.01, $"late {report.LateShare:P2}");
        Assert.True(report.Late > 0, "spikes up to 100 ms are not all covered: some packets must come late");
        Assert.True(report.MaxTargetMicros > 40_000, "the target must rise above the plain jitter");
        Assert.True(report.MaxDelayMicros <= JitterBuffer.CeilingMicros);
    }
}
