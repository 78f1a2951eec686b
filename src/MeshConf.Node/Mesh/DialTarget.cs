using System.Net;

namespace MeshConf.Node.Mesh;

/// <summary>
/// An address this node wants a link to: an explicit <c>--peer</c> (kept forever, retried with backoff), a
/// roster entry (tried, then forgotten: the roster will name it again) or, later, a discovered service.
/// </summary>
internal sealed class DialTarget(IPEndPoint endPoint, DialSource source)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public DialSource Source { get; } = source;

    /// <summary>The node last found at this address.</summary>
    public ulong? NodeId { get; set; }

    /// <summary>The link of the attempt in flight.</summary>
    public PeerLink? Attempt { get; set; }

    public int Failures { get; set; }

    /// <summary>Not dialled before this: the backoff after a failure, or for roster entries the smaller-id head start.</summary>
    public TimeSpan NextAttemptAt { get; set; }

    /// <summary>The address turned out to be this node itself: never dial it again.</summary>
    public bool IsSelf { get; set; }
}

internal enum DialSource
{
    Explicit,
    Roster,
    Discovered,
}
