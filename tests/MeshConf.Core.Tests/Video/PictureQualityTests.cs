using MeshConf.Core.Video;
using MeshConf.Core.Video.Quality;

namespace MeshConf.Core.Tests.Video;

public sealed class PictureQualityTests
{
    [Theory]
    // Sharma, Wu and Dalal (2005), Table 1: pairs 1, 7, 13, 17, 25 and 34.
    [InlineData(50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425)]
    [InlineData(50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669)]
    [InlineData(50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195)]
    [InlineData(50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492)]
    [InlineData(60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644)]
    [InlineData(90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441)]
    public void Given_the_published_test_pairs_When_measured_Then_CIEDE2000_matches_to_four_decimals(double l1, double a1, double b1, double l2, double a2, double b2, double expected)
    {
        Assert.Equal(expected, Ciede2000.Between(l1, a1, b1, l2, a2, b2), 4);
        Assert.Equal(expected, Ciede2000.Between(l2, a2, b2, l1, a1, b1), 4);
    }

    [Fact]
    public void Given_sRGB_white_and_black_When_taken_to_CIELAB_Then_they_are_L_100_and_0_without_chroma()
    {
        var (l, a, b) = Ciede2000.ToLab(0xFFFFFF);
        Assert.Equal(100, l, 2);
        Assert.Equal(0, a, 2);
        Assert.Equal(0, b, 2);
        Assert.Equal(0, Ciede2000.ToLab(0).L, 6);
    }

    [Fact]
    public void Given_the_fast_distance_When_compared_with_CIEDE2000_over_channel_steps_Then_it_never_hides_a_visible_change_and_means_about_one_unit()
    {
        // The encoder's threshold is in PerceptualDistance units: they must mean roughly ΔE, or "2.5" means nothing.
        // Overstating a change (a dark colour's red, which CIEDE2000 forgives) costs bits; understating one hides
        // it, so that side is bounded pair by pair and the typical ratio overall.
        var random = new Random(1);
        var ratios = new List<double>();
        for (var n = 0; n < 2000; n++)
        {
            var a = (uint)random.Next(0x1000000);
            var step = random.Next(3, 12);
            var channel = 8 * random.Next(3);
            var b = Math.Min(255, ((a >> channel) & 0xFF) + (uint)step);
            var other = (a & ~(0xFFu << channel)) | (b << channel);
            if (other == a)
            {
                continue;
            }

            var fast = PerceptualDistance.Of(a, other);
            var exact = Ciede2000.Between(a, other);
            Assert.True(exact < (3 * fast) + 1.5, $"{a:x6} vs {other:x6}: fast {fast:F2}, CIEDE2000 {exact:F2}");
            ratios.Add(fast / Math.Max(0.05, exact));
        }

        ratios.Sort();
        Assert.InRange(ratios[ratios.Count / 2], 0.5, 2.0);
    }

    [Fact]
    public void Given_identical_and_differing_grids_When_measured_Then_fidelity_says_so()
    {
        var exact = new CellGrid(4, 2, CellMode.TrueColor);
        exact.ForegroundStorage.Fill(0x808080);
        exact.BackgroundStorage.Fill(0x404040);
        var same = new PictureFidelity();
        same.Add(exact, exact);
        Assert.Equal(100, same.Psnr);
        Assert.Equal(0, same.MeanDeltaE);

        var shown = new CellGrid(4, 2, CellMode.TrueColor);
        exact.CopyTo(shown);
        shown.ForegroundStorage[0] = 0x808090; // one pixel of 16, blue off by 16
        var off = new PictureFidelity();
        off.Add(shown, exact);

        // MSE = 16² / (16 pixels x 3 channels) = 5.33: PSNR = 10 log10(255² / 5.33) = 40.86 dB.
        Assert.Equal(40.86, off.Psnr, 2);
        Assert.Equal(Ciede2000.Between(0x808090, 0x808080) / 16, off.MeanDeltaE, 6);
        Assert.Equal(1, off.VisiblePixels);
    }

    [Fact]
    public void Given_still_sensor_noise_When_denoised_Then_frames_wobble_far_less_and_a_real_change_passes_at_once()
    {
        var random = new Random(2);
        var grid = new CellGrid(40, 20, CellMode.TrueColor);
        var denoiser = new TemporalDenoiser(grid.Count);
        double rawWobble = 0, filteredWobble = 0;
        uint? previousRaw = null, previousFiltered = null;
        for (var frame = 0; frame < 60; frame++)
        {
            for (var i = 0; i < grid.Count; i++)
            {
                var v = (uint)Math.Clamp(128 + random.Next(-4, 5), 0, 255);
                grid.ForegroundStorage[i] = v * 0x010101;
                grid.BackgroundStorage[i] = v * 0x010101;
            }

            var raw = grid.Foreground[17];
            denoiser.Filter(grid);
            if (previousRaw is { } r && previousFiltered is { } f)
            {
                rawWobble += Math.Abs((int)(raw & 0xFF) - (int)(r & 0xFF));
                filteredWobble += Math.Abs((int)(grid.Foreground[17] & 0xFF) - (int)(f & 0xFF));
            }

            previousRaw = raw;
            previousFiltered = grid.Foreground[17];
        }

        Assert.True(filteredWobble < rawWobble / 1.8, $"raw {rawWobble}, filtered {filteredWobble}");

        grid.ForegroundStorage.Fill(0xFFFFFF);
        denoiser.Filter(grid);
        Assert.Equal(0xFFFFFFu, grid.Foreground[0]);
    }

    [Theory]
    [InlineData(CellMode.Quadrant)]
    [InlineData(CellMode.Sextant)]
    public void Given_block_cells_When_denoised_Then_colours_are_filtered_while_the_pattern_stays_and_a_new_pattern_passes_at_once(CellMode mode)
    {
        var grid = new CellGrid(2, 1, mode);
        var denoiser = new TemporalDenoiser(grid.Count);
        grid.ForegroundStorage.Fill(FrameConverter.PackBlock(0b0110, 0x808080));
        grid.BackgroundStorage.Fill(0x202020);
        denoiser.Filter(grid);

        // Noise: the same pattern, colours a few levels off, move halfway.
        grid.ForegroundStorage.Fill(FrameConverter.PackBlock(0b0110, 0x848484));
        grid.BackgroundStorage.Fill(0x242424);
        denoiser.Filter(grid);
        Assert.Equal(FrameConverter.PackBlock(0b0110, 0x828282), grid.Foreground[0]);
        Assert.Equal(0x222222u, grid.Background[0]);

        // A new pattern is a change: both colours pass as they are.
        grid.ForegroundStorage.Fill(FrameConverter.PackBlock(0b1000, 0x868686));
        grid.BackgroundStorage.Fill(0x262626);
        denoiser.Filter(grid);
        Assert.Equal(FrameConverter.PackBlock(0b1000, 0x868686), grid.Foreground[1]);
        Assert.Equal(0x262626u, grid.Background[1]);
    }
}
