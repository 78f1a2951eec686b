using BenchmarkDotNet.Attributes;
using MeshConf.Core.Net;

namespace MeshConf.Benchmarks;

/// <summary>
/// The per-datagram decision of the impairment relay: every datagram through it costs one Next(). Expect a few
/// nanoseconds and no allocation, with or without impairment.
/// </summary>
[MemoryDiagnoser]
public class ImpairmentModelBenchmarks
{
    private ImpairmentModel _clean = null!;
    private ImpairmentModel _impaired = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clean = new ImpairmentModel(ImpairmentProfile.None);
        _impaired = new ImpairmentModel(ImpairmentProfile.Parse("loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7"));
    }

    [Benchmark(Baseline = true)]
    public TimeSpan DecideUnimpaired() => _clean.Next().Delay;

    [Benchmark]
    public TimeSpan DecideImpaired() => _impaired.Next().Delay;
}
