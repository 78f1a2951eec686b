namespace MeshConf.Node.Net;

internal enum TransportEventKind : byte
{
    /// <summary>A link is up (ours, after <see cref="IMeshTransport.Connect"/>, or an incoming one).</summary>
    Connected,

    /// <summary>A link ended, or an outgoing connect failed (then <see cref="TransportEvent.WasConnected"/> is false).</summary>
    Disconnected,

    /// <summary>A message arrived on a link.</summary>
    Received,
}
