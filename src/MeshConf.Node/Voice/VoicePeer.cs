using MeshConf.Core.Audio;
using MeshConf.Interop.Opus;

namespace MeshConf.Node.Voice;

/// <summary>
/// One peer's incoming audio: its jitter buffer and Opus decoder, and a short queue of decoded samples so the
/// local playout frame need not match the sender's frame length. Packets arrive on the mesh's receive thread,
/// playout runs on the playout thread; one lock keeps them apart (both sides are short and allocation-free).
/// </summary>
internal sealed class VoicePeer : IDisposable
{
    private const int MaxFrame = 1920;
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly JitterBuffer _buffer = new();
    private readonly OpusDecoder _decoder = new(AudioPacketHeader.SampleRate, 1);
    private readonly float[] _queue = new float[MaxFrame * 3];
    private readonly long[] _arrivals = new long[256];
    private readonly int[] _sizes = new int[256];
    private int _queued;
    private int _arrivalHead;
    private int _arrivalCount;
    private long _packetsIn;
    private long _malformed;
    private AudioSenderReport? _report;
    private long _reportedLost;
    private long _reportedExpected;

    private bool _disposed;

    public VoicePeer(ulong id) => Id = id;

    public ulong Id { get; }

    public bool Muted { get; set; }

    /// <summary>Its channel in the mixer (set and used by the playout thread; read for levels by anyone).</summary>
    public MixerChannel? Channel { get; set; }

    /// <summary>Takes in one audio message that arrived at <paramref name="nowMicros"/>; a malformed one is counted.</summary>
    public void Put(ReadOnlySpan<byte> message, long nowMicros)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            RecordArrival(nowMicros, message.Length);
            if (!AudioPacketHeader.TryRead(message, out var header, out var payload)
                || _buffer.Put(header, payload, nowMicros) == JitterPutResult.Rejected)
            {
                _malformed++;
                return;
            }

            _packetsIn++;
        }
    }

    public void SetReport(AudioSenderReport report)
    {
        lock (_gate)
        {
            _report = report;
        }
    }

    /// <summary>
    /// Fills <paramref name="output"/> with this peer's next samples at <paramref name="nowMicros"/> (the playout
    /// clock), asking the jitter buffer for as many of the sender's frames as that takes. Returns the capture
    /// time (Unix µs) of the newest decoded frame when a sender report makes it known, else 0.
    /// </summary>
    public long Render(long nowMicros, Span<float> output)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                // The peer left while the playout thread still held it: silence, once.
                output.Clear();
                return 0;
            }

            long captured = 0;
            while (_queued < output.Length)
            {
                // A frame that plays after what is queued is due that much later.
                var due = nowMicros + AudioPacketHeader.SamplesToMicroseconds(_queued);
                var action = _buffer.Next(due, out var frame);
                var samples = Math.Clamp(frame.Samples, 1, MaxFrame);
                var target = _queue.AsSpan(_queued, samples);
                var got = Decode(action, frame.Payload, target);
                target[got..].Clear();
                _queued += samples;
                if (action == JitterAction.Decode && _report is { } report && _buffer.LastTimestamp is { } timestamp)
                {
                    captured = report.CaptureMicrosOf(timestamp);
                }
            }

            _queue.AsSpan(0, output.Length).CopyTo(output);
            _queue.AsSpan(output.Length, _queued - output.Length).CopyTo(_queue);
            _queued -= output.Length;
            return captured;
        }
    }

    /// <summary>The loss since the last report, for the sender's encoder (called about once a second).</summary>
    public AudioReceiverReport TakeReceiverReport()
    {
        lock (_gate)
        {
            var stats = _buffer.Stats;
            var expected = stats.Decoded + stats.Lost;
            var report = AudioReceiverReport.FromCounts(stats.Lost - _reportedLost, expected - _reportedExpected);
            (_reportedLost, _reportedExpected) = (stats.Lost, expected);
            return report;
        }
    }

    public VoiceStreamStats Snapshot(long nowMicros, bool speaking, double levelDbfs)
    {
        lock (_gate)
        {
            var stats = _buffer.Stats;
            long bytes = 0;
            for (var i = 0; i < _arrivalCount; i++)
            {
                var index = (_arrivalHead - 1 - i + _arrivals.Length) % _arrivals.Length;
                if (nowMicros - _arrivals[index] > (long)RateWindow.TotalMicroseconds)
                {
                    break;
                }

                bytes += _sizes[index];
            }

            return new VoiceStreamStats(
                Math.Round(bytes * 8 / 1000.0, 1),
                _packetsIn,
                stats.Lost,
                stats.Concealed,
                stats.FecRecovered,
                stats.Late,
                Math.Round(stats.DelayMs, 1),
                Math.Round(stats.TargetMs, 1),
                _malformed,
                Muted,
                speaking,
                levelDbfs);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _decoder.Dispose();
        }
    }

    private int Decode(JitterAction action, ReadOnlySpan<byte> payload, Span<float> target)
    {
        try
        {
            return action switch
            {
                JitterAction.Decode => _decoder.Decode(payload, target, target.Length),
                JitterAction.DecodeFec => _decoder.DecodeFec(payload, target, target.Length),
                JitterAction.Conceal => _decoder.DecodeMissing(target, target.Length),
                _ => 0,
            };
        }
        catch (OpusException)
        {
            // An authenticated peer sent bytes Opus cannot decode: count it, conceal, go on.
            _malformed++;
            try
            {
                return _decoder.DecodeMissing(target, target.Length);
            }
            catch (OpusException)
            {
                return 0;
            }
        }
    }

    private void RecordArrival(long nowMicros, int bytes)
    {
        _arrivals[_arrivalHead] = nowMicros;
        _sizes[_arrivalHead] = bytes;
        _arrivalHead = (_arrivalHead + 1) % _arrivals.Length;
        _arrivalCount = Math.Min(_arrivalCount + 1, _arrivals.Length);
    }
}
