using System.Buffers.Binary;

namespace MeshConf.Core.Security;

/// <summary>
/// The wire layout of a data packet sealed with AES-256-GCM between two mesh nodes. This comment is the spec.
/// </summary>
/// <remarks>
/// <code>
/// offset 0      1 byte   kind = 0x80 (clear handshake messages use kinds below 0x10)
/// offset 1      1 byte   message type (opaque to the framing, but authenticated)
/// offset 2      8 bytes  counter, big-endian
/// offset 10     n bytes  ciphertext (as long as the plaintext)
/// offset 10+n  16 bytes  GCM tag
/// </code>
/// <para>
/// Counters run per (direction, channel), from 0, one per packet, so a reliable control channel and the unreliable
/// media channels never race inside one replay window. The channel itself is not on the wire: the transport
/// delivers it (the ENet channel id) and it is bound to the packet through the nonce and the associated data.
/// </para>
/// <para>
/// Nonce (96 bits) = [direction:1][channel:1][0x00][0x00][counter:8 big-endian]. Direction is 0 for the sending
/// direction of the link's initiator and 1 for the responder's. Each direction has its own traffic secret, so the
/// direction byte is belt and braces; the channel byte keeps the channels' nonces apart under the same key.
/// </para>
/// <para>
/// Associated data = the 10-byte header || senderId (8 bytes BE) || receiverId (8 bytes BE) || channel (1 byte):
/// a packet replayed onto another channel, another link or with another message type fails the tag.
/// </para>
/// <para>
/// Key for counter c: epoch e = c &gt;&gt; rekeyShift; key(0) = HKDF-Expand-SHA256(trafficSecret, "meshconf/1 key", 32),
/// key(e+1) = HKDF-Expand-SHA256(key(e), "meshconf/1 rekey", 32). See <see cref="PacketSealer"/> for why.
/// </para>
/// </remarks>
public static class SealedPacket
{
    /// <summary>The first byte of every sealed packet. Clear handshake messages use kinds below 0x10.</summary>
    public const byte Kind = 0x80;

    /// <summary>Kind, message type and counter.</summary>
    public const int HeaderSize = 10;

    /// <summary>The AES-GCM authentication tag, full length.</summary>
    public const int TagSize = 16;

    /// <summary>Bytes a sealed packet adds to its plaintext.</summary>
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Channels 0 to MaxChannels-1 each have their own counter, replay window and key chain.</summary>
    public const int MaxChannels = 8;

    /// <summary>AES-GCM's 96-bit nonce.</summary>
    internal const int NonceSize = 12;

    /// <summary>Header, sender id, receiver id, channel.</summary>
    internal const int AssociatedDataSize = HeaderSize + 8 + 8 + 1;

    /// <summary>
    /// Reads the clear header of <paramref name="packet"/>; false when it is too short or not a sealed packet.
    /// Nothing read here is authenticated until the packet has been opened.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out byte messageType, out ulong counter)
    {
        if (packet.Length < Overhead || packet[0] != Kind)
        {
            messageType = 0;
            counter = 0;
            return false;
        }

        messageType = packet[1];
        counter = BinaryPrimitives.ReadUInt64BigEndian(packet[2..]);
        return true;
    }

    internal static void WriteHeader(Span<byte> header, byte messageType, ulong counter)
    {
        header[0] = Kind;
        header[1] = messageType;
        BinaryPrimitives.WriteUInt64BigEndian(header[2..], counter);
    }

    internal static void WriteNonce(Span<byte> nonce, byte direction, byte channel, ulong counter)
    {
        nonce[0] = direction;
        nonce[1] = channel;
        nonce[2] = 0;
        nonce[3] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }

    internal static void WriteAssociatedData(Span<byte> associatedData, ReadOnlySpan<byte> header, ulong senderId, ulong receiverId, byte channel)
    {
        header[..HeaderSize].CopyTo(associatedData);
        BinaryPrimitives.WriteUInt64BigEndian(associatedData[HeaderSize..], senderId);
        BinaryPrimitives.WriteUInt64BigEndian(associatedData[(HeaderSize + 8)..], receiverId);
        associatedData[HeaderSize + 16] = channel;
    }
}
