namespace MeshConf.Core.Video.Quality;

/// <summary>
/// Mean structural similarity of two greyscale pictures of one size: Z. Wang, A. C. Bovik, H. R. Sheikh,
/// E. P. Simoncelli, "Image quality assessment: from error visibility to structural similarity", IEEE Trans. Image
/// Processing 13(4), 2004, eq. (13) and (17).
/// </summary>
/// <remarks>
/// <para>
/// Per window position, with window weights w (summing to 1): μx = Σ w·x, σx² = Σ w·x² − μx², σxy = Σ w·x·y − μx·μy,
/// and <c>SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))</c> with C1 = (0.01·255)², C2 =
/// (0.03·255)². The mean is over every position where the window lies wholly inside the picture (the reference
/// implementation's <c>filter2(..., 'valid')</c>), with no downsampling first.
/// </para>
/// <para>
/// The window is separable, so sums are formed across each row, then down the columns. An instance owns its
/// scratch for one picture size and allocates nothing per measurement; not thread-safe.
/// </para>
/// </remarks>
internal sealed class Ssim
{
    /// <summary>(K1·L)² with K1 = 0.01 and L = 255.</summary>
    public const double C1 = 0.01 * 255 * (0.01 * 255);

    /// <summary>(K2·L)² with K2 = 0.03 and L = 255.</summary>
    public const double C2 = 0.03 * 255 * (0.03 * 255);

    private const int Statistics = 5;

    private readonly double[] _weights;

    // Per statistic (x, y, x², y², xy), the weighted sums across the window at each (row, valid column):
    // Statistics blocks of Height x ValidColumns.
    private readonly double[] _across;

    /// <param name="width">Pixels across both pictures, at least the window's size.</param>
    /// <param name="height">Rows of both pictures, at least the window's size.</param>
    /// <param name="window">Where local statistics are measured.</param>
    public Ssim(int width, int height, SsimWindow window = SsimWindow.Gaussian11)
    {
        _weights = Weights(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, _weights.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, _weights.Length);
        Width = width;
        Height = height;
        Window = window;
        _across = new double[Statistics * height * ValidColumns];
    }

    public int Width { get; }

    public int Height { get; }

    public SsimWindow Window { get; }

    private int ValidColumns => Width - _weights.Length + 1;

    /// <summary>The mean SSIM of two pictures (greyscale, one byte per pixel, row-major): 1 when equal.</summary>
    public static double Compute(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, int width, int height, SsimWindow window = SsimWindow.Gaussian11) =>
        new Ssim(width, height, window).Measure(x, y);

    /// <summary>The window's one-dimensional weights, summing to 1; the 2-D window is their outer product.</summary>
    public static double[] Weights(SsimWindow window)
    {
        switch (window)
        {
            case SsimWindow.Gaussian11:
                // MATLAB's fspecial('gaussian', 11, 1.5): exp(-d²/2σ²), normalised. Separable, so normalising each
                // factor normalises the product.
                var weights = new double[11];
                for (var i = 0; i < weights.Length; i++)
                {
                    weights[i] = Math.Exp(-((i - 5) * (i - 5)) / (2 * 1.5 * 1.5));
                }

                var sum = weights.Sum();
                for (var i = 0; i < weights.Length; i++)
                {
                    weights[i] /= sum;
                }

                return weights;
            case SsimWindow.Box8:
                return [.. Enumerable.Repeat(1.0 / 8, 8)];
            default:
                throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown SSIM window.");
        }
    }

    /// <summary>The mean SSIM of <paramref name="x"/> and <paramref name="y"/>, each <c>Width * Height</c> bytes.</summary>
    public double Measure(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var pixels = Width * Height;
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, pixels, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(y.Length, pixels, nameof(y));
        var k = _weights.Length;
        var valid = ValidColumns;
        var block = Height * valid;
        var w = _weights.AsSpan();
        var across = _across.AsSpan();

        for (var row = 0; row < Height; row++)
        {
            var xr = x.Slice(row * Width, Width);
            var yr = y.Slice(row * Width, Width);
            var at = row * valid;
            for (var c = 0; c < valid; c++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (var i = 0; i < k; i++)
                {
                    double a = xr[c + i], b = yr[c + i], wi = w[i];
                    sx += wi * a;
                    sy += wi * b;
                    sxx += wi * a * a;
                    syy += wi * b * b;
                    sxy += wi * a * b;
                }

                across[at + c] = sx;
                across[block + at + c] = sy;
                across[(2 * block) + at + c] = sxx;
                across[(3 * block) + at + c] = syy;
                across[(4 * block) + at + c] = sxy;
            }
        }

        double total = 0;
        var validRows = Height - k + 1;
        for (var row = 0; row < validRows; row++)
        {
            for (var c = 0; c < valid; c++)
            {
                double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
                for (var j = 0; j < k; j++)
                {
                    var at = ((row + j) * valid) + c;
                    var wj = w[j];
                    mx += wj * across[at];
                    my += wj * across[block + at];
                    exx += wj * across[(2 * block) + at];
                    eyy += wj * across[(3 * block) + at];
                    exy += wj * across[(4 * block) + at];
                }

                total += Index(mx, my, exx - (mx * mx), eyy - (my * my), exy - (mx * my));
            }
        }

        return total / ((double)validRows * valid);
    }

    /// <summary>Eq. (13) for one window's statistics.</summary>
    public static double Index(double meanX, double meanY, double varianceX, double varianceY, double covariance) =>
        ((2 * meanX * meanY) + C1) * ((2 * covariance) + C2)
        / (((meanX * meanX) + (meanY * meanY) + C1) * (varianceX + varianceY + C2));
}
