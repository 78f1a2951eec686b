namespace MeshConf.Node.Net;

/// <summary>
/// Names one transport link for its whole life. ENet recycles <c>ENetPeer*</c> slots after a disconnect, so
/// links are never identified by peer pointer: every connection (outgoing or incoming) gets a fresh id.
/// </summary>
internal readonly record struct LinkId(long Value)
{
    public override string ToString() => $"link#{Value}";
}
