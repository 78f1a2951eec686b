using System.Buffers.Binary;
using MeshConf.Core.Audio;
using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Audio;

/// <summary>
/// Drives a <see cref="JitterBuffer"/> with the packets of an <see cref="AudioPath"/>: every arrival is put in at
/// its own time, and the playout asks for a frame every frame interval of the receiver's clock. Each packet
/// carries its capture frame number, so the run checks as it goes that frames play in order, each at most once,
/// exactly as sent, and that FEC is always asked of the packet right after the missing frame.
/// </summary>
internal sealed class AudioPathSimulation
{
    private readonly AudioPath _path;
    private readonly JitterBuffer _buffer;
    private readonly PriorityQueue<Packet, (long Time, long Order)> _inFlight = new();
    private readonly Dictionary<long, bool> _speechOfFrame = [];
    private Xoshiro256StarStar _random;
    private long _nextFrame;
    private long _order;
    private ushort _sequence;
    private readonly uint _firstTimestamp;
    private bool _speaking = true;
    private long _quietFrom = long.MaxValue;

    public AudioPathSimulation(AudioPath path, JitterBuffer? buffer = null)
    {
        _path = path;
        _buffer = buffer ?? new JitterBuffer(path.FrameSamples);
        _random = new Xoshiro256StarStar(path.Seed);
        // Start both counters near their wrap, as an RTP sender's random start would now and then.
        _sequence = (ushort)(65_000 + (_random.NextUInt64() % 500));
        _firstTimestamp = uint.MaxValue - (uint)(_random.NextUInt64() % 100_000);
    }

    public JitterBuffer Buffer => _buffer;

    private double FrameMicros => AudioPacketHeader.SamplesToMicroseconds(_path.FrameSamples);

    public SimulationReport Run(TimeSpan duration, TimeSpan warmup)
    {
        var report = new SimulationReport { Path = _path };
        var end = (long)duration.TotalMicroseconds;
        var settled = (long)warmup.TotalMicroseconds;
        // The talker finishes two seconds before the end, as people do before they hang up.
        _quietFrom = end - 2_500_000;
        var horizon = _path.BaseDelayMicros + _path.JitterMicros + _path.SpikeMicros + (3 * (long)FrameMicros);
        var lastPlayed = long.MinValue;
        var lastArrivalFrame = long.MinValue;
        for (long tick = 0; ; tick++)
        {
            var now = _path.PlayoutPhaseMicros + (long)(tick * FrameMicros);
            if (now > end)
            {
                break;
            }

            // The talker stops half a second before the end, so every packet sent has had its turn by then.
            while (SendTime(_nextFrame) <= Math.Min(now + horizon, end - 500_000))
            {
                Send(report);
            }

            while (_inFlight.TryPeek(out var packet, out var due) && due.Time <= now)
            {
                _inFlight.Dequeue();
                report.Reordered += packet.Frame < lastArrivalFrame ? 1 : 0;
                lastArrivalFrame = Math.Max(lastArrivalFrame, packet.Frame);
                var result = _buffer.Put(packet.Header, packet.Payload, due.Time);
                report.Count(result);
                report.Delivered.Add(packet.Frame);
                if (result == JitterPutResult.Late)
                {
                    report.LateFrames.Add(packet.Frame);
                }
            }

            var insertedBefore = _buffer.Stats.Inserted;
            var action = _buffer.Next(now, out var frame);
            report.Count(action);
            if (_buffer.Stats.Inserted > insertedBefore && lastPlayed != long.MinValue && _speechOfFrame[lastPlayed])
            {
                report.InsertedInSpeech++;
            }

            Assert.Equal(_path.FrameSamples, frame.Samples);
            switch (action)
            {
                case JitterAction.Decode:
                    var played = ReadFrame(frame.Payload);
                    Assert.True(played > lastPlayed, $"frame {played} played after {lastPlayed}");
                    Assert.Equal(_speechOfFrame[played], frame.IsSpeech);
                    lastPlayed = played;
                    report.Played.Add(played);
                    if (now >= settled)
                    {
                        report.Delays.Add(_buffer.DelayMicros);
                        report.MaxTargetMicros = Math.Max(report.MaxTargetMicros, _buffer.TargetMicros);
                    }

                    break;
                case JitterAction.DecodeFec:
                    var recovered = ReadFrame(frame.Payload) - 1;
                    Assert.True(recovered > lastPlayed, $"frame {recovered} recovered after {lastPlayed}");
                    lastPlayed = recovered;
                    report.Played.Add(recovered);
                    break;
                default:
                    Assert.True(frame.Payload.IsEmpty);
                    break;
            }

            report.MaxDelayMicros = Math.Max(report.MaxDelayMicros, action == JitterAction.Decode ? _buffer.DelayMicros : 0);
            report.MaxBuffered = Math.Max(report.MaxBuffered, _buffer.Stats.Buffered);
            report.Ticks++;
        }

        report.Stats = _buffer.Stats;
        foreach (var frame in report.Delivered)
        {
            if (!report.Played.Contains(frame) && !report.LateFrames.Contains(frame))
            {
                (_speechOfFrame[frame] ? report.DroppedSpeech : report.DroppedNonSpeech).Add(frame);
            }
        }

        return report;
    }

    private long SendTime(long frame) => (long)(frame * FrameMicros / (1 + (_path.DriftPpm * 1e-6)));

    private void Send(SimulationReport report)
    {
        var frame = _nextFrame++;
        if (!_path.AlwaysSpeech)
        {
            var mean = _speaking ? _path.MeanSpurtMicros : _path.MeanPauseMicros;
            if (_random.NextDouble() < FrameMicros / mean)
            {
                _speaking = !_speaking;
            }
        }

        var speech = (_path.AlwaysSpeech || _speaking) && SendTime(frame) < _quietFrom;
        _speechOfFrame[frame] = speech;
        report.Captured++;
        if (_path.Dtx && !speech)
        {
            return;
        }

        report.Sent++;
        var header = new AudioPacketHeader(_sequence++, unchecked(_firstTimestamp + (uint)(frame * _path.FrameSamples)), (ushort)_path.FrameSamples, speech);
        var payload = new byte[8 + (int)(frame % 40)];
        BinaryPrimitives.WriteInt64BigEndian(payload, frame);
        payload.AsSpan(8).Fill((byte)frame);

        // Every random draw happens for every packet, so changing one rate leaves the others' decisions alone.
        var lost = _random.NextDouble() < _path.LossRate;
        var jitter = _random.NextDouble() * _path.JitterMicros;
        var reorder = _random.NextDouble() < _path.ReorderRate ? FrameMicros : 0;
        var spike = _random.NextDouble() < _path.SpikeRate ? _random.NextDouble() * _path.SpikeMicros : 0;
        var duplicate = _random.NextDouble() < _path.DuplicateRate;
        var copyJitter = _random.NextDouble() * _path.JitterMicros;
        if (lost)
        {
            report.NetworkLost++;
            return;
        }

        var sent = SendTime(frame);
        _inFlight.Enqueue(new Packet(header, payload, frame), (sent + _path.BaseDelayMicros + (long)(jitter + reorder + spike), _order++));
        if (duplicate)
        {
            report.Duplicated++;
            _inFlight.Enqueue(new Packet(header, payload, frame), (sent + _path.BaseDelayMicros + (long)copyJitter, _order++));
        }
    }

    private static long ReadFrame(ReadOnlySpan<byte> payload)
    {
        var frame = BinaryPrimitives.ReadInt64BigEndian(payload);
        Assert.Equal(8 + (int)(frame % 40), payload.Length);
        foreach (var b in payload[8..])
        {
            Assert.Equal((byte)frame, b);
        }

        return frame;
    }

    private sealed record Packet(AudioPacketHeader Header, byte[] Payload, long Frame);
}
