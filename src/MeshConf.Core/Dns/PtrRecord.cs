namespace MeshConf.Core.Dns;

/// <summary>
/// A pointer to another name (RFC 1035 §3.3.12): in DNS-SD, from a service type to one of its instances
/// (RFC 6763 §4.1). PTR records are shared, so they rarely carry the cache-flush bit (RFC 6762 §10.2).
/// </summary>
internal sealed class PtrRecord : DnsRecord
{
    public PtrRecord(DnsName name, uint ttl, DnsName target, bool cacheFlush = false)
        : base(name, DnsType.Ptr, ttl, cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public DnsName Target { get; }

    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new PtrRecord(Name, ttl, Target, cacheFlush);

    /// <summary>RFC 6762 §18.14 lets the target be compressed.</summary>
    internal override void WriteRdata(ref DnsWriter writer) => writer.WriteName(Target);

    /// <summary>The rdata at the reader's position, which must end exactly at <paramref name="rdataEnd"/>.</summary>
    internal static PtrRecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd) =>
        reader.ReadName(rdataEnd) is { } target ? new PtrRecord(name, ttl, target, cacheFlush) : null;

    private protected override bool RdataEquals(DnsRecord other) => other is PtrRecord ptr && Target.Equals(ptr.Target);

    private protected override int RdataHashCode() => Target.GetHashCode();

    private protected override string RdataToString() => Target.ToString();
}
