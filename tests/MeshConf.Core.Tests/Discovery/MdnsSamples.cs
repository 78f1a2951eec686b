using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

/// <summary>Adverts, peers and messages the discovery tests share.</summary>
internal static class MdnsSamples
{
    public const string NodeId = "a1b2c3d4e5f60718";

    public const string Fingerprint = "3f1c9a0e5b7d24c8";

    public static IPAddress Ipv4 { get; } = IPAddress.Parse("192.168.1.20");

    public static IPAddress Ipv6 { get; } = IPAddress.Parse("fe80::1c2d:3e4f:5a6b:7c8d");

    /// <summary>Another host on the link, querying and answering from the mDNS port.</summary>
    public static IPEndPoint Peer { get; } = new(IPAddress.Parse("192.168.1.50"), Mdns.Port);

    public static IPEndPoint OtherPeer { get; } = new(IPAddress.Parse("192.168.1.51"), Mdns.Port);

    /// <summary>A one-shot resolver (dig, nslookup) on an ephemeral port: a legacy unicast querier.</summary>
    public static IPEndPoint LegacyResolver { get; } = new(IPAddress.Parse("192.168.1.60"), 40123);

    public static DnsName Instance { get; } = Mdns.ServiceType.Prepend("darker (a1b2)");

    public static DnsName Host { get; } = DnsName.Parse("darker-a1b2.local");

    public static ServiceAdvert Advert(ushort port = 47000, params IPAddress[] addresses) => new(
        "darker (a1b2)",
        "darker-a1b2",
        port,
        [("v", "1"), ("s", "session1"), ("id", NodeId), ("fp", Fingerprint)],
        addresses.Length > 0 ? addresses : [Ipv4, Ipv6]);

    public static DnsMessage Query(params DnsQuestion[] questions) => new() { Questions = questions };

    public static DnsMessage Response(params DnsRecord[] answers) => new() { IsResponse = true, Authoritative = true, Answers = answers };

    /// <summary>
    /// What avahi announces for a service of ours published with avahi-publish on another box: the shared PTRs,
    /// SRV and TXT with the cache-flush bit, the box's address and NSECs.
    /// </summary>
    public static DnsMessage AvahiAnnouncement(DnsName instance, string hostLabel = "otherbox", ushort port = 5000, string nodeId = "ffff000011112222")
    {
        var host = Mdns.LocalDomain.Prepend(hostLabel);
        return new DnsMessage
        {
            IsResponse = true,
            Authoritative = true,
            Answers =
            [
                new PtrRecord(Mdns.ServiceTypeEnumeration, 4500, Mdns.ServiceType),
                new PtrRecord(Mdns.ServiceType, 4500, instance),
                new SrvRecord(instance, 120, 0, 0, port, host, cacheFlush: true),
                TxtRecord.FromProperties(instance, 4500, [("v", "1"), ("s", "session1"), ("id", nodeId), ("fp", "0000")], cacheFlush: true),
            ],
            Additionals =
            [
                new ARecord(host, 120, IPAddress.Parse("192.168.1.50"), cacheFlush: true),
                new NsecRecord(instance, 4500, [DnsType.Txt, DnsType.Srv], cacheFlush: true),
                new NsecRecord(host, 120, [DnsType.A], cacheFlush: true),
            ],
        };
    }

    /// <summary>Another host's probe for <paramref name="instance"/>, proposing an SRV with <paramref name="port"/>.</summary>
    public static DnsMessage ProbeFor(DnsName instance, ushort port, string hostLabel = "otherbox", params DnsRecord[] extra) => new()
    {
        Questions = [new DnsQuestion(instance, DnsType.Any, UnicastResponse: true)],
        Authorities =
        [
            new SrvRecord(instance, 120, 0, 0, port, Mdns.LocalDomain.Prepend(hostLabel)),
            TxtRecord.FromProperties(instance, 4500, [("v", "1"), ("s", "session1"), ("id", NodeId), ("fp", Fingerprint)]),
            .. extra,
        ],
    };

    /// <summary>
    /// A responder started at 0 and run through probing and both announcements, with the clock at 3 s, or with
    /// <paramref name="stopAtLastAnnouncement"/> at the very moment of the second announcement.
    /// </summary>
    public static AgentDriver AnnouncedResponder(ServiceAdvert? advert = null, ulong seed = 1, bool stopAtLastAnnouncement = false)
    {
        var responder = new MdnsResponder(advert ?? Advert(), seed);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        while (responder.State != MdnsResponderState.Announced)
        {
            driver.RunUntil(responder.NextWakeMs);
        }

        if (!stopAtLastAnnouncement)
        {
            driver.RunUntil(3000);
        }

        return driver;
    }
}
