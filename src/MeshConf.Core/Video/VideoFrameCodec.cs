namespace MeshConf.Core.Video;

/// <summary>
/// How cells travel, shared by <see cref="VideoFrameEncoder"/> and <see cref="VideoFrameDecoder"/>. A cell is
/// packed by mode: mono = its index in <see cref="FrameConverter.MonoRamp"/> (1 byte), truecolor = top then
/// bottom RGB (6 bytes), 256 colours = top, bottom index (2 bytes), 16 colours = top &lt;&lt; 4 | bottom (1 byte).
/// A keyframe body is every cell in order. A delta body is a list of runs, each "cells to skip" and "cells that
/// follow" as LEB128 varints, then those cells, against the frame named by the header's base sequence.
/// </summary>
internal static class VideoFrameCodec
{
    /// <summary>Largest grid a frame may carry: far more than a tile ever needs, small enough to bound buffers.</summary>
    public const int MaxCells = 512 * 256;

    public static int BytesPerCell(CellMode mode) => mode switch
    {
        CellMode.Mono => 1,
        CellMode.TrueColor => 6,
        CellMode.Ansi256 => 2,
        _ => 1,
    };

    /// <summary>The largest raw (uncompressed) body for a grid of this size: a delta of runs of one cell each.</summary>
    public static int MaxRawBody(int cells, CellMode mode) => cells * (BytesPerCell(mode) + 6);

    /// <summary>The largest message the encoder writes for a grid of this size.</summary>
    public static int MaxMessage(int cells, CellMode mode) => VideoFrameHeader.Size + MaxRawBody(cells, mode) + 64;

    public static int WriteCell(CellMode mode, uint foreground, uint background, Span<byte> destination)
    {
        switch (mode)
        {
            case CellMode.Mono:
                destination[0] = (byte)FrameConverter.MonoRamp.IndexOf((char)foreground, StringComparison.Ordinal);
                return 1;
            case CellMode.TrueColor:
                destination[0] = (byte)(foreground >> 16);
                destination[1] = (byte)(foreground >> 8);
                destination[2] = (byte)foreground;
                destination[3] = (byte)(background >> 16);
                destination[4] = (byte)(background >> 8);
                destination[5] = (byte)background;
                return 6;
            case CellMode.Ansi256:
                destination[0] = (byte)foreground;
                destination[1] = (byte)background;
                return 2;
            default:
                destination[0] = (byte)((foreground << 4) | (background & 0x0F));
                return 1;
        }
    }

    /// <summary>Unpacks one cell; false when the bytes cannot be a cell of this mode.</summary>
    public static bool TryReadCell(CellMode mode, ReadOnlySpan<byte> source, out uint foreground, out uint background)
    {
        background = 0;
        switch (mode)
        {
            case CellMode.Mono:
                foreground = 0;
                if (source[0] >= FrameConverter.MonoRamp.Length)
                {
                    return false;
                }

                foreground = FrameConverter.MonoRamp[source[0]];
                return true;
            case CellMode.TrueColor:
                foreground = (uint)((source[0] << 16) | (source[1] << 8) | source[2]);
                background = (uint)((source[3] << 16) | (source[4] << 8) | source[5]);
                return true;
            case CellMode.Ansi256:
                foreground = source[0];
                background = source[1];
                return true;
            default:
                foreground = (uint)(source[0] >> 4);
                background = (uint)(source[0] & 0x0F);
                return true;
        }
    }

    public static int WriteVarint(uint value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint of at most 4 bytes (enough for <see cref="MaxCells"/>); false when cut short or too long.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> source, ref int offset, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 28; shift += 7)
        {
            if (offset >= source.Length)
            {
                return false;
            }

            var b = source[offset++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
