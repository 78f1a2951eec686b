using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshConf.Core.Video;

/// <summary>
/// The box filter's kernels, one sample row at a time: first the frame rows of the row's boxes are summed column
/// by column, then each box adds up its columns and rounds. Two ways, picked per sample row by SampleRows:
/// <list type="bullet">
///   <item>Boxes at most <see cref="MaxSummedAcross"/> pixels wide and 256 pixels in all (320 x 240 into a tile
///     of 40 columns or more, 640 x 480 into 80 or more): 16-bit sums, then the sums across `narrow` (and
///     `narrow + 1`) columns and their rounding vectorised at every byte of the row, then one 4-byte read per
///     box.</item>
///   <item>Larger boxes (a tiny grid): 32-bit sums, each box adding up its own columns.</item>
/// </list>
/// Both give exactly <c>(sum + n / 2) / n</c> per channel: the choice changes speed, never a cell.
/// </summary>
internal static partial class FrameConverter
{
    /// <summary>The widest box whose means are formed at every byte of the row rather than box by box.</summary>
    private const int MaxSummedAcross = 8;

    // Scratch, in uints: [0, stride) the column sums (32-bit, or 16-bit in its first half); [stride, 2 * stride)
    // as bytes: the narrow boxes' means (stride + 1 bytes), then the wide boxes' (stride + 1 more).
    private static int ScratchLength(int stride) => 2 * stride;

    // Into NarrowMeans (and, given a wide divisor, WideMeans): the rounded mean of the box `narrow` (`narrow + 1`)
    // pixels wide whose left edge is byte i of the row, for every i < stride - 3 * (box width - 1). The bytes
    // after those hold whatever the last row left there; ReadMean reads one of them past a box's last mean and
    // drops it.
    private static void Means(in RgbFrame frame, int y0, int rows, int narrow, RoundingDivisor narrowBox, RoundingDivisor? wideBox, uint[] scratch)
    {
        var stride = frame.Width * RgbFrame.BytesPerPixel;
        var columnSums = MemoryMarshal.Cast<uint, ushort>(scratch.AsSpan(0, stride))[..stride];
        SumRows16(frame, y0, rows, columnSums);
        MeanAcross(columnSums, narrow, narrowBox, NarrowMeans(scratch, stride)[..(stride - (RgbFrame.BytesPerPixel * (narrow - 1)))]);
        if (wideBox is { } wide)
        {
            MeanAcross(columnSums, narrow + 1, wide, WideMeans(scratch, stride)[..(stride - (RgbFrame.BytesPerPixel * narrow))]);
        }
    }

    private static Span<byte> NarrowMeans(uint[] scratch, int stride) => MemoryMarshal.AsBytes(scratch.AsSpan(stride, stride))[..(stride + 1)];

    private static Span<byte> WideMeans(uint[] scratch, int stride) => MemoryMarshal.AsBytes(scratch.AsSpan(stride, stride)).Slice(stride + 1, stride + 1);

    // columnSums[i] = the sum of byte i of the row over frame rows y0 .. y0 + rows - 1, at most 255 * 256 here.
    private static void SumRows16(in RgbFrame frame, int y0, int rows, Span<ushort> columnSums)
    {
        var stride = columnSums.Length;
        ref var sums = ref MemoryMarshal.GetReference(columnSums);
        ref var top = ref Unsafe.Add(ref MemoryMarshal.GetReference(frame.Pixels), y0 * stride);
        var strip = Vector<byte>.Count;
        if (!Vector.IsHardwareAccelerated || stride < strip)
        {
            for (var i = 0; i < stride; i++)
            {
                var sum = 0;
                for (var y = 0; y < rows; y++)
                {
                    sum += Unsafe.Add(ref top, (y * stride) + i);
                }

                columnSums[i] = (ushort)sum;
            }

            return;
        }

        // A strip of bytes down all rows in registers, each widened to two Vector<ushort> in element order. The
        // last strip ends at the row's end and may overlap the one before: the same sums are written twice.
        for (var i = 0; ; i = Math.Min(i + strip, stride - strip))
        {
            Vector<ushort> low = default, high = default;
            ref var bytes = ref Unsafe.Add(ref top, i);
            for (var y = 0; y < rows; y++)
            {
                Vector.Widen(Vector.LoadUnsafe(ref bytes), out var l, out var h);
                low += l;
                high += h;
                bytes = ref Unsafe.Add(ref bytes, stride);
            }

            low.StoreUnsafe(ref sums, (nuint)i);
            high.StoreUnsafe(ref sums, (nuint)(i + Vector<ushort>.Count));
            if (i == stride - strip)
            {
                break;
            }
        }
    }

    // means[i] = the rounded mean of columnSums[i] + columnSums[i + 3] + ... (boxWidth terms), for every
    // i < means.Length = columnSums.Length - 3 * (boxWidth - 1). The sums stay below 2^16 (at most 255 * 256).
    private static void MeanAcross(ReadOnlySpan<ushort> columnSums, int boxWidth, RoundingDivisor pixelsInBox, Span<byte> means)
    {
        ref var source = ref MemoryMarshal.GetReference(columnSums);
        var count = means.Length;
        var strip = Vector<byte>.Count;
        var lanes = Vector<ushort>.Count;
        if (!Vector.IsHardwareAccelerated || count < strip)
        {
            for (var i = 0; i < count; i++)
            {
                uint sum = 0;
                for (var j = 0; j < boxWidth; j++)
                {
                    sum += columnSums[i + (RgbFrame.BytesPerPixel * j)];
                }

                means[i] = (byte)pixelsInBox.RoundNarrow(sum);
            }

            return;
        }

        // Reads stay inside columnSums: the last lane of the last term is at most count - 1 + 3 * (boxWidth - 1).
        // The last strip may overlap the one before, as in SumRows16.
        ref var target = ref MemoryMarshal.GetReference(means);
        for (var i = 0; ; i = Math.Min(i + strip, count - strip))
        {
            var low = Vector.LoadUnsafe(ref source, (nuint)i);
            var high = Vector.LoadUnsafe(ref source, (nuint)(i + lanes));
            for (var j = 1; j < boxWidth; j++)
            {
                low += Vector.LoadUnsafe(ref source, (nuint)(i + (RgbFrame.BytesPerPixel * j)));
                high += Vector.LoadUnsafe(ref source, (nuint)(i + (RgbFrame.BytesPerPixel * j) + lanes));
            }

            Vector.Narrow(pixelsInBox.RoundNarrow(low), pixelsInBox.RoundNarrow(high)).StoreUnsafe(ref target, (nuint)i);
            if (i == count - strip)
            {
                break;
            }
        }
    }

    // Equal boxes: box sx is the mean at byte 3 * boxWidth * sx, as a colour or as its luma.
    private static void GatherEven(ReadOnlySpan<byte> means, int boxWidth, Span<uint> destination, bool mirror, bool luma)
    {
        var first = boxWidth == 2 ? GatherPairs(means, destination, mirror, luma) : 0;

        // Unchecked writes: `at` walks first .. cols - 1 (or back from cols - 1 - first, mirrored), once each.
        ref var cell = ref MemoryMarshal.GetReference(destination);
        var (at, direction) = mirror ? (destination.Length - 1 - first, -1) : (first, 1);
        var advance = RgbFrame.BytesPerPixel * boxWidth;
        var end = destination.Length * advance;
        if (luma)
        {
            for (var offset = first * advance; offset < end; offset += advance, at += direction)
            {
                Unsafe.Add(ref cell, at) = LumaOf(ReadMean(means, offset));
            }

            return;
        }

        for (var offset = first * advance; offset < end; offset += advance, at += direction)
        {
            Unsafe.Add(ref cell, at) = ColorOf(ReadMean(means, offset));
        }
    }

    // Boxes two pixels wide (320 into 160 columns), four at a time: two 16-byte loads 12 bytes apart hold the
    // means of two boxes each, at bytes 0 and 6, and one byte shuffle each turns them into 0x00RRGGBB lanes.
    // Returns how many boxes it did (the first ones); the caller does the rest.
    private static int GatherPairs(ReadOnlySpan<byte> means, Span<uint> destination, bool mirror, bool luma)
    {
        if (!Vector128.IsHardwareAccelerated || !BitConverter.IsLittleEndian)
        {
            return 0;
        }

        // A shuffle index of 0xFF gives a zero byte. Each lane is B, G, R, 0 in memory order.
        const byte Zero = 0xFF;
        var low = Vector128.Create(2, 1, 0, Zero, 8, 7, 6, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero);
        var high = Vector128.Create(Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, 2, 1, 0, Zero, 8, 7, 6, Zero);
        ref var source = ref MemoryMarshal.GetReference(means);
        ref var cell = ref MemoryMarshal.GetReference(destination);
        var cols = destination.Length;
        var box = 0;

        // The second load of boxes box .. box + 3 ends at byte 6 * box + 28, inside the means.
        for (; box + 4 <= cols && (6 * box) + 28 <= means.Length; box += 4)
        {
            ref var pair = ref Unsafe.Add(ref source, 6 * box);
            var colors = (Vector128.Shuffle(Vector128.LoadUnsafe(ref pair), low) | Vector128.Shuffle(Vector128.LoadUnsafe(ref pair, 12), high)).AsUInt32();
            if (luma)
            {
                // ToLuma's formula, lane by lane.
                var red = (colors >>> 16) & Vector128.Create(0xFFu);
                var green = (colors >>> 8) & Vector128.Create(0xFFu);
                var blue = colors & Vector128.Create(0xFFu);
                colors = ((red * 54) + (green * 183) + (blue * 19) + Vector128.Create(128u)) >>> 8;
            }

            if (mirror)
            {
                Vector128.Shuffle(colors, Vector128.Create(3u, 2, 1, 0)).StoreUnsafe(ref cell, (nuint)(cols - 4 - box));
            }
            else
            {
                colors.StoreUnsafe(ref cell, (nuint)box);
            }
        }

        return box;
    }

    // Boxes of two widths (or of one pixel, repeated, when the frame is narrower than the grid), edges stepped as
    // SampleRows describes: each box reads the narrow or the wide mean at its left edge.
    private static void GatherBoxes(
        ReadOnlySpan<byte> narrowMeans, ReadOnlySpan<byte> wideMeans, int narrow, int step, int remainder, Span<uint> destination, bool mirror, bool luma)
    {
        ref var cell = ref MemoryMarshal.GetReference(destination);
        var (at, direction) = mirror ? (destination.Length - 1, -1) : (0, 1);
        var cols = destination.Length;
        int x0 = 0, next = 0, carry = 0;
        for (var sx = 0; sx < cols; sx++, at += direction)
        {
            next += step;
            carry += remainder;
            if (carry >= cols)
            {
                carry -= cols;
                next++;
            }

            // Every box lies inside the frame, so its means start below the filled length of its row of means.
            var rgbx = ReadMean(next - x0 > narrow ? wideMeans : narrowMeans, x0 * RgbFrame.BytesPerPixel);
            Unsafe.Add(ref cell, at) = luma ? LumaOf(rgbx) : ColorOf(rgbx);
            x0 = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ColorOf(uint rgbx) => ((rgbx & 0xFF) << 16) | (rgbx & 0xFF00) | ((rgbx >> 16) & 0xFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LumaOf(uint rgbx) => Luma(rgbx & 0xFF, (rgbx >> 8) & 0xFF, (rgbx >> 16) & 0xFF);

    // Red, green and blue at `offset` as the low three bytes (red lowest), and one byte of whatever follows.
    // Unchecked: a box's means start at byte 3 * x0 <= stride - 3, so the read ends by stride + 1 = means.Length.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadMean(ReadOnlySpan<byte> means, int offset)
    {
        var word = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref MemoryMarshal.GetReference(means), offset));
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    // columnSums[i] = the sum of byte i of the row (of Width * 3) over frame rows y0 .. y0 + rows - 1.
    private static void SumRows(in RgbFrame frame, int y0, int rows, Span<uint> columnSums)
    {
        var stride = columnSums.Length;
        ref var sums = ref MemoryMarshal.GetReference(columnSums);
        ref var top = ref Unsafe.Add(ref MemoryMarshal.GetReference(frame.Pixels), y0 * stride);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // A column strip at a time, down all rows, in registers: each Vector<byte> widens to four Vector<uint>
            // in element order. Reads stay inside the frame: y0 + rows <= Height and i + Count <= stride.
            var lanes = Vector<uint>.Count;
            for (; i <= stride - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector<uint> a = default, b = default, c = default, d = default;
                ref var bytes = ref Unsafe.Add(ref top, i);
                for (var y = 0; y < rows; y++)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref bytes), out var low, out var high);
                    Vector.Widen(low, out var la, out var lb);
                    Vector.Widen(high, out var lc, out var ld);
                    a += la;
                    b += lb;
                    c += lc;
                    d += ld;
                    bytes = ref Unsafe.Add(ref bytes, stride);
                }

                a.StoreUnsafe(ref sums, (nuint)i);
                b.StoreUnsafe(ref sums, (nuint)(i + lanes));
                c.StoreUnsafe(ref sums, (nuint)(i + (2 * lanes)));
                d.StoreUnsafe(ref sums, (nuint)(i + (3 * lanes)));
            }
        }

        for (; i < stride; i++)
        {
            uint sum = 0;
            for (var y = 0; y < rows; y++)
            {
                sum += Unsafe.Add(ref top, (y * stride) + i);
            }

            columnSums[i] = sum;
        }
    }

    // Boxes too large for the 16-bit path: each adds up its own columns.
    private static void MeanLargeBoxes(
        ReadOnlySpan<uint> columnSums, int narrow, int step, int remainder, RoundingDivisor narrowBox, RoundingDivisor wideBox,
        Span<uint> destination, bool mirror)
    {
        var cols = destination.Length;
        int x0 = 0, next = 0, carry = 0;
        for (var sx = 0; sx < cols; sx++)
        {
            next += step;
            carry += remainder;
            if (carry >= cols)
            {
                carry -= cols;
                next++;
            }

            // Inside the frame; one pixel wide (repeated) when the frame is narrower than the grid.
            var boxWidth = Math.Max(1, next - x0);
            long r = 0, g = 0, b = 0;
            var box = columnSums.Slice(x0 * RgbFrame.BytesPerPixel, boxWidth * RgbFrame.BytesPerPixel);
            for (var i = 0; i < box.Length; i += RgbFrame.BytesPerPixel)
            {
                r += box[i];
                g += box[i + 1];
                b += box[i + 2];
            }

            var divisor = boxWidth > narrow ? wideBox : narrowBox;
            destination[mirror ? cols - 1 - sx : sx] = ColorQuantizer.Pack(divisor.Round(r), divisor.Round(g), divisor.Round(b));
            x0 = next;
        }
    }
}
