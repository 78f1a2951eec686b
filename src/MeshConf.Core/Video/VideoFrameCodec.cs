namespace MeshConf.Core.Video;

/// <summary>
/// How cells travel, shared by <see cref="VideoFrameEncoder"/> and <see cref="VideoFrameDecoder"/>. A cell is
/// packed by mode: mono = its index in <see cref="FrameConverter.MonoRamp"/> (1 byte), truecolor = top then
/// bottom RGB (6 bytes), 256 colours = top, bottom index (2 bytes), 16 colours = top &lt;&lt; 4 | bottom (1 byte).
/// </summary>
/// <remarks>
/// <para>A keyframe body is every cell in order, packed as above.</para>
/// <para>
/// A delta body, against the frame named by the header's base sequence, is the number of runs, then the runs,
/// each "cells to skip" and "changed cells that follow" (all LEB128 varints, the count at least 1), then the
/// changed cells in order: the positions first and the colours after them, so the compressor finds like bytes
/// together. Truecolor cells in a delta travel as residuals, byte by byte modulo 256, against a prediction from
/// the new picture the receiver has already rebuilt (<see cref="PredictTop"/>): the top pixel against the top of
/// the cell to its left (in column 0 the bottom of the cell above, in the first cell black), the bottom pixel
/// against the cell's own top. A picture's moving edges and revealed background are smooth, so most residuals
/// are small numbers that compress far better than the colours. Index modes (mono, 256, 16) travel as they are.
/// </para>
/// </remarks>
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

    /// <summary>
    /// The largest raw (uncompressed) body for a grid of this size: a delta of runs of one cell each (two varints
    /// of at most 3 bytes per run, as <see cref="MaxCells"/> needs 18 bits) after the run count.
    /// </summary>
    public static int MaxRawBody(int cells, CellMode mode) => 4 + (cells * (BytesPerCell(mode) + 6));

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

    /// <summary>
    /// The colour a truecolor delta cell's top pixel is predicted as: the top of the cell to its left, in column 0
    /// the bottom of the cell above, in the first cell black. Only cells before <paramref name="index"/> are read,
    /// so the receiver, rebuilding cells in order, predicts from exactly what the sender predicted from.
    /// </summary>
    public static uint PredictTop(ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, int index, int cols)
    {
        if (index % cols != 0)
        {
            return foreground[index - 1];
        }

        return index >= cols ? background[index - cols] : 0u;
    }

    /// <summary>Writes cell <paramref name="index"/> of a delta: see the type's remarks.</summary>
    public static int WriteDeltaCell(CellMode mode, ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, int index, int cols, Span<byte> destination)
    {
        if (mode != CellMode.TrueColor)
        {
            return WriteCell(mode, foreground[index], background[index], destination);
        }

        var top = foreground[index];
        WriteResidual(top, PredictTop(foreground, background, index, cols), destination);
        WriteResidual(background[index], top, destination[3..]);
        return 6;
    }

    /// <summary>
    /// Reads cell <paramref name="index"/> of a delta into the grid being rebuilt, whose cells before it are final;
    /// false when the bytes cannot be a cell of this mode.
    /// </summary>
    public static bool TryReadDeltaCell(CellMode mode, ReadOnlySpan<byte> source, Span<uint> foreground, Span<uint> background, int index, int cols)
    {
        if (mode != CellMode.TrueColor)
        {
            return TryReadCell(mode, source, out foreground[index], out background[index]);
        }

        var top = AddResidual(source, PredictTop(foreground, background, index, cols));
        foreground[index] = top;
        background[index] = AddResidual(source[3..], top);
        return true;
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

    // Red, green and blue of `color` minus those of `predicted`, each modulo 256.
    private static void WriteResidual(uint color, uint predicted, Span<byte> destination)
    {
        destination[2] = (byte)(color - predicted);
        destination[1] = (byte)((color >> 8) - (predicted >> 8));
        destination[0] = (byte)((color >> 16) - (predicted >> 16));
    }

    // The inverse of WriteResidual.
    private static uint AddResidual(ReadOnlySpan<byte> residual, uint predicted) =>
        ((uint)(byte)(residual[0] + (predicted >> 16)) << 16)
        | ((uint)(byte)(residual[1] + (predicted >> 8)) << 8)
        | (byte)(residual[2] + predicted);
}
