namespace MeshConf.Node.Net;

/// <summary>
/// A snapshot of one direction of an <see cref="ImpairmentRelay"/>, summed over its clients.
/// <see cref="Forwarded"/> counts copies that left the relay, so without loss it is <see cref="Received"/>
/// plus <see cref="Duplicated"/> once nothing is in flight.
/// </summary>
/// <param name="Received">Datagrams that reached the relay in this direction.</param>
/// <param name="Forwarded">Copies sent on (a duplicated datagram counts twice).</param>
/// <param name="Dropped">Datagrams the profile dropped.</param>
/// <param name="Duplicated">Datagrams sent twice.</param>
/// <param name="Reordered">Datagrams held back by the reorder gap.</param>
/// <param name="Failed">Copies the socket refused to send (nobody listening, relay closing).</param>
public readonly record struct ImpairmentCounters(long Received, long Forwarded, long Dropped, long Duplicated, long Reordered, long Failed)
{
    /// <summary>Copies decided but not yet sent or failed: scheduled, or being sent right now.</summary>
    public long InFlight => Received - Dropped + Duplicated - Forwarded - Failed;
}
