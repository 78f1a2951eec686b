namespace MeshConf.Node.Net;

/// <summary>The live counters behind <see cref="ImpairmentCounters"/>: bumped from the relay's threads, read from any.</summary>
internal sealed class RelayCounters
{
    private long _received;
    private long _forwarded;
    private long _dropped;
    private long _duplicated;
    private long _reordered;
    private long _failed;

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountForwarded() => Interlocked.Increment(ref _forwarded);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountDuplicated() => Interlocked.Increment(ref _duplicated);

    public void CountReordered() => Interlocked.Increment(ref _reordered);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    public ImpairmentCounters Snapshot()
    {
        // Read in the reverse order of bumping (outcome before receipt), so a snapshot never shows more
        // copies handled than datagrams received.
        var forwarded = Interlocked.Read(ref _forwarded);
        var failed = Interlocked.Read(ref _failed);
        var reordered = Interlocked.Read(ref _reordered);
        var duplicated = Interlocked.Read(ref _duplicated);
        var dropped = Interlocked.Read(ref _dropped);
        var received = Interlocked.Read(ref _received);
        return new ImpairmentCounters(received, forwarded, dropped, duplicated, reordered, failed);
    }
}
