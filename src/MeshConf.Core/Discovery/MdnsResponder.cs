using System.Net;
using MeshConf.Core.Dns;
using MeshConf.Core.Net;

namespace MeshConf.Core.Discovery;

/// <summary>
/// The mDNS responder of one <see cref="ServiceAdvert"/> on one interface (RFC 6762, RFC 6763): probes for the
/// instance and host names (§8.1, §8.2), renames on conflict (§9), announces (§8.3), answers queries (§6, §7) and
/// says goodbye (§10.1). A pure state machine (see <see cref="IMdnsAgent"/>): no sockets, no clock, and its random
/// delays come from a generator seeded by the caller, so a seed replays a run exactly. Not thread-safe: one thread
/// drives it. Records and timers live in the partial files: <c>Probing</c> and <c>Answering</c>.
/// </summary>
internal sealed partial class MdnsResponder : IMdnsAgent
{
    private readonly ServiceAdvert _advert;

    /// <summary>When each of our records was last multicast (the §6.2 rate limit and the §5.4 choice of unicast).</summary>
    private readonly Dictionary<DnsRecord, long> _lastMulticastMs = [];

    /// <summary>Messages due at once (probe defences, legacy and QU unicast replies), with the time they became due.</summary>
    private readonly List<(long DueMs, MdnsSend Send)> _outbox = [];

    /// <summary>Multicast answers holding only unique records: due when the query arrived (§6).</summary>
    private readonly PendingResponse _multicastNow = new();

    /// <summary>Multicast answers holding shared records, aggregated over the 20-120 ms delay (§6, §6.4).</summary>
    private readonly PendingResponse _multicastDelayed = new();

    private Xoshiro256StarStar _random;
    private AdvertRecords _records;
    private int _instanceAttempt = 1;
    private int _hostAttempt = 1;
    private int _announcementsSent;
    private long _nextAnnounceMs = long.MaxValue;

    /// <param name="advert">What to publish.</param>
    /// <param name="seed">Seeds the random delays (probe start, shared answers).</param>
    public MdnsResponder(ServiceAdvert advert, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(advert);
        _advert = advert;
        _random = new Xoshiro256StarStar(seed);
        _records = new AdvertRecords(advert, advert.InstanceName, advert.HostLabel);
    }

    public ServiceAdvert Advert => _advert;

    public MdnsResponderState State { get; private set; } = MdnsResponderState.Idle;

    /// <summary>The instance label now in use: the advert's, or a renamed one (<c>darker (a1b2) (2)</c>).</summary>
    public string InstanceLabel => _records.InstanceName.GetLabelText(0);

    /// <summary>The full instance name now in use, <c>label._meshconf._udp.local</c>.</summary>
    public DnsName FullName => _records.InstanceName;

    /// <summary>The host name now in use, <c>label.local</c>.</summary>
    public DnsName HostName => _records.HostName;

    /// <summary>The records under the current names.</summary>
    public AdvertRecords Records => _records;

    /// <summary>Conflicts seen: while probing (each led to a rename) and after announcing (each led to probing again).</summary>
    public int ConflictCount { get; private set; }

    /// <summary>How many times the instance or host name changed; the socket layer may watch it to log the new name.</summary>
    public int RenameCount { get; private set; }

    /// <summary>Simultaneous probe tiebreaks lost (§8.2), each followed by a one-second wait.</summary>
    public int TiebreaksLost { get; private set; }

    /// <summary>Messages dropped unread: a non-zero opcode or rcode (§18.3, §18.11), a response from a port other than 5353 (§6).</summary>
    public int IgnoredMessages { get; private set; }

    public long NextWakeMs
    {
        get
        {
            if (State is MdnsResponderState.Idle or MdnsResponderState.Stopped)
            {
                return long.MaxValue;
            }

            var next = Math.Min(_multicastNow.DueMs, _multicastDelayed.DueMs);
            foreach (var (due, _) in _outbox)
            {
                next = Math.Min(next, due);
            }

            return State switch
            {
                MdnsResponderState.Probing => Math.Min(next, _nextProbeMs),
                MdnsResponderState.Announcing => Math.Min(next, _nextAnnounceMs),
                _ => next,
            };
        }
    }

    public void Start(long nowMs)
    {
        if (State != MdnsResponderState.Idle)
        {
            throw new InvalidOperationException($"the responder is {State}, not idle");
        }

        RestartProbing(nowMs, afterConflict: false);
    }

    public void Receive(DnsMessage message, IPEndPoint source, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(source);
        if (State is MdnsResponderState.Idle or MdnsResponderState.Stopped)
        {
            return;
        }

        if (message.Opcode != 0 || message.Rcode != 0 || (message.IsResponse && source.Port != Mdns.Port))
        {
            IgnoredMessages++;
            return;
        }

        if (message.IsResponse)
        {
            OnResponse(message, nowMs);
        }
        else
        {
            OnQuery(message, source, nowMs);
        }
    }

    public void Poll(long nowMs, List<MdnsSend> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State is MdnsResponderState.Idle or MdnsResponderState.Stopped)
        {
            return;
        }

        for (var i = 0; i < _outbox.Count; i++)
        {
            if (_outbox[i].DueMs <= nowMs)
            {
                output.Add(_outbox[i].Send);
                _outbox.RemoveAt(i--);
            }
        }

        if (State == MdnsResponderState.Probing && nowMs >= _nextProbeMs)
        {
            if (_probesSent < MdnsTiming.ProbeCount)
            {
                SendProbe(output);
                _probesSent++;
                _nextProbeMs = nowMs + MdnsTiming.ProbeIntervalMs;
            }
            else
            {
                // §8.1: 250 ms after the third probe without a conflict, the names are ours.
                State = MdnsResponderState.Announcing;
                _nextProbeMs = long.MaxValue;
                _announcementsSent = 0;
                _nextAnnounceMs = nowMs;
            }
        }

        if (State == MdnsResponderState.Announcing && nowMs >= _nextAnnounceMs)
        {
            Announce(nowMs, output);
            if (++_announcementsSent >= MdnsTiming.AnnounceCount)
            {
                State = MdnsResponderState.Announced;
                _nextAnnounceMs = long.MaxValue;
            }
            else
            {
                _nextAnnounceMs = nowMs + MdnsTiming.AnnounceIntervalMs;
            }
        }

        Flush(_multicastNow, nowMs, output);
        Flush(_multicastDelayed, nowMs, output);
    }

    /// <summary>
    /// Goodbye (§10.1): once the names were ours, every announced record again with TTL 0, so caches drop them in a
    /// second instead of waiting out their TTLs. Nothing when still probing: the names were never claimed.
    /// </summary>
    public void Stop(long nowMs, List<MdnsSend> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (State is MdnsResponderState.Announcing or MdnsResponderState.Announced)
        {
            MdnsPacker.AddResponses(output, [.. _records.Announced.Select(r => r.WithTtl(0, r.CacheFlush))], [], destination: null);
        }

        State = MdnsResponderState.Stopped;
        ClearPending();
    }

    /// <summary>Every announced record in an unsolicited multicast response, NSECs as additional records (§8.3).</summary>
    private void Announce(long nowMs, List<MdnsSend> output)
    {
        MdnsPacker.AddResponses(output, _records.Announced, _records.AnnouncedAdditionals, destination: null);
        foreach (var record in _records.Announced)
        {
            _lastMulticastMs[record] = nowMs;
        }
    }

    private void ClearPending()
    {
        _outbox.Clear();
        _multicastNow.Clear();
        _multicastDelayed.Clear();
        _nextProbeMs = long.MaxValue;
        _nextAnnounceMs = long.MaxValue;
    }

    /// <summary>Answers on their way to the group, each with who asked (for known answers that arrive later, §7.2).</summary>
    private sealed class PendingResponse
    {
        public long DueMs { get; set; } = long.MaxValue;

        public List<PendingAnswer> Answers { get; } = [];

        public bool IsEmpty => Answers.Count == 0;

        public void Add(DnsRecord record, IPEndPoint? requester)
        {
            var pending = Answers.Find(a => a.Record.Equals(record));
            if (pending is null)
            {
                pending = new PendingAnswer(record);
                Answers.Add(pending);
            }

            if (requester is null)
            {
                pending.Unsolicited = true;
            }
            else if (!pending.Requesters.Contains(requester))
            {
                pending.Requesters.Add(requester);
            }
        }

        public void Clear()
        {
            Answers.Clear();
            DueMs = long.MaxValue;
        }
    }

    private sealed class PendingAnswer(DnsRecord record)
    {
        public DnsRecord Record { get; } = record;

        /// <summary>The queriers waiting for it; the answer is dropped when every one of them turns out to know it.</summary>
        public List<IPEndPoint> Requesters { get; } = [];

        /// <summary>Sent for its own sake (a re-announcement), whoever knows it.</summary>
        public bool Unsolicited { get; set; }
    }
}
