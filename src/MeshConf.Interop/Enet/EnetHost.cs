using System.Net;
using System.Runtime.CompilerServices;

namespace MeshConf.Interop.Enet;

/// <summary>
/// An ENet host: one UDP socket and its peers. ENet is not thread-safe: one thread owns a host and every
/// peer of it. Received packets are destroyed by the host itself (at the next Service/CheckEvents or on
/// dispose), sent packets are destroyed by ENet once sent, or here when ENet refuses them: nothing leaks
/// and nothing is freed twice.
/// </summary>
public sealed unsafe class EnetHost : IDisposable
{
    // ENetHost starts with { ENetSocket socket; ENetAddress address; } in every 1.3 release (socket: an int fd on Unix).
    private const int SocketOffset = 0;
    private const int AddressOffset = 4;

    // ENET_SOCKET_WAIT_RECEIVE and ENET_SOCKET_WAIT_INTERRUPT.
    private const uint WaitReceive = 1 << 1;
    private const uint WaitInterrupt = 1 << 2;

    private const uint DeliveryMask = (uint)(EnetDelivery.Reliable | EnetDelivery.Unsequenced | EnetDelivery.UnreliableFragment);

    private readonly EnetHostHandle _handle;
    private EnetNative.Packet* _lentPacket;

    private EnetHost(EnetHostHandle handle, int channelLimit)
    {
        _handle = handle;
        ChannelLimit = channelLimit;
    }

    /// <summary>
    /// Creates a host bound to <paramref name="bind"/> (port 0 picks a free port; read it back from
    /// <see cref="LocalEndPoint"/>), accepting up to <paramref name="peerLimit"/> peers. Bandwidths of 0 mean
    /// unlimited. Throws <see cref="EnetException"/> when the address cannot be bound (e.g. port in use).
    /// </summary>
    public static EnetHost Create(IPEndPoint bind, int peerLimit, int channelLimit, uint incomingBandwidth = 0, uint outgoingBandwidth = 0)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peerLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelLimit);
        EnetLibrary.EnsureInitialized();
        var address = EnetAddressing.ToNative(bind);
        var handle = EnetNative.HostCreate(&address, (nuint)peerLimit, (nuint)channelLimit, incomingBandwidth, outgoingBandwidth);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new EnetException("enet_host_create", -1, $"cannot bind UDP {bind} (address not local, or port in use?)");
        }

        return new EnetHost(handle, channelLimit);
    }

    /// <summary>The number of channels peers of this host may use.</summary>
    public int ChannelLimit { get; }

    /// <summary>The address the host is bound to, with the real port when port 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint
    {
        get
        {
            EnetLibrary.EnsureKnownLayout();
            var native = Unsafe.ReadUnaligned<EnetNative.Address>((byte*)_handle.DangerousGetHandle() + AddressOffset);
            return EnetAddressing.FromNative(native);
        }
    }

    /// <summary>
    /// Starts connecting to <paramref name="remote"/>; a Connect event follows on success, a Disconnect on
    /// failure. <paramref name="data"/> reaches the remote side with its Connect event.
    /// </summary>
    public EnetPeer Connect(IPEndPoint remote, int channelCount, uint data = 0)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var address = EnetAddressing.ToNative(remote);
        var peer = EnetNative.HostConnect(_handle, &address, (nuint)channelCount, data);
        if (peer == IntPtr.Zero)
        {
            throw new EnetException("enet_host_connect", -1, $"no free peer slot to connect to {remote}");
        }

        return new EnetPeer(peer);
    }

    /// <summary>
    /// Sends and receives, waiting up to <paramref name="timeoutMs"/> for an event. Returns false when none came.
    /// The previous event's packet is destroyed first.
    /// </summary>
    public bool Service(uint timeoutMs, out EnetEvent @event)
    {
        ReleaseLentPacket();
        EnetNative.Event native;
        var rc = EnetNative.HostService(_handle, &native, timeoutMs);
        return Complete(rc, "enet_host_service", native, out @event);
    }

    /// <summary>Returns an already-received event without touching the network.</summary>
    public bool CheckEvents(out EnetEvent @event)
    {
        ReleaseLentPacket();
        EnetNative.Event native;
        var rc = EnetNative.HostCheckEvents(_handle, &native);
        return Complete(rc, "enet_host_check_events", native, out @event);
    }

    /// <summary>
    /// Blocks until a datagram waits on the host's socket or <paramref name="timeoutMs"/> passes, without servicing
    /// (<c>enet_socket_wait</c>). Unlike <see cref="Service"/>, which keeps waiting through datagrams that produce no
    /// event, this returns on any datagram, so another thread can wake the owner by sending one. Returns true when
    /// a datagram is waiting; false on timeout or a signal.
    /// </summary>
    public bool WaitForReceive(uint timeoutMs)
    {
        EnetLibrary.EnsureKnownLayout();
        var socket = Unsafe.ReadUnaligned<int>((byte*)_handle.DangerousGetHandle() + SocketOffset);
        var condition = WaitReceive | WaitInterrupt;
        if (EnetNative.SocketWait(socket, &condition, timeoutMs) < 0)
        {
            throw new EnetException("enet_socket_wait", -1, "socket error");
        }

        return (condition & WaitReceive) != 0;
    }

    /// <summary>Sends every queued packet now instead of at the next Service call.</summary>
    public void Flush() => EnetNative.HostFlush(_handle);

    /// <summary>Queues a copy of <paramref name="payload"/> to every connected peer.</summary>
    public void Broadcast(byte channel, ReadOnlySpan<byte> payload, EnetDelivery delivery)
    {
        // enet_host_broadcast takes the packet in every case and frees it when no peer took a reference.
        EnetNative.HostBroadcast(_handle, channel, CreatePacket(payload, delivery));
    }

    /// <summary>Limits the host's bandwidth in bytes per second; 0 means unlimited.</summary>
    public void SetBandwidthLimit(uint incoming, uint outgoing) => EnetNative.HostBandwidthLimit(_handle, incoming, outgoing);

    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        ReleaseLentPacket();
        _handle.Dispose();
    }

    internal static EnetNative.Packet* CreatePacket(ReadOnlySpan<byte> payload, EnetDelivery delivery)
    {
        EnetNative.Packet* packet;
        fixed (byte* data = payload)
        {
            // Without ENET_PACKET_FLAG_NO_ALLOCATE ENet copies the bytes, so the span need not outlive the call.
            packet = EnetNative.PacketCreate(data, (nuint)payload.Length, (uint)delivery);
        }

        if (packet == null)
        {
            throw new EnetException("enet_packet_create", -1, $"could not allocate a packet of {payload.Length} bytes");
        }

        return packet;
    }

    private bool Complete(int rc, string function, EnetNative.Event native, out EnetEvent @event)
    {
        if (rc < 0)
        {
            throw new EnetException(function, rc, "socket error");
        }

        if (rc == 0 || native.Type == (int)EnetEventType.None)
        {
            @event = default;
            return false;
        }

        var payload = ReadOnlySpan<byte>.Empty;
        var flags = EnetDelivery.UnreliableSequenced;
        if (native.Type == (int)EnetEventType.Receive && native.Packet != null)
        {
            _lentPacket = native.Packet;
            payload = new ReadOnlySpan<byte>(native.Packet->Data, checked((int)native.Packet->DataLength));
            // Keep the delivery bits; ENet's internal bits (SENT, NO_ALLOCATE) say nothing about how it travelled.
            flags = (EnetDelivery)(native.Packet->Flags & DeliveryMask);
        }

        @event = new EnetEvent((EnetEventType)native.Type, new EnetPeer(native.Peer), native.ChannelId, native.Data, payload, flags);
        return true;
    }

    private void ReleaseLentPacket()
    {
        if (_lentPacket != null)
        {
            EnetNative.PacketDestroy(_lentPacket);
            _lentPacket = null;
        }
    }
}
