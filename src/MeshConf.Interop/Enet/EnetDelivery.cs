namespace MeshConf.Interop.Enet;

/// <summary>How ENet delivers a packet (<c>ENetPacketFlag</c>).</summary>
[Flags]
public enum EnetDelivery : uint
{
    /// <summary>Unreliable, sequenced per channel: late packets are dropped. Larger than the MTU it is sent reliably.</summary>
    UnreliableSequenced = 0,

    /// <summary>Reliable and ordered per channel (ENET_PACKET_FLAG_RELIABLE).</summary>
    Reliable = 1,

    /// <summary>Unreliable and unsequenced (ENET_PACKET_FLAG_UNSEQUENCED).</summary>
    Unsequenced = 2,

    /// <summary>Fragments of an unreliable packet sent unreliably (ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT).</summary>
    UnreliableFragment = 8,
}
