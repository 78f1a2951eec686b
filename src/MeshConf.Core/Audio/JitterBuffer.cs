namespace MeshConf.Core.Audio;

/// <summary>
/// The adaptive jitter buffer of one peer's audio stream. The receive path hands it packets
/// (<see cref="Put"/>, with their arrival time); the playout clock asks it once per frame what to play
/// (<see cref="Next"/>, with its own time). Time is always a parameter, in microseconds of one monotonic clock.
/// <para>
/// Delay. A packet's transit is its arrival time minus its media time (timestamp); the lowest transit of the last
/// seconds is the fastest path, and <see cref="JitterBufferStats.DelayMs"/> is how long after that a frame is
/// played. The target is the 99th percentile of the other packets' excess transit (<see cref="TransitJitter"/>)
/// plus a margin, plus half a frame and a little hysteresis, because the delay moves in whole frames and the bottom
/// of its band should still sit above that percentile; clamped to <see cref="FloorMicros"/>..<see cref="CeilingMicros"/>.
/// The delay is steered one frame at a time: a frame dropped when it is more than half a frame too long, a
/// concealment frame inserted when it is more than half a frame (plus hysteresis) too short. Both wait for
/// non-speech frames, except that in speech a delay a whole frame too long (or past the ceiling) is still cut,
/// and one below the jitter percentile itself (where packets start coming late) still grown, at most every 200 ms.
/// The same mechanism absorbs clock drift between sender and receiver (0.1 % is a frame every 20 s). A talk spurt
/// after a pause is anchored afresh at its due time, which is where most adjustment happens.
/// </para>
/// <para>
/// Playout follows media time; sequence numbers tell loss, order and duplicates. A frame whose packet is missing
/// is rebuilt from the next packet's in-band FEC when that one is held and contiguous, else concealed (PLC).
/// After 100 ms of concealment with nothing held (or at once after a non-speech frame) the stream counts as
/// paused: silence until the next packet starts a spurt. Whether those frames were lost or never sent (DTX, mute)
/// shows when the stream resumes: lost are only as many as sequence numbers went missing.
/// </para>
/// Fixed storage (<see cref="Capacity"/> slots of <see cref="AudioPacketHeader.MaxPayload"/> bytes), no allocation
/// per call, and bad packets are counted, never thrown. Not thread-safe: one owner calls both methods.
/// </summary>
internal sealed partial class JitterBuffer
{
    /// <summary>Packets held at most: 64 frames is 640 ms at 10 ms, the 200 ms ceiling plus generous reordering.</summary>
    public const int Capacity = 64;

    public const long FloorMicros = 20_000;
    public const long CeilingMicros = 200_000;

    /// <summary>The share of packets whose jitter the target covers.</summary>
    public const double JitterQuantile = 0.99;

    /// <summary>Safety added above the jitter quantile.</summary>
    public const long MarginMicros = 5_000;

    /// <summary>How long after the last loss the target keeps its extra frame for FEC.</summary>
    public const long LossMemoryMicros = 10_000_000;

    // Added below the band before inserting, so a delay measured right at the edge does not flip-flop.
    private const long HysteresisMicros = 2_500;
    private const long ConcealLimitMicros = 100_000;
    private const long SpeechAdjustSpacingMicros = 200_000;

    // A packet this far behind what was played is a sender that started its sequence (or its clock) over.
    private const long RestartBehind = 1000;
    private const long RestartBehindSamples = 10 * AudioPacketHeader.SampleRate;
    private const int SeenSize = 256;
    private const long Empty = long.MinValue;

    // Slot i holds sequence numbers congruent to i modulo Capacity; payload bytes at i * MaxPayload. Every held
    // packet lies in [_nextSeq, _nextSeq + Capacity), so no two compete for a slot.
    private readonly Slot[] _slots = new Slot[Capacity];
    private readonly byte[] _payloads = new byte[Capacity * AudioPacketHeader.MaxPayload];

    // The last SeenSize sequence numbers received (unwrapped), for telling duplicates from late packets.
    private readonly long[] _seen = new long[SeenSize];
    private readonly TransitJitter _jitter = new();

    // Sequence numbers and timestamps are unwrapped to 64 bits around the highest seen so far.
    private bool _started;
    private long _highestSeq;
    private long _highestTimestamp;

    // Playout: the next sequence number and its expected timestamp. _committed: numbers below _nextSeq are past.
    private bool _playing;
    private bool _committed;
    private long _nextSeq;
    private long _playTimestamp;
    private int _frameSamples;
    private int _stored;
    private long _concealedRunMicros;
    private bool _lastSpeech;
    private long _lastSpeechAdjustAt = Empty;
    private long _delayMicros;
    private long _targetMicros;
    private long _jitterQuantileMicros;
    private bool _targetStale = true;

    // Loss seen lately: the target then holds one more frame, so the packet after a lost one is there in time
    // for its FEC to rebuild it (without that, FEC only ever helps on a jittery path).
    private long _lostSeen;
    private long _lastLossAt = Empty;

    private long _received;
    private long _duplicates;
    private long _late;
    private long _rejected;
    private long _decoded;
    private long _fecRecovered;
    private long _concealed;
    private long _lost;
    private long _tailConcealed;
    private long _dropped;
    private long _inserted;
    private long _spurts;

    /// <param name="frameSamples">Frame length assumed until the first packet tells (silence steps are this long).</param>
    public JitterBuffer(int frameSamples = 960)
    {
        if (!AudioPacketHeader.IsValidFrameSamples(frameSamples))
        {
            throw new ArgumentOutOfRangeException(nameof(frameSamples), frameSamples, "480, 960 or 1920 samples");
        }

        _frameSamples = frameSamples;
        Array.Fill(_seen, Empty);
        for (var i = 0; i < Capacity; i++)
        {
            _slots[i].Sequence = Empty;
        }
    }

    /// <summary>The stream timestamp (as sent, 48 kHz) of the frame the last <see cref="JitterAction.Decode"/> played; null before one.</summary>
    public uint? LastTimestamp { get; private set; }

    /// <summary>Length of the current stream's frames in samples.</summary>
    public int FrameSamples => _frameSamples;

    /// <summary>The delay aimed at now, microseconds.</summary>
    public long TargetMicros
    {
        get
        {
            RefreshTarget();
            return _targetMicros;
        }
    }

    /// <summary>The <see cref="JitterQuantile"/> of the excess transit, microseconds.</summary>
    public long JitterMicros
    {
        get
        {
            RefreshTarget();
            return _jitterQuantileMicros;
        }
    }

    /// <summary>The buffering delay measured at the last playout step, microseconds.</summary>
    public long DelayMicros => _delayMicros;

    public JitterBufferStats Stats => new(
        _delayMicros / 1000.0,
        TargetMicros / 1000.0,
        JitterMicros / 1000.0,
        _stored,
        _received,
        _duplicates,
        _late,
        _rejected,
        _decoded,
        _lost,
        _fecRecovered,
        _concealed,
        _dropped,
        _inserted,
        _spurts);

    /// <summary>
    /// Takes in one packet that arrived at <paramref name="arrivalMicros"/>; the payload is copied. Duplicates,
    /// packets whose frame was already played and malformed ones are dropped and counted; nothing throws.
    /// </summary>
    public JitterPutResult Put(in AudioPacketHeader header, ReadOnlySpan<byte> payload, long arrivalMicros)
    {
        if (payload.IsEmpty || payload.Length > AudioPacketHeader.MaxPayload || !AudioPacketHeader.IsValidFrameSamples(header.FrameSamples))
        {
            _rejected++;
            return JitterPutResult.Rejected;
        }

        if (!_started)
        {
            StartStream(header);
        }

        var seq = Unwrap(_highestSeq, header.Sequence);
        var timestamp = Unwrap(_highestTimestamp, header.Timestamp);
        if (seq < _nextSeq - RestartBehind || (_committed && timestamp < _playTimestamp - RestartBehindSamples))
        {
            _dropped += _stored;
            StartStream(header);
            (seq, timestamp) = (header.Sequence, header.Timestamp);
        }

        ref var seen = ref _seen[(int)(seq & (SeenSize - 1))];
        if (seen == seq)
        {
            _duplicates++;
            return JitterPutResult.Duplicate;
        }

        seen = seq;
        _received++;
        _highestSeq = Math.Max(_highestSeq, seq);
        _highestTimestamp = Math.Max(_highestTimestamp, timestamp);

        // Late packets are measured too: they are exactly the jitter the target has to learn about.
        _jitter.Add(arrivalMicros - AudioPacketHeader.SamplesToMicroseconds(timestamp), arrivalMicros);
        _targetStale = true;

        if (_committed && timestamp < _playTimestamp - (header.FrameSamples / 2))
        {
            // Its frame was played (concealed) already, or it belongs to a spurt that is over.
            _late++;
            return JitterPutResult.Late;
        }

        if (seq < _nextSeq)
        {
            if (_committed || _highestSeq - seq >= Capacity)
            {
                _late++;
                return JitterPutResult.Late;
            }

            // Nothing played yet: an earlier packet overtaken by later ones simply starts the stream earlier.
            _nextSeq = seq;
        }
        else if (seq >= _nextSeq + Capacity)
        {
            // Too far ahead to hold: playout stalled or a long outage passed. Keep the newest, re-anchor on them.
            SkipTo(seq - Capacity + 1);
        }

        var index = (int)(seq & (Capacity - 1));
        ref var slot = ref _slots[index];
        if (slot.Sequence != Empty)
        {
            _dropped++;
            _stored--;
        }

        slot = new Slot { Sequence = seq, Timestamp = timestamp, Length = payload.Length, FrameSamples = header.FrameSamples, IsSpeech = header.IsSpeech };
        payload.CopyTo(_payloads.AsSpan(index * AudioPacketHeader.MaxPayload));
        _stored++;
        return JitterPutResult.Stored;
    }

    private int LowestHeld()
    {
        if (_stored == 0)
        {
            return -1;
        }

        for (var i = 0L; i < Capacity; i++)
        {
            ref var slot = ref SlotOf(_nextSeq + i);
            if (slot.Sequence == _nextSeq + i)
            {
                return (int)((_nextSeq + i) & (Capacity - 1));
            }
        }

        // Unreachable while the window invariant holds; recover rather than spin.
        for (var i = 0; i < Capacity; i++)
        {
            _slots[i].Sequence = Empty;
        }

        _stored = 0;
        return -1;
    }

    private void SkipTo(long newBase)
    {
        var held = 0;
        for (var i = 0; i < Capacity; i++)
        {
            if (_slots[i].Sequence != Empty && _slots[i].Sequence < newBase)
            {
                held++;
                Remove(ref _slots[i]);
            }
        }

        _dropped += held;
        if (_committed)
        {
            // The numbers skipped that never came were lost (those concealed already were counted then).
            _lost += Math.Max(0, newBase - _nextSeq - held - _tailConcealed);
            _tailConcealed = 0;
        }

        _playing = false;
        _committed = true;
        _nextSeq = newBase;
    }

    private void StartStream(in AudioPacketHeader header)
    {
        for (var i = 0; i < Capacity; i++)
        {
            _slots[i].Sequence = Empty;
        }

        Array.Fill(_seen, Empty);
        _stored = 0;
        _started = true;
        _playing = false;
        _committed = false;
        _highestSeq = header.Sequence;
        _highestTimestamp = header.Timestamp;
        _nextSeq = header.Sequence;
        _playTimestamp = header.Timestamp;
        _jitter.ResetBaseline();
    }

    private void RefreshTarget()
    {
        if (_targetStale)
        {
            var halfFrame = AudioPacketHeader.SamplesToMicroseconds(_frameSamples) / 2;
            _jitterQuantileMicros = _jitter.Quantile(JitterQuantile);
            var wanted = _jitterQuantileMicros + MarginMicros + halfFrame + HysteresisMicros + (_lastLossAt == Empty ? 0 : 2 * halfFrame);
            var lowest = Math.Max(FloorMicros, halfFrame + HysteresisMicros + 1000);
            _targetMicros = Math.Clamp(wanted, lowest, CeilingMicros);
            _targetStale = false;
        }
    }

    private void SetFrameSamples(int samples)
    {
        if (samples != _frameSamples)
        {
            _frameSamples = samples;
            _targetStale = true;
        }
    }

    private void Remove(ref Slot slot)
    {
        slot.Sequence = Empty;
        _stored--;
    }

    private ref Slot SlotOf(long seq) => ref _slots[(int)(seq & (Capacity - 1))];

    private ReadOnlySpan<byte> PayloadOf(ref Slot slot) =>
        _payloads.AsSpan((int)(slot.Sequence & (Capacity - 1)) * AudioPacketHeader.MaxPayload, slot.Length);

    private static long Unwrap(long reference, ushort value) => reference + (short)(value - (ushort)reference);

    private static long Unwrap(long reference, uint value) => reference + (int)(value - (uint)reference);

    private struct Slot
    {
        public long Sequence;
        public long Timestamp;
        public int Length;
        public int FrameSamples;
        public bool IsSpeech;
    }
}
