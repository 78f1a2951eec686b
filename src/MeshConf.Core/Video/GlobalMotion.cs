namespace MeshConf.Core.Video;

/// <summary>
/// The whole picture's motion between two half-block pictures, in eighths of a pixel of the picture (a cell is one pixel
/// wide and two high): a hand-held camera's shake, a pan. <see cref="Estimate"/> finds the shift of the base picture
/// that best matches the new one; <see cref="Warp"/> moves a picture by it, the same way at both ends, so a sender
/// sends only what the move does not explain. Integer arithmetic throughout: the sender's and receiver's pictures
/// are bit-identical on every machine. Allocates nothing after construction; not thread-safe.
/// </summary>
/// <remarks>
/// A motion (dx, dy) means the new picture's pixel (x, y) is the base picture's at (x + dx/8, y + dy/8), bilinear
/// between the four pixels around it, the picture's edge repeated past it, each channel rounded to the levels
/// truecolor travels in (<see cref="VideoFrameCodec.Quantize"/>).
/// </remarks>
internal sealed class GlobalMotion
{
    /// <summary>The largest shift searched, in eighths of a pixel each way (3 pixels: a fast pan at 15 fps).</summary>
    public const int MaxShift = 24;

    // Pixels this far from the edge are left out of the match: a shift brings the repeated edge in there.
    private const int Margin = 4;

    // Every second pixel of every second row is matched: a quarter of the work, the same answer on photographs.
    private const int Stride = 2;

    private readonly int _width;
    private readonly int _height;
    private readonly int[] _baseLuma;
    private readonly int[] _newLuma;

    public GlobalMotion(int cols, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        _width = cols;
        _height = 2 * rows;
        _baseLuma = new int[_width * _height];
        _newLuma = new int[_width * _height];
    }

    /// <summary>
    /// The shift (eighths of a pixel, each within ±<see cref="MaxShift"/>) of <paramref name="basePicture"/> that best
    /// matches <paramref name="source"/> (both truecolor, this size), by the sum of luma differences; (0, 0) unless a
    /// shift matches clearly better, so a still camera never warps.
    /// </summary>
    public (int Dx, int Dy) Estimate(CellGrid basePicture, CellGrid source)
    {
        ArgumentNullException.ThrowIfNull(basePicture);
        ArgumentNullException.ThrowIfNull(source);
        if (_width <= 2 * Margin + Stride || _height <= 2 * Margin + Stride)
        {
            return (0, 0);
        }

        FillLuma(basePicture, _baseLuma);
        FillLuma(source, _newLuma);
        var still = Cost(0, 0, long.MaxValue);

        // Whole pixels first, then halves, quarters and eighths around the best.
        int bestX = 0, bestY = 0;
        var best = still;
        for (var dy = -MaxShift; dy <= MaxShift; dy += 8)
        {
            for (var dx = -MaxShift; dx <= MaxShift; dx += 8)
            {
                if ((dx | dy) != 0)
                {
                    Try(dx, dy, ref best, ref bestX, ref bestY);
                }
            }
        }

        for (var step = 4; step >= 1; step /= 2)
        {
            int centreX = bestX, centreY = bestY;
            for (var dy = -step; dy <= step; dy += step)
            {
                for (var dx = -step; dx <= step; dx += step)
                {
                    var x = centreX + dx;
                    var y = centreY + dy;
                    if ((dx | dy) != 0 && Math.Abs(x) <= MaxShift && Math.Abs(y) <= MaxShift)
                    {
                        Try(x, y, ref best, ref bestX, ref bestY);
                    }
                }
            }
        }

        // A move must explain a clear part of the difference: noise alone never picks one.
        return best * 16 < still * 15 ? (bestX, bestY) : (0, 0);
    }

    /// <summary>Writes <paramref name="from"/> moved by (dx, dy) eighths of a pixel into <paramref name="to"/> (both truecolor, one size).</summary>
    public static void Warp(CellGrid from, CellGrid to, int dx, int dy)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var cols = from.Cols;
        var height = 2 * from.Rows;
        var top = from.Foreground;
        var bottom = from.Background;
        var toTop = to.ForegroundStorage;
        var toBottom = to.BackgroundStorage;
        var (w00, w10, w01, w11) = Weights(dx, dy);
        for (var y = 0; y < height; y++)
        {
            var sy = ((8 * y) + dy) >> 3;
            var y0 = Math.Clamp(sy, 0, height - 1);
            var y1 = Math.Clamp(sy + 1, 0, height - 1);
            var row0 = (y0 >> 1) * cols;
            var row1 = (y1 >> 1) * cols;
            var plane0 = (y0 & 1) == 0 ? top : bottom;
            var plane1 = (y1 & 1) == 0 ? top : bottom;
            var destination = (y & 1) == 0 ? toTop : toBottom;
            var destinationRow = (y >> 1) * cols;
            for (var x = 0; x < cols; x++)
            {
                var sx = ((8 * x) + dx) >> 3;
                var x0 = Math.Clamp(sx, 0, cols - 1);
                var x1 = Math.Clamp(sx + 1, 0, cols - 1);
                var a = plane0[row0 + x0];
                var b = plane0[row0 + x1];
                var c = plane1[row1 + x0];
                var d = plane1[row1 + x1];
                destination[destinationRow + x] = VideoFrameCodec.Quantize(
                    (Mix(a, b, c, d, 16, w00, w10, w01, w11) << 16) | (Mix(a, b, c, d, 8, w00, w10, w01, w11) << 8) | Mix(a, b, c, d, 0, w00, w10, w01, w11));
            }
        }
    }

    // The bilinear weights (summing to 64) of the four pixels around a point (dx, dy) eighths past a pixel.
    private static (int W00, int W10, int W01, int W11) Weights(int dx, int dy)
    {
        var fx = dx & 7;
        var fy = dy & 7;
        return ((8 - fx) * (8 - fy), fx * (8 - fy), (8 - fx) * fy, fx * fy);
    }

    private static uint Mix(uint a, uint b, uint c, uint d, int shift, int w00, int w10, int w01, int w11) =>
        (uint)(((int)((a >> shift) & 0xFF) * w00) + ((int)((b >> shift) & 0xFF) * w10) + ((int)((c >> shift) & 0xFF) * w01) + ((int)((d >> shift) & 0xFF) * w11) + 32) >> 6;

    private void Try(int dx, int dy, ref long best, ref int bestX, ref int bestY)
    {
        var cost = Cost(dx, dy, best);
        if (cost < best)
        {
            best = cost;
            bestX = dx;
            bestY = dy;
        }
    }

    // The sum of |new luma - base luma moved by (dx, dy)| over the matched pixels, in 64ths; stops once past `bound`.
    private long Cost(int dx, int dy, long bound)
    {
        var width = _width;
        var baseLuma = _baseLuma;
        var newLuma = _newLuma;
        var (w00, w10, w01, w11) = Weights(dx, dy);
        long sum = 0;
        for (var y = Margin; y < _height - Margin; y += Stride)
        {
            var row0 = (((8 * y) + dy) >> 3) * width;
            var row1 = row0 + width;
            for (var x = Margin; x < width - Margin; x += Stride)
            {
                var x0 = ((8 * x) + dx) >> 3;
                var moved = (baseLuma[row0 + x0] * w00) + (baseLuma[row0 + x0 + 1] * w10) + (baseLuma[row1 + x0] * w01) + (baseLuma[row1 + x0 + 1] * w11);
                sum += Math.Abs((newLuma[(y * width) + x] * 64) - moved);
            }

            if (sum >= bound)
            {
                return sum;
            }
        }

        return sum;
    }

    // Luma (2 R + 5 G + B) of every pixel, row by row of pixels.
    private void FillLuma(CellGrid picture, int[] luma)
    {
        var top = picture.Foreground;
        var bottom = picture.Background;
        for (var y = 0; y < _height; y++)
        {
            var plane = (y & 1) == 0 ? top : bottom;
            var row = (y >> 1) * _width;
            for (var x = 0; x < _width; x++)
            {
                var c = plane[row + x];
                luma[(y * _width) + x] = (int)((2 * ((c >> 16) & 0xFF)) + (5 * ((c >> 8) & 0xFF)) + (c & 0xFF));
            }
        }
    }
}
