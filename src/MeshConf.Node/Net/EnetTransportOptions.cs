using System.Net;

namespace MeshConf.Node.Net;

/// <summary>How an <see cref="EnetTransport"/> binds and watches its links.</summary>
internal sealed record EnetTransportOptions
{
    /// <summary>The local address to bind (IPv4; ENet 1.3 has no IPv6).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>The UDP port; 0 picks a free one (read it back from <see cref="IMeshTransport.LocalEndPoint"/>).</summary>
    public int Port { get; init; }

    /// <summary>The most links (incoming and outgoing together) the host holds at once.</summary>
    public int PeerLimit { get; init; } = 64;

    /// <summary>
    /// How long a link may stay silent (no acknowledgement at all) before it is reported Disconnected with
    /// <see cref="DisconnectReason.Timeout"/>; also how long an outgoing connect may take.
    /// </summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often ENet pings an idle link, so silence means a dead peer. Must be well below <see cref="PeerTimeout"/>.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long the idle owner thread sleeps waiting for traffic. Commands from other threads wake it at once;
    /// this bounds how late ENet's own timers (resends, pings) may run.
    /// </summary>
    public TimeSpan ServiceTimeout { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How often link statistics are refreshed and silent links are checked.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long Dispose keeps servicing so the Shutdown disconnects reach the peers.</summary>
    public TimeSpan ShutdownFlush { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Unread events beyond which incoming media messages are dropped (and counted) instead of queued. Control
    /// messages and link events are never dropped.
    /// </summary>
    public int IncomingBacklogLimit { get; init; } = 4096;

    /// <summary>Queued outgoing messages beyond which further media sends are dropped (and counted). Control is never dropped.</summary>
    public int OutgoingBacklogLimit { get; init; } = 8192;

    /// <summary>The unreliable packet throttle every link is configured with.</summary>
    public EnetThrottlePolicy Throttle { get; init; } = EnetThrottlePolicy.Steady;

    internal uint PeerTimeoutMs => ToMilliseconds(PeerTimeout);

    internal uint PingIntervalMs => ToMilliseconds(PingInterval);

    internal uint ServiceTimeoutMs => ToMilliseconds(ServiceTimeout);

    internal uint StatsIntervalMs => ToMilliseconds(StatsInterval);

    internal uint ShutdownFlushMs => ToMilliseconds(ShutdownFlush);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BindAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PeerLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PeerLimit, 4095); // ENET_PROTOCOL_MAXIMUM_PEER_ID
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(IncomingBacklogLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutgoingBacklogLimit);
        RequirePositive(PeerTimeout, nameof(PeerTimeout));
        RequirePositive(PingInterval, nameof(PingInterval));
        RequirePositive(StatsInterval, nameof(StatsInterval));
        if (ServiceTimeout < TimeSpan.Zero || ShutdownFlush < TimeSpan.Zero)
        {
            throw new ArgumentException("ServiceTimeout and ShutdownFlush must not be negative.");
        }

        if (PingInterval * 2 > PeerTimeout)
        {
            throw new ArgumentException(
                $"PingInterval ({PingInterval.TotalMilliseconds} ms) must be at most half of PeerTimeout ({PeerTimeout.TotalMilliseconds} ms), or live peers look dead.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and below 24 days.");
        }
    }

    private static uint ToMilliseconds(TimeSpan value) => (uint)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 0, int.MaxValue);
}
