namespace MeshConf.Core.Dns;

/// <summary>
/// Which types exist for a name (RFC 4034 §4). mDNS uses it only to say "no other types than these"
/// (RFC 6762 §6.1): the next name is the record's own name and only types below 256 are listed, but any
/// well-formed NSEC is read. The type bitmap is a series of windows (RFC 4034 §4.1.2): a window number, a
/// length of 1..32 and that many bytes, one bit per type, most significant bit first.
/// </summary>
internal sealed class NsecRecord : DnsRecord
{
    private const int MaxWindowLength = 32;

    private readonly DnsType[] _types;

    /// <summary>An NSEC naming <paramref name="types"/>; the next name defaults to the record's own name, as mDNS writes it.</summary>
    public NsecRecord(DnsName name, uint ttl, IEnumerable<DnsType> types, bool cacheFlush = false, DnsName? nextName = null)
        : this(name, ttl, NormalizeTypes(types), cacheFlush, nextName ?? name)
    {
    }

    private NsecRecord(DnsName name, uint ttl, DnsType[] types, bool cacheFlush, DnsName nextName)
        : base(name, DnsType.Nsec, ttl, cacheFlush)
    {
        _types = types;
        NextName = nextName;
    }

    public DnsName NextName { get; }

    /// <summary>The types named, ascending, each once.</summary>
    public IReadOnlyList<DnsType> Types => _types;

    public bool HasType(DnsType type) => Array.BinarySearch(_types, type) >= 0;

    /// <summary>Shares the immutable type list with this record.</summary>
    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new NsecRecord(Name, ttl, _types, cacheFlush, NextName);

    /// <summary>RFC 6762 §18.14 lets the next name be compressed.</summary>
    internal override void WriteRdata(ref DnsWriter writer)
    {
        writer.WriteName(NextName);
        var index = 0;
        while (index < _types.Length)
        {
            var window = (int)_types[index] >> 8;
            var end = index;
            while (end < _types.Length && (int)_types[end] >> 8 == window)
            {
                end++;
            }

            // The window is as long as its highest type needs: no trailing zero bytes (RFC 4034 §4.1.2).
            var length = (((int)_types[end - 1] & 0xFF) >> 3) + 1;
            writer.WriteByte((byte)window);
            writer.WriteByte((byte)length);
            var bitmap = writer.Reserve(length);
            if (!bitmap.IsEmpty)
            {
                bitmap.Clear();
                for (var i = index; i < end; i++)
                {
                    var low = (int)_types[i] & 0xFF;
                    bitmap[low >> 3] |= (byte)(0x80 >> (low & 7));
                }
            }

            index = end;
        }
    }

    internal static NsecRecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd)
    {
        var nextName = reader.ReadName(rdataEnd);
        if (nextName is null)
        {
            return null;
        }

        var types = new List<DnsType>();
        var previousWindow = -1;
        while (!reader.Failed && reader.Position < rdataEnd)
        {
            if (rdataEnd - reader.Position < 2)
            {
                reader.Fail(DnsReadErrors.NsecBitmap);
                return null;
            }

            int window = reader.ReadByte(DnsReadErrors.NsecBitmap);
            int length = reader.ReadByte(DnsReadErrors.NsecBitmap);
            if (window <= previousWindow || length is 0 or > MaxWindowLength || length > rdataEnd - reader.Position)
            {
                reader.Fail(DnsReadErrors.NsecBitmap);
                return null;
            }

            var bitmap = reader.ReadBytes(length, DnsReadErrors.NsecBitmap);
            for (var i = 0; i < bitmap.Length; i++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((bitmap[i] & (0x80 >> bit)) != 0)
                    {
                        types.Add((DnsType)((window << 8) | (i << 3) | bit));
                    }
                }
            }

            previousWindow = window;
        }

        // Windows ascend and bits are read in order, so the list is already sorted and distinct.
        return reader.Failed ? null : new NsecRecord(name, ttl, [.. types], cacheFlush, nextName);
    }

    private protected override bool RdataEquals(DnsRecord other) =>
        other is NsecRecord nsec && NextName.Equals(nsec.NextName) && _types.AsSpan().SequenceEqual(nsec._types);

    private protected override int RdataHashCode()
    {
        var hash = new HashCode();
        hash.Add(NextName);
        foreach (var type in _types)
        {
            hash.Add(type);
        }

        return hash.ToHashCode();
    }

    private protected override string RdataToString() =>
        $"{NextName} {string.Join(' ', _types.Select(t => t.ToString().ToUpperInvariant()))}";

    private static DnsType[] NormalizeTypes(IEnumerable<DnsType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var sorted = types.Distinct().ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
