namespace MeshConf.Interop.Enet;

/// <summary>
/// One event from <see cref="EnetHost.Service"/>. For <see cref="EnetEventType.Receive"/> the payload is
/// borrowed from the native packet, which the host destroys at its next Service/CheckEvents call or on
/// dispose: copy what you keep. Being a ref struct, the event cannot outlive the stack frame that got it.
/// </summary>
public readonly ref struct EnetEvent
{
    internal EnetEvent(EnetEventType type, EnetPeer peer, byte channelId, uint data, ReadOnlySpan<byte> payload, EnetDelivery flags)
    {
        Type = type;
        Peer = peer;
        ChannelId = channelId;
        Data = data;
        Payload = payload;
        PacketFlags = flags;
    }

    public EnetEventType Type { get; }

    public EnetPeer Peer { get; }

    /// <summary>The channel a packet arrived on.</summary>
    public byte ChannelId { get; }

    /// <summary>User data sent with connect or disconnect.</summary>
    public uint Data { get; }

    /// <summary>The packet's bytes (Receive only); valid until the host's next Service or CheckEvents call.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>How the packet travelled, as ENet flags it on arrival.</summary>
    public EnetDelivery PacketFlags { get; }
}
