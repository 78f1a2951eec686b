using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MeshConf.Core.Video;

/// <summary>
/// The glyph modes, from a cell's <see cref="MonoGlyphs.SamplesAcross"/> x <see cref="MonoGlyphs.SamplesDown"/>
/// samples (box means of the frame, laid out as a sample grid four times the cell grid each way):
/// <list type="bullet">
///   <item>Mono: the samples' luma is tone-mapped (the contrast stretch on the type) to 0 ..
///     <see cref="ToneCeiling"/>, the coverage the densest glyph shows, and the glyph whose coverage samples are
///     nearest (least squared error, <see cref="MonoGlyphs.Nearest(ReadOnlySpan{int})"/>) is the cell: flat cells get the tone ramp,
///     edges the glyphs of their shape (<c>/ \ | _ - ( ) ' ,</c>).</item>
///   <item>Coloured glyphs: the glyph g and brightness k that draw the samples' luma best as <c>k · g</c>, with k
///     capped by how bright the cell's hue can be drawn, then the foreground colour that gives the cell's mean
///     colour through that glyph's mean coverage.</item>
/// </list>
/// </summary>
internal static partial class FrameConverter
{
    /// <summary>
    /// The tone (coverage, 0..255) the bright end of the mono stretch maps to, as a percentage of the densest
    /// glyph's mean coverage: a little past it, so that bright detail still picks dense glyphs of its shape.
    /// </summary>
    public const int ToneCeilingPercent = 160;

    /// <summary>
    /// The brightest tone: the largest coverage sample of any glyph (a stroke filling its sample). Luma above the
    /// stretch's bright end rises towards it, as no glyph is brighter anywhere.
    /// </summary>
    public static int MaxTone => MonoGlyphs.MaxSample;

    /// <summary>The tone the bright end of the mono stretch maps to (the dark end maps to 0).</summary>
    public static int ToneCeiling { get; } = Math.Min(255, MonoGlyphs.MaxMeanCoverage * ToneCeilingPercent / 100);

    /// <summary>
    /// One frame's contrast window: the luma below which (above which) <see cref="ClipPercent"/> of the samples
    /// lie, widened to <see cref="MinContrastSpan"/> around its centre (kept inside 0..255) when narrower. The
    /// samples are rows of <paramref name="rowLength"/>; every other row is counted (half the work, and as robust).
    /// </summary>
    internal static (int Low, int High) ContrastWindow(ReadOnlySpan<uint> samples, int rowLength)
    {
        // Four partial histograms, summed after: neighbouring samples often share a luma, and one histogram would
        // make each increment wait for the one before.
        Span<int> partial = stackalloc int[4 * 256];
        var counted = 0;
        for (var start = 0; start < samples.Length; start += 2 * rowLength)
        {
            var luma = samples.Slice(start, rowLength);
            var i = 0;
            for (; i <= luma.Length - 4; i += 4)
            {
                partial[(int)luma[i]]++;
                partial[256 + (int)luma[i + 1]]++;
                partial[512 + (int)luma[i + 2]]++;
                partial[768 + (int)luma[i + 3]]++;
            }

            for (; i < luma.Length; i++)
            {
                partial[(int)luma[i]]++;
            }

            counted += rowLength;
        }

        var histogram = partial[..256];
        for (var y = 0; y < 256; y++)
        {
            histogram[y] += partial[256 + y] + partial[512 + y] + partial[768 + y];
        }

        var clipped = counted * ClipPercent / 100;
        var low = Percentile(histogram, clipped, fromTop: false);
        var high = Percentile(histogram, clipped, fromTop: true);
        if (high - low < MinContrastSpan)
        {
            var center = (low + high) / 2;
            low = Math.Clamp(center - (MinContrastSpan / 2), 0, 255 - MinContrastSpan);
            high = low + MinContrastSpan;
        }

        return (low, high);
    }

    // Mono: the luma samples become glyphs, as the type says. The samples are tone-mapped in place.
    private static void MonoCells(Span<uint> samples, CellGrid target, MonoToneTracker? tracker)
    {
        var (low, high) = ContrastWindow(samples, target.Cols * MonoGlyphs.SamplesAcross);
        if (tracker is not null)
        {
            (low, high) = tracker.Update(low, high);
        }

        ToTones(samples, low, high);
        var cols = target.Cols;
        var sampleCols = cols * MonoGlyphs.SamplesAcross;
        var cells = target.ForegroundStorage;
        ref var first = ref MemoryMarshal.GetReference(samples);
        if (Avx2.IsSupported)
        {
            for (var row = 0; row < target.Rows; row++)
            {
                ref var line = ref Unsafe.Add(ref first, row * MonoGlyphs.SamplesDown * sampleCols);
                for (var col = 0; col < cols; col++)
                {
                    // The cell's four rows of four tones (each below 2^15), narrowed to 16 bits: element p of the
                    // pairs is samples 2p and 2p + 1, row-major, as Nearest takes them. Reads stay in the cell.
                    ref var corner = ref Unsafe.Add(ref line, col * MonoGlyphs.SamplesAcross);
                    var top = Vector128.Narrow(Vector128.LoadUnsafe(ref corner), Vector128.LoadUnsafe(ref corner, (nuint)sampleCols));
                    var bottom = Vector128.Narrow(Vector128.LoadUnsafe(ref corner, (nuint)(2 * sampleCols)), Vector128.LoadUnsafe(ref corner, (nuint)(3 * sampleCols)));
                    var pairs = Vector256.Create(top.AsInt32(), bottom.AsInt32());
                    cells[(row * cols) + col] = MonoRamp[MonoGlyphs.Nearest(pairs)];
                }
            }

            return;
        }

        Span<int> scalarPairs = stackalloc int[MonoGlyphs.Pairs];
        for (var row = 0; row < target.Rows; row++)
        {
            for (var col = 0; col < cols; col++)
            {
                var corner = (row * MonoGlyphs.SamplesDown * sampleCols) + (col * MonoGlyphs.SamplesAcross);
                for (var sy = 0; sy < MonoGlyphs.SamplesDown; sy++)
                {
                    var at = corner + (sy * sampleCols);
                    scalarPairs[2 * sy] = (int)(samples[at] | (samples[at + 1] << 16));
                    scalarPairs[(2 * sy) + 1] = (int)(samples[at + 2] | (samples[at + 3] << 16));
                }

                cells[(row * cols) + col] = MonoRamp[MonoGlyphs.Nearest(scalarPairs)];
            }
        }
    }

    // Luma to tone in place: clamp(((Y − low) · M + 2^15) >> 16, 0, MaxTone) with M = round(ceiling · 2^16 / span),
    // so low maps to 0 and high to the ceiling, and what lies above high keeps rising to MaxTone: a glyph's strokes
    // are brighter than its mean, so a bright thin line or a highlight still finds the stroke of its shape.
    // Vectorised where it can be; both ways give the same tones.
    private static void ToTones(Span<uint> samples, int low, int high)
    {
        var ceiling = ToneCeiling;
        var maxTone = MaxTone;
        var span = high - low;
        var multiplier = ((ceiling << 16) + (span / 2)) / span;
        var values = MemoryMarshal.Cast<uint, int>(samples);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vLow = Vector256.Create(low);
            var vMultiplier = Vector256.Create(multiplier);
            var vHalf = Vector256.Create(1 << 15);
            var vCeiling = Vector256.Create(maxTone);
            ref var at = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                var y = Vector256.LoadUnsafe(ref at, (nuint)i);
                var tone = Vector256.ShiftRightArithmetic(((y - vLow) * vMultiplier) + vHalf, 16);
                Vector256.Min(Vector256.Max(tone, Vector256<int>.Zero), vCeiling).StoreUnsafe(ref at, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Math.Clamp((((values[i] - low) * multiplier) + (1 << 15)) >> 16, 0, maxTone);
        }
    }

    // Coloured glyphs: the colour samples become glyph index << 24 | foreground, as the type says.
    private static void GlyphColorCells(ReadOnlySpan<uint> samples, CellGrid target)
    {
        var cols = target.Cols;
        var sampleCols = cols * MonoGlyphs.SamplesAcross;
        var cells = target.ForegroundStorage;
        Span<int> pairs = stackalloc int[MonoGlyphs.Pairs];
        Span<int> luma = stackalloc int[MonoGlyphs.Samples];
        Span<int> dots = stackalloc int[MonoGlyphs.PaddedCount];
        Span<Vector128<uint>> rowLuma = stackalloc Vector128<uint>[MonoGlyphs.SamplesDown];
        ref var first = ref MemoryMarshal.GetReference(samples);
        for (var row = 0; row < target.Rows; row++)
        {
            for (var col = 0; col < cols; col++)
            {
                var corner = (row * MonoGlyphs.SamplesDown * sampleCols) + (col * MonoGlyphs.SamplesAcross);
                int r, g, b, lumaSum, glyph;
                if (Avx2.IsSupported)
                {
                    // Four rows of four colours: channel sums and luma as ToLuma has it, lane by lane.
                    ref var at = ref Unsafe.Add(ref first, corner);
                    var mask = Vector128.Create(0xFFu);
                    Vector128<uint> sumR = default, sumG = default, sumB = default;
                    for (var sy = 0; sy < MonoGlyphs.SamplesDown; sy++)
                    {
                        var colors = Vector128.LoadUnsafe(ref at, (nuint)(sy * sampleCols));
                        var (cr, cg, cb) = ((colors >>> 16) & mask, (colors >>> 8) & mask, colors & mask);
                        sumR += cr;
                        sumG += cg;
                        sumB += cb;
                        rowLuma[sy] = ((cr * 54) + (cg * 183) + (cb * 19) + Vector128.Create(128u)) >>> 8;
                    }

                    (r, g, b) = ((int)Vector128.Sum(sumR), (int)Vector128.Sum(sumG), (int)Vector128.Sum(sumB));
                    lumaSum = (int)Vector128.Sum(rowLuma[0] + rowLuma[1] + rowLuma[2] + rowLuma[3]);
                    var cell = Vector256.Create(
                        Vector128.Narrow(rowLuma[0], rowLuma[1]).AsInt32(),
                        Vector128.Narrow(rowLuma[2], rowLuma[3]).AsInt32());
                    glyph = lumaSum == 0 ? 0 : BrightnessShapeMatch(cell, dots, KMax(lumaSum, Math.Max(r, Math.Max(g, b))));
                }
                else
                {
                    (r, g, b, lumaSum) = (0, 0, 0, 0);
                    for (var sy = 0; sy < MonoGlyphs.SamplesDown; sy++)
                    {
                        var line = samples.Slice(corner + (sy * sampleCols), MonoGlyphs.SamplesAcross);
                        for (var sx = 0; sx < MonoGlyphs.SamplesAcross; sx++)
                        {
                            var rgb = line[sx];
                            var (cr, cg, cb) = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
                            r += (int)cr;
                            g += (int)cg;
                            b += (int)cb;
                            var y = (int)Luma(cr, cg, cb);
                            luma[(sy * MonoGlyphs.SamplesAcross) + sx] = y;
                            lumaSum += y;
                        }
                    }

                    for (var p = 0; p < MonoGlyphs.Pairs; p++)
                    {
                        pairs[p] = luma[2 * p] | (luma[(2 * p) + 1] << 16);
                    }

                    glyph = lumaSum == 0 ? 0 : BrightnessShapeMatch(pairs, dots, KMax(lumaSum, Math.Max(r, Math.Max(g, b))));
                }

                cells[(row * cols) + col] = ((uint)glyph << 24) | GlyphForeground(glyph, samples.Slice(corner), sampleCols);
            }
        }
    }

    // How bright the cell's hue can be drawn, as a share of white's luma: its mean luma over its largest mean channel.
    private static float KMax(int lumaSum, int largestChannelSum) => Math.Min(1f, (float)lumaSum / Math.Max(1, largestChannelSum));

    // The glyph g minimising |Y − k·g|² over k in [0, kMax] (kMax: drawn brighter, the hue's largest channel would
    // pass 255). With k free, the error falls by (Y·g)² / |g|²; capped at kMax, by 2·kMax·(Y·g) − kMax²·|g|². The
    // blank glyph takes nothing off. In float, each product in the same order on both paths, so they agree.
    private static int BrightnessShapeMatch(ReadOnlySpan<int> pairs, Span<int> dots, float kMax)
    {
        MonoGlyphs.Dots(pairs, dots);
        var (twoK, kk) = (2f * kMax, kMax * kMax);
        var best = 0f;
        var bestGlyph = 0;
        for (var glyph = 0; glyph < MonoGlyphs.PaddedCount; glyph++)
        {
            float dot = dots[glyph], norm = MonoGlyphs.NormF(glyph);
            var gain = dot >= kMax * norm ? (twoK * dot) - (kk * norm) : dot * dot * MonoGlyphs.InverseNormF(glyph);
            if (gain > best)
            {
                best = gain;
                bestGlyph = glyph;
            }
        }

        return bestGlyph;
    }

    private static int BrightnessShapeMatch(Vector256<int> pairs, Span<int> dots, float kMax)
    {
        MonoGlyphs.Dots(pairs, dots);
        var (vK, vTwoK, vKk) = (Vector256.Create(kMax), Vector256.Create(2f * kMax), Vector256.Create(kMax * kMax));
        var best = Vector256<float>.Zero;
        var bestIndex = Vector256<int>.Zero;
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (var glyph = 0; glyph < MonoGlyphs.PaddedCount; glyph += 8, index += Vector256.Create(8))
        {
            var dot = Vector256.ConvertToSingle(Vector256.Create((ReadOnlySpan<int>)dots.Slice(glyph, 8)));
            var norm = MonoGlyphs.NormsF(glyph);
            var capped = Vector256.GreaterThanOrEqual(dot, vK * norm);
            var gain = Vector256.ConditionalSelect(capped, (vTwoK * dot) - (vKk * norm), dot * dot * MonoGlyphs.InverseNormsF(glyph));
            var better = Vector256.GreaterThan(gain, best);
            best = Vector256.ConditionalSelect(better, gain, best);
            bestIndex = Vector256.ConditionalSelect(better.AsInt32(), index, bestIndex);
        }

        // The largest gain, the lowest glyph among equal ones (as the scalar loop, which takes only a larger one).
        var bestGain = best.GetElement(0);
        var bestGlyph = bestIndex.GetElement(0);
        for (var lane = 1; lane < 8; lane++)
        {
            var (gain, glyph) = (best.GetElement(lane), bestIndex.GetElement(lane));
            if (gain > bestGain || (gain == bestGain && glyph < bestGlyph))
            {
                (bestGain, bestGlyph) = (gain, glyph);
            }
        }

        return bestGlyph;
    }

    // The colour that draws the cell's samples best through the glyph on black, as the glyph was chosen (least
    // squares, as BrightnessShapeMatch fits luma): per channel F = 255 · Σ cᵢ·Pᵢ / Σ cᵢ², cᵢ the glyph's coverage
    // (0..255) and Pᵢ the sample under it, capped at 255. Ink lands where the picture is, in the colour it has there.
    private static uint GlyphForeground(int glyph, ReadOnlySpan<uint> corner, int sampleCols)
    {
        var pattern = MonoGlyphs.Pattern(glyph);
        long red = 0, green = 0, blue = 0, norm = 0;
        for (var sy = 0; sy < MonoGlyphs.SamplesDown; sy++)
        {
            for (var sx = 0; sx < MonoGlyphs.SamplesAcross; sx++)
            {
                long c = pattern[(sy * MonoGlyphs.SamplesAcross) + sx];
                var rgb = corner[(sy * sampleCols) + sx];
                red += c * ((rgb >> 16) & 0xFF);
                green += c * ((rgb >> 8) & 0xFF);
                blue += c * (rgb & 0xFF);
                norm += c * c;
            }
        }

        if (norm == 0)
        {
            return 0;
        }

        uint Channel(long sum) => (uint)Math.Min(255, ((sum * 255) + (norm / 2)) / norm);
        return (Channel(red) << 16) | (Channel(green) << 8) | Channel(blue);
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
