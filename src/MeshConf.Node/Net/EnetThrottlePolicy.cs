namespace MeshConf.Node.Net;

/// <summary>
/// ENet's unreliable packet throttle settings (<c>enet_peer_throttle_configure</c>), applied to every link and
/// sent to the remote side, which then throttles what it sends us the same way.
/// </summary>
/// <param name="IntervalMs">How long ENet measures the lowest round-trip time before comparing against it.</param>
/// <param name="Acceleration">Throttle steps (of 32) gained when an acknowledgement comes back quickly.</param>
/// <param name="Deceleration">Throttle steps lost when one comes back late.</param>
internal readonly record struct EnetThrottlePolicy(uint IntervalMs, uint Acceleration, uint Deceleration)
{
    /// <summary>
    /// Never throttle media. ENet lowers the throttle on every acknowledgement slower than the interval's lowest
    /// round trip plus twice its variance; on a low-RTT link with occasional jitter spikes (a busy host, Wi-Fi)
    /// that happens often enough to walk the throttle towards 0, and ENet then drops unreliable packets before
    /// they reach the socket. Media rate control belongs to the codecs, which see real loss, so deceleration is 0.
    /// </summary>
    public static EnetThrottlePolicy Steady { get; } = new(1000, 2, 0);

    /// <summary>ENet 1.3's own defaults (ENET_PEER_PACKET_THROTTLE_INTERVAL/ACCELERATION/DECELERATION).</summary>
    public static EnetThrottlePolicy EnetDefault { get; } = new(5000, 2, 2);
}
