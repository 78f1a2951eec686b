using System.Buffers.Binary;

namespace MeshConf.Core.Audio;

/// <summary>
/// The fixed 9-byte header of an audio frame message (big-endian), followed by the Opus packet itself:
/// <code>
/// 0 u8  flags (1 = speech: the sender's VAD heard voice, 2 = the sender is muted; other bits zero)
/// 1 u16 sequence: +1 for every packet sent, wrapping
/// 3 u32 timestamp: index of the frame's first sample on the sender's 48 kHz capture clock, wrapping; it advances
///       by the frame length for every captured frame, sent or not, so a pause in sending (DTX, mute) shows as a
///       timestamp jump between consecutive sequence numbers
/// 7 u16 frame length in samples: 480, 960 or 1920 (10, 20 or 40 ms)
/// 9     the Opus packet, 1 to <see cref="MaxPayload"/> bytes
/// </code>
/// The sequence tells loss and order (as in RTP, RFC 3550 §5.1); the timestamp tells when the frame is due.
/// </summary>
internal readonly record struct AudioPacketHeader(ushort Sequence, uint Timestamp, ushort FrameSamples, bool IsSpeech, bool IsMuted = false)
{
    public const int Size = 9;

    /// <summary>The largest Opus packet (RFC 6716 §3.4: at most 1275 bytes of one frame).</summary>
    public const int MaxPayload = 1275;

    /// <summary>The largest whole message: header and the largest Opus packet.</summary>
    public const int MaxMessage = Size + MaxPayload;

    /// <summary>Audio on the wire is always 48 kHz mono.</summary>
    public const int SampleRate = 48_000;

    private const byte SpeechFlag = 1;
    private const byte MutedFlag = 2;

    /// <summary>Length of the frame in microseconds.</summary>
    public long FrameMicroseconds => SamplesToMicroseconds(FrameSamples);

    /// <summary>True for the frame lengths a sender of ours writes: 480, 960 or 1920 samples.</summary>
    public static bool IsValidFrameSamples(int samples) => samples is 480 or 960 or 1920;

    /// <summary>Microseconds of <paramref name="samples"/> at 48 kHz (exact for whole multiples of 48).</summary>
    public static long SamplesToMicroseconds(long samples) => samples * 125 / 6;

    /// <summary>Writes the header; the Opus packet goes right after it, at <see cref="Size"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"an audio header needs {Size} bytes", nameof(destination));
        }

        if (!IsValidFrameSamples(FrameSamples))
        {
            throw new InvalidOperationException($"{FrameSamples} samples is not an audio frame length (480, 960 or 1920)");
        }

        destination[0] = (byte)((IsSpeech ? SpeechFlag : 0) | (IsMuted ? MutedFlag : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[3..], Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], FrameSamples);
    }

    /// <summary>Writes the whole message (header then <paramref name="payload"/>) and returns its length.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Length > MaxPayload)
        {
            throw new ArgumentException($"an Opus packet is 1 to {MaxPayload} bytes, not {payload.Length}", nameof(payload));
        }

        if (destination.Length < Size + payload.Length)
        {
            throw new ArgumentException($"the message needs {Size + payload.Length} bytes", nameof(destination));
        }

        Write(destination);
        payload.CopyTo(destination[Size..]);
        return Size + payload.Length;
    }

    /// <summary>
    /// Reads a whole message: the header and the Opus packet after it (borrowed from <paramref name="message"/>).
    /// False for anything a sender of ours would not write: short, unknown flags, odd frame length, no payload or
    /// one longer than an Opus packet can be.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out AudioPacketHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (message.Length <= Size || message.Length > MaxMessage || (message[0] & ~(SpeechFlag | MutedFlag)) != 0)
        {
            return false;
        }

        var frameSamples = BinaryPrimitives.ReadUInt16BigEndian(message[7..]);
        if (!IsValidFrameSamples(frameSamples))
        {
            return false;
        }

        header = new AudioPacketHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(message[3..]),
            frameSamples,
            (message[0] & SpeechFlag) != 0,
            (message[0] & MutedFlag) != 0);
        payload = message[Size..];
        return true;
    }
}
