namespace MeshConf.Node.Discovery;

/// <summary>A snapshot of the mDNS socket layer's counters (datagrams).</summary>
/// <param name="Received">Every datagram read off the socket, whatever became of it.</param>
/// <param name="Sent">Datagrams sent (multicast and unicast).</param>
/// <param name="Malformed">Datagrams that were not DNS messages (or did not fit the buffer): dropped.</param>
/// <param name="OwnEchoes">Our own multicasts come back: dropped.</param>
/// <param name="OtherInterface">Datagrams that arrived on an interface mDNS does not run on: dropped.</param>
/// <param name="SendErrors">Messages that could not be sent (too large, or the socket refused).</param>
/// <param name="ReceiveErrors">Socket errors while receiving.</param>
/// <param name="Overflowed">Messages dropped because the host's thread had too many waiting (a flood).</param>
internal readonly record struct MdnsCounters(
    long Received,
    long Sent,
    long Malformed,
    long OwnEchoes,
    long OtherInterface,
    long SendErrors,
    long ReceiveErrors,
    long Overflowed);
