using System.Security.Cryptography;

namespace MeshConf.Core.Security;

/// <summary>
/// Seals the data packets of one direction of one link with AES-256-GCM, in the layout of <see cref="SealedPacket"/>.
/// Thread-safe: each channel has its own lock, so counters are taken in order and never twice.
/// </summary>
/// <remarks>
/// <para>
/// A nonce is never reused under one key: every channel's counter only goes up, the channel byte in the nonce keeps
/// channels apart, and <see cref="TrySeal"/> refuses to seal once a counter would wrap.
/// </para>
/// <para>
/// Rekeying: a packet with counter c is sealed under the key of epoch c &gt;&gt; rekeyShift, a new key every
/// 2^rekeyShift packets per channel (default 2^20). Why: the AES-GCM confidentiality limit for packets of about
/// 1.2 KB up to 64 KB is 2^23 packets per key (RFC 9001 §6.6). Every channel runs the same chain, so one key is
/// used by up to 8 channels x 2^20 packets = 2^23 at most, and in practice, with one busy media channel, at
/// 2^20: long before the limit. Each channel keeps only its current key; deriving the next one (and allocating
/// its <see cref="AesGcm"/>) happens once per 2^rekeyShift packets, so sealing allocates nothing in between.
/// </para>
/// </remarks>
public sealed class PacketSealer : IDisposable
{
    /// <summary>A new key every 2^20 packets per channel.</summary>
    public const int DefaultRekeyShift = 20;

    /// <summary>Size of the per-direction traffic secret the handshake produces.</summary>
    public const int TrafficSecretSize = 32;

    private readonly SendChannel[] _channels = new SendChannel[SealedPacket.MaxChannels];
    private readonly ulong _senderId;
    private readonly ulong _receiverId;
    private readonly byte _direction;
    private readonly int _rekeyShift;

    /// <summary>Derives the first key of every channel from <paramref name="trafficSecret"/>, which the caller then wipes.</summary>
    /// <param name="trafficSecret">The 32-byte secret of this direction of the link.</param>
    /// <param name="senderId">This node's id (the sender of these packets).</param>
    /// <param name="receiverId">The remote node's id.</param>
    /// <param name="direction">0 when this node initiated the link, 1 when it responded.</param>
    /// <param name="rekeyShift">log2 of the packets per key and channel, 1 to 63; tests use small values.</param>
    public PacketSealer(ReadOnlySpan<byte> trafficSecret, ulong senderId, ulong receiverId, byte direction, int rekeyShift = DefaultRekeyShift)
    {
        ValidateParameters(trafficSecret, direction, rekeyShift);
        _senderId = senderId;
        _receiverId = receiverId;
        _direction = direction;
        _rekeyShift = rekeyShift;
        for (var i = 0; i < _channels.Length; i++)
        {
            _channels[i] = new SendChannel(EpochKey.First(trafficSecret));
        }
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> as the next packet of <paramref name="channel"/> into
    /// <paramref name="destination"/> (which must not overlap the plaintext). False, with nothing written, when the
    /// channel is out of range, the destination is shorter than plaintext + <see cref="SealedPacket.Overhead"/>,
    /// the channel's counter is exhausted, or the sealer is disposed.
    /// </summary>
    public bool TrySeal(byte channel, byte messageType, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int written)
    {
        written = 0;
        if (channel >= SealedPacket.MaxChannels || destination.Length - SealedPacket.Overhead < plaintext.Length)
        {
            return false;
        }

        var state = _channels[channel];
        lock (state.Gate)
        {
            if (state.Exhausted || state.Key is null)
            {
                return false;
            }

            var counter = state.Next;
            var epoch = counter >> _rekeyShift;
            if (epoch != state.Key.Epoch)
            {
                // Counters run one by one, so this is always the next epoch: step the chain and forget the old key.
                var next = state.Key.Next();
                state.Key.Dispose();
                state.Key = next;
            }

            var header = destination[..SealedPacket.HeaderSize];
            SealedPacket.WriteHeader(header, messageType, counter);
            Span<byte> nonce = stackalloc byte[SealedPacket.NonceSize];
            SealedPacket.WriteNonce(nonce, _direction, channel, counter);
            Span<byte> associatedData = stackalloc byte[SealedPacket.AssociatedDataSize];
            SealedPacket.WriteAssociatedData(associatedData, header, _senderId, _receiverId, channel);
            state.Key.Cipher.Encrypt(
                nonce,
                plaintext,
                destination.Slice(SealedPacket.HeaderSize, plaintext.Length),
                destination.Slice(SealedPacket.HeaderSize + plaintext.Length, SealedPacket.TagSize),
                associatedData);

            if (counter == ulong.MaxValue)
            {
                state.Exhausted = true;
            }
            else
            {
                Volatile.Write(ref state.Next, counter + 1);
            }

            written = plaintext.Length + SealedPacket.Overhead;
            return true;
        }
    }

    /// <summary>How many packets <paramref name="channel"/> has sealed (its next counter).</summary>
    public ulong PacketsSealed(byte channel)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, SealedPacket.MaxChannels);
        var state = _channels[channel];
        return state.Exhausted ? ulong.MaxValue : Volatile.Read(ref state.Next);
    }

    /// <summary>Wipes every key. Sealing afterwards returns false.</summary>
    public void Dispose()
    {
        foreach (var state in _channels)
        {
            lock (state.Gate)
            {
                state.Key?.Dispose();
                state.Key = null;
            }
        }
    }

    /// <summary>
    /// Test hook: moves <paramref name="channel"/> to <paramref name="nextCounter"/> (forward only), stepping the key
    /// chain to its epoch, so counter exhaustion and far epochs can be reached without sealing 2^64 packets.
    /// </summary>
    internal void FastForward(byte channel, ulong nextCounter)
    {
        var state = _channels[channel];
        lock (state.Gate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(nextCounter, state.Next);
            ObjectDisposedException.ThrowIf(state.Key is null, this);
            while (state.Key.Epoch < nextCounter >> _rekeyShift)
            {
                var next = state.Key.Next();
                state.Key.Dispose();
                state.Key = next;
            }

            state.Next = nextCounter;
        }
    }

    internal static void ValidateParameters(ReadOnlySpan<byte> trafficSecret, byte direction, int rekeyShift)
    {
        if (trafficSecret.Length != TrafficSecretSize)
        {
            throw new ArgumentException($"the traffic secret must be {TrafficSecretSize} bytes, not {trafficSecret.Length}", nameof(trafficSecret));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(direction, (byte)1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rekeyShift, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rekeyShift, 63);
    }

    private sealed class SendChannel(EpochKey first)
    {
        public readonly Lock Gate = new();
        public ulong Next;
        public bool Exhausted;
        public EpochKey? Key = first;
    }
}
