using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class FrameConverterBlockTests
{
    public static TheoryData<CellMode> BlockModes => new() { CellMode.Quadrant, CellMode.Sextant };

    [Theory]
    [MemberData(nameof(BlockModes))]
    public void Given_a_solid_frame_When_converted_Then_every_cell_is_pattern_0_with_one_colour(CellMode mode)
    {
        var grid = TestFrames.Convert(TestFrames.Solid(320, 240, 0x3366CC), 320, 240, 80, 40, mode);

        Assert.All(grid.Foreground.ToArray(), fg => Assert.Equal(0x3366CCu, fg));
        Assert.All(grid.Background.ToArray(), bg => Assert.Equal(0x3366CCu, bg));
    }

    [Fact]
    public void Given_a_one_sub_pixel_checkerboard_When_converted_to_quadrants_Then_each_cell_is_the_diagonal_pattern()
    {
        // 160 x 80 pixels are exactly the 2 x 2 sub-pixels of 80 x 40 cells: black top left, so white is bits 1 and 2.
        var grid = TestFrames.Convert(TestFrames.Checkerboard(160, 80, 1, 1), 160, 80, 80, 40, CellMode.Quadrant);

        Assert.All(grid.Foreground.ToArray(), fg => Assert.Equal(FrameConverter.PackBlock(0b0110, 0xFFFFFF), fg));
        Assert.All(grid.Background.ToArray(), bg => Assert.Equal(0u, bg));
    }

    [Fact]
    public void Given_red_and_blue_columns_When_converted_to_sextants_Then_the_right_column_is_the_foreground()
    {
        var pixels = TestFrames.Build(160, 120, (x, _) => x % 2 == 0 ? 0xFF0000u : 0x0000FFu);

        var grid = TestFrames.Convert(pixels, 160, 120, 80, 40, CellMode.Sextant);

        Assert.All(grid.Foreground.ToArray(), fg => Assert.Equal(FrameConverter.PackBlock(0b101010, 0x0000FF), fg));
        Assert.All(grid.Background.ToArray(), bg => Assert.Equal(0xFF0000u, bg));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Given_random_sub_pixels_When_fitted_Then_the_split_has_the_least_squared_error_of_all_splits(int n)
    {
        var random = new Random(n);
        for (var trial = 0; trial < 2000; trial++)
        {
            // Few distinct values sometimes, so ties and uniform cells come up too.
            var palette = Enumerable.Range(0, 1 + random.Next(n)).Select(_ => (uint)random.Next(0x1000000)).ToArray();
            var pixels = Enumerable.Range(0, n).Select(_ => palette[random.Next(palette.Length)]).ToArray();

            var (fg, bg) = FrameConverter.FitBlock(pixels);
            if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            {
                Assert.Equal(FrameConverter.BestSubset(pixels), FrameConverter.BestSubsetVector(pixels));
            }

            var pattern = (int)(fg >> 24);
            Assert.Equal(0, pattern & 1);
            var best = Enumerable.Range(0, 1 << n).Min(p => SplitError(pixels, p));
            Assert.Equal(best, SplitError(pixels, pattern), 6);
            if (pattern == 0)
            {
                Assert.Equal(fg, bg);
            }
            else
            {
                Assert.NotEqual(fg & 0xFFFFFF, bg);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockModes))]
    public void Given_a_two_colour_frame_When_converted_Then_every_sub_pixel_is_the_half_block_sample_at_that_place(CellMode mode)
    {
        // A cell of at most two colours is fitted exactly, so the sub-pixels show the box means as sampled for the
        // half blocks over a grid of the same sub-pixels (twice as wide, 2 or 3 sample rows a cell). Mirrored too.
        var blockRows = FrameConverter.BlockRows(mode);
        var random = new Random(7);
        // Boxes of 3 x 2 pixels, each one of the two colours.
        int width = 3 * 40, height = 2 * 10 * blockRows;
        var boxes = Enumerable.Range(0, 40 * 10 * blockRows).Select(_ => random.Next(2) == 0 ? 0x102030u : 0xE0C0A0u).ToArray();
        var pixels = TestFrames.Build(width, height, (x, y) => boxes[(y / 2 * 40) + (x / 3)]);
        foreach (var mirror in new[] { false, true })
        {
            var grid = TestFrames.Convert(pixels, width, height, 20, 10, mode, mirror);
            var samples = TestFrames.Convert(pixels, width, height, 40, 10 * blockRows / 2, CellMode.TrueColor, mirror);
            for (var row = 0; row < grid.Rows; row++)
            {
                for (var col = 0; col < grid.Cols; col++)
                {
                    for (var bit = 0; bit < 2 * blockRows; bit++)
                    {
                        var sampleRow = (row * blockRows) + (bit / 2);
                        var sampleCol = (2 * col) + (bit % 2);
                        var expected = sampleRow % 2 == 0 ? samples.ForegroundAt(sampleCol, sampleRow / 2) : samples.BackgroundAt(sampleCol, sampleRow / 2);
                        Assert.Equal(expected, FrameConverter.BlockPixel(grid.ForegroundAt(col, row), grid.BackgroundAt(col, row), bit));
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockModes))]
    public void Given_odd_sizes_When_converted_Then_cells_are_canonical_and_the_same_every_time(CellMode mode)
    {
        foreach (var (width, height, cols, rows) in new[] { (1, 1, 160, 60), (7, 5, 3, 2), (333, 211, 47, 13), (320, 240, 1, 1), (1, 240, 80, 1), (320, 1, 1, 40) })
        {
            var pixels = TestFrames.Random(width, height, seed: width + height);
            var grid = TestFrames.Convert(pixels, width, height, cols, rows, mode);
            var again = TestFrames.Convert(pixels, width, height, cols, rows, mode);

            Assert.True(grid.ContentEquals(again));
            for (var i = 0; i < grid.Count; i++)
            {
                var pattern = grid.Foreground[i] >> 24;
                Assert.True(pattern < (mode == CellMode.Quadrant ? 16u : 64u) && (pattern & 1) == 0, $"pattern {pattern}");
                Assert.True(grid.Background[i] <= 0xFFFFFF);
                if (pattern == 0)
                {
                    Assert.Equal(grid.Foreground[i], grid.Background[i]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockModes))]
    public void Given_steady_state_When_converting_Then_nothing_is_allocated(CellMode mode)
    {
        var first = TestFrames.Random(320, 240, seed: 1);
        var second = TestFrames.HorizontalGradient(320, 240);
        var grid = new CellGrid(80, 40, mode);
        for (var i = 0; i < 20; i++)
        {
            FrameConverter.Convert(new RgbFrame(i % 2 == 0 ? first : second, 320, 240), grid, mirror: i % 3 == 0);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            FrameConverter.Convert(new RgbFrame(i % 2 == 0 ? first : second, 320, 240), grid, mirror: i % 3 == 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The squared error of splitting the pixels by `pattern` with each side at its exact mean.
    private static double SplitError(uint[] pixels, int pattern)
    {
        double error = 0;
        foreach (var side in new[] { true, false })
        {
            var members = pixels.Where((_, k) => (((pattern >> k) & 1) != 0) == side).ToArray();
            for (var shift = 0; shift <= 16; shift += 8)
            {
                if (members.Length == 0)
                {
                    continue;
                }

                var mean = members.Average(p => (double)((p >> shift) & 0xFF));
                error += members.Sum(p => Math.Pow(((p >> shift) & 0xFF) - mean, 2));
            }
        }

        return error;
    }
}
