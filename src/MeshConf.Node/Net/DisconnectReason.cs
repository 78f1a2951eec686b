namespace MeshConf.Node.Net;

/// <summary>
/// Why a link ended. Sent as the 32-bit data of an ENet disconnect, so the remote side learns the reason even
/// when no control message got through first. Values are part of the wire protocol: never renumber.
/// </summary>
internal enum DisconnectReason : uint
{
    /// <summary>No reason given (an old or foreign ENet peer).</summary>
    None = 0,

    /// <summary>The remote node left the session gracefully.</summary>
    Bye = 1,

    /// <summary>The remote node refused this link (the refusal message, when it arrived, says why).</summary>
    Refused = 2,

    /// <summary>Another link to the same node replaces this one (both sides dialled at once).</summary>
    Duplicate = 3,

    /// <summary>Local only: the remote stopped answering (ENet's timeout, or an unanswered connect).</summary>
    Timeout = 4,

    /// <summary>The handshake did not finish in time.</summary>
    HandshakeTimeout = 5,

    /// <summary>The transport is shutting down.</summary>
    Shutdown = 6,
}
