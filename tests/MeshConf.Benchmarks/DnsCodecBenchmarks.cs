using System.Net;
using BenchmarkDotNet.Attributes;
using MeshConf.Core.Dns;

namespace MeshConf.Benchmarks;

/// <summary>
/// A node's DNS-SD announcement (two PTRs, SRV, TXT with four attributes, A, AAAA and two NSECs: 324 bytes with
/// compression, 583 without) read from its bytes and written into a buffer. Writing must allocate nothing; reading builds
/// the message's objects (names, records, arrays), so its allocation is the size of the result.
/// </summary>
[MemoryDiagnoser]
public class DnsCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[1500];
    private DnsMessage _announcement = null!;
    private byte[] _packet = [];

    [GlobalSetup]
    public void Setup()
    {
        var service = DnsName.Parse("_meshconf._udp.local");
        var instance = service.Prepend("darker (a1b2)");
        var host = DnsName.Parse("darker-a1b2.local");
        _announcement = new DnsMessage
        {
            IsResponse = true,
            Authoritative = true,
            Answers =
            [
                new PtrRecord(DnsName.Parse("_services._dns-sd._udp.local"), 4500, service),
                new PtrRecord(service, 4500, instance),
                new SrvRecord(instance, 120, 0, 0, 47000, host, cacheFlush: true),
                TxtRecord.FromProperties(instance, 4500, [("v", "1"), ("s", "session1"), ("id", "a1b2c3d4e5f60718"), ("fp", new string('f', 64))], cacheFlush: true),
                new ARecord(host, 120, IPAddress.Parse("192.168.1.20"), cacheFlush: true),
                new AaaaRecord(host, 120, IPAddress.Parse("fe80::1c2d:3e4f:5a6b:7c8d"), cacheFlush: true),
            ],
            Additionals =
            [
                new NsecRecord(instance, 4500, [DnsType.Txt, DnsType.Srv], cacheFlush: true),
                new NsecRecord(host, 120, [DnsType.A, DnsType.Aaaa], cacheFlush: true),
            ],
        };
        _packet = _announcement.ToArray();
    }

    [Benchmark]
    public int ReadAnnouncement() =>
        DnsMessage.TryRead(_packet, out var message, out var error)
            ? message.Answers.Count
            : throw new InvalidOperationException(error);

    [Benchmark]
    public int WriteAnnouncement() =>
        _announcement.TryWrite(_buffer, out var written) ? written : throw new InvalidOperationException("does not fit");
}
