using System.Buffers.Binary;

namespace MeshConf.Core.Video;

/// <summary>
/// A receiver telling a sender which frames of a stream it holds, so that the sender only ever builds on a picture
/// the receiver has, and how much of the stream it lost, so that the sender can slow down. Sent on the video
/// channel (unreliable: the next one says everything the lost one said) after each frame that arrives.
/// Wire, big-endian, 12 bytes:
/// <code>
/// 0 u8 stream   1 u32 newest sequence decoded (0 = none)   5 u32 mask: bit i set = sequence newest - 1 - i decoded too
/// 9 u8 flags (1 = a frame's base was missing: build on the blank picture)   10 u16 frames lost in the last second, per mille
/// </code>
/// </summary>
internal readonly record struct VideoFeedback(byte Stream, uint Newest, uint Mask, bool BaseMissing, ushort LossPermille)
{
    public const int Size = 12;
    private const byte BaseMissingFlag = 1;

    /// <summary>Whether <paramref name="sequence"/> is among the frames this feedback says were decoded.</summary>
    public bool Holds(uint sequence)
    {
        if (sequence == 0 || sequence > Newest)
        {
            return false;
        }

        var behind = Newest - sequence;
        return behind == 0 || (behind <= 32 && (Mask & (1u << (int)(behind - 1))) != 0);
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = Stream;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], Newest);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], Mask);
        destination[9] = BaseMissing ? BaseMissingFlag : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], LossPermille);
    }

    /// <summary>False for anything a receiver of ours would not write.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VideoFeedback feedback)
    {
        feedback = default;
        if (source.Length != Size || (source[9] & ~BaseMissingFlag) != 0)
        {
            return false;
        }

        var newest = BinaryPrimitives.ReadUInt32BigEndian(source[1..]);
        var mask = BinaryPrimitives.ReadUInt32BigEndian(source[5..]);
        var loss = BinaryPrimitives.ReadUInt16BigEndian(source[10..]);
        if (loss > 1000 || (newest == 0 && mask != 0))
        {
            return false;
        }

        feedback = new VideoFeedback(source[0], newest, mask, (source[9] & BaseMissingFlag) != 0, loss);
        return true;
    }
}
