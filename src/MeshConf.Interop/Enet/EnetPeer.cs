using System.Net;
using System.Runtime.CompilerServices;

namespace MeshConf.Interop.Enet;

/// <summary>
/// A remote peer of an <see cref="EnetHost"/>: a borrowed <c>ENetPeer*</c>, valid while the host lives. ENet
/// recycles peer slots after a disconnect, so identify a connection by <see cref="ConnectId"/> as well.
/// Use only on the thread that owns the host. Field reads check the linked ENet version first.
/// </summary>
public readonly unsafe struct EnetPeer : IEquatable<EnetPeer>
{
    // ENetPeer field offsets for 1.3.17 on 64-bit (offsetof against the Debian libenet-dev headers).
    private const int IncomingPeerIdOffset = 26;
    private const int ConnectIdOffset = 28;
    private const int AddressOffset = 36;
    private const int DataOffset = 48;
    private const int StateOffset = 56;
    private const int LastReceiveTimeOffset = 108;
    private const int PacketLossOffset = 132;
    private const int PacketThrottleOffset = 140;
    private const int RoundTripTimeOffset = 200;
    private const int RoundTripTimeVarianceOffset = 204;
    private const int MtuOffset = 208;

    // ENET_PEER_PACKET_LOSS_SCALE: packetLoss is a fraction scaled by 2^16.
    private const double PacketLossScale = 65536.0;

    internal EnetPeer(IntPtr native) => Native = native;

    internal IntPtr Native { get; }

    /// <summary>False for the default value (no peer).</summary>
    public bool IsValid => Native != IntPtr.Zero;

    public EnetPeerState State => (EnetPeerState)Read<int>(StateOffset);

    /// <summary>Random id ENet gives each connection; tells a recycled slot from its previous occupant.</summary>
    public uint ConnectId => Read<uint>(ConnectIdOffset);

    /// <summary>Index of this peer's slot in its host.</summary>
    public ushort IncomingPeerId => Read<ushort>(IncomingPeerIdOffset);

    public IPEndPoint Address => EnetAddressing.FromNative(Read<EnetNative.Address>(AddressOffset));

    /// <summary>
    /// When ENet last heard an acknowledgement from the peer, on <see cref="EnetLibrary.TimeMs"/>'s clock; 0
    /// before the first one. Idle peers are pinged every ping interval, so a live peer never falls far behind.
    /// </summary>
    public uint LastReceiveTimeMs => Read<uint>(LastReceiveTimeOffset);

    /// <summary>Smoothed round-trip time in milliseconds.</summary>
    public uint RoundTripTimeMs => Read<uint>(RoundTripTimeOffset);

    /// <summary>Round-trip time variance in milliseconds.</summary>
    public uint RoundTripTimeVarianceMs => Read<uint>(RoundTripTimeVarianceOffset);

    /// <summary>ENet's running mean of reliable packet loss, 0 to 1.</summary>
    public double PacketLoss => Read<uint>(PacketLossOffset) / PacketLossScale;

    /// <summary>Current throttle, 0 (drop every unreliable packet) to 32 (drop none).</summary>
    public uint PacketThrottle => Read<uint>(PacketThrottleOffset);

    public uint Mtu => Read<uint>(MtuOffset);

    /// <summary>The application's own word stored in the peer (<c>ENetPeer.data</c>).</summary>
    public nint UserData
    {
        get => Read<nint>(DataOffset);
        set
        {
            EnetLibrary.EnsureKnownLayout();
            Unsafe.WriteUnaligned((byte*)Native + DataOffset, value);
        }
    }

    /// <summary>
    /// Queues <paramref name="payload"/> (copied) on <paramref name="channel"/>. Returns false when ENet refuses it
    /// (peer not connected, channel out of range, packet too large); the packet is then freed here.
    /// </summary>
    public bool Send(byte channel, ReadOnlySpan<byte> payload, EnetDelivery delivery)
    {
        var packet = EnetHost.CreatePacket(payload, delivery);
        if (EnetNative.PeerSend(Native, channel, packet) == 0)
        {
            return true; // ENet owns the packet now.
        }

        EnetNative.PacketDestroy(packet);
        return false;
    }

    /// <summary>Asks for a graceful disconnect; a Disconnect event follows when the peer acknowledges.</summary>
    public void Disconnect(uint data = 0) => EnetNative.PeerDisconnect(Native, data);

    /// <summary>Disconnects after all queued outgoing packets are sent.</summary>
    public void DisconnectLater(uint data = 0) => EnetNative.PeerDisconnectLater(Native, data);

    /// <summary>Sends one disconnect notice and forgets the peer at once; no event follows.</summary>
    public void DisconnectNow(uint data = 0) => EnetNative.PeerDisconnectNow(Native, data);

    /// <summary>Forgets the peer without telling it.</summary>
    public void Reset() => EnetNative.PeerReset(Native);

    /// <summary>Sends a ping now (ENet also pings on its own).</summary>
    public void Ping() => EnetNative.PeerPing(Native);

    /// <summary>How often ENet pings an idle peer, in milliseconds.</summary>
    public void SetPingInterval(uint milliseconds) => EnetNative.PeerPingInterval(Native, milliseconds);

    /// <summary>
    /// Timeout policy: a peer is dropped when unacknowledged reliable data is older than
    /// <paramref name="maximumMs"/>, or older than <paramref name="minimumMs"/> after <paramref name="limit"/> retries.
    /// </summary>
    public void ConfigureTimeout(uint limit, uint minimumMs, uint maximumMs) => EnetNative.PeerTimeout(Native, limit, minimumMs, maximumMs);

    /// <summary>
    /// Throttle policy for unreliable packets, sent to the remote side as well. A deceleration of 0 keeps the
    /// throttle from ever dropping media because round-trip times wobble on a fast link.
    /// </summary>
    public void ConfigureThrottle(uint intervalMs, uint acceleration, uint deceleration) =>
        EnetNative.PeerThrottleConfigure(Native, intervalMs, acceleration, deceleration);

    public bool Equals(EnetPeer other) => Native == other.Native;

    public override bool Equals(object? obj) => obj is EnetPeer other && Equals(other);

    public override int GetHashCode() => Native.GetHashCode();

    public static bool operator ==(EnetPeer left, EnetPeer right) => left.Equals(right);

    public static bool operator !=(EnetPeer left, EnetPeer right) => !left.Equals(right);

    private T Read<T>(int offset)
        where T : unmanaged
    {
        EnetLibrary.EnsureKnownLayout();
        return Unsafe.ReadUnaligned<T>((byte*)Native + offset);
    }
}
