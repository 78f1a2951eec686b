using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// The block modes (<see cref="CellMode.Quadrant"/>, <see cref="CellMode.Sextant"/>): the frame is box-sampled over
/// a grid of <c>2·Cols x 2·Rows</c> (quadrants) or <c>2·Cols x 3·Rows</c> (sextants) sub-pixels, exactly as the
/// other modes sample theirs (mirroring included), then each cell takes the two-colour split of its 4 or 6
/// sub-pixels with the least squared RGB error, each colour the rounded mean of its side.
/// </summary>
/// <remarks>
/// <para>
/// Exact and cheap: the top-left sub-pixel is always background (so a split and its complement are one
/// candidate), which leaves 8 splits for quadrants and 32 for sextants, all tried. For sums <c>S₁</c> (foreground,
/// <c>n₁</c> pixels) and <c>S₂ = T − S₁</c>, the squared error is <c>Σ|p|² − |S₁|²/n₁ − |S₂|²/n₂</c>, so the best
/// split maximises <c>|S₁|²/n₁ + |S₂|²/n₂</c>, compared in integers scaled by 12 (quadrants) or 60 (sextants),
/// which every <c>n</c> divides. The subset sums come one addition each from a smaller subset.
/// </para>
/// <para>
/// Canonical cells: bit 0 of the pattern is always clear, and a cell whose split gains nothing (or whose two means
/// round to one colour) is pattern 0 with foreground = background, so equal pictures give equal cells and hashes.
/// </para>
/// </remarks>
internal static partial class FrameConverter
{
    /// <summary>Sub-pixels across a block cell (both block modes).</summary>
    public const int BlockColumns = 2;

    /// <summary>Sub-pixel rows of a cell in a block mode: 2 for quadrants, 3 for sextants.</summary>
    public static int BlockRows(CellMode mode) => mode == CellMode.Sextant ? 3 : 2;

    /// <summary>A block cell's foreground word: the pattern in the top byte over the colour.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PackBlock(int pattern, uint color) => ((uint)pattern << 24) | (color & 0xFFFFFF);

    /// <summary>The colour sub-pixel <paramref name="bit"/> of a block cell shows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint BlockPixel(uint foreground, uint background, int bit) =>
        ((foreground >> (24 + bit)) & 1) != 0 ? foreground & 0xFFFFFF : background;

    private static void ConvertBlocks(in RgbFrame frame, CellGrid target, bool mirror)
    {
        var blockRows = BlockRows(target.Mode);
        var sampleCols = BlockColumns * target.Cols;
        var sampleRows = blockRows * target.Rows;

        // Rented, not allocated, as Convert's scratch: the sub-pixel plane and the box filter's row scratch.
        var plane = ArrayPool<uint>.Shared.Rent(sampleCols * sampleRows);
        var scratch = ArrayPool<uint>.Shared.Rent(ScratchLength(frame.Width * RgbFrame.BytesPerPixel));
        try
        {
            var samples = plane.AsSpan(0, sampleCols * sampleRows);
            SampleRows(frame, target, sampleCols, sampleRows, samples, mirror, scratch);
            FitCells(samples, target, blockRows);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(scratch);
            ArrayPool<uint>.Shared.Return(plane);
        }
    }

    private static void FitCells(ReadOnlySpan<uint> plane, CellGrid target, int blockRows)
    {
        var cols = target.Cols;
        var sampleCols = BlockColumns * cols;
        var foreground = target.ForegroundStorage;
        var background = target.BackgroundStorage;
        Span<uint> pixels = stackalloc uint[6];
        var cellPixels = pixels[..(BlockColumns * blockRows)];
        for (var row = 0; row < target.Rows; row++)
        {
            for (var col = 0; col < cols; col++)
            {
                for (var y = 0; y < blockRows; y++)
                {
                    var at = ((row * blockRows) + y) * sampleCols + (BlockColumns * col);
                    cellPixels[BlockColumns * y] = plane[at];
                    cellPixels[(BlockColumns * y) + 1] = plane[at + 1];
                }

                var (fg, bg) = FitBlock(cellPixels);
                foreground[row * cols + col] = fg;
                background[row * cols + col] = bg;
            }
        }
    }

    /// <summary>
    /// The best two-colour split of 4 or 6 sub-pixels (row-major, two a row) as the type's remarks say: the
    /// foreground word (pattern over colour) and the background colour.
    /// </summary>
    internal static (uint Foreground, uint Background) FitBlock(ReadOnlySpan<uint> pixels)
    {
        var n = pixels.Length;
        var scale = n == 6 ? 60 : 12;

        // Subset q of sub-pixels 1 .. n - 1 (bit k of q = sub-pixel k + 1): its channel sums.
        var subsets = 1 << (n - 1);
        Span<int> sumR = stackalloc int[32];
        Span<int> sumG = stackalloc int[32];
        Span<int> sumB = stackalloc int[32];
        sumR[0] = sumG[0] = sumB[0] = 0;
        for (var q = 1; q < subsets; q++)
        {
            var rest = q & (q - 1);
            var p = pixels[BitOperations.TrailingZeroCount(q) + 1];
            sumR[q] = sumR[rest] + (int)((p >> 16) & 0xFF);
            sumG[q] = sumG[rest] + (int)((p >> 8) & 0xFF);
            sumB[q] = sumB[rest] + (int)(p & 0xFF);
        }

        var first = pixels[0];
        int tr = sumR[subsets - 1] + (int)((first >> 16) & 0xFF);
        int tg = sumG[subsets - 1] + (int)((first >> 8) & 0xFF);
        int tb = sumB[subsets - 1] + (int)(first & 0xFF);

        // Uniform: |T|² · scale / n; any split scores at least that (equal means only).
        var best = ((tr * tr) + (tg * tg) + (tb * tb)) * (scale / n);
        var bestSubset = 0;
        for (var q = 1; q < subsets; q++)
        {
            var n1 = BitOperations.PopCount((uint)q);
            int r1 = sumR[q], g1 = sumG[q], b1 = sumB[q];
            int r2 = tr - r1, g2 = tg - g1, b2 = tb - b1;
            var score = ((((r1 * r1) + (g1 * g1) + (b1 * b1)) * (scale / n1)) + (((r2 * r2) + (g2 * g2) + (b2 * b2)) * (scale / (n - n1))));
            if (score > best)
            {
                best = score;
                bestSubset = q;
            }
        }

        if (bestSubset != 0)
        {
            var n1 = BitOperations.PopCount((uint)bestSubset);
            var n2 = n - n1;
            var fg = ColorQuantizer.Pack(Round(sumR[bestSubset], n1), Round(sumG[bestSubset], n1), Round(sumB[bestSubset], n1));
            var bg = ColorQuantizer.Pack(Round(tr - sumR[bestSubset], n2), Round(tg - sumG[bestSubset], n2), Round(tb - sumB[bestSubset], n2));
            if (fg != bg)
            {
                return (PackBlock(bestSubset << 1, fg), bg);
            }
        }

        var mean = ColorQuantizer.Pack(Round(tr, n), Round(tg, n), Round(tb, n));
        return (mean, mean);

        static int Round(int sum, int count) => (sum + (count >> 1)) / count;
    }
}
