using System.Globalization;
using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

/// <summary>What an <see cref="AudioPathSimulation"/> run saw: the network's doings and the buffer's answers.</summary>
internal sealed class SimulationReport
{
    private readonly int[] _puts = new int[4];
    private readonly int[] _actions = new int[4];

    public required AudioPath Path { get; init; }

    public long Captured { get; set; }

    public long Sent { get; set; }

    public long NetworkLost { get; set; }

    public long Duplicated { get; set; }

    /// <summary>Packets that arrived after a later-sent one.</summary>
    public long Reordered { get; set; }

    public long Ticks { get; set; }

    /// <summary>Frames played from a packet: decoded or rebuilt by FEC.</summary>
    public HashSet<long> Played { get; } = [];

    /// <summary>Frames whose packet (or a copy) reached the receiver.</summary>
    public HashSet<long> Delivered { get; } = [];

    public HashSet<long> LateFrames { get; } = [];

    /// <summary>Delivered frames never played nor late: dropped to shrink the delay, by whether they were speech.</summary>
    public List<long> DroppedSpeech { get; } = [];

    public List<long> DroppedNonSpeech { get; } = [];

    /// <summary>Concealment frames inserted right after a speech frame.</summary>
    public int InsertedInSpeech { get; set; }

    /// <summary>Delay of every decoded frame after the warm-up, microseconds.</summary>
    public List<long> Delays { get; } = [];

    public long MaxDelayMicros { get; set; }

    public long MaxTargetMicros { get; set; }

    public int MaxBuffered { get; set; }

    public JitterBufferStats Stats { get; set; }

    public int Stored => _puts[(int)JitterPutResult.Stored];

    public int Late => _puts[(int)JitterPutResult.Late];

    public int Duplicates => _puts[(int)JitterPutResult.Duplicate];

    public int Decodes => _actions[(int)JitterAction.Decode];

    public int Fecs => _actions[(int)JitterAction.DecodeFec];

    public int Conceals => _actions[(int)JitterAction.Conceal];

    public int Silences => _actions[(int)JitterAction.Silence];

    /// <summary>Late packets as a share of packets sent.</summary>
    public double LateShare => Sent == 0 ? 0 : (double)Late / Sent;

    public double DelayMeanMs => Delays.Count == 0 ? 0 : Delays.Average() / 1000.0;

    public double DelayMaxSettledMs => Delays.Count == 0 ? 0 : Delays.Max() / 1000.0;

    public double DelayPercentileMs(double p)
    {
        if (Delays.Count == 0)
        {
            return 0;
        }

        var sorted = Delays.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] / 1000.0;
    }

    public void Count(JitterPutResult result) => _puts[(int)result]++;

    public void Count(JitterAction action) => _actions[(int)action]++;

    public void Print()
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null)
        {
            return;
        }

        output.WriteLine(Path.ToString());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sent {Sent} of {Captured} frames, network lost {NetworkLost}, duplicated {Duplicated}, reordered {Reordered} ({(double)Reordered / Math.Max(1, Sent):P2})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  late {Late} ({LateShare:P3} of sent; {Stats.Late - Late} more found past due at a spurt start), duplicates dropped {Duplicates}, lost at playout {Stats.Lost} (FEC {Stats.FecRecovered}, concealed {Stats.Concealed})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delay after warm-up: mean {DelayMeanMs:F1} ms, p50 {DelayPercentileMs(0.5):F1}, p99 {DelayPercentileMs(0.99):F1}, max {DelayMaxSettledMs:F1} ms (max over the run {MaxDelayMicros / 1000.0:F1}); target max {MaxTargetMicros / 1000.0:F1} ms, now {Stats.TargetMs:F1} (jitter p99 {Stats.JitterMs:F1})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  steps: decode {Decodes}, FEC {Fecs}, conceal {Conceals} (inserted {Stats.Inserted}, {InsertedInSpeech} in speech), silence {Silences}; dropped {Stats.Dropped} ({DroppedSpeech.Count} speech); spurts {Stats.Spurts}; max buffered {MaxBuffered}"));
    }
}
