using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// Splits what an agent wants to say into messages of at most <see cref="Mdns.MaxMessageSize"/> bytes (RFC 6762 §17):
/// answers over as many responses as they need, additional records where they still fit (they are optional);
/// known answers over a query and its continuations, each but the last with the TC bit (§7.2).
/// </summary>
internal static class MdnsPacker
{
    /// <summary>
    /// Adds responses to <paramref name="destination"/> (null: the group) carrying every answer that fits a packet on
    /// its own; each is a full mDNS response (id 0, AA). For a legacy unicast reply (§6.7), the query's id and questions
    /// are repeated in every message.
    /// </summary>
    public static void AddResponses(
        List<MdnsSend> output,
        IReadOnlyList<DnsRecord> answers,
        IReadOnlyList<DnsRecord> additionals,
        IPEndPoint? destination,
        DnsMessage? legacyQuery = null)
    {
        var id = legacyQuery?.Id ?? 0;
        var questions = legacyQuery?.Questions ?? [];
        var pendingAnswers = new Queue<DnsRecord>(answers);
        var pendingAdditionals = new List<DnsRecord>(additionals);
        while (pendingAnswers.Count > 0)
        {
            var chunk = new List<DnsRecord>();
            while (pendingAnswers.Count > 0)
            {
                chunk.Add(pendingAnswers.Peek());
                if (!Fits(Response(id, questions, chunk, [])))
                {
                    chunk.RemoveAt(chunk.Count - 1);
                    if (chunk.Count == 0)
                    {
                        pendingAnswers.Dequeue(); // a record no packet can hold: left out
                    }

                    break;
                }

                pendingAnswers.Dequeue();
            }

            if (chunk.Count == 0)
            {
                continue;
            }

            var extra = new List<DnsRecord>();
            for (var i = 0; i < pendingAdditionals.Count; i++)
            {
                extra.Add(pendingAdditionals[i]);
                if (Fits(Response(id, questions, chunk, extra)))
                {
                    pendingAdditionals.RemoveAt(i--);
                }
                else
                {
                    extra.RemoveAt(extra.Count - 1);
                }
            }

            output.Add(new MdnsSend(Response(id, questions, chunk, extra), destination));
        }
    }

    /// <summary>
    /// Adds a multicast query for <paramref name="questions"/> listing <paramref name="knownAnswers"/> (§7.1). Questions
    /// that do not fit one packet go ahead in queries of their own; the last one carries the known answers (and the
    /// authority records), and known answers that do not fit go on in further messages without questions, every
    /// message but the last of that query marked truncated (§7.2). Callers put the questions that known answers
    /// answer last.
    /// </summary>
    public static void AddQuery(List<MdnsSend> output, IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> knownAnswers, IReadOnlyList<DnsRecord>? authorities = null)
    {
        IReadOnlyList<DnsRecord> chunkAuthorities = authorities ?? [];
        var pendingQuestions = new Queue<DnsQuestion>(questions);
        var chunkQuestions = new List<DnsQuestion>();
        while (pendingQuestions.Count > 0)
        {
            chunkQuestions.Add(pendingQuestions.Peek());
            if (!Fits(Query(chunkQuestions, [], chunkAuthorities, truncated: false)) && chunkQuestions.Count > 1)
            {
                chunkQuestions.RemoveAt(chunkQuestions.Count - 1);
                output.Add(new MdnsSend(Query([.. chunkQuestions], [], [], truncated: false)));
                chunkQuestions.Clear();
                continue;
            }

            pendingQuestions.Dequeue();
        }

        var pending = new Queue<DnsRecord>(knownAnswers);
        var first = true;
        do
        {
            var chunk = new List<DnsRecord>();
            while (pending.Count > 0)
            {
                chunk.Add(pending.Peek());
                if (!Fits(Query(chunkQuestions, chunk, chunkAuthorities, truncated: true)))
                {
                    chunk.RemoveAt(chunk.Count - 1);
                    if (chunk.Count == 0 && !first)
                    {
                        pending.Dequeue(); // a known answer no packet can hold: left out
                        continue;
                    }

                    break;
                }

                pending.Dequeue();
            }

            output.Add(new MdnsSend(Query(chunkQuestions, chunk, chunkAuthorities, truncated: pending.Count > 0)));
            chunkQuestions = [];
            chunkAuthorities = [];
            first = false;
        }
        while (pending.Count > 0);
    }

    /// <summary>True when the message, compressed, takes at most <see cref="Mdns.MaxMessageSize"/> bytes.</summary>
    public static bool Fits(DnsMessage message)
    {
        Span<byte> buffer = stackalloc byte[Mdns.MaxMessageSize];
        return message.TryWrite(buffer, out _);
    }

    private static DnsMessage Response(ushort id, IReadOnlyList<DnsQuestion> questions, List<DnsRecord> answers, List<DnsRecord> additionals) => new()
    {
        Id = id,
        IsResponse = true,
        Authoritative = true,
        Questions = questions,
        Answers = answers,
        Additionals = additionals,
    };

    private static DnsMessage Query(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> knownAnswers, IReadOnlyList<DnsRecord> authorities, bool truncated) => new()
    {
        Truncated = truncated,
        Questions = questions,
        Answers = knownAnswers,
        Authorities = authorities,
    };
}
