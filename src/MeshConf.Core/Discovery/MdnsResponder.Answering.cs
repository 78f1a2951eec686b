using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

internal sealed partial class MdnsResponder
{
    private void OnResponse(DnsMessage message, long nowMs)
    {
        if (State == MdnsResponderState.Probing)
        {
            OnResponseWhileProbing(message, nowMs);
        }
        else
        {
            OnResponseWhileAnnounced(message, nowMs);
        }
    }

    private void OnQuery(DnsMessage message, IPEndPoint source, long nowMs)
    {
        var legacy = source.Port != Mdns.Port;
        if (message.Questions.Count == 0)
        {
            // The rest of a truncated query's known answers (§7.2).
            if (!legacy && State != MdnsResponderState.Probing)
            {
                ApplyLateKnownAnswers(message.Answers, source);
            }

            return;
        }

        if (State == MdnsResponderState.Probing)
        {
            if (message.Authorities.Count > 0)
            {
                OnProbeWhileProbing(message, nowMs);
            }

            return;
        }

        if (legacy)
        {
            AnswerLegacy(message, source, nowMs);
        }
        else
        {
            Answer(message, source, nowMs);
        }
    }

    /// <summary>
    /// Answers a multicast DNS query (§6). For each record that answers a question and is not listed as a known
    /// answer with at least half our TTL (§7.1): a QU question (§5.4) is answered by unicast to the querier if we
    /// multicast the record within the last quarter of its TTL, otherwise by multicast, to keep every cache fresh;
    /// multicast answers of unique records go at once, those of shared records after 20-120 ms, aggregated; when
    /// the querier has more known answers coming (TC), every multicast answer waits 400-500 ms for them (§6, §7.2). A probe for one of our names (a query with an
    /// authority section) is defended at once by multicast, whatever was sent lately (§6.2, §8.1), so the prober
    /// and every cache see who owns the name.
    /// </summary>
    private void Answer(DnsMessage message, IPEndPoint source, long nowMs)
    {
        var isProbe = message.Authorities.Count > 0;
        var found = new List<DnsRecord>();
        var defence = new List<DnsRecord>();
        var unicast = new List<DnsRecord>();
        foreach (var question in message.Questions)
        {
            found.Clear();
            _records.Answer(question, found);
            foreach (var record in found)
            {
                if (isProbe && _records.IsUniqueName(question.Name))
                {
                    AddOnce(defence, record);
                }
                else if (IsKnownAnswer(message.Answers, record))
                {
                    continue;
                }
                else if (question.UnicastResponse && MulticastWithin(record, nowMs, record.Ttl * 1000L / 4))
                {
                    AddOnce(unicast, record);
                }
                else if (!record.CacheFlush || message.Truncated)
                {
                    if (_multicastDelayed.IsEmpty)
                    {
                        _multicastDelayed.DueMs = nowMs + MdnsTiming.Between(ref _random, MdnsTiming.SharedAnswerMinMs, MdnsTiming.SharedAnswerMaxMs);
                    }

                    if (message.Truncated)
                    {
                        _multicastDelayed.DueMs = Math.Max(
                            _multicastDelayed.DueMs,
                            nowMs + MdnsTiming.Between(ref _random, MdnsTiming.TruncatedAnswerMinMs, MdnsTiming.TruncatedAnswerMaxMs));
                    }

                    _multicastDelayed.Add(record, source);
                }
                else
                {
                    _multicastNow.DueMs = Math.Min(_multicastNow.DueMs, nowMs);
                    _multicastNow.Add(record, source);
                }
            }
        }

        if (defence.Count > 0)
        {
            var sends = new List<MdnsSend>();
            MdnsPacker.AddResponses(sends, defence, _records.Additionals(defence), destination: null);
            foreach (var record in defence)
            {
                _lastMulticastMs[record] = nowMs;
            }

            _outbox.AddRange(sends.Select(s => (nowMs, s)));
        }

        if (unicast.Count > 0)
        {
            var sends = new List<MdnsSend>();
            MdnsPacker.AddResponses(sends, unicast, _records.Additionals(unicast), source);
            _outbox.AddRange(sends.Select(s => (nowMs, s)));
        }
    }

    /// <summary>
    /// A legacy unicast query (§6.7), from a resolver that is not a full mDNS querier (its source port is not 5353):
    /// answered at once by unicast to its source, with its id and questions repeated, TTLs of at most ten seconds
    /// and no cache-flush bits, which such a resolver would take for another class.
    /// </summary>
    private void AnswerLegacy(DnsMessage message, IPEndPoint source, long nowMs)
    {
        var answers = new List<DnsRecord>();
        foreach (var question in message.Questions)
        {
            var found = new List<DnsRecord>();
            _records.Answer(question, found);
            foreach (var record in found)
            {
                if (!IsKnownAnswer(message.Answers, record))
                {
                    AddOnce(answers, record);
                }
            }
        }

        if (answers.Count == 0)
        {
            return;
        }

        static DnsRecord Legacy(DnsRecord r) => r.WithTtl(Math.Min(r.Ttl, MdnsTiming.LegacyUnicastMaxTtl), cacheFlush: false);
        var sends = new List<MdnsSend>();
        MdnsPacker.AddResponses(sends, [.. answers.Select(Legacy)], [.. _records.Additionals(answers).Select(Legacy)], source, legacyQuery: message);
        _outbox.AddRange(sends.Select(s => (nowMs, s)));
    }

    /// <summary>Known answers in a continuation of a truncated query: each takes its querier off the pending answer (§7.2).</summary>
    private void ApplyLateKnownAnswers(IReadOnlyList<DnsRecord> knownAnswers, IPEndPoint source)
    {
        foreach (var group in (ReadOnlySpan<PendingResponse>)[_multicastNow, _multicastDelayed])
        {
            foreach (var pending in group.Answers)
            {
                if (IsKnownAnswer(knownAnswers, pending.Record))
                {
                    pending.Requesters.Remove(source);
                }
            }

            group.Answers.RemoveAll(a => a.Requesters.Count == 0 && !a.Unsolicited);
            if (group.IsEmpty)
            {
                group.Clear();
            }
        }
    }

    /// <summary>
    /// Sends a pending multicast response when due, leaving out records multicast less than a second ago (§6.2);
    /// the ones it sends get their additional records (RFC 6763 §12).
    /// </summary>
    private void Flush(PendingResponse group, long nowMs, List<MdnsSend> output)
    {
        if (nowMs < group.DueMs)
        {
            return;
        }

        var answers = group.Answers
            .Select(a => a.Record)
            .Where(r => !MulticastWithin(r, nowMs, MdnsTiming.MulticastRateLimitMs - 1))
            .ToList();
        group.Clear();
        if (answers.Count == 0)
        {
            return;
        }

        MdnsPacker.AddResponses(output, answers, _records.Additionals(answers), destination: null);
        foreach (var record in answers)
        {
            _lastMulticastMs[record] = nowMs;
        }
    }

    /// <summary>True when the record was multicast at most <paramref name="windowMs"/> ago.</summary>
    private bool MulticastWithin(DnsRecord record, long nowMs, long windowMs) =>
        _lastMulticastMs.TryGetValue(record, out var last) && nowMs - last <= windowMs;

    /// <summary>§7.1: the querier lists the record with at least half its true TTL, so it needs no answer.</summary>
    private static bool IsKnownAnswer(IReadOnlyList<DnsRecord> knownAnswers, DnsRecord record)
    {
        foreach (var known in knownAnswers)
        {
            if ((ulong)known.Ttl * 2 >= record.Ttl && known.Equals(record))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddOnce(List<DnsRecord> records, DnsRecord record)
    {
        if (!records.Contains(record))
        {
            records.Add(record);
        }
    }
}
