using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

/// <summary>
/// Compares messages field by field and byte for byte: header, question and record names as exact wire bytes
/// (not just DNS-equal), TTLs, both class bits and raw rdata. <see cref="DnsMessage.SkippedCount"/> is left out,
/// since a message written again no longer holds what was skipped.
/// </summary>
internal static class DnsAssert
{
    public static void Identical(DnsMessage expected, DnsMessage actual)
    {
        var difference = Difference(expected, actual);
        Assert.True(difference is null, $"{difference}\nexpected:\n{expected}\nactual:\n{actual}");
    }

    /// <summary>The first difference, or null; cheap enough to call a million times.</summary>
    public static string? Difference(DnsMessage a, DnsMessage b)
    {
        if (a.Id != b.Id || a.IsResponse != b.IsResponse || a.Opcode != b.Opcode || a.Authoritative != b.Authoritative
            || a.Truncated != b.Truncated || a.RecursionDesired != b.RecursionDesired || a.Rcode != b.Rcode)
        {
            return "header differs";
        }

        if (a.Questions.Count != b.Questions.Count)
        {
            return "question count differs";
        }

        for (var i = 0; i < a.Questions.Count; i++)
        {
            var (x, y) = (a.Questions[i], b.Questions[i]);
            if (!x.Name.WireBytes.SequenceEqual(y.Name.WireBytes) || x.Type != y.Type || x.UnicastResponse != y.UnicastResponse)
            {
                return $"question {i} differs: {x} / {y}";
            }
        }

        return SectionDifference("answer", a.Answers, b.Answers)
            ?? SectionDifference("authority", a.Authorities, b.Authorities)
            ?? SectionDifference("additional", a.Additionals, b.Additionals);
    }

    private static string? SectionDifference(string section, IReadOnlyList<DnsRecord> a, IReadOnlyList<DnsRecord> b)
    {
        if (a.Count != b.Count)
        {
            return $"{section} count differs: {a.Count} / {b.Count}";
        }

        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x.GetType() != y.GetType() || !x.Name.WireBytes.SequenceEqual(y.Name.WireBytes) || x.Type != y.Type
                || x.Ttl != y.Ttl || x.CacheFlush != y.CacheFlush || !x.Equals(y) || x.CompareRdata(y) != 0)
            {
                return $"{section} {i} differs: {x} / {y}";
            }
        }

        return null;
    }
}
