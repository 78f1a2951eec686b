using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class FrameConverterTests
{
    public static TheoryData<CellMode> AllModes => new() { CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16, CellMode.GlyphColor };

    public static TheoryData<CellMode> HalfBlockModes => new() { CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16 };

    [Fact]
    public void Given_a_horizontal_gradient_When_converted_to_truecolor_Then_greys_rise_left_to_right_and_top_equals_bottom()
    {
        var grid = TestFrames.Convert(TestFrames.HorizontalGradient(320, 240), 320, 240, 160, 60, CellMode.TrueColor);

        for (var row = 0; row < grid.Rows; row++)
        {
            for (var col = 1; col < grid.Cols; col++)
            {
                Assert.True(grid.ForegroundAt(col, row) > grid.ForegroundAt(col - 1, row));
                Assert.Equal(grid.ForegroundAt(col, row), grid.BackgroundAt(col, row));
            }
        }

        // Each cell averages two source columns of the gradient: x*255/319 for x = 0, 1 rounds to 0.
        Assert.Equal(TestFrames.Grey(0), grid.ForegroundAt(0, 0));
        Assert.Equal(TestFrames.Grey(255), grid.ForegroundAt(159, 59));
    }

    [Theory]
    [InlineData(CellMode.TrueColor, 0xFF0000u, 0x0000FFu)]
    [InlineData(CellMode.Ansi256, 196u, 21u)]
    [InlineData(CellMode.Ansi16, 9u, 4u)]
    public void Given_a_checkerboard_at_the_half_cell_size_When_converted_Then_top_and_bottom_and_neighbours_alternate(CellMode mode, uint dark, uint light)
    {
        // 160 x 120 into 40 x 15 half-blocks: each half cell covers 4 x 4 pixels, exactly one square, so a cell's
        // top and bottom differ and so do its left and right neighbours.
        var grid = TestFrames.Convert(TestFrames.Checkerboard(160, 120, 4, 4, 0xFF0000, 0x0000FF), 160, 120, 40, 15, mode);

        for (var row = 0; row < grid.Rows; row++)
        {
            for (var col = 0; col < grid.Cols; col++)
            {
                var even = col % 2 == 0;
                Assert.Equal(CellGrid.HalfBlock, grid.GlyphAt(col, row));
                Assert.Equal(even ? dark : light, grid.ForegroundAt(col, row));
                Assert.Equal(even ? light : dark, grid.BackgroundAt(col, row));
            }
        }
    }

    [Theory]
    [InlineData(CellMode.TrueColor, 0x000000u, CellGrid.HalfBlock, 0x000000u)]
    [InlineData(CellMode.TrueColor, 0xFFFFFFu, CellGrid.HalfBlock, 0xFFFFFFu)]
    [InlineData(CellMode.Ansi256, 0x000000u, CellGrid.HalfBlock, 16u)]
    [InlineData(CellMode.Ansi256, 0xFFFFFFu, CellGrid.HalfBlock, 231u)]
    [InlineData(CellMode.Ansi16, 0x000000u, CellGrid.HalfBlock, 0u)]
    [InlineData(CellMode.Ansi16, 0xFFFFFFu, CellGrid.HalfBlock, 15u)]
    public void Given_a_solid_frame_When_converted_Then_the_grid_is_uniform(CellMode mode, uint rgb, char glyph, uint color)
    {
        var grid = TestFrames.Convert(TestFrames.Solid(320, 240, rgb), 320, 240, 160, 60, mode);

        for (var row = 0; row < grid.Rows; row++)
        {
            for (var col = 0; col < grid.Cols; col++)
            {
                Assert.Equal(glyph, grid.GlyphAt(col, row));
                Assert.Equal(color, grid.ForegroundAt(col, row));
                Assert.Equal(color, grid.BackgroundAt(col, row));
            }
        }
    }

    [Fact]
    public void Given_a_frame_whose_top_and_bottom_differ_When_converted_to_truecolor_Then_each_cell_carries_both()
    {
        // 1-pixel horizontal stripes, 8 x 8 into 8 x 4: every cell's top pixel is a red row, its bottom a green one.
        var pixels = TestFrames.Build(8, 8, (_, y) => y % 2 == 0 ? 0xFF2000u : 0x00FF40u);

        var grid = TestFrames.Convert(pixels, 8, 8, 8, 4, CellMode.TrueColor);

        Assert.All(grid.Foreground.ToArray(), c => Assert.Equal(0xFF2000u, c));
        Assert.All(grid.Background.ToArray(), c => Assert.Equal(0x00FF40u, c));
    }

    [Fact]
    public void Given_a_top_half_and_bottom_half_When_converted_to_truecolor_Then_the_upper_cells_differ_from_the_lower()
    {
        var pixels = TestFrames.Build(320, 240, (_, y) => y < 120 ? 0x3366CCu : 0xCC9933u);

        var grid = TestFrames.Convert(pixels, 320, 240, 160, 60, CellMode.TrueColor);

        Assert.Equal(0x3366CCu, grid.ForegroundAt(5, 29));
        Assert.Equal(0x3366CCu, grid.BackgroundAt(5, 29));
        Assert.Equal(0xCC9933u, grid.ForegroundAt(5, 30));
        Assert.Equal(0xCC9933u, grid.BackgroundAt(5, 30));
    }

    [Theory]
    [MemberData(nameof(HalfBlockModes))]
    public void Given_mirror_When_converted_Then_the_columns_are_those_of_the_plain_conversion_reversed(CellMode mode)
    {
        var pixels = TestFrames.Random(97, 61, seed: 3);

        var plain = TestFrames.Convert(pixels, 97, 61, 23, 11, mode);
        var mirrored = TestFrames.Convert(pixels, 97, 61, 23, 11, mode, mirror: true);

        Assert.False(plain.ContentEquals(mirrored));
        for (var row = 0; row < plain.Rows; row++)
        {
            for (var col = 0; col < plain.Cols; col++)
            {
                Assert.Equal(plain.ForegroundAt(col, row), mirrored.ForegroundAt(plain.Cols - 1 - col, row));
                Assert.Equal(plain.BackgroundAt(col, row), mirrored.BackgroundAt(plain.Cols - 1 - col, row));
            }
        }
    }

    [Fact]
    public void Given_left_red_right_blue_When_mirrored_Then_blue_is_on_the_left()
    {
        var pixels = TestFrames.Build(64, 32, (x, _) => x < 32 ? 0xFF0000u : 0x0000FFu);

        var grid = TestFrames.Convert(pixels, 64, 32, 16, 8, CellMode.TrueColor, mirror: true);

        Assert.Equal(0x0000FFu, grid.ForegroundAt(0, 0));
        Assert.Equal(0xFF0000u, grid.ForegroundAt(15, 7));
    }

    [Fact]
    public void Given_a_1x1_grid_Then_its_half_cells_are_the_rounded_means_of_the_top_and_bottom_halves()
    {
        var pixels = TestFrames.Random(31, 20, seed: 5);

        var grid = TestFrames.Convert(pixels, 31, 20, 1, 1, CellMode.TrueColor);

        Assert.Equal(MeanOf(pixels, 31, 0, 31, 0, 10), grid.ForegroundAt(0, 0));
        Assert.Equal(MeanOf(pixels, 31, 0, 31, 10, 20), grid.BackgroundAt(0, 0));
    }

    [Theory]
    [InlineData(1, 1, 160, 60)]
    [InlineData(3, 2, 160, 60)]
    [InlineData(7, 5, 3, 2)]
    [InlineData(5, 3, 11, 7)]
    [InlineData(333, 211, 47, 13)]
    [InlineData(320, 240, 1, 1)]
    [InlineData(1, 240, 80, 1)]
    [InlineData(320, 1, 1, 40)]
    public void Given_odd_sizes_When_converted_in_every_mode_Then_nothing_throws_and_every_cell_is_valid(int width, int height, int cols, int rows)
    {
        var pixels = TestFrames.Random(width, height, seed: width * 1000 + height);

        foreach (var mode in new[] { CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16, CellMode.GlyphColor })
        {
            var grid = TestFrames.Convert(pixels, width, height, cols, rows, mode);
            var again = TestFrames.Convert(pixels, width, height, cols, rows, mode);

            Assert.True(grid.ContentEquals(again));
            foreach (var (fg, bg) in grid.Foreground.ToArray().Zip(grid.Background.ToArray()))
            {
                switch (mode)
                {
                    case CellMode.Mono:
                        Assert.Contains((char)fg, FrameConverter.MonoRamp);
                        Assert.Equal(0u, bg);
                        break;
                    case CellMode.TrueColor:
                        Assert.InRange(fg | bg, 0u, 0xFFFFFFu);
                        break;
                    case CellMode.GlyphColor:
                        Assert.InRange(fg >> 24, 0u, (uint)FrameConverter.MonoRamp.Length - 1);
                        Assert.Equal(0u, bg);
                        break;
                    case CellMode.Ansi256:
                        Assert.InRange(fg, 16u, 255u);
                        Assert.InRange(bg, 16u, 255u);
                        break;
                    default:
                        Assert.InRange(fg, 0u, 15u);
                        Assert.InRange(bg, 0u, 15u);
                        break;
                }
            }
        }
    }

    // Every way the converter sums boxes (see FrameConverter.Sampling.cs): even boxes of 2 x 2, 4 x 3 (not a power
    // of two), 4 x 8, 1 x 1 and 3 x 4; boxes of two widths, narrow or not; boxes wider than four pixels; boxes past
    // 256 pixels; frames smaller than the grid; rows of two heights.
    [Theory]
    [InlineData(320, 240, 160, 60, false)]
    [InlineData(320, 240, 160, 60, true)]
    [InlineData(320, 240, 80, 40, false)]
    [InlineData(320, 240, 80, 40, true)]
    [InlineData(640, 480, 160, 30, false)]
    [InlineData(320, 240, 320, 120, false)]
    [InlineData(300, 200, 100, 25, true)]
    [InlineData(333, 211, 47, 13, false)]
    [InlineData(333, 211, 47, 13, true)]
    [InlineData(322, 240, 160, 60, false)]
    [InlineData(101, 77, 100, 38, false)]
    [InlineData(64, 48, 80, 30, false)]
    [InlineData(17, 250, 5, 3, false)]
    [InlineData(40, 1200, 3, 1, false)]
    [InlineData(320, 240, 16, 8, true)]
    [InlineData(320, 240, 64, 30, false)]
    [InlineData(640, 480, 40, 10, false)]
    [InlineData(31, 7, 31, 5, false)]
    public void Given_any_size_Then_each_half_cell_is_the_rounded_mean_of_its_box_computed_naively(int width, int height, int cols, int rows, bool mirror)
    {
        var pixels = TestFrames.Random(width, height, seed: width + height);

        var grid = TestFrames.Convert(pixels, width, height, cols, rows, CellMode.TrueColor, mirror);

        for (var sy = 0; sy < 2 * rows; sy++)
        {
            var y0 = sy * height / (2 * rows);
            var y1 = Math.Max(y0 + 1, (sy + 1) * height / (2 * rows));
            for (var col = 0; col < cols; col++)
            {
                var x0 = col * width / cols;
                var x1 = Math.Max(x0 + 1, (col + 1) * width / cols);
                var expected = MeanOf(pixels, width, x0, x1, y0, y1);
                var shown = mirror ? cols - 1 - col : col;
                var actual = sy % 2 == 0 ? grid.ForegroundAt(shown, sy / 2) : grid.BackgroundAt(shown, sy / 2);
                Assert.True(expected == actual, $"sample ({col}, {sy}): expected #{expected:X6}, got #{actual:X6}");
            }
        }
    }

    [Fact]
    public void Given_a_frame_smaller_than_the_grid_Then_its_pixels_are_repeated()
    {
        var pixels = TestFrames.Build(2, 2, (x, y) => (uint)(0x100000 * (1 + x) + 0x10 * (1 + y)));

        var grid = TestFrames.Convert(pixels, 2, 2, 4, 2, CellMode.TrueColor);

        // Four sample rows from two pixel rows: each cell's top and bottom come from the same pixel.
        uint[] expected = [0x100010, 0x100010, 0x200010, 0x200010, 0x100020, 0x100020, 0x200020, 0x200020];
        Assert.Equal(expected, grid.Foreground.ToArray());
        Assert.Equal(expected, grid.Background.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public void Given_the_empty_frame_When_converted_Then_the_grid_is_blank(CellMode mode)
    {
        var grid = TestFrames.Convert(TestFrames.Random(16, 16, seed: 1), 16, 16, 8, 4, mode);

        FrameConverter.Convert(default, grid, mirror: false);

        Assert.True(grid.ContentEquals(new CellGrid(8, 4, mode)));
    }

    [Theory]
    [InlineData(320, 240, 160, 60, 160, 60)]
    [InlineData(320, 240, 200, 50, 133, 50)]
    [InlineData(640, 360, 80, 40, 80, 23)]
    [InlineData(640, 360, 40, 40, 40, 11)]
    [InlineData(240, 320, 80, 24, 36, 24)]
    [InlineData(100, 100, 80, 24, 48, 24)]
    [InlineData(100, 100, 10, 24, 10, 5)]
    [InlineData(1000, 1, 80, 24, 80, 1)]
    [InlineData(1, 1000, 80, 24, 1, 24)]
    public void Given_a_frame_aspect_and_a_tile_When_fitted_Then_the_grid_is_the_largest_at_that_aspect(
        int width, int height, int maxCols, int maxRows, int cols, int rows)
    {
        Assert.Equal((cols, rows), FrameConverter.FitGrid(width, height, maxCols, maxRows));
    }

    [Fact]
    public void Given_many_fits_Then_the_grid_stays_inside_the_tile_and_fills_one_side()
    {
        var random = new Random(8);
        for (var i = 0; i < 10_000; i++)
        {
            int width = random.Next(1, 4000), height = random.Next(1, 4000), maxCols = random.Next(1, 400), maxRows = random.Next(1, 200);

            var (cols, rows) = FrameConverter.FitGrid(width, height, maxCols, maxRows);

            Assert.InRange(cols, 1, maxCols);
            Assert.InRange(rows, 1, maxRows);
            Assert.True(cols == maxCols || rows == maxRows, $"{width}x{height} in {maxCols}x{maxRows} gave {cols}x{rows}");
        }
    }

    public static TheoryData<CellMode, int, int> AllocationCases => new()
    {
        { CellMode.Mono, 160, 60 }, { CellMode.TrueColor, 160, 60 }, { CellMode.Ansi256, 160, 60 }, { CellMode.Ansi16, 160, 60 },
        { CellMode.TrueColor, 80, 40 }, { CellMode.TrueColor, 133, 50 }, { CellMode.Mono, 133, 50 }, { CellMode.TrueColor, 7, 3 },
        { CellMode.Mono, 80, 40 }, { CellMode.GlyphColor, 80, 40 }, { CellMode.GlyphColor, 160, 60 },
    };

    [Theory]
    [MemberData(nameof(AllocationCases))]
    public void Given_a_warmed_up_converter_When_converting_frames_Then_nothing_is_allocated(CellMode mode, int cols, int rows)
    {
        var first = TestFrames.Random(320, 240, seed: 1);
        var second = TestFrames.Random(320, 240, seed: 2);
        var grid = new CellGrid(cols, rows, mode);
        var tone = new MonoToneTracker();

        // Past tiered compilation's call counting (30 calls, then a rejit), which can allocate on the calling thread.
        for (var i = 0; i < 100; i++)
        {
            FrameConverter.Convert(new RgbFrame(i % 2 == 0 ? first : second, 320, 240), grid, mirror: i % 3 == 0, tone);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            FrameConverter.Convert(new RgbFrame(i % 2 == 0 ? first : second, 320, 240), grid, mirror: i % 3 == 0, tone);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static uint MeanOf(byte[] pixels, int width, int x0, int x1, int y0, int y1)
    {
        long r = 0, g = 0, b = 0, n = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var i = (y * width + x) * 3;
                r += pixels[i];
                g += pixels[i + 1];
                b += pixels[i + 2];
                n++;
            }
        }

        return (uint)((((r + n / 2) / n) << 16) | (((g + n / 2) / n) << 8) | ((b + n / 2) / n));
    }
}
