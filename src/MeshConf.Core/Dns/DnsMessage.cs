using System.Buffers;
using System.Globalization;
using System.Text;

namespace MeshConf.Core.Dns;

/// <summary>
/// A DNS message (RFC 1035 §4.1) as mDNS and DNS-SD use it: the header fields mDNS gives a meaning to
/// (RFC 6762 §18) and the four sections. Immutable; build one with an object initializer, read one with
/// <see cref="TryRead"/>, write one with <see cref="TryWrite"/>. The header bits RA, Z, AD and CD are written
/// as zero and ignored when read (RFC 6762 §18.7-18.10); policy (which opcode or rcode to drop, the id of a
/// legacy unicast reply) belongs to the responder, not here.
/// </summary>
internal sealed partial class DnsMessage
{
    private const int MaxFourBitField = 15;

    /// <summary>Room for the compression table: label starts remembered while writing (2 KiB of stack).</summary>
    private const int CompressionTargets = 512;

    private readonly byte _opcode;
    private readonly byte _rcode;
    private readonly DnsQuestion[] _questions = [];
    private readonly DnsRecord[] _answers = [];
    private readonly DnsRecord[] _authorities = [];
    private readonly DnsRecord[] _additionals = [];

    public DnsMessage()
    {
    }

    /// <summary>The id: zero in multicast messages, the querier's in a legacy unicast reply (RFC 6762 §18.1, §6.7).</summary>
    public ushort Id { get; init; }

    public bool IsResponse { get; init; }

    /// <summary>Four bits; zero (a standard query) is all mDNS sends (RFC 6762 §18.3).</summary>
    public byte Opcode
    {
        get => _opcode;
        init => _opcode = CheckFourBits(value);
    }

    /// <summary>The AA bit, set in every mDNS response (RFC 6762 §18.4).</summary>
    public bool Authoritative { get; init; }

    /// <summary>The TC bit: in a query, more known answers follow in later packets (RFC 6762 §18.5, §7.2).</summary>
    public bool Truncated { get; init; }

    public bool RecursionDesired { get; init; }

    /// <summary>Four bits; mDNS sends zero (RFC 6762 §18.11).</summary>
    public byte Rcode
    {
        get => _rcode;
        init => _rcode = CheckFourBits(value);
    }

    public IReadOnlyList<DnsQuestion> Questions
    {
        get => _questions;
        init => _questions = CopyOf(value);
    }

    public IReadOnlyList<DnsRecord> Answers
    {
        get => _answers;
        init => _answers = CopyOf(value);
    }

    public IReadOnlyList<DnsRecord> Authorities
    {
        get => _authorities;
        init => _authorities = CopyOf(value);
    }

    public IReadOnlyList<DnsRecord> Additionals
    {
        get => _additionals;
        init => _additionals = CopyOf(value);
    }

    /// <summary>
    /// How many questions and records <see cref="TryRead"/> passed over: types the codec does not know, and
    /// classes other than IN (an EDNS0 OPT record, for one). Zero for a message built here.
    /// </summary>
    public int SkippedCount { get; private init; }

    /// <summary>
    /// Writes the message into <paramref name="destination"/>, compressing every name the rules allow (owner
    /// names, and the names in PTR, SRV and NSEC rdata, RFC 6762 §18.14). Allocates nothing. False when it
    /// does not fit (or a section holds more than 65535 entries); nothing useful is in the destination then.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (_questions.Length > ushort.MaxValue || _answers.Length > ushort.MaxValue
            || _authorities.Length > ushort.MaxValue || _additionals.Length > ushort.MaxValue)
        {
            return false;
        }

        Span<int> targets = stackalloc int[CompressionTargets];
        var writer = new DnsWriter(destination, targets);
        writer.WriteUInt16(Id);
        writer.WriteUInt16(Flags);
        writer.WriteUInt16((ushort)_questions.Length);
        writer.WriteUInt16((ushort)_answers.Length);
        writer.WriteUInt16((ushort)_authorities.Length);
        writer.WriteUInt16((ushort)_additionals.Length);
        foreach (var question in _questions)
        {
            writer.WriteName(question.Name);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16(question.UnicastResponse ? (ushort)(DnsRecord.ClassIn | DnsRecord.TopBit) : DnsRecord.ClassIn);
        }

        WriteRecords(ref writer, _answers);
        WriteRecords(ref writer, _authorities);
        WriteRecords(ref writer, _additionals);
        if (writer.Overflowed)
        {
            return false;
        }

        written = writer.Position;
        return true;
    }

    /// <summary>The message as a new array.</summary>
    /// <exception cref="InvalidOperationException">The message is larger than any DNS message over UDP can be.</exception>
    public byte[] ToArray()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            return TryWrite(buffer.AsSpan(0, ushort.MaxValue), out var written)
                ? buffer.AsSpan(0, written).ToArray()
                : throw new InvalidOperationException("the DNS message does not fit in 65535 bytes");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A dig-like dump, for logs and test failures.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"id {Id} {(IsResponse ? "response" : "query")} opcode {Opcode} rcode {Rcode}");
        builder.Append(Authoritative ? " aa" : string.Empty).Append(Truncated ? " tc" : string.Empty).Append(RecursionDesired ? " rd" : string.Empty);
        if (SkippedCount != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $" ({SkippedCount} skipped)");
        }

        foreach (var question in _questions)
        {
            builder.Append("\n  question   ").Append(question);
        }

        AppendSection(builder, "answer    ", _answers);
        AppendSection(builder, "authority ", _authorities);
        AppendSection(builder, "additional", _additionals);
        return builder.ToString();
    }

    private ushort Flags =>
        (ushort)((IsResponse ? 0x8000 : 0)
            | (_opcode << 11)
            | (Authoritative ? 0x0400 : 0)
            | (Truncated ? 0x0200 : 0)
            | (RecursionDesired ? 0x0100 : 0)
            | _rcode);

    private static void WriteRecords(ref DnsWriter writer, DnsRecord[] records)
    {
        foreach (var record in records)
        {
            record.Write(ref writer);
        }
    }

    private static void AppendSection(StringBuilder builder, string title, DnsRecord[] records)
    {
        foreach (var record in records)
        {
            builder.Append("\n  ").Append(title).Append(' ').Append(record);
        }
    }

    private static byte CheckFourBits(byte value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxFourBitField);
        return value;
    }

    private static T[] CopyOf<T>(IReadOnlyList<T> items)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        var copy = new T[items.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = items[i] ?? throw new ArgumentException("a section holds a null entry", nameof(items));
        }

        return copy;
    }
}
