namespace MeshConf.Node.Net;

/// <summary>What another thread asked the ENet owner thread to do.</summary>
internal enum EnetCommandKind : byte
{
    Connect,
    Send,
    Disconnect,

    /// <summary>Test hook: stop servicing and close the socket without a word to any peer, as a crash would.</summary>
    Abandon,

    /// <summary>Test hook: throw on the owner thread, to prove a fault is reported and Dispose still works.</summary>
    Fault,
}
