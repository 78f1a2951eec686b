using System.Text;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Tests.Screen;

public sealed class BlockGlyphsTests
{
    [Theory]
    [InlineData(0, ' ')]
    [InlineData(0b0011, '▀')]
    [InlineData(0b1100, '▄')]
    [InlineData(0b0101, '▌')]
    [InlineData(0b1010, '▐')]
    [InlineData(0b1111, '█')]
    [InlineData(0b0001, '▘')]
    [InlineData(0b0010, '▝')]
    [InlineData(0b0100, '▖')]
    [InlineData(0b1000, '▗')]
    [InlineData(0b1001, '▚')]
    [InlineData(0b0110, '▞')]
    [InlineData(0b0111, '▛')]
    [InlineData(0b1011, '▜')]
    [InlineData(0b1101, '▙')]
    [InlineData(0b1110, '▟')]
    public void Given_a_quadrant_pattern_Then_its_character_fills_exactly_those_quarters(int pattern, char expected) =>
        Assert.Equal(expected, BlockGlyphs.Quadrant(pattern));

    [Fact]
    public void Given_every_sextant_pattern_Then_each_has_its_own_character_and_the_range_is_walked_in_order()
    {
        var scalars = Enumerable.Range(0, 64).Select(p => BlockGlyphs.ToScalar(BlockGlyphs.Sextant(p))).ToArray();

        Assert.Equal(64, scalars.Distinct().Count());
        Assert.Equal(' ', scalars[0]);
        Assert.Equal('▌', scalars[0b010101]);
        Assert.Equal('▐', scalars[0b101010]);
        Assert.Equal('█', scalars[63]);

        // Unicode names them by the sextants they fill (1 top left .. 6 bottom right): U+1FB00 is SEXTANT-1,
        // U+1FB13 SEXTANT-35 comes before the left half is skipped, U+1FB14 is SEXTANT-235, U+1FB3B SEXTANT-23456.
        Assert.Equal(0x1FB00, scalars[0b000001]);
        Assert.Equal(0x1FB13, scalars[0b010100]);
        Assert.Equal(0x1FB14, scalars[0b010110]);
        Assert.Equal(0x1FB3B, scalars[0b111110]);
        var others = scalars.Where((_, p) => p is not (0 or 21 or 42 or 63)).ToArray();
        Assert.Equal(Enumerable.Range(0x1FB00, BlockGlyphs.SextantCount), others);
    }

    [Fact]
    public void Given_a_sextant_cell_When_written_Then_the_terminal_gets_the_four_byte_UTF8_character()
    {
        var screen = new ScreenBuffer(2, 1);
        screen[0, 0] = new ScreenCell(BlockGlyphs.Sextant(0b000001), CellStyle.Plain);

        var bytes = AnsiScreenWriter.RenderToArray(null, screen);

        Assert.Contains("\U0001FB00", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ColorMode.TrueColor, TermColorKind.Rgb)]
    [InlineData(ColorMode.Ansi256, TermColorKind.Ansi256)]
    [InlineData(ColorMode.Ansi16, TermColorKind.Ansi16)]
    public void Given_block_and_glyph_pictures_When_drawn_for_a_terminal_Then_colours_are_quantized_to_what_it_shows(ColorMode colors, TermColorKind kind)
    {
        var quadrant = new CellGrid(1, 1, CellMode.Quadrant);
        quadrant.ForegroundStorage[0] = FrameConverter.PackBlock(0b0110, 0xFF0000);
        quadrant.BackgroundStorage[0] = 0x0000FF;
        var sextant = new CellGrid(1, 1, CellMode.Sextant);
        sextant.ForegroundStorage[0] = FrameConverter.PackBlock(0b000001, 0xFF0000);
        sextant.BackgroundStorage[0] = 0x0000FF;
        var glyph = new CellGrid(1, 1, CellMode.GlyphColor);
        glyph.ForegroundStorage[0] = FrameConverter.PackBlock(FrameConverter.MonoRamp.Length - 1, 0x00FF00);

        var q = CallCompositor.CellOf(quadrant, 0, 0, colors);
        var s = CallCompositor.CellOf(sextant, 0, 0, colors);
        var g = CallCompositor.CellOf(glyph, 0, 0, colors);

        Assert.Equal('▞', q.Glyph);
        Assert.Equal(0x1FB00, BlockGlyphs.ToScalar(s.Glyph));
        Assert.Equal(FrameConverter.MonoRamp[^1], g.Glyph);
        Assert.All(new[] { q.Style.Foreground, q.Style.Background, s.Style.Foreground, g.Style.Foreground }, c => Assert.Equal(kind, c.Kind));
        Assert.Equal(TermColor.Default, g.Style.Background);
        if (colors == ColorMode.TrueColor)
        {
            Assert.Equal(0xFF0000, q.Style.Foreground.Value);
            Assert.Equal(0x0000FF, q.Style.Background.Value);
        }
    }

    [Fact]
    public void Given_a_sextant_tile_on_a_16_colour_terminal_When_composed_Then_every_picture_cell_is_a_block_in_ANSI_colours()
    {
        var picture = new CellGrid(20, 10, CellMode.Sextant);
        var random = new Random(3);
        for (var i = 0; i < picture.Count; i++)
        {
            picture.ForegroundStorage[i] = FrameConverter.PackBlock(random.Next(64), (uint)random.Next(0x1000000));
            picture.BackgroundStorage[i] = (uint)random.Next(0x1000000);
        }

        var screen = new ScreenBuffer(60, 20);
        var view = new CallView([new TileView("s", TileState.Live, picture)], "status") { PictureMode = CellMode.Sextant, TerminalColors = ColorMode.Ansi16 };
        var slot = Assert.Single(CallCompositor.Compose(screen, view));

        var left = slot.PictureLeft + ((slot.PictureCols - 20) / 2);
        var top = slot.PictureTop + ((slot.PictureRows - 10) / 2);
        for (var r = 0; r < 10; r++)
        {
            for (var c = 0; c < 20; c++)
            {
                var cell = screen[left + c, top + r];
                Assert.Equal(BlockGlyphs.Sextant((int)(picture.ForegroundAt(c, r) >> 24)), cell.Glyph);
                Assert.Equal(TermColorKind.Ansi16, cell.Style.Foreground.Kind);
                Assert.Equal(TermColorKind.Ansi16, cell.Style.Background.Kind);
            }
        }
    }
}
