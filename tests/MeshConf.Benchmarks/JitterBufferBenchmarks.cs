using BenchmarkDotNet.Attributes;
using MeshConf.Core.Audio;
using MeshConf.Core.Net;

namespace MeshConf.Benchmarks;

/// <summary>
/// One 20 ms playout period of a peer's jitter buffer: the packets that arrived since the last tick put in
/// (one on average, in arrival order, reordered by the jitter, 5 % lost), then one Next. The stream repeats a
/// precomputed 60 s pattern with sequence numbers and timestamps running on (and wrapping), so the buffer stays
/// in steady state however many operations BenchmarkDotNet asks for. Expect well under a microsecond and no
/// allocation.
/// </summary>
[MemoryDiagnoser]
public class JitterBufferBenchmarks
{
    private const int Frame = 960;
    private const long FrameMicros = 20_000;
    private const int PatternFrames = 3000;

    private readonly byte[] _payload = new byte[60];
    private (int Frame, long Arrival)[] _pattern = [];
    private JitterBuffer _buffer = null!;
    private long _tick;
    private long _delivered;

    [Params(0, 30)]
    public int JitterMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Xoshiro256StarStar(5);
        var lossRate = JitterMs == 0 ? 0 : 0.05;
        _pattern = Enumerable.Range(0, PatternFrames)
            .Select(n => (Frame: n, Arrival: (n * FrameMicros) + 5_000 + (long)(random.NextDouble() * JitterMs * 1000), Lost: random.NextDouble() < lossRate))
            .Where(p => !p.Lost)
            .Select(p => (p.Frame, p.Arrival))
            .OrderBy(p => p.Arrival)
            .ToArray();
        _buffer = new JitterBuffer(Frame);
        _tick = 0;
        _delivered = 0;
        for (var i = 0; i < 5 * PatternFrames; i++)
        {
            PutAndNext();
        }
    }

    [Benchmark]
    public int PutAndNext()
    {
        var now = (_tick++ * FrameMicros) + 13_000;
        while (true)
        {
            var round = _delivered / _pattern.Length;
            var (frame, arrival) = _pattern[_delivered % _pattern.Length];
            arrival += round * PatternFrames * FrameMicros;
            if (arrival > now)
            {
                break;
            }

            var number = (round * PatternFrames) + frame;
            var header = new AudioPacketHeader((ushort)number, (uint)(number * Frame), Frame, IsSpeech: number % 50 < 30);
            _buffer.Put(header, _payload, arrival);
            _delivered++;
        }

        return (int)_buffer.Next(now, out var step) + step.Payload.Length;
    }
}
