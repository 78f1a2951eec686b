using System.Globalization;

namespace MeshConf.Core.Dns;

/// <summary>
/// Where a service instance listens (RFC 2782): priority, weight, port and the target host name
/// (RFC 6763 §5). Unique to its owner, so announced with the cache-flush bit.
/// </summary>
internal sealed class SrvRecord : DnsRecord
{
    private const int FixedLength = 6;

    public SrvRecord(DnsName name, uint ttl, ushort priority, ushort weight, ushort port, DnsName target, bool cacheFlush = false)
        : base(name, DnsType.Srv, ttl, cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(target);
        Priority = priority;
        Weight = weight;
        Port = port;
        Target = target;
    }

    public ushort Priority { get; }

    public ushort Weight { get; }

    public ushort Port { get; }

    public DnsName Target { get; }

    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new SrvRecord(Name, ttl, Priority, Weight, Port, Target, cacheFlush);

    /// <summary>RFC 6762 §18.14 lets mDNS compress the target (RFC 2782 forbids it in unicast DNS).</summary>
    internal override void WriteRdata(ref DnsWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target);
    }

    internal static SrvRecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd)
    {
        if (rdataEnd - reader.Position < FixedLength + 1)
        {
            reader.Fail(DnsReadErrors.RdataLength);
            return null;
        }

        var priority = reader.ReadUInt16(DnsReadErrors.RdataLength);
        var weight = reader.ReadUInt16(DnsReadErrors.RdataLength);
        var port = reader.ReadUInt16(DnsReadErrors.RdataLength);
        return reader.ReadName(rdataEnd) is { } target ? new SrvRecord(name, ttl, priority, weight, port, target, cacheFlush) : null;
    }

    private protected override bool RdataEquals(DnsRecord other) =>
        other is SrvRecord srv && Priority == srv.Priority && Weight == srv.Weight && Port == srv.Port && Target.Equals(srv.Target);

    private protected override int RdataHashCode() => HashCode.Combine(Priority, Weight, Port, Target);

    private protected override string RdataToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}");
}
