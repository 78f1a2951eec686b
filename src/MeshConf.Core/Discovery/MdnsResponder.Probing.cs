using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

internal sealed partial class MdnsResponder
{
    /// <summary>Times of recent conflicts, oldest first, none older than <see cref="MdnsTiming.ConflictWindowMs"/>.</summary>
    private readonly Queue<long> _recentConflicts = new();

    private int _probesSent;
    private long _nextProbeMs = long.MaxValue;

    /// <summary>
    /// A probe (§8.1): QU questions of type ANY for the instance and the host name, and in the authority section the
    /// records we propose for them, which a host probing for the same names at the same time compares with its own.
    /// When both do not fit one packet, each name is probed in a packet of its own, with all of its records (§8.2
    /// needs a name's whole set in one probe).
    /// </summary>
    private void SendProbe(List<MdnsSend> output)
    {
        var instance = new DnsQuestion(_records.InstanceName, DnsType.Any, UnicastResponse: true);
        var host = new DnsQuestion(_records.HostName, DnsType.Any, UnicastResponse: true);
        var both = new DnsMessage
        {
            Questions = [instance, host],
            Authorities = [.. _records.Proposal(_records.InstanceName), .. _records.Proposal(_records.HostName)],
        };
        if (MdnsPacker.Fits(both))
        {
            output.Add(new MdnsSend(both));
            return;
        }

        output.Add(new MdnsSend(new DnsMessage { Questions = [instance], Authorities = _records.Proposal(_records.InstanceName) }));
        output.Add(new MdnsSend(new DnsMessage { Questions = [host], Authorities = _records.Proposal(_records.HostName) }));
    }

    /// <summary>
    /// Probing again from the first probe: at start, after a rename, after a conflict with announced records (§9).
    /// The first probe waits a random 0-250 ms, or five seconds once fifteen conflicts fell within ten (§8.1).
    /// </summary>
    private void RestartProbing(long nowMs, bool afterConflict)
    {
        ClearPending();
        _lastMulticastMs.Clear();
        State = MdnsResponderState.Probing;
        _probesSent = 0;
        _announcementsSent = 0;
        if (afterConflict)
        {
            ConflictCount++;
            _recentConflicts.Enqueue(nowMs);
        }

        while (_recentConflicts.Count > 0 && _recentConflicts.Peek() <= nowMs - MdnsTiming.ConflictWindowMs)
        {
            _recentConflicts.Dequeue();
        }

        _nextProbeMs = _recentConflicts.Count >= MdnsTiming.ConflictLimit
            ? nowMs + MdnsTiming.ConflictBackoffMs
            : nowMs + MdnsTiming.Between(ref _random, 0, MdnsTiming.ProbeStartMaxMs);
    }

    /// <summary>
    /// While probing, a response holding any record of a name we probe for that is not one of ours means the name
    /// is taken (§8.1): the conflicting names get their next candidate and probing starts over. A goodbye (TTL 0)
    /// claims nothing and is passed over.
    /// </summary>
    private void OnResponseWhileProbing(DnsMessage message, long nowMs)
    {
        var instanceTaken = false;
        var hostTaken = false;
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            if (record.Ttl == 0 || _records.RecordsOf(record.Name).Contains(record))
            {
                continue;
            }

            instanceTaken |= record.Name.Equals(_records.InstanceName);
            hostTaken |= record.Name.Equals(_records.HostName);
        }

        if (instanceTaken || hostTaken)
        {
            Rename(nowMs, instanceTaken, hostTaken);
        }
    }

    private void Rename(long nowMs, bool instance, bool host)
    {
        _instanceAttempt += instance ? 1 : 0;
        _hostAttempt += host ? 1 : 0;
        _records = new AdvertRecords(
            _advert,
            MdnsNames.InstanceLabel(_advert.InstanceName, _instanceAttempt),
            MdnsNames.HostLabel(_advert.HostLabel, _hostAttempt));
        RenameCount++;
        RestartProbing(nowMs, afterConflict: true);
    }

    /// <summary>
    /// Simultaneous probe tiebreaking (§8.2): another host probes for a name we are probing for. Each side sorts the
    /// authority records it proposes for that name and compares them pair by pair (<see cref="DnsRecord.CompareRdata"/>),
    /// a longer list beating its own prefix; the lexicographically later side wins. The loser waits one second and
    /// probes again, by when the winner's announcements or defence will make it rename. Identical proposals are the
    /// same host seen twice (two interfaces on one link), no conflict.
    /// </summary>
    private void OnProbeWhileProbing(DnsMessage message, long nowMs)
    {
        var lost = false;
        foreach (var name in (ReadOnlySpan<DnsName>)[_records.InstanceName, _records.HostName])
        {
            var theirs = message.Authorities.Where(r => r.Name.Equals(name)).ToList();
            if (theirs.Count > 0)
            {
                theirs.Sort(static (x, y) => x.CompareRdata(y));
                lost |= CompareProposals(_records.Proposal(name), theirs) < 0;
            }
        }

        if (lost)
        {
            TiebreaksLost++;
            _probesSent = 0;
            _nextProbeMs = nowMs + MdnsTiming.TiebreakDeferMs;
        }
    }

    /// <summary>Positive when <paramref name="ours"/> is lexicographically later, negative when earlier, zero when identical.</summary>
    internal static int CompareProposals(IReadOnlyList<DnsRecord> ours, IReadOnlyList<DnsRecord> theirs)
    {
        for (var i = 0; i < Math.Min(ours.Count, theirs.Count); i++)
        {
            var order = ours[i].CompareRdata(theirs[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return ours.Count.CompareTo(theirs.Count);
    }

    /// <summary>
    /// After announcing (§9): a response claiming one of our unique names with the same type but other rdata is a
    /// conflict, and the responder probes again (a rename follows if the other host defends). Our own records seen
    /// from another responder are cooperation: with a TTL below half ours, a stale or departing copy, we announce
    /// ours again (§10.1's goodbye included); with a TTL at least ours, our pending answer of it is already given
    /// (duplicate answer suppression, §7.4).
    /// </summary>
    private void OnResponseWhileAnnounced(DnsMessage message, long nowMs)
    {
        var conflict = false;
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            var ours = FindOurs(record);
            if (ours is null)
            {
                conflict |= record.Ttl != 0
                    && _records.IsUniqueName(record.Name)
                    && _records.RecordsOf(record.Name).Any(r => r.Type == record.Type);
            }
            else if ((ulong)record.Ttl * 2 < ours.Ttl)
            {
                ReAnnounce(ours, nowMs);
            }
            else if (record.Ttl >= ours.Ttl)
            {
                // Emptied groups keep their due time and are cleared when it comes (see Flush).
                _multicastNow.Answers.RemoveAll(a => a.Record.Equals(record));
                _multicastDelayed.Answers.RemoveAll(a => a.Record.Equals(record));
            }
        }

        if (conflict)
        {
            RestartProbing(nowMs, afterConflict: true);
        }
    }

    private DnsRecord? FindOurs(DnsRecord record)
    {
        if (record.Equals(_records.ServicePtr))
        {
            return _records.ServicePtr;
        }

        if (record.Equals(_records.EnumerationPtr))
        {
            return _records.EnumerationPtr;
        }

        foreach (var ours in _records.RecordsOf(record.Name))
        {
            if (ours.Equals(record))
            {
                return ours;
            }
        }

        return null;
    }

    /// <summary>Multicasts <paramref name="record"/> again as soon as the once-a-second limit allows (§6.2).</summary>
    private void ReAnnounce(DnsRecord record, long nowMs)
    {
        if (_multicastDelayed.IsEmpty)
        {
            _multicastDelayed.DueMs = nowMs + MdnsTiming.Between(ref _random, MdnsTiming.SharedAnswerMinMs, MdnsTiming.SharedAnswerMaxMs);
        }

        var allowed = _lastMulticastMs.TryGetValue(record, out var last) ? last + MdnsTiming.MulticastRateLimitMs : nowMs;
        _multicastDelayed.Add(record, requester: null);
        _multicastDelayed.DueMs = Math.Max(_multicastDelayed.DueMs, allowed);
    }
}
