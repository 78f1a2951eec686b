using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// How cells travel, shared by <see cref="VideoFrameEncoder"/> and <see cref="VideoFrameDecoder"/>. A cell is
/// packed by mode: mono = its index in <see cref="FrameConverter.MonoRamp"/> (1 byte), truecolor = top then
/// bottom colour, 6 bits a channel (6 bytes, see below), 256 colours = top, bottom index (2 bytes), 16 colours =
/// top &lt;&lt; 4 | bottom (1 byte), quadrant and sextant = the pattern byte, then background and foreground colour
/// as truecolor's (7 bytes), coloured glyph = the glyph index byte, then the colour (4 bytes).
/// </summary>
/// <remarks>
/// <para>
/// A body, against the base picture named by the header (the blank picture for base 0), is the number of runs,
/// then the runs, each "cells to skip" and "changed cells that follow" (all LEB128 varints, the count at least
/// 1), then the changed cells in order: the positions first and the colours after them, so the compressor finds
/// like bytes together.
/// </para>
/// <para>
/// Truecolor precision: 64 levels a channel (<see cref="ToLevel"/>, <see cref="FromLevel"/>), at most 2 of 255
/// from the exact colour, below a just-noticeable difference (about 5 levels of 255 in mid-grey) and a quarter
/// fewer bits of noise to compress. Cells travel as residuals, level by level modulo 64, against one of two
/// predictions, chosen per frame by the header's temporal flag (<see cref="TemporalIsSmaller"/>):
/// <list type="bullet">
///   <item>spatial, from the new picture the receiver has already rebuilt (<see cref="PredictTop"/>): the top pixel
///     against the top of the cell to its left (in column 0 the bottom of the cell above, in the first cell
///     black), the bottom pixel against the cell's own top. Moving edges and revealed background are smooth: best
///     for new content (from the blank picture, a scene cut);</item>
///   <item>temporal, each pixel against the same pixel of the base picture, moved first when the header carries a
///     motion (<see cref="GlobalMotion"/>): a camera's shake or a change of light moves a cell by a few levels, where
///     its neighbours may differ by many.</item>
/// </list>
/// A residual's three channels travel as green's, then red's less green's, then blue's less green's: light, shade and
/// motion move the three together, so the last two are mostly 0 (on the corpus's hand-held portrait, 8 % smaller than
/// channel by channel). Small residuals compress far better than the colours. Index modes (mono, 256, 16) travel as
/// they are.
/// </para>
/// <para>
/// The block modes' colours travel the same way. Spatially, the background (always the colour of the top-left
/// sub-pixel, <see cref="FrameConverter"/>'s canonical form) is predicted from the sub-pixel beside it: the
/// top-right one of the cell to the left (in column 0 the bottom-left one of the cell above, in the first cell
/// black), and the foreground from the cell's own background; temporally each from the base cell's. The pattern
/// travels as it is. A coloured glyph's colour is predicted from the colour of the cell to its left (in column 0
/// the cell above, in the first cell black), or from its base cell's.
/// </para>
/// </remarks>
internal static class VideoFrameCodec
{
    /// <summary>Largest grid a frame may carry: far more than a tile ever needs, small enough to bound buffers.</summary>
    public const int MaxCells = 512 * 256;

    /// <summary>Levels a truecolor channel travels in.</summary>
    public const int ColorLevels = 64;

    // Channel value (0..255) -> level (0..63), and level -> the channel value a receiver shows. Every shown value
    // maps back to its own level, so the encoder can find a shown cell's levels from its colour.
    private static readonly byte[] s_toLevel = BuildToLevel();
    private static readonly byte[] s_fromLevel = BuildFromLevel();
    private static readonly sbyte[] s_monoIndex = BuildMonoIndex();

    public static int BytesPerCell(CellMode mode) => mode switch
    {
        CellMode.Mono => 1,
        CellMode.TrueColor => 6,
        CellMode.Ansi256 => 2,
        CellMode.Quadrant or CellMode.Sextant => 7,
        CellMode.GlyphColor => 4,
        _ => 1,
    };

    /// <summary>Whether the mode's cells carry 24-bit colours that travel as residuals (spatial or temporal).</summary>
    public static bool HasColorResiduals(CellMode mode) =>
        mode is CellMode.TrueColor or CellMode.Quadrant or CellMode.Sextant or CellMode.GlyphColor;

    /// <summary>How many values a cell's top byte may take: 16 quadrant patterns, 64 sextant ones, the glyphs; else 1.</summary>
    public static int ShapeCount(CellMode mode) => mode switch
    {
        CellMode.Quadrant => 16,
        CellMode.Sextant => 64,
        CellMode.GlyphColor => FrameConverter.MonoRamp.Length,
        _ => 1,
    };

    /// <summary>
    /// The largest raw (uncompressed) body for a grid of this size: runs of one cell each (two varints of at most 3
    /// bytes per run, as <see cref="MaxCells"/> needs 18 bits) after the run count.
    /// </summary>
    public static int MaxRawBody(int cells, CellMode mode) => 4 + (cells * (BytesPerCell(mode) + 6));

    /// <summary>The largest message the encoder writes for a grid of this size.</summary>
    public static int MaxMessage(int cells, CellMode mode) => VideoFrameHeader.Size + MaxRawBody(cells, mode) + 64;

    /// <summary>The level (0..63) a channel value travels as.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToLevel(uint channel) => s_toLevel[channel & 0xFF];

    /// <summary>The channel value a receiver shows for a level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromLevel(int level) => s_fromLevel[level & (ColorLevels - 1)];

    /// <summary>A colour as it travels and is shown: each channel rounded to its nearest of the 64 levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Quantize(uint rgb) =>
        (FromLevel(ToLevel(rgb >> 16)) << 16) | (FromLevel(ToLevel(rgb >> 8)) << 8) | FromLevel(ToLevel(rgb));

    /// <summary>The index of a mono glyph in <see cref="FrameConverter.MonoRamp"/>, or -1 for any other char.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MonoIndex(uint glyph) => glyph < (uint)s_monoIndex.Length ? s_monoIndex[glyph] : -1;

    /// <summary>
    /// The colour a truecolor cell's top pixel is predicted as: the top of the cell to its left, in column 0 the
    /// bottom of the cell above, in the first cell black. Only cells before <paramref name="index"/> are read, so
    /// the receiver, rebuilding cells in order, predicts from exactly what the sender predicted from.
    /// </summary>
    public static uint PredictTop(ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, int index, int cols)
    {
        if (index % cols != 0)
        {
            return foreground[index - 1];
        }

        return index >= cols ? background[index - cols] : 0u;
    }

    /// <summary>
    /// The colour a block cell's background is predicted as: the top-right sub-pixel of the cell to its left, in
    /// column 0 the bottom-left sub-pixel of the cell above, in the first cell black. Reads only cells before
    /// <paramref name="index"/>, as <see cref="PredictTop"/>.
    /// </summary>
    public static uint PredictBlockBackground(CellMode mode, ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, int index, int cols)
    {
        if (index % cols != 0)
        {
            return FrameConverter.BlockPixel(foreground[index - 1], background[index - 1], 1);
        }

        var bottomLeft = 2 * (FrameConverter.BlockRows(mode) - 1);
        return index >= cols ? FrameConverter.BlockPixel(foreground[index - cols], background[index - cols], bottomLeft) : 0u;
    }

    /// <summary>A coloured glyph's colour predicted from the cell to its left, in column 0 the cell above, else black.</summary>
    public static uint PredictGlyphColor(ReadOnlySpan<uint> foreground, int index, int cols)
    {
        if (index % cols != 0)
        {
            return foreground[index - 1] & 0xFFFFFF;
        }

        return index >= cols ? foreground[index - cols] & 0xFFFFFF : 0u;
    }

    /// <summary>
    /// Writes cell <paramref name="index"/> of the new picture, whose cells before it are final (truecolor cells
    /// must already be <see cref="Quantize">quantized</see>), predicted spatially or from the base picture's cell
    /// (<paramref name="baseTop"/>, <paramref name="baseBottom"/>); returns the bytes written.
    /// </summary>
    public static int WriteCell(CellMode mode, ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, int index, int cols,
        bool temporal, uint baseTop, uint baseBottom, Span<byte> destination)
    {
        switch (mode)
        {
            case CellMode.Mono:
                destination[0] = (byte)MonoIndex(foreground[index]);
                return 1;
            case CellMode.TrueColor:
                var top = foreground[index];
                WriteResidual(top, temporal ? baseTop : PredictTop(foreground, background, index, cols), destination);
                WriteResidual(background[index], temporal ? baseBottom : top, destination[3..]);
                return 6;
            case CellMode.Ansi256:
                destination[0] = (byte)foreground[index];
                destination[1] = (byte)background[index];
                return 2;
            case CellMode.Quadrant:
            case CellMode.Sextant:
                var fg = foreground[index];
                var bg = background[index];
                destination[0] = (byte)(fg >> 24);
                WriteResidual(bg, temporal ? baseBottom : PredictBlockBackground(mode, foreground, background, index, cols), destination[1..]);
                WriteResidual(fg, temporal ? baseTop : bg, destination[4..]);
                return 7;
            case CellMode.GlyphColor:
                destination[0] = (byte)(foreground[index] >> 24);
                WriteResidual(foreground[index], temporal ? baseTop : PredictGlyphColor(foreground, index, cols), destination[1..]);
                return 4;
            default:
                destination[0] = (byte)((foreground[index] << 4) | (background[index] & 0x0F));
                return 1;
        }
    }

    /// <summary>
    /// Reads cell <paramref name="index"/> into the grid being rebuilt (a copy of the base picture whose cells
    /// before it are final); false when the bytes cannot be a cell of this mode (a mono index past the ramp, a
    /// truecolor residual past 63, a 256-colour index among the themeable 0..15, a quadrant pattern past 15, a sextant
    /// pattern past 63, a glyph index past the ramp).
    /// </summary>
    public static bool TryReadCell(CellMode mode, ReadOnlySpan<byte> source, Span<uint> foreground, Span<uint> background, int index, int cols, bool temporal)
    {
        switch (mode)
        {
            case CellMode.Mono:
                if (source[0] >= FrameConverter.MonoRamp.Length)
                {
                    return false;
                }

                foreground[index] = FrameConverter.MonoRamp[source[0]];
                background[index] = 0;
                return true;
            case CellMode.TrueColor:
                if ((source[0] | source[1] | source[2] | source[3] | source[4] | source[5]) >= ColorLevels)
                {
                    return false;
                }

                // The cell still holds the base picture's colours until it is overwritten here.
                var top = AddResidual(source, temporal ? foreground[index] : PredictTop(foreground, background, index, cols));
                background[index] = AddResidual(source[3..], temporal ? background[index] : top);
                foreground[index] = top;
                return true;
            case CellMode.Ansi256:
                if (source[0] < 16 || source[1] < 16)
                {
                    return false;
                }

                foreground[index] = source[0];
                background[index] = source[1];
                return true;
            case CellMode.Quadrant:
            case CellMode.Sextant:
                if (source[0] >= ShapeCount(mode) || (source[1] | source[2] | source[3] | source[4] | source[5] | source[6]) >= ColorLevels)
                {
                    return false;
                }

                // As truecolor: the cell holds the base picture's colours until it is overwritten here.
                var bg = AddResidual(source[1..], temporal ? background[index] : PredictBlockBackground(mode, foreground, background, index, cols));
                foreground[index] = FrameConverter.PackBlock(source[0], AddResidual(source[4..], temporal ? foreground[index] : bg));
                background[index] = bg;
                return true;
            case CellMode.GlyphColor:
                if (source[0] >= ShapeCount(mode) || (source[1] | source[2] | source[3]) >= ColorLevels)
                {
                    return false;
                }

                foreground[index] = FrameConverter.PackBlock(source[0], AddResidual(source[1..], temporal ? foreground[index] : PredictGlyphColor(foreground, index, cols)));
                background[index] = 0;
                return true;
            default:
                foreground[index] = (uint)(source[0] >> 4);
                background[index] = (uint)(source[0] & 0x0F);
                return true;
        }
    }

    /// <summary>
    /// Whether predicting the sent cells (those whose distance reaches <paramref name="cut"/>) from the base picture
    /// leaves smaller residuals, summed as distances on the 64-level circle, than predicting them spatially. The
    /// new picture (<paramref name="foreground"/>, <paramref name="background"/>) must be final.
    /// </summary>
    public static bool TemporalIsSmaller(CellMode mode, ReadOnlySpan<uint> foreground, ReadOnlySpan<uint> background, ReadOnlySpan<uint> baseForeground,
        ReadOnlySpan<uint> baseBackground, ReadOnlySpan<byte> distance, int cut, int cols)
    {
        long spatial = 0, temporal = 0;
        for (var i = 0; i < distance.Length; i++)
        {
            if (distance[i] < cut)
            {
                continue;
            }

            var top = foreground[i];
            switch (mode)
            {
                case CellMode.Quadrant:
                case CellMode.Sextant:
                    spatial += Cost(background[i], PredictBlockBackground(mode, foreground, background, i, cols)) + Cost(top, background[i]);
                    break;
                case CellMode.GlyphColor:
                    spatial += Cost(top, PredictGlyphColor(foreground, i, cols));
                    break;
                default:
                    spatial += Cost(top, PredictTop(foreground, background, i, cols)) + Cost(background[i], top);
                    break;
            }

            temporal += Cost(top, baseForeground[i]) + (mode == CellMode.GlyphColor ? 0 : Cost(background[i], baseBackground[i]));
        }

        return temporal < spatial;

        static int Cost(uint color, uint predicted)
        {
            var red = ToLevel(color >> 16) - ToLevel(predicted >> 16);
            var green = ToLevel(color >> 8) - ToLevel(predicted >> 8);
            var blue = ToLevel(color) - ToLevel(predicted);
            return Circular(green) + Circular(red - green) + Circular(blue - green);
        }

        static int Circular(int residual)
        {
            var r = residual & (ColorLevels - 1);
            return Math.Min(r, ColorLevels - r);
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

    // The residual of `color` against `predicted`, level by level modulo 64, decorrelated: green's, then red's and
    // blue's each less green's. Light and shade move the three channels together, so two of the three are near 0.
    private static void WriteResidual(uint color, uint predicted, Span<byte> destination)
    {
        var red = ToLevel(color >> 16) - ToLevel(predicted >> 16);
        var green = ToLevel(color >> 8) - ToLevel(predicted >> 8);
        var blue = ToLevel(color) - ToLevel(predicted);
        destination[0] = (byte)(green & (ColorLevels - 1));
        destination[1] = (byte)((red - green) & (ColorLevels - 1));
        destination[2] = (byte)((blue - green) & (ColorLevels - 1));
    }

    // The inverse of WriteResidual, giving the shown colour.
    private static uint AddResidual(ReadOnlySpan<byte> residual, uint predicted) =>
        (FromLevel(residual[1] + residual[0] + ToLevel(predicted >> 16)) << 16)
        | (FromLevel(residual[0] + ToLevel(predicted >> 8)) << 8)
        | FromLevel(residual[2] + residual[0] + ToLevel(predicted));

    private static byte[] BuildToLevel()
    {
        var table = new byte[256];
        for (var c = 0; c < 256; c++)
        {
            table[c] = (byte)(((c * (ColorLevels - 1)) + 127) / 255);
        }

        return table;
    }

    private static byte[] BuildFromLevel()
    {
        var table = new byte[ColorLevels];
        for (var l = 0; l < ColorLevels; l++)
        {
            table[l] = (byte)(((l * 255) + ((ColorLevels - 1) / 2)) / (ColorLevels - 1));
        }

        return table;
    }

    private static sbyte[] BuildMonoIndex()
    {
        var ramp = FrameConverter.MonoRamp;
        var max = 0;
        foreach (var c in ramp)
        {
            max = Math.Max(max, c);
        }

        var table = new sbyte[max + 1];
        table.AsSpan().Fill(-1);
        for (var i = ramp.Length - 1; i >= 0; i--)
        {
            table[ramp[i]] = (sbyte)i;
        }

        return table;
    }
}
