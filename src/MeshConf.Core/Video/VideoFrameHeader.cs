using System.Buffers.Binary;

namespace MeshConf.Core.Video;

/// <summary>
/// The fixed 32-byte header of a video frame message (big-endian), sent sealed on the video channel:
/// <code>
///  0 u8  format (2)        1 u8  stream           2 u32 sequence        6 u32 base sequence (deltas)
/// 10 u64 capture time, microseconds on the sender's clock                18 u16 cols   20 u16 rows
/// 22 u8  mode             23 u8  flags (1 = keyframe, 2 = body is Brotli-compressed)
/// 24 u64 content hash of the whole resulting grid (<see cref="CellGrid.ContentHash"/>)
/// </code>
/// The hash is what makes "a frame is exactly what was sent or not shown" hold even against a delta applied to
/// the wrong base: the receiver checks it after decoding and shows nothing on a mismatch.
/// </summary>
internal readonly record struct VideoFrameHeader(
    byte Stream,
    uint Sequence,
    uint BaseSequence,
    ulong CaptureMicroseconds,
    ushort Cols,
    ushort Rows,
    CellMode Mode,
    bool IsKeyframe,
    bool IsCompressed,
    ulong ContentHash)
{
    public const int Size = 32;
    /// <summary>The body layout version; 2 since deltas carry run lengths first and predicted colours (peers of version 1 are refused as malformed).</summary>
    public const byte Format = 2;
    private const byte KeyFlag = 1;
    private const byte CompressedFlag = 2;

    public void Write(Span<byte> destination)
    {
        destination[0] = Format;
        destination[1] = Stream;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], BaseSequence);
        BinaryPrimitives.WriteUInt64BigEndian(destination[10..], CaptureMicroseconds);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], Cols);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], Rows);
        destination[22] = (byte)Mode;
        destination[23] = (byte)((IsKeyframe ? KeyFlag : 0) | (IsCompressed ? CompressedFlag : 0));
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], ContentHash);
    }

    /// <summary>Reads and sanity-checks a header; false for anything a sender of ours would not write.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VideoFrameHeader header)
    {
        header = default;
        if (source.Length < Size || source[0] != Format || source[22] > (byte)CellMode.Ansi16 || (source[23] & ~(KeyFlag | CompressedFlag)) != 0)
        {
            return false;
        }

        var cols = BinaryPrimitives.ReadUInt16BigEndian(source[18..]);
        var rows = BinaryPrimitives.ReadUInt16BigEndian(source[20..]);
        if (cols == 0 || rows == 0 || cols * rows > VideoFrameCodec.MaxCells)
        {
            return false;
        }

        header = new VideoFrameHeader(
            source[1],
            BinaryPrimitives.ReadUInt32BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[6..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[10..]),
            cols,
            rows,
            (CellMode)source[22],
            (source[23] & KeyFlag) != 0,
            (source[23] & CompressedFlag) != 0,
            BinaryPrimitives.ReadUInt64BigEndian(source[24..]));
        return true;
    }
}
