using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>The fixed facts of multicast DNS (RFC 6762) and of MeshConf's DNS-SD service (RFC 6763).</summary>
internal static class Mdns
{
    /// <summary>The mDNS port; a query from any other source port is a legacy unicast query (RFC 6762 §6.7).</summary>
    public const int Port = 5353;

    /// <summary>Multicast messages are sent with IP TTL 255 (RFC 6762 §11).</summary>
    public const int MulticastTtl = 255;

    /// <summary>Largest message we send: a full Ethernet frame's payload (RFC 6762 §17).</summary>
    public const int MaxMessageSize = 1472;

    /// <summary>The protocol version our TXT record carries as <c>v</c>.</summary>
    public const string ProtocolVersion = "1";

    /// <summary>TXT keys: protocol version, session, node id, short fingerprint.</summary>
    public const string VersionKey = "v";
    public const string SessionKey = "s";
    public const string NodeIdKey = "id";
    public const string FingerprintKey = "fp";

    /// <summary>TTL of records that carry a host name (SRV, A, AAAA): 120 s (RFC 6762 §10).</summary>
    public const uint HostRecordTtl = 120;

    /// <summary>TTL of the other records (PTR, TXT): 75 minutes (RFC 6762 §10).</summary>
    public const uint OtherRecordTtl = 4500;

    public static IPAddress IPv4Group { get; } = IPAddress.Parse("224.0.0.251");

    public static IPAddress IPv6Group { get; } = IPAddress.Parse("ff02::fb");

    public static IPEndPoint IPv4Endpoint { get; } = new(IPv4Group, Port);

    /// <summary><c>_meshconf._udp.local</c>: the service every node publishes.</summary>
    public static DnsName ServiceType { get; } = DnsName.Parse("_meshconf._udp.local");

    /// <summary><c>_services._dns-sd._udp.local</c>: service type enumeration (RFC 6763 §9).</summary>
    public static DnsName ServiceTypeEnumeration { get; } = DnsName.Parse("_services._dns-sd._udp.local");

    public static DnsName LocalDomain { get; } = DnsName.Parse("local");
}
