using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class GlyphAtlasTests
{
    [Fact]
    public void Given_the_atlas_Then_it_holds_printable_ascii_and_the_block_elements_each_once()
    {
        for (var c = ' '; c <= '~'; c++)
        {
            Assert.True(GlyphAtlas.Contains(c), $"'{c}'");
        }

        foreach (var c in "▀▄█▌▐▖▗▘▝▚▞▙▛▜▟")
        {
            Assert.True(GlyphAtlas.Contains(c), $"U+{(int)c:X4}");
        }

        Assert.Equal(GlyphAtlas.Glyphs.Length, GlyphAtlas.Glyphs.Distinct().Count());
        Assert.Equal(GlyphAtlas.Count, GlyphAtlas.Glyphs.Length);
        for (var i = 0; i < GlyphAtlas.Count; i++)
        {
            Assert.Equal(i, GlyphAtlas.IndexOf(GlyphAtlas.Glyphs[i]));
            Assert.Equal(GlyphAtlas.PixelsPerGlyph, GlyphAtlas.Bitmap(i).Length);
        }
    }

    [Theory]
    [InlineData('\t')]
    [InlineData('\u007F')]
    [InlineData('é')]
    [InlineData('\u257F')]
    [InlineData('\u2581')]
    [InlineData('\u25A0')]
    public void Given_a_char_outside_the_atlas_Then_it_is_not_found(char c)
    {
        Assert.Equal(-1, GlyphAtlas.IndexOf(c));
        Assert.Throws<ArgumentException>(() => GlyphAtlas.MeanCoverage(c));
    }

    [Fact]
    public void Given_the_block_elements_Then_they_are_exact_boxes()
    {
        // Which quarter (upper left, upper right, lower left, lower right) each block element fills.
        var quarters = new Dictionary<char, string>
        {
            [' '] = "0000", ['▀'] = "1100", ['▄'] = "0011", ['█'] = "1111", ['▌'] = "1010", ['▐'] = "0101",
            ['▖'] = "0010", ['▗'] = "0001", ['▘'] = "1000", ['▝'] = "0100", ['▚'] = "1001", ['▞'] = "0110",
            ['▙'] = "1011", ['▛'] = "1110", ['▜'] = "1101", ['▟'] = "0111",
        };

        foreach (var (glyph, filled) in quarters)
        {
            var bitmap = GlyphAtlas.Bitmap(glyph);
            for (var y = 0; y < GlyphAtlas.CellHeight; y++)
            {
                for (var x = 0; x < GlyphAtlas.CellWidth; x++)
                {
                    var quarter = (y < GlyphAtlas.CellHeight / 2 ? 0 : 2) + (x < GlyphAtlas.CellWidth / 2 ? 0 : 1);
                    Assert.Equal(filled[quarter] == '1' ? 255 : 0, bitmap[y * GlyphAtlas.CellWidth + x]);
                }
            }
        }
    }

    [Fact]
    public void Given_font_glyphs_Then_their_ink_is_where_the_letter_is()
    {
        // '_' sits at the bottom, '^' and '\'' at the top, '|' down the middle, '.' is lighter than '@'.
        Assert.True(InkCentre('_').Y > 12);
        Assert.True(InkCentre('^').Y < 6);
        Assert.True(InkCentre('\'').Y < 6);
        Assert.InRange(InkCentre('|').X, 3.0, 4.0);
        Assert.True(GlyphAtlas.MeanCoverage('.') < GlyphAtlas.MeanCoverage(':'));
        Assert.True(GlyphAtlas.MeanCoverage(':') < GlyphAtlas.MeanCoverage('@'));
        Assert.Equal(0, GlyphAtlas.MeanCoverage(' '));
        Assert.Equal(255, GlyphAtlas.MeanCoverage('█'));
        Assert.Equal(127.5, GlyphAtlas.MeanCoverage('▀'));
    }

    private static (double X, double Y) InkCentre(char glyph)
    {
        var bitmap = GlyphAtlas.Bitmap(glyph);
        double sum = 0, x = 0, y = 0;
        for (var i = 0; i < bitmap.Length; i++)
        {
            sum += bitmap[i];
            x += bitmap[i] * ((i % GlyphAtlas.CellWidth) + 0.5);
            y += bitmap[i] * ((i / GlyphAtlas.CellWidth) + 0.5);
        }

        return (x / sum, y / sum);
    }
}
