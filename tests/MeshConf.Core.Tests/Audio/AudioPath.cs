namespace MeshConf.Core.Tests.Audio;

/// <summary>
/// A seeded model of one sender's audio reaching one receiver: the talker, the sender's clock and the network.
/// Times in microseconds of the receiver's clock.
/// </summary>
internal sealed record AudioPath
{
    public int FrameSamples { get; init; } = 960;

    /// <summary>Fixed one-way delay of every packet.</summary>
    public long BaseDelayMicros { get; init; } = 15_000;

    /// <summary>Extra delay per packet, uniform over [0, JitterMicros] (as the impairment relay draws it).</summary>
    public long JitterMicros { get; init; }

    public double LossRate { get; init; }

    /// <summary>Share of packets held back one more frame interval on top of their jitter, so later ones overtake them.</summary>
    public double ReorderRate { get; init; }

    /// <summary>Share of packets that arrive twice, the copy with its own jitter.</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Share of packets hit by a delay spike, uniform over [0, SpikeMicros] on top (a heavy tail).</summary>
    public double SpikeRate { get; init; }

    public long SpikeMicros { get; init; }

    /// <summary>How much faster the sender's clock runs than the receiver's, parts per million (negative: slower).</summary>
    public double DriftPpm { get; init; }

    /// <summary>The talker never pauses.</summary>
    public bool AlwaysSpeech { get; init; }

    /// <summary>Pauses are not sent at all (discontinuous transmission): the receiver sees talk spurts.</summary>
    public bool Dtx { get; init; }

    public long MeanSpurtMicros { get; init; } = 1_500_000;

    public long MeanPauseMicros { get; init; } = 800_000;

    /// <summary>Where in a frame interval the receiver's playout ticks fall relative to the sender's frames.</summary>
    public long PlayoutPhaseMicros { get; init; } = 7_300;

    public ulong Seed { get; init; } = 1;

    public override string ToString() =>
        $"{FrameSamples / 48} ms frames, delay {BaseDelayMicros / 1000} ms + jitter {JitterMicros / 1000} ms, loss {LossRate:P0}, " +
        $"reorder {ReorderRate:P0}, dup {DuplicateRate:P0}, spikes {SpikeRate:P1} up to {SpikeMicros / 1000} ms, drift {DriftPpm:+0;-0;0} ppm, " +
        $"{(AlwaysSpeech ? "continuous speech" : Dtx ? "talk spurts (DTX)" : "talk spurts")}, seed {Seed}";
}
