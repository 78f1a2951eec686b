using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

/// <summary>Messages and packets the DNS tests share: our own announcement and two captures from real devices.</summary>
internal static class DnsSamples
{
    public const string Fingerprint = "3f1c9a0e5b7d24c8a6e1f0b93d5c7a2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a";

    public static DnsName Service { get; } = DnsName.Parse("_meshconf._udp.local");

    public static DnsName Instance { get; } = Service.Prepend("darker (a1b2)");

    public static DnsName Host { get; } = DnsName.Parse("darker-a1b2.local");

    /// <summary>
    /// What a node announces (RFC 6763 §12, RFC 6762 §8.3): the shared PTR without the cache-flush bit, the
    /// unique SRV, TXT and address with it, and NSECs saying no other types exist (RFC 6762 §6.1).
    /// </summary>
    public static DnsMessage Announcement() => new()
    {
        IsResponse = true,
        Authoritative = true,
        Answers =
        [
            new PtrRecord(DnsName.Parse("_services._dns-sd._udp.local"), 4500, Service),
            new PtrRecord(Service, 4500, Instance),
            new SrvRecord(Instance, 120, 0, 0, 47000, Host, cacheFlush: true),
            TxtRecord.FromProperties(Instance, 4500, [("v", "1"), ("s", "session1"), ("id", "a1b2c3d4e5f60718"), ("fp", Fingerprint)], cacheFlush: true),
            new ARecord(Host, 120, IPAddress.Parse("192.168.1.20"), cacheFlush: true),
            new AaaaRecord(Host, 120, IPAddress.Parse("fe80::1c2d:3e4f:5a6b:7c8d"), cacheFlush: true),
        ],
        Additionals =
        [
            new NsecRecord(Instance, 4500, [DnsType.Txt, DnsType.Srv], cacheFlush: true),
            new NsecRecord(Host, 120, [DnsType.A, DnsType.Aaaa], cacheFlush: true),
        ],
    };

    /// <summary>A probe (RFC 6762 §8.1): QU questions for the names, the proposed records in the authority section.</summary>
    public static DnsMessage Probe() => new()
    {
        Questions = [new DnsQuestion(Instance, DnsType.Any, UnicastResponse: true), new DnsQuestion(Host, DnsType.Any, UnicastResponse: true)],
        Authorities =
        [
            new SrvRecord(Instance, 120, 0, 0, 47000, Host),
            new ARecord(Host, 120, IPAddress.Parse("192.168.1.20")),
        ],
    };

    /// <summary>A query with a known answer (RFC 6762 §7.1).</summary>
    public static DnsMessage QueryWithKnownAnswer() => new()
    {
        Questions = [new DnsQuestion(Service, DnsType.Ptr)],
        Answers = [new PtrRecord(Service, 3000, Service.Prepend("lighter (c3d4)"))],
    };

    /// <summary>
    /// An mDNS response captured from a real Mac (the UDP payload of a frame in scapy's DNS regression
    /// tests): three reverse-mapping PTRs, three NSECs whose next name is compressed, and an
    /// EDNS0 OPT record (type 41, class = UDP payload size 1440) that the codec skips.
    /// </summary>
    public static byte[] MacReverseMappingCapture { get; } = Convert.FromHexString(
        "000084000000000300000004014201390135013901330134013701330136013701300132013001440138013101300130" +
        "0130013001300130013001300130013001300130013001380145014603697036046172706100000c800100000078000f" +
        "075a616c6d6f6964056c6f63616c00013101410139013401370145014101340142014101460142013201310134013001" +
        "30013601450146013701310146013201350133014501300131013001410132c04c000c8001000000780002c060033133" +
        "360130033136380331393207696e2d61646472c050000c8001000000780002c060c00c002f8001000000780006c00c00" +
        "020008c06f002f8001000000780006c06f00020008c0bd002f8001000000780006c0bd0002000800002905a000001194" +
        "00120004000e00c126a2e190a95d24a2e190a95d");

    /// <summary>
    /// An Amazon Echo's announcement of <c>_amzn-alexa._tcp</c> (a capture quoted in a Rust DNS parser's tests):
    /// PTR, TXT, SRV and A, each owner name and the SRV target compressed against earlier names.
    /// </summary>
    public static byte[] EchoCapture { get; } = Convert.FromHexString(
        "0000840000000004000000000b5f616d7a6e2d616c657861045f746370056c6f63616c00000c000100001194000b085f" +
        "73657276696365c00cc02e0010800100001194000a0976657273696f6e3d31c02e0021800100000078001d0000000019" +
        "8f146176732d66667265672d31363534343735363833c01dc06100018001000000780004c0a80106");
}
