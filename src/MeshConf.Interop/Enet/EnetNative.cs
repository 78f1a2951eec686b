using System.Runtime.InteropServices;

namespace MeshConf.Interop.Enet;

/// <summary>Raw ENet 1.3 entry points and structures (enet/enet.h).</summary>
internal static unsafe partial class EnetNative
{
    private const string Library = "enet";

    /// <summary><c>ENetAddress</c>: IPv4 host in network byte order, port in host byte order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Address
    {
        public uint Host;
        public ushort Port;
    }

    /// <summary><c>ENetPacket</c>; sizes are size_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Packet
    {
        public nuint ReferenceCount;
        public uint Flags;
        public byte* Data;
        public nuint DataLength;
        public IntPtr FreeCallback;
        public IntPtr UserData;
    }

    /// <summary><c>ENetEvent</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Event
    {
        public int Type;
        public IntPtr Peer;
        public byte ChannelId;
        public uint Data;
        public Packet* Packet;
    }

    [LibraryImport(Library, EntryPoint = "enet_initialize")]
    public static partial int Initialize();

    [LibraryImport(Library, EntryPoint = "enet_linked_version")]
    public static partial uint LinkedVersion();

    [LibraryImport(Library, EntryPoint = "enet_time_get")]
    public static partial uint TimeGet();

    [LibraryImport(Library, EntryPoint = "enet_host_create")]
    public static partial EnetHostHandle HostCreate(Address* address, nuint peerCount, nuint channelLimit, uint incomingBandwidth, uint outgoingBandwidth);

    [LibraryImport(Library, EntryPoint = "enet_host_destroy")]
    public static partial void HostDestroy(IntPtr host);

    [LibraryImport(Library, EntryPoint = "enet_host_connect")]
    public static partial IntPtr HostConnect(EnetHostHandle host, Address* address, nuint channelCount, uint data);

    [LibraryImport(Library, EntryPoint = "enet_host_service")]
    public static partial int HostService(EnetHostHandle host, Event* @event, uint timeout);

    [LibraryImport(Library, EntryPoint = "enet_host_check_events")]
    public static partial int HostCheckEvents(EnetHostHandle host, Event* @event);

    [LibraryImport(Library, EntryPoint = "enet_socket_wait")]
    public static partial int SocketWait(int socket, uint* condition, uint timeout);

    [LibraryImport(Library, EntryPoint = "enet_host_flush")]
    public static partial void HostFlush(EnetHostHandle host);

    [LibraryImport(Library, EntryPoint = "enet_host_broadcast")]
    public static partial void HostBroadcast(EnetHostHandle host, byte channelId, Packet* packet);

    [LibraryImport(Library, EntryPoint = "enet_host_bandwidth_limit")]
    public static partial void HostBandwidthLimit(EnetHostHandle host, uint incomingBandwidth, uint outgoingBandwidth);

    [LibraryImport(Library, EntryPoint = "enet_packet_create")]
    public static partial Packet* PacketCreate(byte* data, nuint dataLength, uint flags);

    [LibraryImport(Library, EntryPoint = "enet_packet_destroy")]
    public static partial void PacketDestroy(Packet* packet);

    [LibraryImport(Library, EntryPoint = "enet_peer_send")]
    public static partial int PeerSend(IntPtr peer, byte channelId, Packet* packet);

    [LibraryImport(Library, EntryPoint = "enet_peer_ping")]
    public static partial void PeerPing(IntPtr peer);

    [LibraryImport(Library, EntryPoint = "enet_peer_ping_interval")]
    public static partial void PeerPingInterval(IntPtr peer, uint pingInterval);

    [LibraryImport(Library, EntryPoint = "enet_peer_timeout")]
    public static partial void PeerTimeout(IntPtr peer, uint timeoutLimit, uint timeoutMinimum, uint timeoutMaximum);

    [LibraryImport(Library, EntryPoint = "enet_peer_reset")]
    public static partial void PeerReset(IntPtr peer);

    [LibraryImport(Library, EntryPoint = "enet_peer_disconnect")]
    public static partial void PeerDisconnect(IntPtr peer, uint data);

    [LibraryImport(Library, EntryPoint = "enet_peer_disconnect_now")]
    public static partial void PeerDisconnectNow(IntPtr peer, uint data);

    [LibraryImport(Library, EntryPoint = "enet_peer_disconnect_later")]
    public static partial void PeerDisconnectLater(IntPtr peer, uint data);

    [LibraryImport(Library, EntryPoint = "enet_peer_throttle_configure")]
    public static partial void PeerThrottleConfigure(IntPtr peer, uint interval, uint acceleration, uint deceleration);
}
