namespace MeshConf.Node.Net;

/// <summary>
/// A snapshot of one link, as ENet sees it plus our own per-channel counters.
/// </summary>
/// <param name="RoundTripMs">ENet's smoothed round-trip time.</param>
/// <param name="RoundTripVarianceMs">ENet's round-trip variance.</param>
/// <param name="LossPercent">ENet's packet loss estimate of reliable traffic, 0..100.</param>
/// <param name="Throttle">ENet's unreliable packet throttle, 0..32 (32 = nothing throttled).</param>
/// <param name="Channels">Counters indexed by <see cref="MeshChannel"/>.</param>
/// <param name="SendsRefused">Outgoing messages ENet refused or the queue had to drop.</param>
/// <param name="ReceivesDropped">
/// Incoming messages the transport dropped instead of queueing: media while the reader was too far behind,
/// or packets on a channel that does not exist.
/// </param>
internal sealed record LinkStats(
    double RoundTripMs,
    double RoundTripVarianceMs,
    double LossPercent,
    int Throttle,
    IReadOnlyList<ChannelCounters> Channels,
    long SendsRefused,
    long ReceivesDropped = 0);
