using BenchmarkDotNet.Attributes;
using MeshConf.Core.Audio;

namespace MeshConf.Benchmarks;

/// <summary>
/// One 20 ms output frame of the mixer: every peer's decoded frame submitted (copied, sanitised, metered) and
/// the sum limited into float or 16-bit output. The peers are loud enough together for the limiter to work.
/// Expect a few microseconds for 8 peers and no allocation.
/// </summary>
[MemoryDiagnoser]
public class AudioMixerBenchmarks
{
    private const int Frame = 960;
    private readonly float[] _floats = new float[Frame];
    private readonly short[] _pcm = new short[Frame];
    private AudioMixer _mixer = null!;
    private MixerChannel[] _channels = [];
    private float[][] _frames = [];

    [Params(2, 8)]
    public int Peers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mixer = new AudioMixer(Frame);
        _channels = Enumerable.Range(0, Peers).Select(_ => _mixer.AddChannel()).ToArray();
        _frames = Enumerable.Range(0, Peers).Select(p =>
        {
            var frame = new float[Frame];
            new SineOscillator(120 + (70 * p), 0.35, 48_000).Fill(frame);
            return frame;
        }).ToArray();
        _channels[0].Volume = 1.5f;
    }

    [Benchmark(Baseline = true)]
    public float MixFloat()
    {
        for (var p = 0; p < _channels.Length; p++)
        {
            _channels[p].Submit(_frames[p]);
        }

        _mixer.Mix(_floats);
        return _floats[100];
    }

    [Benchmark]
    public short MixPcm16()
    {
        for (var p = 0; p < _channels.Length; p++)
        {
            _channels[p].Submit(_frames[p]);
        }

        _mixer.Mix(_pcm);
        return _pcm[100];
    }
}
