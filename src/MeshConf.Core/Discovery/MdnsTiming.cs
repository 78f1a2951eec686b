using MeshConf.Core.Net;

namespace MeshConf.Core.Discovery;

/// <summary>The timers of RFC 6762, in milliseconds, and the random draws between their bounds.</summary>
internal static class MdnsTiming
{
    /// <summary>§8.1: the first probe goes out after a random 0-250 ms, so hosts powered on together spread out.</summary>
    public const int ProbeStartMaxMs = 250;

    /// <summary>§8.1: three probes, 250 ms apart; the name is ours 250 ms after the third.</summary>
    public const int ProbeIntervalMs = 250;

    public const int ProbeCount = 3;

    /// <summary>§8.2: the loser of a simultaneous probe tiebreak waits one second, then probes again.</summary>
    public const int TiebreakDeferMs = 1000;

    /// <summary>§8.1: fifteen conflicts within ten seconds and each further probe attempt waits five seconds.</summary>
    public const int ConflictLimit = 15;

    public const int ConflictWindowMs = 10_000;

    public const int ConflictBackoffMs = 5000;

    /// <summary>§8.3: at least two unsolicited announcements, one second apart.</summary>
    public const int AnnounceCount = 2;

    public const int AnnounceIntervalMs = 1000;

    /// <summary>§6: an answer holding a shared record waits a random 20-120 ms, so several responders' answers do not collide.</summary>
    public const int SharedAnswerMinMs = 20;

    public const int SharedAnswerMaxMs = 120;

    /// <summary>§6: a query with the TC bit set is answered after 400-500 ms, time for its further known answers to arrive.</summary>
    public const int TruncatedAnswerMinMs = 400;

    public const int TruncatedAnswerMaxMs = 500;

    /// <summary>§6.2: a record is multicast at most once a second (a probe defence excepted).</summary>
    public const int MulticastRateLimitMs = 1000;

    /// <summary>§6.7: TTLs in a legacy unicast answer are at most ten seconds.</summary>
    public const uint LegacyUnicastMaxTtl = 10;

    /// <summary>§5.2: the first query of a continuous query waits a random 20-120 ms.</summary>
    public const int FirstQueryMinMs = 20;

    public const int FirstQueryMaxMs = 120;

    /// <summary>§5.2: the interval between queries starts at one second and doubles up to one hour.</summary>
    public const long QueryIntervalFirstMs = 1000;

    public const long QueryIntervalMaxMs = 3_600_000;

    /// <summary>§10.1 and §10.2: a goodbye, or a record flushed by another's cache-flush, lives one more second.</summary>
    public const int GraceMs = 1000;

    /// <summary>A uniform whole number of milliseconds in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Between(ref Xoshiro256StarStar random, long min, long max) =>
        min + (long)(random.NextDouble() * (max - min + 1));
}
