using MeshConf.Core.Video;
using MeshConf.Core.Video.Quality;

namespace MeshConf.Core.Tests.Video.Quality;

public sealed class CellRasterizerTests
{
    [Fact]
    public void Given_a_mono_grid_Then_each_cell_is_its_glyphs_coverage_in_white_on_black()
    {
        var grid = new CellGrid(3, 2, CellMode.Mono);
        SetMono(grid, "@ .|▀_");

        var rgb = Rasterize(grid, out var width, out var height);

        Assert.Equal((24, 32), (width, height));
        for (var cell = 0; cell < 6; cell++)
        {
            var bitmap = GlyphAtlas.Bitmap("@ .|▀_"[cell]);
            for (var y = 0; y < 16; y++)
            {
                for (var x = 0; x < 8; x++)
                {
                    var at = (((cell / 3 * 16) + y) * width + (cell % 3 * 8) + x) * 3;
                    var v = bitmap[y * 8 + x];
                    Assert.Equal([v, v, v], rgb[at..(at + 3)]);
                }
            }
        }
    }

    [Fact]
    public void Given_a_glyph_colour_grid_Then_each_cell_is_its_glyphs_coverage_in_its_colour_on_black()
    {
        var grid = new CellGrid(3, 1, CellMode.GlyphColor);
        var slash = (uint)FrameConverter.MonoRamp.IndexOf('/', StringComparison.Ordinal);
        var densest = (uint)FrameConverter.MonoRamp.Length - 1;
        grid.ForegroundStorage[0] = (slash << 24) | 0x336699;
        grid.ForegroundStorage[1] = (densest << 24) | 0xFF8000;
        grid.ForegroundStorage[2] = (255u << 24) | 0xFFFFFF;

        var rgb = Rasterize(grid, out var width, out _);

        for (var cell = 0; cell < 3; cell++)
        {
            var (glyph, color) = cell switch
            {
                0 => ('/', 0x336699u),
                1 => (FrameConverter.MonoRamp[^1], 0xFF8000u),
                _ => (' ', 0u),
            };
            var bitmap = GlyphAtlas.Bitmap(glyph);
            for (var y = 0; y < 16; y++)
            {
                for (var x = 0; x < 8; x++)
                {
                    var at = ((y * width) + (cell * 8) + x) * 3;
                    var a = bitmap[(y * 8) + x];
                    byte Ink(int shift) => (byte)(((((int)color >> shift) & 0xFF) * a + 127) / 255);
                    Assert.Equal([Ink(16), Ink(8), Ink(0)], rgb[at..(at + 3)]);
                }
            }
        }

        Assert.Equal('/', CellRasterizer.GlyphColorGlyph(grid.Foreground[0]));
        Assert.Equal(' ', CellRasterizer.GlyphColorGlyph(grid.Foreground[2]));
    }

    [Theory]
    [InlineData(CellMode.Quadrant, 0b1001, new[] { 0, 8, 16 })]
    [InlineData(CellMode.Sextant, 0b100110, new[] { 0, 5, 11, 16 })]
    public void Given_a_block_grid_Then_each_sub_pixel_is_its_exact_block_of_the_cell_in_its_colour(CellMode mode, int pattern, int[] rowEdges)
    {
        // Quadrants: two rows of 8 pixels; sextants: rows of 5, 6 and 5 (edges at round(16k / 3)); columns of 4.
        var grid = new CellGrid(2, 1, mode);
        grid.ForegroundStorage.Fill(FrameConverter.PackBlock(pattern, 0xFF8000));
        grid.BackgroundStorage.Fill(0x0040C0);

        var rgb = Rasterize(grid, out var width, out _);

        for (var y = 0; y < 16; y++)
        {
            var band = Array.FindLastIndex(rowEdges, edge => edge <= y);
            for (var x = 0; x < 16; x++)
            {
                var bit = (2 * band) + (x % 8 / 4);
                var expected = ((pattern >> bit) & 1) != 0 ? new byte[] { 0xFF, 0x80, 0x00 } : new byte[] { 0x00, 0x40, 0xC0 };
                var at = ((y * width) + x) * 3;
                Assert.Equal(expected, rgb[at..(at + 3)]);
            }
        }
    }

    [Theory]
    [InlineData(CellMode.TrueColor, 0x123456u, 0xABCDEFu, 0x123456u, 0xABCDEFu)]
    [InlineData(CellMode.Ansi256, 196u, 244u, 0xFF0000u, 0x808080u)]
    [InlineData(CellMode.Ansi16, 4u, 11u, 0x0000EEu, 0xFFFF00u)]
    public void Given_a_half_block_grid_Then_the_top_half_is_the_top_colour_and_the_bottom_half_the_bottom(CellMode mode, uint top, uint bottom, uint topRgb, uint bottomRgb)
    {
        var grid = new CellGrid(2, 1, mode);
        grid.ForegroundStorage.Fill(top);
        grid.BackgroundStorage.Fill(bottom);

        var rgb = Rasterize(grid, out var width, out _);

        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = (y * width + x) * 3;
                Assert.Equal(y < 8 ? topRgb : bottomRgb, (uint)((rgb[at] << 16) | (rgb[at + 1] << 8) | rgb[at + 2]));
            }
        }
    }

    [Fact]
    public void Given_any_glyph_and_two_colours_Then_partial_coverage_blends_between_them()
    {
        var rgb = new byte[8 * 16 * 3];

        CellRasterizer.DrawCell(rgb, 8, 0, 0, 'o', 0xFF8000, 0x0000FF);

        var bitmap = GlyphAtlas.Bitmap('o');
        for (var i = 0; i < 128; i++)
        {
            var a = bitmap[i];
            Assert.Equal((byte)(((255 * a) + 127) / 255), rgb[3 * i]);
            Assert.Equal((byte)(((128 * a) + 127) / 255), rgb[(3 * i) + 1]);
            Assert.Equal((byte)(((255 * (255 - a)) + 127) / 255), rgb[(3 * i) + 2]);
        }

        Assert.Throws<ArgumentException>(() => CellRasterizer.DrawCell(rgb, 8, 0, 0, 'é', 0, 0));
    }

    [Fact]
    public void Given_rgb_Then_luma_is_the_converters_rec709_weights()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30];
        var luma = new byte[5];

        CellRasterizer.ToLuma(rgb, luma);

        Assert.Equal([54, 182, 19, 255, (54 * 10 + 183 * 20 + 19 * 30 + 128) >> 8], luma);
    }

    private static void SetMono(CellGrid grid, string glyphs)
    {
        for (var i = 0; i < glyphs.Length; i++)
        {
            grid.ForegroundStorage[i] = glyphs[i];
        }
    }

    private static byte[] Rasterize(CellGrid grid, out int width, out int height)
    {
        width = CellRasterizer.WidthOf(grid.Cols);
        height = CellRasterizer.HeightOf(grid.Rows);
        var rgb = new byte[width * height * 3];
        CellRasterizer.Rasterize(grid, rgb);
        return rgb;
    }
}
