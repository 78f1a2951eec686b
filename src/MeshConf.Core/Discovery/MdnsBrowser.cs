using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Dns;
using MeshConf.Core.Net;

namespace MeshConf.Core.Discovery;

/// <summary>
/// The mDNS browser for <c>_meshconf._udp.local</c> on one interface (RFC 6762 §5, RFC 6763 §4): a continuous
/// PTR query with exponential back-off and known answers, a cache that honours TTLs, goodbyes and the cache-flush
/// bit, refresh queries for records in use, and queries for whatever a named instance still lacks. Resolved
/// instances are reported as <see cref="ServiceChange"/>s, which the caller drains with <see cref="TakeChanges"/>;
/// the node's own instance never is. A pure state machine (see <see cref="IMdnsAgent"/>); not thread-safe.
/// The cache lives in the partial file <c>Cache</c>.
/// </summary>
internal sealed partial class MdnsBrowser : IMdnsAgent
{
    private readonly Dictionary<DnsName, DiscoveredService> _found = [];
    private readonly Dictionary<DnsName, ResolveSchedule> _resolving = [];
    private readonly List<ServiceChange> _changes = [];
    private readonly bool _firstQueryUnicast;
    private Xoshiro256StarStar _random;
    private bool _running;
    private long _nextQueryMs = long.MaxValue;
    private long _queryIntervalMs = MdnsTiming.QueryIntervalFirstMs;
    private long _nextWakeMs = long.MaxValue;

    /// <param name="seed">Seeds the random delays (first query, resolve queries, refresh points).</param>
    /// <param name="ownNodeId">This node's id: an instance whose TXT <c>id</c> is this one is ours and never reported.</param>
    /// <param name="firstQueryUnicast">
    /// Ask for unicast answers in the first query (QU, §5.4). Off by default: where several processes share port
    /// 5353 on one host, a unicast answer reaches only one of them.
    /// </param>
    public MdnsBrowser(ulong seed, string? ownNodeId = null, bool firstQueryUnicast = false)
    {
        _random = new Xoshiro256StarStar(seed);
        OwnNodeId = ownNodeId;
        _firstQueryUnicast = firstQueryUnicast;
    }

    public string? OwnNodeId { get; }

    /// <summary>
    /// The instance name our own responder uses on this interface (set it again after a rename); never reported,
    /// even before its TXT arrives. Only the current name: an old one may now belong to the host we yielded it to.
    /// </summary>
    public DnsName? OwnInstanceName { get; set; }

    /// <summary>The services resolved now: a live view that changes with the next call; copy it to keep it.</summary>
    public IReadOnlyCollection<DiscoveredService> Services => _found.Values;

    /// <summary>Browse queries sent so far.</summary>
    public int BrowseQueriesSent { get; private set; }

    /// <summary>Messages dropped unread: a non-zero opcode or rcode (§18.3, §18.11), a response from a port other than 5353 (§6).</summary>
    public int IgnoredMessages { get; private set; }

    public long NextWakeMs => _nextWakeMs;

    /// <summary>Moves the changes reported since the last call to <paramref name="into"/>, oldest first.</summary>
    public void TakeChanges(List<ServiceChange> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.AddRange(_changes);
        _changes.Clear();
    }

    /// <summary>§5.2: the first query after a random 20-120 ms, the next a second later, then each interval doubled up to an hour.</summary>
    public void Start(long nowMs)
    {
        if (_running)
        {
            throw new InvalidOperationException("the browser is already running");
        }

        _running = true;
        _queryIntervalMs = MdnsTiming.QueryIntervalFirstMs;
        _nextQueryMs = nowMs + MdnsTiming.Between(ref _random, MdnsTiming.FirstQueryMinMs, MdnsTiming.FirstQueryMaxMs);
        UpdateNextWake(nowMs);
    }

    public void Receive(DnsMessage message, IPEndPoint source, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(source);
        if (!_running)
        {
            return;
        }

        if (message.Opcode != 0 || message.Rcode != 0 || (message.IsResponse && source.Port != Mdns.Port))
        {
            IgnoredMessages++;
            return;
        }

        if (!message.IsResponse || !Store(message, nowMs))
        {
            return; // another's query, or nothing about our service type
        }

        Reevaluate(nowMs);
        UpdateNextWake(nowMs);
    }

    public void Poll(long nowMs, List<MdnsSend> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_running)
        {
            return;
        }

        Expire(nowMs);
        Reevaluate(nowMs);
        var questions = new List<DnsQuestion>();
        AddResolveQuestions(nowMs, questions);
        AddRefreshQuestions(nowMs, questions);
        var browse = nowMs >= _nextQueryMs;
        if (browse)
        {
            // Last: the known answers are for this question, and the packer keeps them with the last questions.
            AddQuestion(questions, new DnsQuestion(Mdns.ServiceType, DnsType.Ptr, UnicastResponse: _firstQueryUnicast && BrowseQueriesSent == 0));
            BrowseQueriesSent++;
            _nextQueryMs = nowMs + _queryIntervalMs;
            _queryIntervalMs = Math.Min(_queryIntervalMs * 2, MdnsTiming.QueryIntervalMaxMs);
        }

        if (questions.Count > 0)
        {
            MdnsPacker.AddQuery(output, questions, KnownAnswers(questions, nowMs));
        }

        UpdateNextWake(nowMs);
    }

    /// <summary>A browser says no goodbye: it stops querying and keeps what it knew.</summary>
    public void Stop(long nowMs, List<MdnsSend> output)
    {
        _running = false;
        _nextWakeMs = long.MaxValue;
    }

    /// <summary>
    /// Brings the reported services up to date with the cache: an instance named by a PTR (not ours) whose SRV,
    /// TXT and an address of the SRV target are all there is resolved; one that lacks something is queried for it.
    /// </summary>
    private void Reevaluate(long nowMs)
    {
        var current = new Dictionary<DnsName, DiscoveredService>();
        var named = new HashSet<DnsName>();
        foreach (var ptr in Live<PtrRecord>(Mdns.ServiceType))
        {
            var instance = ptr.Target;
            if (!named.Add(instance) || IsOwn(instance))
            {
                continue;
            }

            if (Resolve(instance) is { } service)
            {
                current[instance] = service;
                _resolving.Remove(instance);
            }
            else
            {
                // A new instance, or one whose SRV now names a host still without an address: ask soon, then back off.
                var target = Newest<SrvRecord>(instance)?.Target;
                if (!_resolving.TryGetValue(instance, out var schedule) || !Equals(schedule.Target, target))
                {
                    var first = nowMs + MdnsTiming.Between(ref _random, MdnsTiming.FirstQueryMinMs, MdnsTiming.FirstQueryMaxMs);
                    _resolving[instance] = new ResolveSchedule(first, MdnsTiming.QueryIntervalFirstMs, target);
                }
            }
        }

        foreach (var instance in _resolving.Keys.ToList())
        {
            if (!named.Contains(instance) || current.ContainsKey(instance) || IsOwn(instance))
            {
                _resolving.Remove(instance);
            }
        }

        foreach (var (name, old) in _found)
        {
            if (!current.ContainsKey(name))
            {
                _changes.Add(new ServiceChange(ServiceChangeKind.Removed, old));
            }
        }

        foreach (var (name, service) in current)
        {
            if (!_found.TryGetValue(name, out var old))
            {
                _changes.Add(new ServiceChange(ServiceChangeKind.Found, service));
            }
            else if (!old.SameAs(service))
            {
                _changes.Add(new ServiceChange(ServiceChangeKind.Changed, service));
            }
        }

        _found.Clear();
        foreach (var (name, service) in current)
        {
            _found[name] = service;
        }
    }

    private DiscoveredService? Resolve(DnsName instance)
    {
        var srv = Newest<SrvRecord>(instance);
        var txt = Newest<TxtRecord>(instance);
        if (srv is null || txt is null)
        {
            return null;
        }

        var addresses = AddressesOf(srv.Target);
        return addresses.Count == 0
            ? null
            : new DiscoveredService(instance, srv.Target, srv.Port, addresses, DiscoveredService.ParseProperties(txt));
    }

    /// <summary>Ours by name, or by the node id in any TXT of the instance.</summary>
    private bool IsOwn(DnsName instance)
    {
        if (instance.Equals(OwnInstanceName))
        {
            return true;
        }

        if (OwnNodeId is null)
        {
            return false;
        }

        foreach (var txt in Live<TxtRecord>(instance))
        {
            if (txt.TryGetValue(Mdns.NodeIdKey, out var id) && string.Equals(id, OwnNodeId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For each instance due a resolve query: its SRV and TXT if missing, else A and AAAA for an SRV target without
    /// an address; the next such query waits twice as long (1 s, 2 s, ... one hour).
    /// </summary>
    private void AddResolveQuestions(long nowMs, List<DnsQuestion> questions)
    {
        foreach (var (instance, schedule) in _resolving)
        {
            if (schedule.DueMs > nowMs)
            {
                continue;
            }

            var srv = Newest<SrvRecord>(instance);
            if (srv is null)
            {
                AddQuestion(questions, new DnsQuestion(instance, DnsType.Srv));
            }

            if (Newest<TxtRecord>(instance) is null)
            {
                AddQuestion(questions, new DnsQuestion(instance, DnsType.Txt));
            }

            if (srv is not null && AddressesOf(srv.Target).Count == 0)
            {
                AddQuestion(questions, new DnsQuestion(srv.Target, DnsType.A));
                AddQuestion(questions, new DnsQuestion(srv.Target, DnsType.Aaaa));
            }

            schedule.DueMs = nowMs + schedule.IntervalMs;
            schedule.IntervalMs = Math.Min(schedule.IntervalMs * 2, MdnsTiming.QueryIntervalMaxMs);
        }
    }

    private List<IPAddress> AddressesOf(DnsName host)
    {
        var addresses = new List<IPAddress>();
        foreach (var entry in Named(host))
        {
            switch (entry.Record)
            {
                case ARecord a:
                    addresses.Add(a.Address);
                    break;
                case AaaaRecord aaaa:
                    addresses.Add(aaaa.Address);
                    break;
            }
        }

        addresses.Sort(CompareAddresses);
        return addresses;
    }

    private static int CompareAddresses(IPAddress x, IPAddress y)
    {
        var family = (x.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).CompareTo(y.AddressFamily == AddressFamily.InterNetwork ? 0 : 1);
        return family != 0 ? family : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
    }

    private static void AddQuestion(List<DnsQuestion> questions, DnsQuestion question)
    {
        if (!questions.Any(q => q.Type == question.Type && q.Name.Equals(question.Name)))
        {
            questions.Add(question);
        }
    }

    private void UpdateNextWake(long nowMs)
    {
        var next = _nextQueryMs;
        foreach (var schedule in _resolving.Values)
        {
            next = Math.Min(next, schedule.DueMs);
        }

        foreach (var entry in _cache.Values)
        {
            next = Math.Min(next, entry.ExpiresMs);
        }

        foreach (var entry in InUse())
        {
            next = Math.Min(next, entry.NextRefreshMs);
        }

        _nextWakeMs = Math.Max(next, nowMs);
    }

    /// <summary>When to ask next about an instance that lacks records, the interval after that, and the SRV target known then.</summary>
    private sealed class ResolveSchedule(long dueMs, long intervalMs, DnsName? target)
    {
        public long DueMs { get; set; } = dueMs;

        public long IntervalMs { get; set; } = intervalMs;

        public DnsName? Target { get; } = target;
    }
}
