using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// Turns an <see cref="RgbFrame"/> into the cells of a <see cref="CellGrid"/>, allocating nothing (its one scratch
/// row comes from <see cref="ArrayPool{T}.Shared"/>). Stateless: threads may convert into different grids at once.
/// </summary>
/// <remarks>
/// <para>
/// Sampling: the whole frame is stretched over a sample grid of <c>Cols x Rows</c> (mono, one sample per cell) or
/// <c>Cols x 2·Rows</c> (half-block modes, top and bottom sample per cell), and each sample is the rounded mean of
/// the frame pixels in its box (a box filter; boxes tile the frame exactly, so every pixel counts once). A frame
/// smaller than the sample grid repeats pixels instead (each box is then the one pixel under its top-left corner).
/// </para>
/// <para>
/// Aspect: the converter does not crop or letterbox. A terminal cell is about twice as tall as wide, so a mono
/// cell, or a half-block cell's pair of pixels, is only square-ish if the caller picks the grid size for the
/// frame's aspect: <see cref="FitGrid"/> gives the largest such grid inside a tile.
/// </para>
/// <para>
/// Mono: per sample the Rec. 709 luma of the gamma-encoded mean, <c>Y' = (54R + 183G + 19B) / 256</c> (0.2126,
/// 0.7152, 0.0722 in 8-bit fixed point), stretched so that the frame's 2nd percentile maps to the first glyph of
/// <see cref="MonoRamp"/> and its 98th to the last. When those percentiles lie closer than
/// <see cref="MinContrastSpan"/> (a flat frame) the window is widened to that span around them and kept inside
/// 0..255: a solid black frame stays all spaces, a solid white one all <c>@</c>, and noise on a flat grey wall is
/// not blown up into the whole ramp.
/// </para>
/// </remarks>
internal static partial class FrameConverter
{
    /// <summary>
    /// The mono ramp, darkest first: dark pixels get sparse glyphs, bright ones dense glyphs (for the usual light
    /// text on a dark background). Paul Bourke's ten-level ASCII ramp, "Character representation of greyscale
    /// images", reversed. Its first glyph, the space, is also the blank mono cell.
    /// </summary>
    public const string MonoRamp = " .:-=+*#%@";

    /// <summary>The share of samples, in percent, clipped to each end of the ramp by the contrast stretch.</summary>
    public const int ClipPercent = 2;

    /// <summary>The narrowest luma window the contrast stretch spreads over the ramp (of 0..255).</summary>
    public const int MinContrastSpan = 32;

    /// <summary>How many times taller than wide a terminal cell is, as <see cref="FitGrid"/> assumes.</summary>
    public const double CellAspect = 2.0;

    /// <summary>
    /// Converts <paramref name="frame"/> into every cell of <paramref name="target"/>, in the target's mode.
    /// The same frame and grid always give the same cells.
    /// </summary>
    /// <param name="frame">The picture; an empty frame blanks the grid.</param>
    /// <param name="target">Overwritten completely.</param>
    /// <param name="mirror">Flip left to right, as a self-view is shown.</param>
    public static void Convert(in RgbFrame frame, CellGrid target, bool mirror)
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
            var sampleRows = target.Mode == CellMode.Mono ? target.Rows : 2 * target.Rows;
            SampleRows(frame, target, target.Cols, sampleRows, [], mirror, rented);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }

        if (target.Mode == CellMode.Mono)
        {
            LumaToGlyphs(target.ForegroundStorage);
            target.BackgroundStorage.Clear();
        }
    }

    // Samples `sampleCols` x `sampleRows` boxes over the frame, row by row: into `plane` (row-major colours) when it
    // is not empty, else straight into the target's cells (mono: one luma a cell; half blocks: even sample rows
    // are the tops, odd the bottoms, then quantized to the palette modes' indices).
    private static void SampleRows(in RgbFrame frame, CellGrid target, int sampleCols, int sampleRows, Span<uint> plane, bool mirror, uint[] scratch)
    {
        var mode = plane.IsEmpty ? target.Mode : CellMode.TrueColor;
        var cols = sampleCols;
        var foreground = target.ForegroundStorage;
        var background = target.BackgroundStorage;
        var width = frame.Width;
        var height = frame.Height;

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

            var destination = !plane.IsEmpty
                ? plane.Slice(sy * cols, cols)
                : mode == CellMode.Mono
                    ? foreground.Slice(sy * cols, cols)
                    : ((sy & 1) == 0 ? foreground : background).Slice((sy >> 1) * cols, cols);
            if (widest <= MaxSummedAcross && widest * rowsInBox <= RoundingDivisor.MaxNarrowCount)
            {
                // The common case (320 x 240 into any tile of 40 columns or more): 16-bit sums, the sums across
                // and the rounding vectorised at every byte of the row, then one read per box.
                Means(frame, y0, rowsInBox, narrow, narrowBox, twoWidths ? wideBox : null, scratch);
                if (remainder == 0)
                {
                    GatherEven(NarrowMeans(scratch, width * RgbFrame.BytesPerPixel), narrow, destination, mirror, luma: mode == CellMode.Mono);
                }
                else
                {
                    GatherBoxes(NarrowMeans(scratch, width * RgbFrame.BytesPerPixel), WideMeans(scratch, width * RgbFrame.BytesPerPixel), narrow, step, remainder, destination, mirror, luma: mode == CellMode.Mono);
                }
            }
            else
            {
                SumRows(frame, y0, rowsInBox, scratch.AsSpan(0, width * RgbFrame.BytesPerPixel));
                MeanLargeBoxes(scratch.AsSpan(0, width * RgbFrame.BytesPerPixel), narrow, step, remainder, narrowBox, wideBox, destination, mirror);
                if (mode == CellMode.Mono)
                {
                    ToLuma(destination);
                }
            }

            switch (mode)
            {
                case CellMode.Ansi256:
                    foreach (ref var cell in destination)
                    {
                        cell = ColorQuantizer.NearestXterm256(cell);
                    }

                    break;
                case CellMode.Ansi16:
                    foreach (ref var cell in destination)
                    {
                        cell = ColorQuantizer.NearestAnsi16(cell);
                    }

                    break;
                default:
                    break;
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

    // Replaces each luma (0..255) by its glyph, with the contrast stretch described on the type.
    private static void LumaToGlyphs(Span<uint> cells)
    {
        // Four partial histograms, summed after: neighbouring cells often share a luma, and one histogram would
        // make each increment wait for the one before.
        Span<int> partial = stackalloc int[4 * 256];
        var i = 0;
        for (; i <= cells.Length - 4; i += 4)
        {
            partial[(int)cells[i]]++;
            partial[256 + (int)cells[i + 1]]++;
            partial[512 + (int)cells[i + 2]]++;
            partial[768 + (int)cells[i + 3]]++;
        }

        for (; i < cells.Length; i++)
        {
            partial[(int)cells[i]]++;
        }

        var histogram = partial[..256];
        for (var y = 0; y < 256; y++)
        {
            histogram[y] += partial[256 + y] + partial[512 + y] + partial[768 + y];
        }

        var clipped = cells.Length * ClipPercent / 100;
        var low = Percentile(histogram, clipped, fromTop: false);
        var high = Percentile(histogram, clipped, fromTop: true);
        if (high - low < MinContrastSpan)
        {
            var center = (low + high) / 2;
            low = Math.Clamp(center - MinContrastSpan / 2, 0, 255 - MinContrastSpan);
            high = low + MinContrastSpan;
        }

        // Level = round((Y - low) / (high - low) * (levels - 1)), clamped: low -> first glyph, high -> last. The
        // quotient floor((t * top + span / 2) / span) is stepped, not divided: t up by one adds `top` (< span) to
        // the numerator, so the remainder wraps at most once per step.
        var span = high - low;
        var top = MonoRamp.Length - 1;
        Span<uint> glyphOf = stackalloc uint[256];
        glyphOf[..low].Fill(MonoRamp[0]);
        glyphOf[high..].Fill(MonoRamp[top]);
        int level = 0, rest = span / 2;
        for (var y = low; y < high; y++)
        {
            glyphOf[y] = MonoRamp[level];
            rest += top;
            if (rest >= span)
            {
                rest -= span;
                level++;
            }
        }

        foreach (ref var cell in cells)
        {
            cell = glyphOf[(int)cell];
        }
    }

    // The luma below which (or above which, from the top) no more than `clipped` samples lie.
    private static int Percentile(ReadOnlySpan<int> histogram, int clipped, bool fromTop)
    {
        var seen = 0;
        for (var k = 0; k < 256; k++)
        {
            var y = fromTop ? 255 - k : k;
            seen += histogram[y];
            if (seen > clipped)
            {
                return y;
            }
        }

        return fromTop ? 0 : 255;
    }
}
