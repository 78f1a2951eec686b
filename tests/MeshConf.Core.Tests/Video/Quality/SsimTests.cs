using MeshConf.Core.Video.Quality;

namespace MeshConf.Core.Tests.Video.Quality;

public sealed class SsimTests
{
    public static TheoryData<SsimWindow> Windows => [SsimWindow.Gaussian11, SsimWindow.Box8];

    [Theory]
    [MemberData(nameof(Windows))]
    public void Given_two_equal_pictures_Then_the_ssim_is_one(SsimWindow window)
    {
        var picture = RandomLuma(40, 30, seed: 1);

        Assert.Equal(1.0, Ssim.Compute(picture, picture, 40, 30, window), 12);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 120)]
    [InlineData(30, 200)]
    [InlineData(255, 0)]
    public void Given_two_flat_pictures_Then_only_the_luminance_term_is_left(byte a, byte b)
    {
        // No variance anywhere: the contrast-structure factor is C2 / C2.
        var x = Enumerable.Repeat(a, 20 * 16).ToArray();
        var y = Enumerable.Repeat(b, 20 * 16).ToArray();

        var expected = ((2.0 * a * b) + Ssim.C1) / ((a * a) + (b * b) + Ssim.C1);
        Assert.Equal(expected, Ssim.Compute(x, y, 20, 16), 12);
        Assert.Equal(expected, Ssim.Compute(x, y, 20, 16, SsimWindow.Box8), 12);
    }

    [Fact]
    public void Given_one_8x8_window_Then_the_ssim_is_the_papers_formula_worked_by_hand()
    {
        // x: left half 0, right half 100. μx = 50, σx² = (32·50² + 32·50²) / 64 = 2500.
        var x = Build(8, 8, col => col < 4 ? 0 : 100);

        // y = x + 50: μy = 100, σy² = 2500, σxy = 2500. SSIM = (2·50·100 + C1)(5000 + C2) / ((2500 + 10000 + C1)(5000 + C2))
        // = 10006.5025 / 12506.5025 = 0.800104...
        var shifted = Build(8, 8, col => col < 4 ? 50 : 150);
        Assert.Equal(10006.5025 / 12506.5025, Ssim.Compute(x, shifted, 8, 8, SsimWindow.Box8), 12);
        Assert.Equal(0.800104, Ssim.Compute(x, shifted, 8, 8, SsimWindow.Box8), 6);

        // y = 100 - x: μy = 50, σy² = 2500, σxy = -2500. SSIM = (5000 + C1)(-5000 + C2) / ((5000 + C1)(5000 + C2))
        // = -4941.4775 / 5058.5225 = -0.9768618...
        var inverted = Build(8, 8, col => col < 4 ? 100 : 0);
        Assert.Equal(-4941.4775 / 5058.5225, Ssim.Compute(x, inverted, 8, 8, SsimWindow.Box8), 12);
        Assert.Equal(-0.976862, Ssim.Compute(x, inverted, 8, 8, SsimWindow.Box8), 6);

        // y flat at 50: σy = 0, σxy = 0. SSIM = (2·50·50 + C1)·C2 / ((2·2500 + C1)(2500 + C2)) = 0.022873...
        var flat = Build(8, 8, _ => 50);
        Assert.Equal(Ssim.C2 / (2500 + Ssim.C2), Ssim.Compute(x, flat, 8, 8, SsimWindow.Box8), 12);
    }

    [Fact]
    public void Given_the_gaussian_window_Then_its_weights_are_fspecials()
    {
        var weights = Ssim.Weights(SsimWindow.Gaussian11);

        Assert.Equal(11, weights.Length);
        Assert.Equal(1.0, weights.Sum(), 12);

        // fspecial('gaussian', 11, 1.5) is the outer product of these. By hand: the 1-D sum is
        // 1 + 2·(e^-2/9 + e^-8/9 + e^-2 + e^-32/9 + e^-50/9) = 3.759240, so the centre is (1 / 3.759240)² = 0.070762
        // and the corner (e^-50/9 / 3.759240)² = 1.0576e-6.
        Assert.Equal(0.070762, weights[5] * weights[5], 6);
        Assert.Equal(1.0576e-6, weights[0] * weights[0], 10);
    }

    [Fact]
    public void Given_one_11x11_window_Then_the_ssim_uses_the_gaussian_weighted_statistics()
    {
        // One window position: μ, σ and σxy are the Gaussian-weighted moments of the whole picture.
        var x = RandomLuma(11, 11, seed: 2);
        var y = RandomLuma(11, 11, seed: 3);
        var w = Ssim.Weights(SsimWindow.Gaussian11);
        double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
        for (var i = 0; i < 121; i++)
        {
            var weight = w[i / 11] * w[i % 11];
            mx += weight * x[i];
            my += weight * y[i];
            xx += weight * x[i] * x[i];
            yy += weight * y[i] * y[i];
            xy += weight * x[i] * y[i];
        }

        var expected = ((2 * mx * my) + Ssim.C1) * ((2 * (xy - (mx * my))) + Ssim.C2)
            / (((mx * mx) + (my * my) + Ssim.C1) * ((xx - (mx * mx)) + (yy - (my * my)) + Ssim.C2));
        Assert.Equal(expected, Ssim.Compute(x, y, 11, 11), 10);
    }

    [Fact]
    public void Given_more_noise_Then_the_ssim_falls()
    {
        var x = Smooth(64, 48);
        var random = new Random(4);
        double last = 1;
        foreach (var amplitude in new[] { 2, 8, 32, 96 })
        {
            var noisy = x.Select(v => (byte)Math.Clamp(v + random.Next(-amplitude, amplitude + 1), 0, 255)).ToArray();

            var ssim = Ssim.Compute(x, noisy, 64, 48);

            Assert.True(ssim < last, $"±{amplitude}: {ssim} after {last}");
            last = ssim;
        }

        Assert.True(last < 0.5);
    }

    [Fact]
    public void Given_a_meter_for_one_size_Then_measuring_again_gives_the_same_and_allocates_nothing()
    {
        var x = RandomLuma(64, 48, seed: 5);
        var y = RandomLuma(64, 48, seed: 6);
        var meter = new Ssim(64, 48);
        var first = meter.Measure(x, y);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = meter.Measure(x, y);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(first, again);
        Assert.Equal(Ssim.Compute(y, x, 64, 48), first, 12);
    }

    [Fact]
    public void Given_a_picture_smaller_than_the_window_Then_it_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ssim(10, 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ssim(40, 7, SsimWindow.Box8));
    }

    [Fact]
    public void Given_psnr_Then_it_is_ten_log_of_peak_over_mse()
    {
        byte[] x = [10, 20, 30, 40];
        byte[] y = [12, 20, 28, 40];

        // MSE = (4 + 0 + 4 + 0) / 4 = 2.
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 2), Psnr.Compute(x, y), 12);
        Assert.Equal(double.PositiveInfinity, Psnr.Compute(x, x));
        Assert.Throws<ArgumentException>(() => Psnr.Compute(x, y.AsSpan(1)));
    }

    internal static byte[] RandomLuma(int width, int height, int seed)
    {
        var luma = new byte[width * height];
        new Random(seed).NextBytes(luma);
        return luma;
    }

    private static byte[] Build(int width, int height, Func<int, int> valueAtColumn) =>
        [.. Enumerable.Range(0, width * height).Select(i => (byte)valueAtColumn(i % width))];

    private static byte[] Smooth(int width, int height) =>
        [.. Enumerable.Range(0, width * height).Select(i => (byte)(128 + 100 * Math.Sin(i % width / 5.0) * Math.Cos(i / width / 7.0)))];
}
