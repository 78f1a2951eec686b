using BenchmarkDotNet.Attributes;
using MeshConf.Core.Security;

namespace MeshConf.Benchmarks;

/// <summary>
/// One packet sealed and opened again with AES-256-GCM, the per-packet cost encryption adds to every link:
/// 64 bytes (an audio frame) and 1200 bytes (a video fragment). Both must allocate nothing.
/// <see cref="OpenForged"/> is the price of a packet with a bad tag (AesGcm reports it with an exception).
/// </summary>
[MemoryDiagnoser]
public class PacketProtectionBenchmarks
{
    private readonly byte[] _packet = new byte[1200 + SealedPacket.Overhead];
    private readonly byte[] _opened = new byte[1200];
    private readonly byte[] _plaintext = new byte[1200];
    private readonly byte[] _forged = new byte[1200 + SealedPacket.Overhead];
    private PacketSealer _sealer = null!;
    private PacketOpener _opener = null!;

    /// <summary>Plaintext bytes per packet.</summary>
    [Params(64, 1200)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secret = new byte[PacketSealer.TrafficSecretSize];
        new Random(1).NextBytes(secret);
        new Random(2).NextBytes(_plaintext);
        _sealer = new PacketSealer(secret, 1, 2, 0);
        _opener = new PacketOpener(secret, 1, 2, 0);
        if (!_sealer.TrySeal(2, 3, _plaintext.AsSpan(0, Size), _forged, out _))
        {
            throw new InvalidOperationException("seal failed");
        }

        _forged[SealedPacket.HeaderSize] ^= 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sealer.Dispose();
        _opener.Dispose();
    }

    [Benchmark]
    public int SealAndOpen()
    {
        if (!_sealer.TrySeal(1, 3, _plaintext.AsSpan(0, Size), _packet, out var written)
            || _opener.TryOpen(1, _packet.AsSpan(0, written), _opened, out _, out var opened) != OpenResult.Ok)
        {
            throw new InvalidOperationException("seal and open failed");
        }

        return opened;
    }

    [Benchmark]
    public OpenResult OpenForged() => _opener.TryOpen(2, _forged.AsSpan(0, Size + SealedPacket.Overhead), _opened, out _, out _);
}
