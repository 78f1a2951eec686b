using BenchmarkDotNet.Attributes;
using MeshConf.Interop.SpeexDsp;

namespace MeshConf.Benchmarks;

/// <summary>Capture-path cost per 10 ms frame: echo cancellation with a 100 ms tail, then the preprocessor.</summary>
[MemoryDiagnoser]
public class SpeexDspBenchmarks
{
    private const int Frame = 480;
    private readonly short[] _mic = new short[Frame];
    private readonly short[] _speaker = new short[Frame];
    private readonly short[] _out = new short[Frame];
    private SpeexEchoCanceller _echo = null!;
    private SpeexPreprocessor _pre = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < Frame; i++)
        {
            _speaker[i] = (short)random.Next(-5000, 5000);
            _mic[i] = (short)(_speaker[i] / 2);
        }

        _echo = new SpeexEchoCanceller(Frame, 4800, 48000);
        _pre = new SpeexPreprocessor(Frame, 48000) { Denoise = true, Vad = true };
        _pre.AttachEchoCanceller(_echo);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pre.Dispose();
        _echo.Dispose();
    }

    [Benchmark]
    public void EchoCancel10ms() => _echo.Cancel(_mic, _speaker, _out);

    [Benchmark]
    public bool Preprocess10ms() => _pre.Run(_out);
}
