using System.Net;
using System.Net.Sockets;

namespace MeshConf.Core.Dns;

/// <summary>An IPv4 address of a host name (RFC 1035 §3.4.1).</summary>
internal sealed class ARecord : DnsRecord
{
    private const int AddressLength = 4;

    public ARecord(DnsName name, uint ttl, IPAddress address, bool cacheFlush = false)
        : base(name, DnsType.A, ttl, cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"an A record holds an IPv4 address, not {address}", nameof(address));
        }

        // A private copy: IPAddress is mutable, a record is not.
        Address = new IPAddress(address.GetAddressBytes());
    }

    private ARecord(DnsName name, uint ttl, ReadOnlySpan<byte> address, bool cacheFlush)
        : base(name, DnsType.A, ttl, cacheFlush) => Address = new IPAddress(address);

    public IPAddress Address { get; }

    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new ARecord(Name, ttl, Address, cacheFlush);

    internal override void WriteRdata(ref DnsWriter writer)
    {
        if (writer.Reserve(AddressLength) is { Length: AddressLength } span)
        {
            Address.TryWriteBytes(span, out _);
        }
    }

    internal static ARecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd)
    {
        if (rdataEnd - reader.Position != AddressLength)
        {
            reader.Fail(DnsReadErrors.RdataLength);
            return null;
        }

        var bytes = reader.ReadBytes(AddressLength, DnsReadErrors.TruncatedRdata);
        return reader.Failed ? null : new ARecord(name, ttl, bytes, cacheFlush);
    }

    private protected override bool RdataEquals(DnsRecord other) => other is ARecord a && Address.Equals(a.Address);

    private protected override int RdataHashCode() => Address.GetHashCode();

    private protected override string RdataToString() => Address.ToString();
}
