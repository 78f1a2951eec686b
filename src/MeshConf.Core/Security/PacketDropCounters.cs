namespace MeshConf.Core.Security;

/// <summary>
/// How many packets a <see cref="PacketOpener"/> opened and dropped, by reason. Written by the opener's single
/// reader thread, readable from any thread.
/// </summary>
public sealed class PacketDropCounters
{
    private long _opened;
    private long _malformed;
    private long _badTag;
    private long _replay;
    private long _stale;

    /// <summary>Packets opened (<see cref="OpenResult.Ok"/>).</summary>
    public long Opened => Volatile.Read(ref _opened);

    /// <summary>Packets dropped as <see cref="OpenResult.Malformed"/>.</summary>
    public long Malformed => Volatile.Read(ref _malformed);

    /// <summary>Packets dropped as <see cref="OpenResult.BadTag"/>.</summary>
    public long BadTag => Volatile.Read(ref _badTag);

    /// <summary>Packets dropped as <see cref="OpenResult.Replay"/>.</summary>
    public long Replay => Volatile.Read(ref _replay);

    /// <summary>Packets dropped as <see cref="OpenResult.Stale"/>.</summary>
    public long Stale => Volatile.Read(ref _stale);

    /// <summary>Every packet dropped, whatever the reason.</summary>
    public long Dropped => Malformed + BadTag + Replay + Stale;

    internal void Count(OpenResult result)
    {
        switch (result)
        {
            case OpenResult.Ok:
                Interlocked.Increment(ref _opened);
                break;
            case OpenResult.Malformed:
                Interlocked.Increment(ref _malformed);
                break;
            case OpenResult.BadTag:
                Interlocked.Increment(ref _badTag);
                break;
            case OpenResult.Replay:
                Interlocked.Increment(ref _replay);
                break;
            default:
                Interlocked.Increment(ref _stale);
                break;
        }
    }
}
