using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace MeshConf.Core.Dns;

/// <summary>
/// A resource record of class IN (RFC 1035 §4.1.3) with its mDNS cache-flush bit (RFC 6762 §10.2, the top bit
/// of the class field). Subclasses hold the rdata of the types the codec understands; every one is immutable.
/// <para>
/// Equality is "the same record" as mDNS means it for known-answer suppression and conflicts (RFC 6762 §7.1):
/// name, type and rdata, with names compared ignoring ASCII case. TTL and the cache-flush bit are not part of
/// it. <see cref="CompareRdata"/> is the byte order probes use to break ties (RFC 6762 §8.2).
/// </para>
/// </summary>
internal abstract class DnsRecord : IEquatable<DnsRecord>
{
    /// <summary>The only class mDNS uses, IN (RFC 1035 §3.2.4).</summary>
    public const ushort ClassIn = 1;

    /// <summary>RFC 6762 §10.2: the top bit of rrclass in a response; §5.4: the top bit of qclass in a question.</summary>
    internal const ushort TopBit = 0x8000;

    private protected DnsRecord(DnsName name, DnsType type, uint ttl, bool cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Type = type;
        Ttl = ttl;
        CacheFlush = cacheFlush;
    }

    public DnsName Name { get; }

    public DnsType Type { get; }

    /// <summary>Seconds the record may be cached; 0 in a goodbye (RFC 6762 §10.1).</summary>
    public uint Ttl { get; }

    /// <summary>The sender owns this unique record: caches drop older copies (RFC 6762 §10.2).</summary>
    public bool CacheFlush { get; }

    /// <summary>
    /// RFC 6762 §8.2: compares class (without the cache-flush bit), then type, then the raw uncompressed rdata
    /// bytes as unsigned values, the longer rdata winning a common prefix. Positive when this record is
    /// "lexicographically later". Names are not compared here.
    /// </summary>
    public int CompareRdata(DnsRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Type != other.Type)
        {
            return ((ushort)Type).CompareTo((ushort)other.Type);
        }

        return RdataToArray().AsSpan().SequenceCompareTo(other.RdataToArray());
    }

    /// <summary>
    /// The same record (name, type, rdata) with another TTL and cache-flush bit: a goodbye at TTL 0
    /// (RFC 6762 §10.1), a legacy unicast answer capped at 10 s without the bit (§6.7), a probe's proposal.
    /// </summary>
    public abstract DnsRecord WithTtl(uint ttl, bool cacheFlush);

    /// <summary>The rdata as it goes on the wire, with no name in it compressed.</summary>
    internal byte[] RdataToArray()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            var writer = new DnsWriter(buffer, []);
            WriteRdata(ref writer);
            return buffer.AsSpan(0, writer.Position).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Name, type, class with the cache-flush bit, TTL, then rdlength and the rdata.</summary>
    internal void Write(ref DnsWriter writer)
    {
        writer.WriteName(Name);
        writer.WriteUInt16((ushort)Type);
        writer.WriteUInt16(CacheFlush ? (ushort)(ClassIn | TopBit) : ClassIn);
        writer.WriteUInt32(Ttl);
        var lengthAt = writer.Position;
        writer.WriteUInt16(0);
        var start = writer.Position;
        WriteRdata(ref writer);
        // Every record type caps its rdata below 64 KiB when it is built (TXT is the only one that could grow).
        var length = writer.Position - start;
        Debug.Assert(length <= ushort.MaxValue, "rdata longer than an rdlength can say");
        writer.PatchUInt16(lengthAt, (ushort)length);
    }

    /// <summary>The rdata; names in it go through the writer, which compresses them when it compresses at all.</summary>
    internal abstract void WriteRdata(ref DnsWriter writer);

    private protected abstract bool RdataEquals(DnsRecord other);

    private protected abstract int RdataHashCode();

    /// <summary>The rdata in presentation form, for logs and test failures.</summary>
    private protected abstract string RdataToString();

    public bool Equals(DnsRecord? other) =>
        other is not null
        && (ReferenceEquals(this, other) || (Type == other.Type && Name.Equals(other.Name) && RdataEquals(other)));

    public override bool Equals(object? obj) => Equals(obj as DnsRecord);

    public override int GetHashCode() => HashCode.Combine(Name, Type, RdataHashCode());

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Ttl} {(CacheFlush ? "IN/flush" : "IN")} {Type.ToString().ToUpperInvariant()} {RdataToString()}");
}
