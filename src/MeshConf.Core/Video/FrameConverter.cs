using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// Turns an <see cref="RgbFrame"/> into the cells of a <see cref="CellGrid"/>, allocating nothing (its scratch rows
/// and samples come from <see cref="ArrayPool{T}.Shared"/>). Stateless (a mono stream's history is the
/// <see cref="MonoToneTracker"/> its caller passes): threads may convert into different grids at once.
/// </summary>
/// <remarks>
/// <para>
/// Sampling: the whole frame is stretched over a sample grid of <c>Cols x 2·Rows</c> (half-block modes, top and
/// bottom sample per cell) or <c>4·Cols x 4·Rows</c> (mono and coloured glyphs: 4 x 4 samples per cell, see
/// <see cref="MonoGlyphs"/>), and each sample is the rounded mean of the frame pixels in its box (a box filter;
/// boxes tile the frame exactly, so every pixel counts once). A frame smaller than the sample grid repeats pixels
/// instead (each box is then the one pixel under its top-left corner).
/// </para>
/// <para>
/// Aspect: the converter does not crop or letterbox. A terminal cell is about twice as tall as wide, so a mono
/// cell, or a half-block cell's pair of pixels, is only square-ish if the caller picks the grid size for the
/// frame's aspect: <see cref="FitGrid"/> gives the largest such grid inside a tile.
/// </para>
/// <para>
/// Mono: per sample the Rec. 709 luma of the gamma-encoded mean, <c>Y' = (54R + 183G + 19B) / 256</c> (0.2126,
/// 0.7152, 0.0722 in 8-bit fixed point), stretched so that the frame's 2nd percentile maps to the blank and its
/// 98th to <see cref="ToneCeiling"/> (a tone just past the densest glyph's ink). When those percentiles lie
/// closer than <see cref="MinContrastSpan"/> (a flat frame) the window is widened to that span around them and
/// kept inside 0..255: a solid black frame stays all spaces, and noise on a flat grey wall is not blown up into
/// the whole set. A stream passes its <see cref="MonoToneTracker"/> so the window is smoothed from frame to
/// frame. Each cell is then the glyph of <see cref="MonoRamp"/> whose coverage samples are nearest its tones
/// (FrameConverter.Glyphs.cs): flat areas get the tone ramp, edges the glyphs of their shape.
/// </para>
/// </remarks>
internal static partial class FrameConverter
{
    /// <summary>
    /// The mono glyph set, least ink first as the committed <see cref="GlyphAtlas"/> measures it (DejaVu Sans Mono;
    /// a test keeps the order): a tone ramp of glyphs with even ink (<c>. ' ~ ^ = E 8 B @</c>...) and the glyphs
    /// of edges and strokes (<c>/ \ | - _ ( ) ' , ` &lt; &gt; L 7 T J Y V</c>...), 40 in all, ASCII only, for the
    /// usual light text on a dark background. Its first glyph, the space, is also the blank mono cell; a mono
    /// cell travels as its index here, and a coloured-glyph cell holds one.
    /// </summary>
    public const string MonoRamp = " `.-',:~\"_^;!+\\/=()><|ciL7TJYuoeVEbd08B@";

    /// <summary>The share of samples, in percent, clipped to each end of the ramp by the contrast stretch.</summary>
    public const int ClipPercent = 2;

    /// <summary>The narrowest luma window the contrast stretch spreads over the ramp (of 0..255).</summary>
    public const int MinContrastSpan = 64;

    /// <summary>How many times taller than wide a terminal cell is, as <see cref="FitGrid"/> assumes.</summary>
    public const double CellAspect = 2.0;

    /// <summary>
    /// Converts <paramref name="frame"/> into every cell of <paramref name="target"/>, in the target's mode.
    /// The same frame, grid and tone state always give the same cells.
    /// </summary>
    /// <param name="frame">The picture; an empty frame blanks the grid.</param>
    /// <param name="target">Overwritten completely.</param>
    /// <param name="mirror">Flip left to right, as a self-view is shown.</param>
    /// <param name="tone">
    /// Mono only: the stream's contrast window, smoothed from frame to frame and updated by this call (one tracker
    /// per stream). Without one, each frame is stretched by its own percentiles alone.
    /// </param>
    public static void Convert(in RgbFrame frame, CellGrid target, bool mirror, MonoToneTracker? tone = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (frame.IsEmpty)
        {
            target.Clear();
            return;
        }

        if (target.Mode is CellMode.Quadrant or CellMode.Sextant)
        {
            ConvertBlocks(frame, target, mirror);
            return;
        }

        // Scratch for one sample row, rented, not allocated: the shared pool hands the same array back every
        // frame. Layout and use: see SampleRows and FrameConverter.Sampling.cs.
        var stride = frame.Width * RgbFrame.BytesPerPixel;
        var rented = ArrayPool<uint>.Shared.Rent(ScratchLength(stride));
        try
        {
            switch (target.Mode)
            {
                case CellMode.Mono:
                case CellMode.GlyphColor:
                    ConvertGlyphs(frame, target, mirror, tone, rented);
                    break;
                default:
                    SampleRows(frame, target.Cols, 2 * target.Rows, target.ForegroundStorage, target.BackgroundStorage, luma: false, mirror, rented);
                    Quantize(target);
                    break;
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }
    }

    // The mono and coloured-glyph modes: 4 x 4 samples per cell (luma for mono, colour for coloured glyphs) into a
    // second rented buffer, then each cell's glyph (FrameConverter.Glyphs.cs).
    private static void ConvertGlyphs(in RgbFrame frame, CellGrid target, bool mirror, MonoToneTracker? tone, uint[] scratch)
    {
        var mono = target.Mode == CellMode.Mono;
        var sampleCols = target.Cols * MonoGlyphs.SamplesAcross;
        var sampleRows = target.Rows * MonoGlyphs.SamplesDown;
        var rented = ArrayPool<uint>.Shared.Rent(sampleCols * sampleRows);
        try
        {
            var samples = rented.AsSpan(0, sampleCols * sampleRows);
            SampleRows(frame, sampleCols, sampleRows, samples, default, luma: mono, mirror, scratch);
            if (mono)
            {
                MonoCells(samples, target, tone);
            }
            else
            {
                GlyphColorCells(samples, target);
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }

        target.BackgroundStorage.Clear();
    }

    // Palette modes: each colour to its nearest palette entry.
    private static void Quantize(CellGrid target)
    {
        if (target.Mode is not (CellMode.Ansi256 or CellMode.Ansi16))
        {
            return;
        }

        var xterm = target.Mode == CellMode.Ansi256;
        ToPalette(target.ForegroundStorage, xterm);
        ToPalette(target.BackgroundStorage, xterm);

        static void ToPalette(Span<uint> cells, bool xterm)
        {
            foreach (ref var cell in cells)
            {
                cell = xterm ? ColorQuantizer.NearestXterm256(cell) : ColorQuantizer.NearestAnsi16(cell);
            }
        }
    }

    // Box means of the frame over a sample grid of sampleCols x sampleRows, as colours (0x00RRGGBB) or as their
    // luma. Without `second`, sample row sy goes to first[sy * sampleCols ..]; with it (the half-block modes), even
    // rows go to `first` and odd rows to `second`, at row sy / 2.
    private static void SampleRows(in RgbFrame frame, int cols, int sampleRows, Span<uint> first, Span<uint> second, bool luma, bool mirror, uint[] scratch)
    {
        var width = frame.Width;
        var height = frame.Height;
        var interleaved = !second.IsEmpty;

        // Box edges without a division per box: right edges are floor((sx + 1) * width / cols), stepped as
        // Bresenham does. Boxes are then `narrow` or `narrow + 1` pixels wide (1 when the frame is narrower than
        // the grid), so two reciprocals per sample row replace the divisions of the means.
        var step = width / cols;
        var remainder = width % cols;
        var narrow = Math.Max(1, step);
        var twoWidths = step >= 1 && remainder != 0;
        var widest = twoWidths ? narrow + 1 : narrow;

        // Rows the same way: y1 = floor((sy + 1) * height / sampleRows). Boxes take one or two heights, so the
        // reciprocals (each costs divisions) are made again only when the height changes.
        var rowStep = height / sampleRows;
        var rowRemainder = height % sampleRows;
        int y0 = 0, y1 = 0, rowCarry = 0, divisorRows = 0;
        RoundingDivisor narrowBox = default, wideBox = default;
        for (var sy = 0; sy < sampleRows; sy++, y0 = y1)
        {
            y1 += rowStep;
            rowCarry += rowRemainder;
            if (rowCarry >= sampleRows)
            {
                rowCarry -= sampleRows;
                y1++;
            }

            var rowsInBox = Math.Max(1, y1 - y0);
            if (rowsInBox != divisorRows)
            {
                divisorRows = rowsInBox;
                narrowBox = new RoundingDivisor(narrow * rowsInBox);
                wideBox = new RoundingDivisor((narrow + 1) * rowsInBox);
            }

            var destination = interleaved
                ? ((sy & 1) == 0 ? first : second).Slice((sy >> 1) * cols, cols)
                : first.Slice(sy * cols, cols);
            if (widest <= MaxSummedAcross && widest * rowsInBox <= RoundingDivisor.MaxNarrowCount)
            {
                // The common case (320 x 240 into any tile of 40 columns or more): 16-bit sums, the sums across
                // and the rounding vectorised at every byte of the row, then one read per box.
                Means(frame, y0, rowsInBox, narrow, narrowBox, twoWidths ? wideBox : null, scratch);
                if (remainder == 0)
                {
                    GatherEven(NarrowMeans(scratch, width * RgbFrame.BytesPerPixel), narrow, destination, mirror, luma);
                }
                else
                {
                    GatherBoxes(NarrowMeans(scratch, width * RgbFrame.BytesPerPixel), WideMeans(scratch, width * RgbFrame.BytesPerPixel), narrow, step, remainder, destination, mirror, luma);
                }
            }
            else
            {
                SumRows(frame, y0, rowsInBox, scratch.AsSpan(0, width * RgbFrame.BytesPerPixel));
                MeanLargeBoxes(scratch.AsSpan(0, width * RgbFrame.BytesPerPixel), narrow, step, remainder, narrowBox, wideBox, destination, mirror);
                if (luma)
                {
                    ToLuma(destination);
                }
            }
        }
    }

    /// <summary>
    /// The largest grid inside <paramref name="maxCols"/> x <paramref name="maxRows"/> cells that shows a
    /// <paramref name="frameWidth"/> x <paramref name="frameHeight"/> picture at its own aspect, with cells
    /// <see cref="CellAspect"/> times taller than wide: <c>cols / (rows · 2) ≈ width / height</c>. The same size
    /// suits every mode (a half-block cell holds two square-ish pixels stacked). Never smaller than 1 x 1.
    /// </summary>
    /// <example>320 x 240 (4:3) in a 160 x 60 tile gives 160 x 60; in 200 x 50 it gives 133 x 50.</example>
    public static (int Cols, int Rows) FitGrid(int frameWidth, int frameHeight, int maxCols, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);

        // Cells per row of cells that keep the picture's aspect.
        var colsPerRow = CellAspect * frameWidth / frameHeight;
        var rows = (int)Math.Round(maxCols / colsPerRow, MidpointRounding.AwayFromZero);
        if (rows <= maxRows)
        {
            return (maxCols, Math.Max(1, rows));
        }

        var cols = (int)Math.Round(maxRows * colsPerRow, MidpointRounding.AwayFromZero);
        return (Math.Clamp(cols, 1, maxCols), maxRows);
    }

    private static void ToLuma(Span<uint> cells)
    {
        foreach (ref var cell in cells)
        {
            cell = Luma((cell >> 16) & 0xFF, (cell >> 8) & 0xFF, cell & 0xFF);
        }
    }

    /// <summary>Rec. 709 luma of gamma-encoded 8-bit red, green and blue in 8-bit fixed point, as the type's remarks say.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Luma(uint r, uint g, uint b) => ((54 * r) + (183 * g) + (19 * b) + 128) >> 8;
}
