using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

/// <summary>
/// The coloured-glyph picture: a glyph of the mono set by shape and brightness, in the colour that draws the cell's
/// samples through the glyph with the least error.
/// </summary>
public sealed class GlyphColorConverterTests
{
    [Fact]
    public void Given_black_Then_every_cell_is_the_blank_glyph_in_black()
    {
        var grid = TestFrames.Convert(TestFrames.Solid(320, 240, 0), 320, 240, 80, 30, CellMode.GlyphColor);

        Assert.All(grid.Foreground.ToArray(), fg => Assert.Equal(0u, fg));
        Assert.All(grid.Background.ToArray(), bg => Assert.Equal(0u, bg));
    }

    [Theory]
    [InlineData(0x201008u)]
    [InlineData(0x0A1E14u)]
    [InlineData(0x181818u)]
    [InlineData(0x300000u)]
    public void Given_a_dark_solid_colour_Then_its_colour_is_the_least_squares_fit_through_the_glyph(uint rgb)
    {
        var grid = TestFrames.Convert(TestFrames.Solid(320, 240, rgb), 320, 240, 40, 15, CellMode.GlyphColor);

        Assert.Single(grid.Foreground.ToArray().Distinct());
        Assert.NotEqual(' ', grid.GlyphAt(0, 0));
        var pattern = MonoGlyphs.Pattern((int)(grid.Foreground[0] >> 24)).ToArray();
        for (var shift = 0; shift <= 16; shift += 8)
        {
            // Per channel, the error of drawing the flat sample through the glyph's coverage is least at the colour
            // chosen: one level more or less does no better.
            var sample = (int)((rgb >> shift) & 0xFF);
            var chosen = (int)((grid.Foreground[0] >> shift) & 0xFF);
            double Error(int colour)
            {
                var sum = 0.0;
                foreach (var coverage in pattern)
                {
                    var drawn = coverage * colour / 255.0;
                    sum += (drawn - sample) * (drawn - sample);
                }

                return sum;
            }

            Assert.True(Error(chosen) <= Error(chosen + 1) + 1e-9 && (chosen == 0 || Error(chosen) <= Error(chosen - 1) + 1e-9), $"channel at {shift}: {chosen}");
            Assert.InRange(chosen, sample, 255);
        }
    }

    [Fact]
    public void Given_a_bright_colour_Then_the_glyph_is_dense_and_the_colour_as_bright_as_it_goes_in_its_hue()
    {
        var grid = TestFrames.Convert(TestFrames.Solid(320, 240, 0xFFC080), 320, 240, 40, 15, CellMode.GlyphColor);

        var index = (int)(grid.ForegroundAt(0, 0) >> 24);
        Assert.True(index >= MonoGlyphs.Count * 3 / 4, $"'{grid.GlyphAt(0, 0)}'");
        Assert.Equal(0xFFu, (grid.ForegroundAt(0, 0) >> 16) & 0xFF);
    }

    [Fact]
    public void Given_red_beside_blue_Then_each_side_keeps_its_hue()
    {
        var pixels = TestFrames.Build(320, 240, (x, _) => x < 160 ? 0x600000u : 0x000060u);

        var grid = TestFrames.Convert(pixels, 320, 240, 40, 15, CellMode.GlyphColor);

        var (left, right) = (grid.ForegroundAt(5, 7), grid.ForegroundAt(35, 7));
        Assert.True(((left >> 16) & 0xFF) > 0x80 && (left & 0xFFFF) == 0, $"#{left & 0xFFFFFF:X6}");
        Assert.True((right & 0xFF) > 0x80 && (right & 0xFFFF00) == 0, $"#{right & 0xFFFFFF:X6}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Given_a_thin_diagonal_coloured_line_Then_its_cells_take_the_diagonal_glyph_in_its_colour(bool falling)
    {
        var pixels = TestFrames.Build(320, 240, (x, y) => (falling ? y - (2 * x) + 120 : y + (2 * x) - 438) is 0 or 1 ? 0x40FF40u : 0u);

        var grid = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.GlyphColor);

        var expected = falling ? '\\' : '/';
        var crossed = Enumerable.Range(0, grid.Count).Where(i => grid.Foreground[i] >> 24 != 0).ToArray();
        Assert.True(crossed.Length >= 25);
        Assert.True(crossed.Count(i => grid.GlyphAt(i % 80, i / 80) == expected) >= crossed.Length * 3 / 4);
        Assert.All(crossed, i => Assert.True(((grid.Foreground[i] >> 8) & 0xFF) > ((grid.Foreground[i] >> 16) & 0xFF), "green leads"));
    }

    [Fact]
    public void Given_any_frame_Then_every_cell_is_a_glyph_of_the_set_and_the_same_frame_gives_the_same_cells()
    {
        var pixels = TestFrames.Random(333, 211, seed: 9);

        var grid = TestFrames.Convert(pixels, 333, 211, 47, 14, CellMode.GlyphColor);
        var again = TestFrames.Convert(pixels, 333, 211, 47, 14, CellMode.GlyphColor);

        Assert.Equal(grid.ContentHash(), again.ContentHash());
        Assert.All(grid.Foreground.ToArray(), fg => Assert.InRange((int)(fg >> 24), 0, MonoGlyphs.Count - 1));
        Assert.All(grid.Background.ToArray(), bg => Assert.Equal(0u, bg));
    }

    [Fact]
    public void Given_random_cells_Then_no_other_glyph_draws_the_cells_luma_with_a_clearly_smaller_error()
    {
        // The chosen glyph at its best brightness against every other glyph at its best: the luma error of what is
        // drawn (per sample, glyph coverage x brightness) is within rounding of the least.
        var pixels = TestFrames.Random(80, 60, seed: 21);
        var grid = TestFrames.Convert(pixels, 80, 60, 20, 15, CellMode.GlyphColor);

        for (var cell = 0; cell < grid.Count; cell++)
        {
            var (col, row) = (cell % 20, cell / 20);
            var luma = new double[16];
            double r = 0, g = 0, b = 0;
            for (var s = 0; s < 16; s++)
            {
                var i = ((((4 * row) + (s / 4)) * 80) + (4 * col) + (s % 4)) * 3;
                (r, g, b) = (r + pixels[i], g + pixels[i + 1], b + pixels[i + 2]);
                luma[s] = ((54 * pixels[i]) + (183 * pixels[i + 1]) + (19 * pixels[i + 2]) + 128) >> 8;
            }

            var kMax = Math.Min(1, luma.Sum() / Math.Max(1, Math.Max(r, Math.Max(g, b))));
            double ErrorOf(int glyph)
            {
                var pattern = MonoGlyphs.Pattern(glyph);
                double dot = 0, norm = 0;
                for (var s = 0; s < 16; s++)
                {
                    (dot, norm) = (dot + (luma[s] * pattern[s]), norm + (pattern[s] * pattern[s]));
                }

                var k = norm == 0 ? 0 : Math.Clamp(dot / norm, 0, kMax);
                double error = 0;
                for (var s = 0; s < 16; s++)
                {
                    error += (luma[s] - (k * pattern[s])) * (luma[s] - (k * pattern[s]));
                }

                return error;
            }

            var chosen = ErrorOf((int)(grid.Foreground[cell] >> 24));
            var least = Enumerable.Range(0, MonoGlyphs.Count).Min(ErrorOf);
            Assert.True(chosen <= least * 1.001 + 1, $"cell {cell}: {chosen:F0} against {least:F0}");
        }
    }
}
