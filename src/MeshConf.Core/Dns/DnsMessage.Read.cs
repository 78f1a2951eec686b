using System.Diagnostics.CodeAnalysis;

namespace MeshConf.Core.Dns;

internal sealed partial class DnsMessage
{
    /// <summary>The smallest question: the root name (one zero byte), type and class.</summary>
    private const int MinQuestionSize = 1 + 4;

    /// <summary>The smallest record: the root name, type, class, TTL and a zero rdlength.</summary>
    private const int MinRecordSize = 1 + 10;

    private DnsMessage(DnsQuestion[] questions, DnsRecord[] answers, DnsRecord[] authorities, DnsRecord[] additionals)
    {
        _questions = questions;
        _answers = answers;
        _authorities = authorities;
        _additionals = additionals;
    }

    /// <summary>
    /// Reads a packet as it came off the network. Never throws, whatever the bytes: a malformed packet gives
    /// false and the reason (one of <see cref="DnsReadErrors"/>, a constant, so counting rejections allocates
    /// nothing). Strict: every count must be met by the data, every rdata of a known type consumed exactly,
    /// names bounded (see <see cref="DnsReader.ReadName"/>), and nothing may follow the last record. Questions and
    /// records of unknown types or other classes are skipped and counted in <see cref="SkippedCount"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DnsMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        var reader = new DnsReader(packet);
        var id = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);
        var flags = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);
        var questionCount = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);
        var answerCount = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);
        var authorityCount = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);
        var additionalCount = reader.ReadUInt16(DnsReadErrors.TruncatedHeader);

        // Counts the data cannot hold are refused before anything is allocated for them.
        if (!reader.Failed
            && (questionCount * MinQuestionSize) + ((answerCount + authorityCount + additionalCount) * MinRecordSize) > reader.Remaining)
        {
            reader.Fail(DnsReadErrors.CountsExceedData);
        }

        var skipped = 0;
        var questions = ReadQuestions(ref reader, questionCount, ref skipped);
        var answers = ReadRecords(ref reader, answerCount, ref skipped);
        var authorities = ReadRecords(ref reader, authorityCount, ref skipped);
        var additionals = ReadRecords(ref reader, additionalCount, ref skipped);
        if (!reader.Failed && reader.Remaining != 0)
        {
            reader.Fail(DnsReadErrors.TrailingBytes);
        }

        if (reader.Error is { } failure)
        {
            error = failure;
            return false;
        }

        error = null;
        message = new DnsMessage(questions, answers, authorities, additionals)
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (byte)((flags >> 11) & MaxFourBitField),
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            Rcode = (byte)(flags & MaxFourBitField),
            SkippedCount = skipped,
        };
        return true;
    }

    private static DnsQuestion[] ReadQuestions(ref DnsReader reader, int count, ref int skipped)
    {
        if (count == 0 || reader.Failed)
        {
            return [];
        }

        var questions = new DnsQuestion[count];
        var kept = 0;
        for (var i = 0; i < count && !reader.Failed; i++)
        {
            var name = reader.ReadName(reader.Length);
            var type = (DnsType)reader.ReadUInt16(DnsReadErrors.TruncatedQuestion);
            var questionClass = reader.ReadUInt16(DnsReadErrors.TruncatedQuestion);
            if (reader.Failed || name is null)
            {
                break;
            }

            if ((questionClass & ~DnsRecord.TopBit) != DnsRecord.ClassIn)
            {
                skipped++;
                continue;
            }

            questions[kept++] = new DnsQuestion(name, type, (questionClass & DnsRecord.TopBit) != 0);
        }

        return Trim(questions, kept);
    }

    private static DnsRecord[] ReadRecords(ref DnsReader reader, int count, ref int skipped)
    {
        if (count == 0 || reader.Failed)
        {
            return [];
        }

        var records = new DnsRecord[count];
        var kept = 0;
        for (var i = 0; i < count && !reader.Failed; i++)
        {
            if (ReadRecord(ref reader) is { } record)
            {
                records[kept++] = record;
            }
            else if (!reader.Failed)
            {
                skipped++;
            }
        }

        return Trim(records, kept);
    }

    /// <summary>One record; null when it failed (the reader says so) or was skipped.</summary>
    private static DnsRecord? ReadRecord(ref DnsReader reader)
    {
        var name = reader.ReadName(reader.Length);
        var type = (DnsType)reader.ReadUInt16(DnsReadErrors.TruncatedRecord);
        var recordClass = reader.ReadUInt16(DnsReadErrors.TruncatedRecord);
        var ttl = reader.ReadUInt32(DnsReadErrors.TruncatedRecord);
        var rdataLength = reader.ReadUInt16(DnsReadErrors.TruncatedRecord);
        if (reader.Failed || name is null)
        {
            return null;
        }

        if (rdataLength > reader.Remaining)
        {
            reader.Fail(DnsReadErrors.TruncatedRdata);
            return null;
        }

        var end = reader.Position + rdataLength;
        var cacheFlush = (recordClass & DnsRecord.TopBit) != 0;
        if ((recordClass & ~DnsRecord.TopBit) != DnsRecord.ClassIn)
        {
            reader.ReadBytes(rdataLength, DnsReadErrors.TruncatedRdata);
            return null;
        }

        DnsRecord? record = type switch
        {
            DnsType.A => ARecord.Read(ref reader, name, ttl, cacheFlush, end),
            DnsType.Aaaa => AaaaRecord.Read(ref reader, name, ttl, cacheFlush, end),
            DnsType.Ptr => PtrRecord.Read(ref reader, name, ttl, cacheFlush, end),
            DnsType.Srv => SrvRecord.Read(ref reader, name, ttl, cacheFlush, end),
            DnsType.Txt => TxtRecord.Read(ref reader, name, ttl, cacheFlush, end),
            DnsType.Nsec => NsecRecord.Read(ref reader, name, ttl, cacheFlush, end),
            _ => null,
        };

        if (record is null)
        {
            if (!reader.Failed)
            {
                reader.ReadBytes(rdataLength, DnsReadErrors.TruncatedRdata); // an unknown type: passed over
            }

            return null;
        }

        if (reader.Position != end)
        {
            reader.Fail(DnsReadErrors.RdataLength);
            return null;
        }

        return record;
    }

    private static T[] Trim<T>(T[] items, int kept)
    {
        if (kept != items.Length)
        {
            Array.Resize(ref items, kept);
        }

        return items;
    }
}
