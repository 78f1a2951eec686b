using System.Text;

namespace MeshConf.Core.Dns;

/// <summary>
/// Character strings (RFC 1035 §3.3.14), each at most 255 bytes; in DNS-SD, <c>key=value</c> attributes of a
/// service instance (RFC 6763 §6). A record with no strings is written as one empty string, a single zero byte,
/// as RFC 6763 §6.1 requires, and an empty rdata read from the wire means the same, so the two compare equal.
/// </summary>
internal sealed class TxtRecord : DnsRecord
{
    public const int MaxStringLength = 255;

    /// <summary>The rdata as on the wire: length-prefixed strings. <see cref="_strings"/> are views into it.</summary>
    private readonly byte[] _rdata;

    private readonly ReadOnlyMemory<byte>[] _strings;

    public TxtRecord(DnsName name, uint ttl, IEnumerable<byte[]> strings, bool cacheFlush = false)
        : base(name, DnsType.Txt, ttl, cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var rdata = new List<byte>();
        foreach (var text in strings)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(strings));
            if (text.Length > MaxStringLength)
            {
                throw new ArgumentException($"a TXT string is at most {MaxStringLength} bytes, not {text.Length}", nameof(strings));
            }

            rdata.Add((byte)text.Length);
            rdata.AddRange(text);
        }

        if (rdata.Count == 0)
        {
            rdata.Add(0);
        }

        if (rdata.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"TXT rdata is at most {ushort.MaxValue} bytes, not {rdata.Count}", nameof(strings));
        }

        _rdata = [.. rdata];
        _strings = Split(_rdata);
    }

    private TxtRecord(DnsName name, uint ttl, byte[] rdata, bool cacheFlush)
        : base(name, DnsType.Txt, ttl, cacheFlush)
    {
        _rdata = rdata;
        _strings = Split(rdata);
    }

    /// <summary>The strings in order; never empty (see the class remarks).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Strings => _strings;

    /// <summary>Shares the immutable rdata with this record.</summary>
    public override DnsRecord WithTtl(uint ttl, bool cacheFlush) => new TxtRecord(Name, ttl, _rdata, cacheFlush);

    /// <summary>
    /// DNS-SD attributes (RFC 6763 §6.3-6.5): <c>key=value</c>, or a bare <c>key</c> for a boolean attribute when
    /// the value is null; <c>key=</c> is an attribute with an empty value. Values are written as UTF-8.
    /// </summary>
    /// <exception cref="ArgumentException">A key is empty, holds '=' or anything outside printable US-ASCII, or a string passes 255 bytes.</exception>
    public static TxtRecord FromProperties(DnsName name, uint ttl, IEnumerable<(string Key, string? Value)> properties, bool cacheFlush = false)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var strings = new List<byte[]>();
        foreach (var (key, value) in properties)
        {
            if (string.IsNullOrEmpty(key) || key.Any(c => c is < (char)0x20 or > (char)0x7E or '='))
            {
                throw new ArgumentException($"a TXT key is 1 or more printable US-ASCII characters other than '=', not '{key}'", nameof(properties));
            }

            strings.Add(Encoding.UTF8.GetBytes(value is null ? key : $"{key}={value}"));
        }

        return new TxtRecord(name, ttl, strings, cacheFlush);
    }

    /// <summary>
    /// The value of the first attribute named <paramref name="key"/> (case-insensitive, RFC 6763 §6.4), decoded
    /// as UTF-8; null for a boolean attribute (no '='). False when no string has that key. Strings that start
    /// with '=' have no key and are ignored, as are empty ones.
    /// </summary>
    public bool TryGetValue(string key, out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = null;
        foreach (var memory in _strings)
        {
            var text = memory.Span;
            var equals = text.IndexOf((byte)'=');
            var name = equals < 0 ? text : text[..equals];
            if (name.IsEmpty || !Ascii.EqualsIgnoreCase(name, key))
            {
                continue;
            }

            value = equals < 0 ? null : Encoding.UTF8.GetString(text[(equals + 1)..]);
            return true;
        }

        return false;
    }

    internal override void WriteRdata(ref DnsWriter writer) => writer.WriteBytes(_rdata);

    internal static TxtRecord? Read(ref DnsReader reader, DnsName name, uint ttl, bool cacheFlush, int rdataEnd)
    {
        var bytes = reader.ReadBytes(rdataEnd - reader.Position, DnsReadErrors.TruncatedRdata);
        if (reader.Failed)
        {
            return null;
        }

        if (bytes.IsEmpty)
        {
            // RFC 6763 §6.1: not strictly legal, but to be read as a single empty string.
            return new TxtRecord(name, ttl, [0], cacheFlush);
        }

        for (var at = 0; at < bytes.Length; at += 1 + bytes[at])
        {
            if (at + 1 + bytes[at] > bytes.Length)
            {
                reader.Fail(DnsReadErrors.RdataLength);
                return null;
            }
        }

        return new TxtRecord(name, ttl, bytes.ToArray(), cacheFlush);
    }

    /// <summary>TXT content is binary: compared byte for byte, case included.</summary>
    private protected override bool RdataEquals(DnsRecord other) => other is TxtRecord txt && _rdata.AsSpan().SequenceEqual(txt._rdata);

    private protected override int RdataHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_rdata);
        return hash.ToHashCode();
    }

    private protected override string RdataToString()
    {
        var builder = new StringBuilder();
        foreach (var memory in _strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append('"');
            foreach (var c in Encoding.UTF8.GetString(memory.Span))
            {
                (c is '"' or '\\' ? builder.Append('\\') : builder).Append(c);
            }

            builder.Append('"');
        }

        return builder.ToString();
    }

    /// <summary>Views of the strings in well-formed rdata (checked by the caller or built here).</summary>
    private static ReadOnlyMemory<byte>[] Split(byte[] rdata)
    {
        var count = 0;
        for (var at = 0; at < rdata.Length; at += 1 + rdata[at])
        {
            count++;
        }

        var strings = new ReadOnlyMemory<byte>[count];
        var index = 0;
        for (var at = 0; at < rdata.Length; at += 1 + rdata[at])
        {
            strings[index++] = rdata.AsMemory(at + 1, rdata[at]);
        }

        return strings;
    }
}
