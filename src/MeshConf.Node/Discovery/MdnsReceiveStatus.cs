namespace MeshConf.Node.Discovery;

/// <summary>What <see cref="MdnsTransport.Receive"/> made of one wait for a datagram.</summary>
internal enum MdnsReceiveStatus
{
    /// <summary>A DNS message from someone else, on one of our interfaces.</summary>
    Message,

    /// <summary>Nothing arrived in time.</summary>
    TimedOut,

    /// <summary>One of our own multicasts came back (counted, dropped).</summary>
    OwnEcho,

    /// <summary>Not a DNS message, or larger than any mDNS datagram may be (counted, dropped).</summary>
    Malformed,

    /// <summary>Arrived on an interface mDNS does not run on (counted, dropped).</summary>
    OtherInterface,

    /// <summary>The socket reported an error (counted); later receives may work.</summary>
    Failed,

    /// <summary>The transport is disposed: nothing more will arrive.</summary>
    Closed,
}
