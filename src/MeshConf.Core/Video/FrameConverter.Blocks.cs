using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// which every <c>n</c> divides; eight subsets at a time in a vector where there is one.
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

    /// <summary>
    /// The character of a coloured-glyph cell's foreground word: its top byte indexes <see cref="MonoRamp"/>; an
    /// index past the set (a grid from a newer peer) is the blank.
    /// </summary>
    public static char ColorGlyphOf(uint foreground)
    {
        var index = (int)(foreground >> 24);
        return index < MonoRamp.Length ? MonoRamp[index] : MonoRamp[0];
    }

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
            SampleRows(frame, sampleCols, sampleRows, samples, default, luma: false, mirror, scratch);
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
        var subset = Vector256.IsHardwareAccelerated ? BestSubsetVector(pixels) : BestSubset(pixels);

        // Subset bit k is sub-pixel k + 1; the top-left one is always background.
        int r1 = 0, g1 = 0, b1 = 0, tr = 0, tg = 0, tb = 0;
        for (var k = 0; k < n; k++)
        {
            var p = pixels[k];
            int r = (int)((p >> 16) & 0xFF), g = (int)((p >> 8) & 0xFF), b = (int)(p & 0xFF);
            tr += r;
            tg += g;
            tb += b;
            if (k > 0 && ((subset >> (k - 1)) & 1) != 0)
            {
                r1 += r;
                g1 += g;
                b1 += b;
            }
        }

        if (subset != 0)
        {
            var n1 = BitOperations.PopCount((uint)subset);
            var n2 = n - n1;
            var fg = ColorQuantizer.Pack(Round(r1, n1), Round(g1, n1), Round(b1, n1));
            var bg = ColorQuantizer.Pack(Round(tr - r1, n2), Round(tg - g1, n2), Round(tb - b1, n2));
            if (fg != bg)
            {
                return (PackBlock(subset << 1, fg), bg);
            }
        }

        var mean = ColorQuantizer.Pack(Round(tr, n), Round(tg, n), Round(tb, n));
        return (mean, mean);

        static int Round(int sum, int count) => (int)s_subPixelCounts[count].RoundNarrow((uint)sum);
    }

    // Rounded means of 1..6 sub-pixels by a multiply each (a division per channel costs more than the split).
    private static readonly RoundingDivisor[] s_subPixelCounts = [default, new(1), new(2), new(3), new(4), new(5), new(6)];

    // The score's weights by subset (bit k = sub-pixel k + 1): scale / n₁ (0 for the empty subset, whose score is
    // then the uniform cell's) and scale / n₂, for 4 sub-pixels (scale 12) and for 6 (scale 60).
    private static readonly int[] s_quadrantWeights = BuildWeights(4, 12);
    private static readonly int[] s_sextantWeights = BuildWeights(6, 60);

    private static int[] BuildWeights(int n, int scale)
    {
        var subsets = 1 << (n - 1);
        var weights = new int[2 * subsets];
        for (var q = 0; q < subsets; q++)
        {
            var n1 = BitOperations.PopCount((uint)q);
            weights[q] = n1 == 0 ? 0 : scale / n1;
            weights[subsets + q] = scale / (n - n1);
        }

        return weights;
    }

    // The subset of sub-pixels 1 .. n - 1 with the highest score |S₁|²/n₁ + |S₂|²/n₂ (scaled), the lowest such
    // subset on a tie, so 0 (uniform) when no split gains. Scores stay below 2^31: at most 60 · 3 · 1530².
    internal static int BestSubset(ReadOnlySpan<uint> pixels)
    {
        var n = pixels.Length;
        var subsets = 1 << (n - 1);
        var weights = n == 6 ? s_sextantWeights : s_quadrantWeights;
        int tr = 0, tg = 0, tb = 0;
        foreach (var p in pixels)
        {
            tr += (int)((p >> 16) & 0xFF);
            tg += (int)((p >> 8) & 0xFF);
            tb += (int)(p & 0xFF);
        }

        int best = -1, bestSubset = 0;
        for (var q = 0; q < subsets; q++)
        {
            int r1 = 0, g1 = 0, b1 = 0;
            for (var k = 0; k < n - 1; k++)
            {
                if (((q >> k) & 1) != 0)
                {
                    var p = pixels[k + 1];
                    r1 += (int)((p >> 16) & 0xFF);
                    g1 += (int)((p >> 8) & 0xFF);
                    b1 += (int)(p & 0xFF);
                }
            }

            int r2 = tr - r1, g2 = tg - g1, b2 = tb - b1;
            var score = ((((r1 * r1) + (g1 * g1) + (b1 * b1)) * weights[q]) + (((r2 * r2) + (g2 * g2) + (b2 * b2)) * weights[subsets + q]));
            if (score > best)
            {
                best = score;
                bestSubset = q;
            }
        }

        return bestSubset;
    }

    // BestSubset, eight subsets a vector: lane j of group g is subset 8g + j, whose low three bits are lane masks
    // and whose higher bits (sextants only) are the group's.
    internal static int BestSubsetVector(ReadOnlySpan<uint> pixels)
    {
        var n = pixels.Length;
        var subsets = 1 << (n - 1);
        var weights = n == 6 ? s_sextantWeights : s_quadrantWeights;
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var one = Vector256<int>.One;
        Vector256<int> vr = default, vg = default, vb = default;
        int tr = 0, tg = 0, tb = 0;
        for (var k = 0; k < n; k++)
        {
            var p = pixels[k];
            int r = (int)((p >> 16) & 0xFF), g = (int)((p >> 8) & 0xFF), b = (int)(p & 0xFF);
            tr += r;
            tg += g;
            tb += b;
            if (k is >= 1 and <= 3)
            {
                // Lanes whose subset has bit k - 1: a mask of all ones or zero.
                var has = -((lane >>> (k - 1)) & one);
                vr += has & Vector256.Create(r);
                vg += has & Vector256.Create(g);
                vb += has & Vector256.Create(b);
            }
        }

        // Group g adds sub-pixel 4 when bit 0 of g is set and sub-pixel 5 when bit 1 is (sextants only).
        var totalR = Vector256.Create(tr);
        var totalG = Vector256.Create(tg);
        var totalB = Vector256.Create(tb);
        // Unchecked loads: the weights hold 2 · subsets values, w₁ for every subset, then w₂.
        ref var w = ref MemoryMarshal.GetArrayDataReference(weights);
        var s0 = Score(vr, vg, vb, totalR, totalG, totalB, Vector256.LoadUnsafe(ref w, 0), Vector256.LoadUnsafe(ref w, (nuint)subsets));
        if (n == 4)
        {
            return FirstOf(s0, HorizontalMax(s0));
        }

        var p4 = pixels[4];
        var p5 = pixels[5];
        var r4 = Vector256.Create((int)((p4 >> 16) & 0xFF));
        var g4 = Vector256.Create((int)((p4 >> 8) & 0xFF));
        var b4 = Vector256.Create((int)(p4 & 0xFF));
        var r5 = Vector256.Create((int)((p5 >> 16) & 0xFF));
        var g5 = Vector256.Create((int)((p5 >> 8) & 0xFF));
        var b5 = Vector256.Create((int)(p5 & 0xFF));
        var s1 = Score(vr + r4, vg + g4, vb + b4, totalR, totalG, totalB, Vector256.LoadUnsafe(ref w, 8), Vector256.LoadUnsafe(ref w, 40));
        var s2 = Score(vr + r5, vg + g5, vb + b5, totalR, totalG, totalB, Vector256.LoadUnsafe(ref w, 16), Vector256.LoadUnsafe(ref w, 48));
        var s3 = Score(vr + r4 + r5, vg + g4 + g5, vb + b4 + b5, totalR, totalG, totalB, Vector256.LoadUnsafe(ref w, 24), Vector256.LoadUnsafe(ref w, 56));
        var top = HorizontalMax(Vector256.Max(Vector256.Max(s0, s1), Vector256.Max(s2, s3)));
        return FirstOf(s0, top) is var q0 and >= 0 ? q0
            : FirstOf(s1, top) is var q1 and >= 0 ? 8 + q1
            : FirstOf(s2, top) is var q2 and >= 0 ? 16 + q2
            : 24 + FirstOf(s3, top);

        // |S₁|²·w₁ + |T − S₁|²·w₂, lane by lane.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector256<int> Score(
            Vector256<int> r1, Vector256<int> g1, Vector256<int> b1, Vector256<int> tr, Vector256<int> tg, Vector256<int> tb, Vector256<int> w1, Vector256<int> w2)
        {
            var r2 = tr - r1;
            var g2 = tg - g1;
            var b2 = tb - b1;
            return (((r1 * r1) + (g1 * g1) + (b1 * b1)) * w1) + (((r2 * r2) + (g2 * g2) + (b2 * b2)) * w2);
        }

        static int FirstOf(Vector256<int> scores, int top)
        {
            var hits = Vector256.Equals(scores, Vector256.Create(top)).ExtractMostSignificantBits();
            return hits == 0 ? -1 : BitOperations.TrailingZeroCount(hits);
        }

        static int HorizontalMax(Vector256<int> v)
        {
            var m = Vector128.Max(v.GetLower(), v.GetUpper());
            m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
            return Math.Max(m.GetElement(0), m.GetElement(1));
        }
    }
}
