namespace MeshConf.Node.Net;

/// <summary>Where a link stands, as the ENet owner thread tracks it.</summary>
internal enum EnetLinkState : byte
{
    /// <summary>Outgoing, dialled, no answer yet.</summary>
    Connecting,

    /// <summary>Up: messages flow both ways.</summary>
    Connected,

    /// <summary>This side asked to disconnect; queued messages are still leaving.</summary>
    Closing,
}
