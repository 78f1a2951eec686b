using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

/// <summary>The mono picture: 4 x 4 samples per cell, the smoothed contrast stretch, glyphs by shape.</summary>
public sealed class MonoConverterTests
{
    // The glyph a flat cell at the bright end of the stretch gets.
    private static char White => FrameConverter.MonoRamp[NearestToFlat(FrameConverter.ToneCeiling)];

    [Fact]
    public void Given_solid_black_and_solid_white_Then_every_cell_is_the_blank_or_the_bright_ends_glyph()
    {
        var black = TestFrames.Convert(TestFrames.Solid(320, 240, 0), 320, 240, 80, 30, CellMode.Mono);
        var white = TestFrames.Convert(TestFrames.Solid(320, 240, 0xFFFFFF), 320, 240, 80, 30, CellMode.Mono);

        Assert.All(black.Foreground.ToArray(), g => Assert.Equal(' ', (char)g));
        Assert.All(white.Foreground.ToArray(), g => Assert.Equal(White, (char)g));
        Assert.All(white.Background.ToArray(), bg => Assert.Equal(0u, bg));

        // The bright end is a dense glyph: among the last eighth of the set.
        Assert.True(FrameConverter.MonoRamp.IndexOf(White, StringComparison.Ordinal) >= FrameConverter.MonoRamp.Length * 7 / 8, $"'{White}'");
    }

    [Fact]
    public void Given_a_checkerboard_at_the_cell_size_Then_cells_alternate_between_the_blank_and_the_bright_end()
    {
        // 160 x 120 into 40 x 15: each cell covers 4 x 8 pixels, exactly one square.
        var grid = TestFrames.Convert(TestFrames.Checkerboard(160, 120, 4, 8), 160, 120, 40, 15, CellMode.Mono);

        for (var row = 0; row < grid.Rows; row++)
        {
            for (var col = 0; col < grid.Cols; col++)
            {
                Assert.Equal((col + row) % 2 == 0 ? ' ' : White, grid.GlyphAt(col, row));
            }
        }
    }

    [Fact]
    public void Given_a_horizontal_gradient_Then_each_row_climbs_from_the_blank_to_the_bright_end_through_many_tones()
    {
        var grid = TestFrames.Convert(TestFrames.HorizontalGradient(320, 240), 320, 240, 80, 30, CellMode.Mono);

        for (var row = 0; row < grid.Rows; row++)
        {
            var ink = Enumerable.Range(0, grid.Cols).Select(col => Ink(grid.GlyphAt(col, row))).ToArray();
            Assert.Equal(' ', grid.GlyphAt(0, row));
            Assert.Equal(White, grid.GlyphAt(grid.Cols - 1, row));
            Assert.True(ink.Distinct().Count() >= 9, $"{ink.Distinct().Count()} tones");

            // Never darker to the right by more than a step of the ramp (a glyph of a gradient's shape may lead).
            for (var col = 1; col < grid.Cols; col++)
            {
                Assert.True(ink[col] >= ink[col - 1] - 8, $"row {row} col {col}: {ink[col - 1]} then {ink[col]}");
            }
        }
    }

    [Fact]
    public void Given_a_dim_low_contrast_gradient_Then_the_stretch_still_spans_the_glyph_set()
    {
        // Greys 40..100 only: without the stretch this would stay in the sparse glyphs.
        var pixels = TestFrames.Build(256, 16, (x, _) => TestFrames.Grey((uint)(40 + (x * 60 / 255))));

        var grid = TestFrames.Convert(pixels, 256, 16, 64, 8, CellMode.Mono);

        Assert.Equal(' ', grid.GlyphAt(0, 0));
        Assert.Equal(White, grid.GlyphAt(63, 0));
    }

    [Theory]
    [InlineData(0x404040u)]
    [InlineData(0x808080u)]
    [InlineData(0xC0C0C0u)]
    public void Given_a_flat_grey_frame_with_slight_noise_Then_the_noise_is_not_stretched_over_the_glyphs(uint grey)
    {
        var pixels = TestFrames.Build(256, 256, (x, y) => grey + ((x + y) % 2 == 0 ? 0x030303u : 0u));

        var grid = TestFrames.Convert(pixels, 256, 256, 64, 32, CellMode.Mono);

        // One tone everywhere, a middling one (MinContrastSpan keeps ±3 from reaching either end).
        var glyphs = grid.Foreground.ToArray().Distinct().ToArray();
        Assert.Single(glyphs);
        Assert.InRange(Ink((char)glyphs[0]), FrameConverter.ToneCeiling / 5, FrameConverter.ToneCeiling * 4 / 5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Given_a_thin_diagonal_line_Then_the_cells_it_crosses_take_the_diagonal_glyph_of_its_direction(bool falling)
    {
        // Cells of 4 x 8 pixels; a line one pixel wide and of slope ±2 runs along each crossed cell's diagonal.
        var pixels = TestFrames.Build(320, 240, (x, y) => (falling ? y - (2 * x) + 120 : y + (2 * x) - 438) is 0 or 1 ? 0xFFFFFFu : 0u);

        var grid = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.Mono);

        var expected = falling ? '\\' : '/';
        var crossed = Glyphs(grid).Where(g => g != ' ').ToArray();
        Assert.True(crossed.Length >= 25);
        Assert.True(crossed.Count(g => g == expected) >= crossed.Length * 3 / 4, $"'{expected}' in {new string(crossed)}");
    }

    [Theory]
    [InlineData(6, 0xFFFFFFu, "_")]
    [InlineData(4, 0x808080u, "-~=")]
    public void Given_a_thin_horizontal_band_Then_the_cells_it_crosses_take_a_dash_at_its_height(int yInCell, uint color, string expected)
    {
        // Cells of 4 x 8 pixels; a band two pixels tall at row yInCell of cell row 10, on black, left of a white
        // block that stretches the contrast window over 0..255.
        var pixels = TestFrames.Build(320, 240, (x, y) => x >= 160 ? 0xFFFFFFu : y == (10 * 8) + yInCell || y == (10 * 8) + yInCell + 1 ? color : 0u);

        var grid = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.Mono);

        for (var col = 0; col < 40; col++)
        {
            Assert.Contains(grid.GlyphAt(col, 10), expected);
            Assert.Equal(' ', grid.GlyphAt(col, 5));
        }
    }

    [Fact]
    public void Given_mirror_Then_the_picture_is_that_of_the_frame_flipped_left_to_right()
    {
        var pixels = TestFrames.Random(320, 240, seed: 4);
        var flipped = TestFrames.Build(320, 240, (x, y) =>
        {
            var i = ((y * 320) + (319 - x)) * 3;
            return (uint)((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        });

        var mirrored = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.Mono, mirror: true);
        var ofFlipped = TestFrames.Convert(flipped, 320, 240, 80, 30, CellMode.Mono);

        Assert.True(mirrored.ContentEquals(ofFlipped));
    }

    // The sizes of the sampling kernels (FrameConverter.Sampling.cs): even boxes, boxes of two widths and two
    // heights, boxes past 256 pixels, frames smaller than the sample grid; mirrored or not.
    [Theory]
    [InlineData(320, 240, 80, 30, false)]
    [InlineData(320, 240, 80, 30, true)]
    [InlineData(160, 160, 80, 40, false)]
    [InlineData(320, 240, 160, 60, true)]
    [InlineData(333, 211, 47, 14, false)]
    [InlineData(640, 480, 40, 15, true)]
    [InlineData(64, 48, 30, 10, false)]
    [InlineData(1200, 40, 3, 1, false)]
    public void Given_any_size_Then_each_cell_is_the_nearest_glyph_to_its_naively_computed_tones(int width, int height, int cols, int rows, bool mirror)
    {
        var pixels = TestFrames.Build(width, height, (x, y) => TestFrames.Grey((uint)(((x * 7) + (y * 3) + ((x * y) % 17)) & 0xFF)));

        var grid = TestFrames.Convert(pixels, width, height, cols, rows, CellMode.Mono, mirror);

        var expected = NaiveMono(pixels, width, height, cols, rows, mirror);
        Assert.Equal(new string(expected), new string(Glyphs(grid)));
    }

    [Fact]
    public void Given_a_stream_with_a_tone_tracker_When_a_brighter_object_enters_Then_the_picture_eases_into_the_new_stretch()
    {
        // A gradient 60..180, then a block at 220 over a tenth of the frame: the 98th percentile rises by 40 (less
        // than a cut). Without a tracker every glyph of the gradient darkens at once; with one, by a quarter.
        var before = TestFrames.Build(320, 240, (x, _) => TestFrames.Grey((uint)(60 + (x * 120 / 319))));
        var after = TestFrames.Build(320, 240, (x, y) => y < 24 ? TestFrames.Grey(220) : TestFrames.Grey((uint)(60 + (x * 120 / 319))));
        var tracker = new MonoToneTracker();
        var grid = new CellGrid(80, 30, CellMode.Mono);
        for (var i = 0; i < 20; i++)
        {
            FrameConverter.Convert(new RgbFrame(before, 320, 240), grid, mirror: false, tracker);
        }

        var settled = Glyphs(grid)[240..];
        FrameConverter.Convert(new RgbFrame(after, 320, 240), grid, mirror: false, tracker);
        var eased = Glyphs(grid)[240..];
        var jumped = Glyphs(TestFrames.Convert(after, 320, 240, 80, 30, CellMode.Mono))[240..];

        var changedEased = settled.Zip(eased).Count(p => p.First != p.Second);
        var changedJumped = settled.Zip(jumped).Count(p => p.First != p.Second);
        Assert.True(changedJumped > 500, $"jumped {changedJumped}");
        Assert.True(changedEased < changedJumped / 2, $"eased {changedEased}, jumped {changedJumped}");
        for (var i = 0; i < 40; i++)
        {
            FrameConverter.Convert(new RgbFrame(after, 320, 240), grid, mirror: false, tracker);
        }

        Assert.Equal(new string(jumped), new string(Glyphs(grid)[240..]));
    }

    [Fact]
    public void Given_the_same_frame_and_the_same_history_Then_the_pictures_are_identical()
    {
        var frames = Enumerable.Range(0, 5).Select(seed => TestFrames.Random(320, 240, seed)).ToArray();
        var (a, b) = (new CellGrid(80, 30, CellMode.Mono), new CellGrid(80, 30, CellMode.Mono));
        var (ta, tb) = (new MonoToneTracker(), new MonoToneTracker());
        foreach (var frame in frames)
        {
            FrameConverter.Convert(new RgbFrame(frame, 320, 240), a, mirror: false, ta);
            FrameConverter.Convert(new RgbFrame(frame, 320, 240), b, mirror: false, tb);
            Assert.Equal(a.ContentHash(), b.ContentHash());
        }
    }

    private static char[] Glyphs(CellGrid grid) => [.. grid.Foreground.ToArray().Select(g => (char)g)];

    private static int Ink(char glyph) => MonoGlyphs.MeanCoverage(FrameConverter.MonoRamp.IndexOf(glyph, StringComparison.Ordinal));

    private static int NearestToFlat(int tone)
    {
        Span<int> pairs = stackalloc int[MonoGlyphs.Pairs];
        pairs.Fill(tone | (tone << 16));
        return MonoGlyphs.Nearest(pairs);
    }

    // The converter's documented steps, one sample and one glyph at a time: box means (per channel, rounded) over
    // a sample grid four times the cells each way, their luma, the 2nd/98th percentiles of every other sample row
    // widened to MinContrastSpan, tones by the fixed-point stretch (past the ceiling up to MaxTone), then the glyph
    // of the lowest search score (MonoGlyphs.Score), the first among equals.
    private static char[] NaiveMono(byte[] pixels, int width, int height, int cols, int rows, bool mirror)
    {
        var (sampleCols, sampleRows) = (cols * 4, rows * 4);
        var luma = new int[sampleCols * sampleRows];
        for (var sy = 0; sy < sampleRows; sy++)
        {
            var y0 = sy * height / sampleRows;
            var y1 = Math.Max(y0 + 1, (sy + 1) * height / sampleRows);
            for (var sx = 0; sx < sampleCols; sx++)
            {
                var x0 = sx * width / sampleCols;
                var x1 = Math.Max(x0 + 1, (sx + 1) * width / sampleCols);
                long r = 0, g = 0, b = 0, n = 0;
                for (var y = y0; y < y1; y++)
                {
                    for (var x = x0; x < x1; x++)
                    {
                        var i = ((y * width) + x) * 3;
                        (r, g, b, n) = (r + pixels[i], g + pixels[i + 1], b + pixels[i + 2], n + 1);
                    }
                }

                var (mr, mg, mb) = ((r + (n / 2)) / n, (g + (n / 2)) / n, (b + (n / 2)) / n);
                luma[(sy * sampleCols) + (mirror ? sampleCols - 1 - sx : sx)] = (int)(((54 * mr) + (183 * mg) + (19 * mb) + 128) >> 8);
            }
        }

        var counted = Enumerable.Range(0, sampleRows).Where(sy => sy % 2 == 0).SelectMany(sy => luma.Skip(sy * sampleCols).Take(sampleCols)).Order().ToArray();
        var clipped = counted.Length * FrameConverter.ClipPercent / 100;
        var (low, high) = (counted[clipped], counted[counted.Length - 1 - clipped]);
        if (high - low < FrameConverter.MinContrastSpan)
        {
            low = Math.Clamp(((low + high) / 2) - (FrameConverter.MinContrastSpan / 2), 0, 255 - FrameConverter.MinContrastSpan);
            high = low + FrameConverter.MinContrastSpan;
        }

        var ceiling = FrameConverter.ToneCeiling;
        var multiplier = ((ceiling << 16) + ((high - low) / 2)) / (high - low);
        var glyphs = new char[cols * rows];
        var tones = new int[16];
        for (var row = 0; row < rows; row++)
        {
            for (var col = 0; col < cols; col++)
            {
                for (var s = 0; s < 16; s++)
                {
                    var y = luma[((4 * row) + (s / 4)) * sampleCols + (4 * col) + (s % 4)];
                    tones[s] = Math.Clamp((((y - low) * multiplier) + (1 << 15)) >> 16, 0, FrameConverter.MaxTone);
                }

                var best = int.MaxValue;
                for (var glyph = 0; glyph < MonoGlyphs.Count; glyph++)
                {
                    var score = MonoGlyphs.Score(tones, glyph);
                    if (score < best)
                    {
                        best = score;
                        glyphs[(row * cols) + col] = FrameConverter.MonoRamp[glyph];
                    }
                }
            }
        }

        return glyphs;
    }
}
