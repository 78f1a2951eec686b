using BenchmarkDotNet.Attributes;
using MeshConf.Core.Audio;
using MeshConf.Interop.Opus;

namespace MeshConf.Benchmarks;

/// <summary>Cost of one 20 ms mono 48 kHz frame through the Opus binding, the per-peer audio hot path.</summary>
[MemoryDiagnoser]
public class OpusBenchmarks
{
    private const int Frame = 960;
    private readonly short[] _pcm = new short[Frame];
    private readonly short[] _out = new short[Frame];
    private readonly byte[] _packet = new byte[1275];
    private OpusEncoder _encoder = null!;
    private OpusDecoder _decoder = null!;
    private int _packetLength;

    [GlobalSetup]
    public void Setup()
    {
        _encoder = new OpusEncoder(48000, 1, OpusApplication.Voip) { Bitrate = 24000, Vbr = false, InbandFec = true, PacketLossPercent = 5 };
        _decoder = new OpusDecoder(48000, 1);
        new SineOscillator(300, 0.3, 48000).Fill(_pcm);
        _packetLength = _encoder.Encode(_pcm, Frame, _packet);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }

    [Benchmark]
    public int Encode20ms() => _encoder.Encode(_pcm, Frame, _packet);

    [Benchmark]
    public int Decode20ms() => _decoder.Decode(_packet.AsSpan(0, _packetLength), _out, Frame);

    [Benchmark]
    public int Conceal20ms() => _decoder.DecodeMissing(_out, Frame);
}
