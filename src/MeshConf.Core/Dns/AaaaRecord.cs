using System.Net;
using System.Net.Sockets;

namespace MeshConf.Core.Dns;

/// <summary>An IPv6 address of a host name (RFC 3596 §2.2).</summary>
internal sealed class AaaaRecord : DnsRecord
{
    private const int AddressLength = 16;

    public AaaaRecord(DnsName name, uint ttl, IPAddress address, bool cacheFlush = false)
        : base(name, DnsType.Aaaa, ttl, cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"an AAAA record holds an IPv6 address, not {address}", nameof(address));
        }

        // A private copy, without a scope id: IPAddress is mutable, and the wire has no place for the scope.
        Address = new IPAddress(address.GetAddressBytes());
    }

    private AaaaRecord(DnsName name, uint ttl, ReadOnlySpan<byte> address, bool cacheFlush)
        : base(name, DnsType.Aaaa, ttl, cacheFlush) => Address = new IPAddress(address);

    public IPAddress Address { get; }

    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new AaaaRecord(Name, ttl, Address, cacheFlush);

    internal override void WriteRdata(ref DnsWriter writer)
    {
        if (writer.Reserve(AddressLength) is { Length: AddressLength } span)
        {
            Address.TryWriteBytes(span, out _);
        }
    }

    internal static AaaaRecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd)
    {
        if (rdataEnd - reader.Position != AddressLength)
        {
            reader.Fail(DnsReadErrors.RdataLength);
            return null;
        }

        var bytes = reader.ReadBytes(AddressLength, DnsReadErrors.TruncatedRdata);
        return reader.Failed ? null : new AaaaRecord(name, ttl, bytes, cacheFlush);
    }

    private protected override bool RdataEquals(DnsRecord other) => other is AaaaRecord aaaa && Address.Equals(aaaa.Address);

    private protected override int RdataHashCode() => Address.GetHashCode();

    private protected override string RdataToString() => Address.ToString();
}
