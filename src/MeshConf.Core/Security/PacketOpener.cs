using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MeshConf.Core.Security;

/// <summary>
/// Opens the packets a <see cref="PacketSealer"/> on the other end sealed for one direction of one link: checks the
/// layout, the replay window and the GCM tag, and counts every drop. Made for a single reader thread; never throws
/// for any input bytes.
/// </summary>
/// <remarks>
/// <para>
/// Per channel it keeps a <see cref="ReplayWindow"/> of 1024 counters and the keys of the current epoch and the one
/// before (for stragglers). A packet of the next epoch gets a candidate key, derived once and kept, but the epoch
/// only advances once a packet under it verified; a packet two or more epochs ahead cannot be legitimate (a sender
/// cannot lose 2^rekeyShift packets in a row on a live link) and is <see cref="OpenResult.Malformed"/>. Nothing
/// changes before a tag verified, so a forged packet cannot move the window nor the keys.
/// </para>
/// <para>
/// Allocation happens only when the epoch advances (a new key) and for a bad tag, which <see cref="AesGcm"/>
/// reports with an exception that is caught here.
/// </para>
/// </remarks>
public sealed class PacketOpener : IDisposable
{
    private readonly ReceiveChannel[] _channels = new ReceiveChannel[SealedPacket.MaxChannels];
    private readonly ulong _senderId;
    private readonly ulong _receiverId;
    private readonly byte _direction;
    private readonly int _rekeyShift;

    /// <summary>Mirrors the remote sealer: the same traffic secret, ids and direction as it was given.</summary>
    /// <param name="trafficSecret">The 32-byte secret of this direction of the link.</param>
    /// <param name="senderId">The remote node's id (the sender of these packets).</param>
    /// <param name="receiverId">This node's id.</param>
    /// <param name="direction">0 when the remote node initiated the link, 1 when it responded.</param>
    /// <param name="rekeyShift">Must equal the sealer's.</param>
    public PacketOpener(ReadOnlySpan<byte> trafficSecret, ulong senderId, ulong receiverId, byte direction, int rekeyShift = PacketSealer.DefaultRekeyShift)
    {
        PacketSealer.ValidateParameters(trafficSecret, direction, rekeyShift);
        _senderId = senderId;
        _receiverId = receiverId;
        _direction = direction;
        _rekeyShift = rekeyShift;
        for (var i = 0; i < _channels.Length; i++)
        {
            _channels[i] = new ReceiveChannel(EpochKey.First(trafficSecret));
        }
    }

    /// <summary>Opened and dropped packets by reason; readable from any thread.</summary>
    public PacketDropCounters Counters { get; } = new();

    /// <summary>
    /// Opens <paramref name="packet"/>, received on <paramref name="channel"/>, into <paramref name="destination"/>
    /// (at least packet length - <see cref="SealedPacket.Overhead"/> bytes, not overlapping the packet).
    /// On anything but <see cref="OpenResult.Ok"/> the outputs are zero and the destination holds no plaintext.
    /// </summary>
    public OpenResult TryOpen(byte channel, ReadOnlySpan<byte> packet, Span<byte> destination, out byte messageType, out int written)
    {
        var result = Open(channel, packet, destination, out messageType, out written);
        Counters.Count(result);
        return result;
    }

    /// <summary>Wipes every key.</summary>
    public void Dispose()
    {
        foreach (var state in _channels)
        {
            state.Dispose();
        }
    }

    private OpenResult Open(byte channel, ReadOnlySpan<byte> packet, Span<byte> destination, out byte messageType, out int written)
    {
        messageType = 0;
        written = 0;
        if (channel >= SealedPacket.MaxChannels
            || packet.Length < SealedPacket.Overhead
            || packet[0] != SealedPacket.Kind
            || destination.Length < packet.Length - SealedPacket.Overhead)
        {
            return OpenResult.Malformed;
        }

        var state = _channels[channel];
        var counter = BinaryPrimitives.ReadUInt64BigEndian(packet[2..]);
        var window = state.Window.Check(counter);
        if (window != OpenResult.Ok)
        {
            return window;
        }

        var epoch = counter >> _rekeyShift;
        var key = state.KeyFor(epoch, out var tooOld);
        if (key is null)
        {
            return tooOld ? OpenResult.Stale : OpenResult.Malformed;
        }

        var length = packet.Length - SealedPacket.Overhead;
        var header = packet[..SealedPacket.HeaderSize];
        Span<byte> nonce = stackalloc byte[SealedPacket.NonceSize];
        SealedPacket.WriteNonce(nonce, _direction, channel, counter);
        Span<byte> associatedData = stackalloc byte[SealedPacket.AssociatedDataSize];
        SealedPacket.WriteAssociatedData(associatedData, header, _senderId, _receiverId, channel);
        try
        {
            key.Cipher.Decrypt(
                nonce,
                packet.Slice(SealedPacket.HeaderSize, length),
                packet.Slice(SealedPacket.HeaderSize + length, SealedPacket.TagSize),
                destination[..length],
                associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            // AesGcm has already wiped the destination.
            return OpenResult.BadTag;
        }

        // Authentic: only now may the window slide and the epoch advance.
        state.Window.Accept(counter);
        if (key == state.Candidate)
        {
            state.Advance();
        }

        messageType = packet[1];
        written = length;
        return OpenResult.Ok;
    }

    private sealed class ReceiveChannel(EpochKey first) : IDisposable
    {
        public readonly ReplayWindow Window = new();
        private EpochKey _current = first;
        private EpochKey? _previous;

        /// <summary>The next epoch's key, derived for a packet that claimed it but not trusted until one verifies.</summary>
        public EpochKey? Candidate { get; private set; }

        /// <summary>The key for <paramref name="epoch"/>, or null: <paramref name="tooOld"/> when it was forgotten, else too far ahead.</summary>
        public EpochKey? KeyFor(ulong epoch, out bool tooOld)
        {
            tooOld = false;
            if (epoch == _current.Epoch)
            {
                return _current;
            }

            if (epoch < _current.Epoch)
            {
                tooOld = epoch + 1 != _current.Epoch || _previous is null;
                return tooOld ? null : _previous;
            }

            if (epoch - _current.Epoch == 1)
            {
                return Candidate ??= _current.Next();
            }

            return null;
        }

        /// <summary>The candidate verified: it becomes current, current becomes previous, the older key is wiped.</summary>
        public void Advance()
        {
            _previous?.Dispose();
            _previous = _current;
            _current = Candidate!;
            Candidate = null;
        }

        public void Dispose()
        {
            _previous?.Dispose();
            _current.Dispose();
            Candidate?.Dispose();
        }
    }
}
