using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshConf.Core.Video;

/// <summary>
/// The box filter's kernels, one sample row at a time: first the frame rows of the row's boxes are summed column
/// by column, then each box adds up its columns and rounds. Three ways, picked per sample row by ConvertRows:
/// <list type="bullet">
///   <item>Even boxes (the width divides evenly, at most <see cref="MaxSummedAcross"/> pixels wide and 256 in all,
///     as 320 x 240 into 160 x 60 or 80 x 40): 16-bit sums, the sums across columns and the rounding vectorised
///     at every byte of the row, then one 4-byte read per box.</item>
///   <item>Narrow boxes of two widths: 32-bit column sums, the sum across <c>narrow</c> columns vectorised at
///     every byte, a wide box adding its last column, rounded one by one.</item>
///   <item>Wider boxes (a tiny grid): each box adds up its own columns.</item>
/// </list>
/// All three give exactly <c>(sum + n / 2) / n</c> per channel: the choice changes speed, never a cell.
/// </summary>
internal static partial class FrameConverter
{
    /// <summary>The widest box whose column sums are summed across at every byte rather than per box.</summary>
    private const int MaxSummedAcross = 4;

    // Scratch: 32-bit column sums in uints [0, stride), sums across in [stride, 2 * stride). The even path
    // reuses the first region as 16-bit sums and the second as bytes of means (stride + 1 of them, see EvenMeans).
    private static int ScratchLength(int stride) => 2 * stride;

    // The rounded means of the boxes `boxWidth` pixels wide starting at every byte of the row: means[i] for
    // i < stride - 3 * (boxWidth - 1); the byte after those is scratch (read, never used, by GatherColors).
    private static ReadOnlySpan<byte> EvenMeans(in RgbFrame frame, int y0, int rows, int boxWidth, RoundingDivisor pixelsInBox, uint[] scratch)
    {
        var stride = frame.Width * RgbFrame.BytesPerPixel;
        var columnSums = MemoryMarshal.Cast<uint, ushort>(scratch.AsSpan(0, stride))[..stride];
        var means = MemoryMarshal.AsBytes(scratch.AsSpan(stride, stride))[..(stride + 1)];
        SumRows16(frame, y0, rows, columnSums);
        MeanAcross(columnSums, boxWidth, pixelsInBox, means[..(stride - (RgbFrame.BytesPerPixel * (boxWidth - 1)))]);
        return means;
    }

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

    // Box sx of the even boxes is the colour at byte 3 * boxWidth * sx of the means.
    private static void GatherColors(ReadOnlySpan<byte> means, int boxWidth, Span<uint> destination, bool mirror)
    {
        // Unchecked writes: `at` walks 0 .. cols - 1 (or back, mirrored), once each.
        ref var cell = ref MemoryMarshal.GetReference(destination);
        var (at, direction) = mirror ? (destination.Length - 1, -1) : (0, 1);
        var advance = RgbFrame.BytesPerPixel * boxWidth;
        for (var offset = 0; offset < destination.Length * advance; offset += advance, at += direction)
        {
            var rgbx = ReadMean(means, offset);
            Unsafe.Add(ref cell, at) = ((rgbx & 0xFF) << 16) | (rgbx & 0xFF00) | ((rgbx >> 16) & 0xFF);
        }
    }

    // As GatherColors, each colour turned into its luma as ToLuma does.
    private static void GatherLuma(ReadOnlySpan<byte> means, int boxWidth, Span<uint> destination, bool mirror)
    {
        ref var cell = ref MemoryMarshal.GetReference(destination);
        var (at, direction) = mirror ? (destination.Length - 1, -1) : (0, 1);
        var advance = RgbFrame.BytesPerPixel * boxWidth;
        for (var offset = 0; offset < destination.Length * advance; offset += advance, at += direction)
        {
            var rgbx = ReadMean(means, offset);
            Unsafe.Add(ref cell, at) = Luma(rgbx & 0xFF, (rgbx >> 8) & 0xFF, (rgbx >> 16) & 0xFF);
        }
    }

    // Red, green and blue at `offset` as the low three bytes (red lowest), and one byte of whatever follows.
    // Unchecked: the last box's read ends at 3 * boxWidth * (cols - 1) + 4 <= stride + 1 = means.Length.
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

    // sums[i] = columnSums[i] + columnSums[i + 3] + ... (boxWidth terms): the sum of a box `boxWidth` pixels wide
    // whose left edge is at byte i, for every i < sums.Length = columnSums.Length - 3 * (boxWidth - 1).
    private static void SumAcross(ReadOnlySpan<uint> columnSums, int boxWidth, Span<uint> sums)
    {
        ref var source = ref MemoryMarshal.GetReference(columnSums);
        ref var target = ref MemoryMarshal.GetReference(sums);
        var count = sums.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Reads stay inside columnSums: the last lane of the last term is i + Count - 1 + 3 * (boxWidth - 1)
            // < count + 3 * (boxWidth - 1) = columnSums.Length.
            for (; i <= count - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                var sum = Vector.LoadUnsafe(ref source, (nuint)i);
                for (var j = 1; j < boxWidth; j++)
                {
                    sum += Vector.LoadUnsafe(ref source, (nuint)(i + (RgbFrame.BytesPerPixel * j)));
                }

                sum.StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            var sum = columnSums[i];
            for (var j = 1; j < boxWidth; j++)
            {
                sum += columnSums[i + (RgbFrame.BytesPerPixel * j)];
            }

            sums[i] = sum;
        }
    }

    // Boxes of `narrow` or `narrow + 1` pixels, edges stepped as ConvertRows describes: a box reads its narrow
    // sum at its left edge, and a wide box adds the column just past it.
    private static void MeanBoxes(
        ReadOnlySpan<uint> columnSums, ReadOnlySpan<uint> narrowSums, int narrow, int step, int remainder,
        RoundingDivisor narrowBox, RoundingDivisor wideBox, Span<uint> destination, bool mirror)
    {
        // Unchecked reads: every box lies inside the frame (x0 + boxWidth <= Width), so its narrow sum starts at
        // byte 3 * x0 + 2 < narrowSums.Length, and a wide box's extra column ends at 3 * (x0 + narrow) + 2 < stride.
        ref var single = ref MemoryMarshal.GetReference(columnSums);
        ref var sums = ref MemoryMarshal.GetReference(narrowSums);
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

            ref var box = ref Unsafe.Add(ref sums, x0 * RgbFrame.BytesPerPixel);
            long r = box, g = Unsafe.Add(ref box, 1), b = Unsafe.Add(ref box, 2);
            var divisor = narrowBox;
            if (next - x0 > narrow)
            {
                ref var extra = ref Unsafe.Add(ref single, (x0 + narrow) * RgbFrame.BytesPerPixel);
                r += extra;
                g += Unsafe.Add(ref extra, 1);
                b += Unsafe.Add(ref extra, 2);
                divisor = wideBox;
            }

            destination[mirror ? cols - 1 - sx : sx] = ColorQuantizer.Pack(divisor.Round(r), divisor.Round(g), divisor.Round(b));
            x0 = next;
        }
    }

    // Boxes wider than MaxSummedAcross: each adds up its own columns.
    private static void MeanWideBoxes(
        ReadOnlySpan<uint> columnSums, int step, int remainder, RoundingDivisor narrowBox, RoundingDivisor wideBox,
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

            // Boxes here are at least MaxSummedAcross + 1 pixels wide, and inside the frame.
            long r = 0, g = 0, b = 0;
            var box = columnSums.Slice(x0 * RgbFrame.BytesPerPixel, (next - x0) * RgbFrame.BytesPerPixel);
            for (var i = 0; i < box.Length; i += RgbFrame.BytesPerPixel)
            {
                r += box[i];
                g += box[i + 1];
                b += box[i + 2];
            }

            var divisor = next - x0 > step ? wideBox : narrowBox;
            destination[mirror ? cols - 1 - sx : sx] = ColorQuantizer.Pack(divisor.Round(r), divisor.Round(g), divisor.Round(b));
            x0 = next;
        }
    }
}
