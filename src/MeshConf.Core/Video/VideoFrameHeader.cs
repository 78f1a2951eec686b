using System.Buffers.Binary;

namespace MeshConf.Core.Video;

/// <summary>
/// The fixed 34-byte header of a video frame message (big-endian), sent sealed on the video channel:
/// <code>
///  0 u8  format (4)        1 u8  stream           2 u32 sequence (from 1)  6 u32 base sequence (0 = the blank picture)
/// 10 u64 capture time, microseconds on the sender's clock                18 u16 cols   20 u16 rows
/// 22 u8  mode (0..6)      23 u8  flags (1 = body is Brotli-compressed, 2 = colours predicted from the base, 4 = body is range-coded)
/// 24 u64 content hash of the whole resulting grid (<see cref="CellGrid.ContentHash"/>)
/// 32 s8  motion x         33 s8  motion y, quarter pixels of the picture (<see cref="GlobalMotion"/>; truecolor only)
/// </code>
/// Every frame is a change against a base the receiver said it holds (<see cref="VideoFeedback"/>), or against the
/// blank picture (base 0), which both ends always hold: that is what a keyframe is here. The hash is what makes "a
/// frame is exactly what was sent or not shown" hold even against a change applied to the wrong base: the receiver
/// checks it after decoding and shows nothing on a mismatch. A motion other than (0, 0) moves the base picture
/// (<see cref="GlobalMotion.Warp"/>) before the changes apply, and the temporal prediction is from the moved picture.
/// </summary>
internal readonly record struct VideoFrameHeader(
    byte Stream,
    uint Sequence,
    uint BaseSequence,
    ulong CaptureMicroseconds,
    ushort Cols,
    ushort Rows,
    CellMode Mode,
    bool IsCompressed,
    ulong ContentHash,
    bool IsTemporal = false,
    sbyte MotionX = 0,
    sbyte MotionY = 0,
    bool IsRangeCoded = false)
{
    public const int Size = 34;

    /// <summary>
    /// The body layout version: 4 since the base may move (the motion bytes) and colour residuals travel as green and
    /// red and blue less green (3: perceptual changes against an acknowledged base, truecolor at 6 bits a channel;
    /// 2: exact deltas against the previous frame). Other versions are refused as malformed.
    /// </summary>
    public const byte Format = 4;

    private const byte CompressedFlag = 1;
    private const byte TemporalFlag = 2;
    private const byte RangeCodedFlag = 4;

    /// <summary>A frame against the blank picture: it needs nothing the receiver may have lost.</summary>
    public bool IsKeyframe => BaseSequence == 0;

    /// <summary>Whether the base picture moves before the changes apply.</summary>
    public bool HasMotion => (MotionX | MotionY) != 0;

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
        destination[23] = (byte)((IsCompressed ? CompressedFlag : 0) | (IsTemporal ? TemporalFlag : 0) | (IsRangeCoded ? RangeCodedFlag : 0));
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], ContentHash);
        destination[32] = (byte)MotionX;
        destination[33] = (byte)MotionY;
    }

    /// <summary>Reads and sanity-checks a header; false for anything a sender of ours would not write.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VideoFrameHeader header)
    {
        header = default;
        if (source.Length < Size || source[0] != Format || source[22] > (byte)CellMode.GlyphColor || (source[23] & ~(CompressedFlag | TemporalFlag | RangeCodedFlag)) != 0
            || (source[23] & (CompressedFlag | RangeCodedFlag)) == (CompressedFlag | RangeCodedFlag))
        {
            return false;
        }

        var cols = BinaryPrimitives.ReadUInt16BigEndian(source[18..]);
        var rows = BinaryPrimitives.ReadUInt16BigEndian(source[20..]);
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(source[2..]);
        var baseSequence = BinaryPrimitives.ReadUInt32BigEndian(source[6..]);
        var temporal = (source[23] & TemporalFlag) != 0;
        var motionX = (sbyte)source[32];
        var motionY = (sbyte)source[33];
        if (((motionX | motionY) != 0 && (baseSequence == 0 || (CellMode)source[22] != CellMode.TrueColor
                || Math.Abs((int)motionX) > GlobalMotion.MaxShift || Math.Abs((int)motionY) > GlobalMotion.MaxShift)) || cols == 0 || rows == 0 || (long)cols * rows > VideoFrameCodec.MaxCells || sequence == 0 || baseSequence >= sequence
            || (temporal && (baseSequence == 0 || !VideoFrameCodec.HasColorResiduals((CellMode)source[22]))))
        {
            return false;
        }

        header = new VideoFrameHeader(
            source[1],
            sequence,
            baseSequence,
            BinaryPrimitives.ReadUInt64BigEndian(source[10..]),
            cols,
            rows,
            (CellMode)source[22],
            (source[23] & CompressedFlag) != 0,
            BinaryPrimitives.ReadUInt64BigEndian(source[24..]),
            temporal,
            motionX,
            motionY,
            (source[23] & RangeCodedFlag) != 0);
        return true;
    }
}
