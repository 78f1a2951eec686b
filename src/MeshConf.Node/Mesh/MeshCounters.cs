namespace MeshConf.Node.Mesh;

/// <summary>Node-wide counts of links and messages turned away before any peer owned them.</summary>
internal sealed class MeshCounters
{
    private long _rateLimited;
    private long _overCapacity;
    private long _handshakeTimeouts;
    private long _handshakeFailures;
    private long _unexpectedMessages;

    /// <summary>Incoming links dropped because their address exceeded the handshake rate.</summary>
    public long RateLimited => Volatile.Read(ref _rateLimited);

    /// <summary>Incoming links dropped because too many handshakes were pending.</summary>
    public long OverCapacity => Volatile.Read(ref _overCapacity);

    public long HandshakeTimeouts => Volatile.Read(ref _handshakeTimeouts);

    /// <summary>Handshakes that failed or were refused.</summary>
    public long HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    /// <summary>Messages dropped for arriving in the wrong state or shape (clear after the handshake, sealed before it, empty, unknown kind).</summary>
    public long UnexpectedMessages => Volatile.Read(ref _unexpectedMessages);

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void CountOverCapacity() => Interlocked.Increment(ref _overCapacity);

    internal void CountHandshakeTimeout() => Interlocked.Increment(ref _handshakeTimeouts);

    internal void CountHandshakeFailure() => Interlocked.Increment(ref _handshakeFailures);

    internal void CountUnexpected() => Interlocked.Increment(ref _unexpectedMessages);
}
