using System.Buffers.Binary;

namespace MeshConf.Core.Audio;

/// <summary>
/// Ties a sender's stream clock to wall time, as RTCP sender reports do (RFC 3550 §6.4.1): the stream timestamp
/// (48 kHz samples) of a frame and the wall-clock time it was captured. A receiver on the same host (or with
/// synchronised clocks) turns any later frame's timestamp into its capture time and so measures mouth-to-ear
/// latency. Wire: 4 bytes timestamp, 8 bytes Unix microseconds, big-endian.
/// </summary>
internal readonly record struct AudioSenderReport(uint Timestamp, long CaptureUnixMicros)
{
    public const int Size = 12;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Timestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], CaptureUnixMicros);
    }

    public static bool TryRead(ReadOnlySpan<byte> body, out AudioSenderReport report)
    {
        report = default;
        if (body.Length != Size)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(body[4..]);
        if (micros <= 0)
        {
            return false;
        }

        report = new AudioSenderReport(BinaryPrimitives.ReadUInt32BigEndian(body), micros);
        return true;
    }

    /// <summary>
    /// The capture time of the frame stamped <paramref name="timestamp"/>: the report's time plus the signed
    /// distance between the two stamps (so a timestamp shortly before the report, or after a wrap, works too).
    /// </summary>
    public long CaptureMicrosOf(uint timestamp) =>
        CaptureUnixMicros + AudioPacketHeader.SamplesToMicroseconds(unchecked((int)(timestamp - Timestamp)));
}
