using MeshConf.Core.Dns;
using MeshConf.Core.Net;

namespace MeshConf.Core.Discovery;

internal sealed partial class MdnsBrowser
{
    /// <summary>Bounds what hostile or merely busy traffic can make us hold; records beyond it are dropped and counted.</summary>
    public const int MaxCacheEntries = 1024;

    /// <summary>Refresh points (§5.2): 80, 85, 90 and 95% of the TTL, each plus a random 0-2%.</summary>
    private static readonly double[] RefreshFractions = [0.80, 0.85, 0.90, 0.95];

    private const double RefreshJitter = 0.02;

    /// <summary>The cache, keyed by the record itself: name (ignoring case), type and rdata (RFC 6762 §7.1's "same record").</summary>
    private readonly Dictionary<DnsRecord, CacheEntry> _cache = [];

    /// <summary>The same entries by owner name, so that resolving an instance does not scan the whole cache.</summary>
    private readonly Dictionary<DnsName, List<CacheEntry>> _byName = [];

    public int CachedRecordCount => _cache.Count;

    /// <summary>Records not cached because the cache was full.</summary>
    public int DroppedRecords { get; private set; }

    /// <summary>
    /// Takes what concerns our service type from a response: PTRs of <c>_meshconf._udp.local</c> naming an instance
    /// of it, SRV and TXT of such instances, and A and AAAA of hosts an SRV (cached or in this message) points at.
    /// Everything else, other services and other hosts, is passed over. False when nothing was taken.
    /// </summary>
    private bool Store(DnsMessage message, long nowMs)
    {
        var taken = new List<DnsRecord>();
        var targets = new HashSet<DnsName>();
        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            var relevant = record switch
            {
                PtrRecord ptr => ptr.Name.Equals(Mdns.ServiceType) && IsInstanceName(ptr.Target),
                SrvRecord or TxtRecord => IsInstanceName(record.Name),
                _ => false,
            };
            if (relevant)
            {
                taken.Add(record);
                if (record is SrvRecord srv)
                {
                    targets.Add(srv.Target);
                }
            }
        }

        foreach (var entry in _cache.Values)
        {
            if (entry.Record is SrvRecord srv)
            {
                targets.Add(srv.Target);
            }
        }

        foreach (var record in message.Answers.Concat(message.Additionals))
        {
            if (record.Type is DnsType.A or DnsType.Aaaa && targets.Contains(record.Name))
            {
                taken.Add(record);
            }
        }

        if (taken.Count == 0)
        {
            return false;
        }

        ApplyCacheFlush(taken, nowMs);
        foreach (var record in taken)
        {
            if (_cache.TryGetValue(record, out var entry))
            {
                if (record.Ttl == 0)
                {
                    entry.Doom(nowMs); // §10.1: a goodbye keeps the record one more second
                }
                else
                {
                    entry.Renew(record, nowMs, ref _random);
                }
            }
            else if (record.Ttl != 0)
            {
                if (_cache.Count >= MaxCacheEntries)
                {
                    DroppedRecords++;
                    continue;
                }

                var fresh = new CacheEntry(record);
                fresh.Renew(record, nowMs, ref _random);
                _cache[record] = fresh;
                if (!_byName.TryGetValue(record.Name, out var named))
                {
                    named = [];
                    _byName[record.Name] = named;
                }

                named.Add(fresh);
            }
        }

        return true;
    }

    /// <summary>
    /// §10.2: a record with the cache-flush bit says its owner's set for that name and type is complete, so other
    /// cached records of that name and type received more than a second ago expire in a second. Younger ones stay:
    /// they may be the rest of the same announcement, split over packets.
    /// </summary>
    private void ApplyCacheFlush(List<DnsRecord> taken, long nowMs)
    {
        foreach (var record in taken)
        {
            if (!record.CacheFlush || record.Ttl == 0)
            {
                continue;
            }

            foreach (var entry in Named(record.Name))
            {
                if (entry.Record.Type == record.Type && nowMs - entry.ReceivedMs > MdnsTiming.GraceMs && !taken.Contains(entry.Record))
                {
                    entry.Doom(nowMs);
                }
            }
        }
    }

    private void Expire(long nowMs)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.ExpiresMs <= nowMs)
            {
                _cache.Remove(key);
                var named = _byName[key.Name];
                named.Remove(entry);
                if (named.Count == 0)
                {
                    _byName.Remove(key.Name);
                }
            }
        }
    }

    /// <summary>
    /// Refresh queries (§5.2) for the records in use: at 80, 85, 90 and 95% of a record's TTL, until an answer
    /// renews it. Records of instances nobody names any more, or of our own, just expire.
    /// </summary>
    private void AddRefreshQuestions(long nowMs, List<DnsQuestion> questions)
    {
        foreach (var entry in InUse())
        {
            if (entry.NextRefreshMs <= nowMs)
            {
                AddQuestion(questions, new DnsQuestion(entry.Record.Name, entry.Record.Type));
                entry.NextRefresh(ref _random);
            }
        }
    }

    /// <summary>Cached records that answer one of the questions and have more than half their TTL left (§7.1).</summary>
    private List<DnsRecord> KnownAnswers(List<DnsQuestion> questions, long nowMs)
    {
        var known = new List<DnsRecord>();
        foreach (var entry in _cache.Values)
        {
            var record = entry.Record;
            if (!entry.Doomed && (entry.ExpiresMs - nowMs) * 2 > entry.TtlMs
                && questions.Exists(q => q.Type == record.Type && q.Name.Equals(record.Name)))
            {
                known.Add(record.WithTtl((uint)((entry.ExpiresMs - nowMs) / 1000), record.CacheFlush));
            }
        }

        return known;
    }

    /// <summary>The PTRs naming instances that are not ours, those instances' SRV and TXT, and the addresses of their SRV targets.</summary>
    private List<CacheEntry> InUse()
    {
        var inUse = new List<CacheEntry>();
        var hosts = new HashSet<DnsName>();
        foreach (var entry in Named(Mdns.ServiceType))
        {
            if (entry.Record is not PtrRecord ptr || IsOwn(ptr.Target))
            {
                continue;
            }

            inUse.Add(entry);
            foreach (var held in Named(ptr.Target))
            {
                if (held.Record is SrvRecord or TxtRecord && !inUse.Contains(held))
                {
                    inUse.Add(held);
                    if (held.Record is SrvRecord srv)
                    {
                        hosts.Add(srv.Target);
                    }
                }
            }
        }

        foreach (var host in hosts)
        {
            inUse.AddRange(Named(host).Where(e => e.Record.Type is DnsType.A or DnsType.Aaaa));
        }

        return inUse;
    }

    private List<CacheEntry> Named(DnsName name) => _byName.TryGetValue(name, out var named) ? named : [];

    /// <summary>The cached records of type <typeparamref name="T"/> owned by <paramref name="name"/>.</summary>
    private IEnumerable<T> Live<T>(DnsName name)
        where T : DnsRecord
    {
        foreach (var entry in Named(name))
        {
            if (entry.Record is T record)
            {
                yield return record;
            }
        }
    }

    /// <summary>The most recently received record of type <typeparamref name="T"/> owned by <paramref name="name"/>.</summary>
    private T? Newest<T>(DnsName name)
        where T : DnsRecord
    {
        CacheEntry? newest = null;
        foreach (var entry in Named(name))
        {
            if (entry.Record is T && (newest is null || entry.ReceivedMs > newest.ReceivedMs))
            {
                newest = entry;
            }
        }

        return newest?.Record as T;
    }

    /// <summary>A direct child of the service type: <c>label._meshconf._udp.local</c>.</summary>
    private static bool IsInstanceName(DnsName name) =>
        name.LabelCount == Mdns.ServiceType.LabelCount + 1 && name.IsSubdomainOf(Mdns.ServiceType);

    /// <summary>One cached record with its clock: when it came, how long it lives, when to ask for it again.</summary>
    private sealed class CacheEntry(DnsRecord record)
    {
        public DnsRecord Record { get; private set; } = record;

        public long ReceivedMs { get; private set; }

        /// <summary>The TTL it came with, in milliseconds.</summary>
        public long TtlMs { get; private set; }

        public long ExpiresMs { get; private set; }

        /// <summary>Goodbye said or flushed: it lives out its last second without refresh.</summary>
        public bool Doomed { get; private set; }

        public long NextRefreshMs { get; private set; } = long.MaxValue;

        private int _refreshStep;

        public void Renew(DnsRecord fresh, long nowMs, ref Xoshiro256StarStar random)
        {
            Record = fresh;
            ReceivedMs = nowMs;
            TtlMs = fresh.Ttl * 1000L;
            ExpiresMs = nowMs + TtlMs;
            Doomed = false;
            _refreshStep = 0;
            ScheduleRefresh(ref random);
        }

        public void Doom(long nowMs)
        {
            ExpiresMs = Math.Min(ExpiresMs, nowMs + MdnsTiming.GraceMs);
            Doomed = true;
            NextRefreshMs = long.MaxValue;
        }

        public void NextRefresh(ref Xoshiro256StarStar random)
        {
            _refreshStep++;
            ScheduleRefresh(ref random);
        }

        private void ScheduleRefresh(ref Xoshiro256StarStar random)
        {
            NextRefreshMs = _refreshStep < RefreshFractions.Length
                ? ReceivedMs + (long)(TtlMs * (RefreshFractions[_refreshStep] + (RefreshJitter * random.NextDouble())))
                : long.MaxValue;
        }
    }
}
