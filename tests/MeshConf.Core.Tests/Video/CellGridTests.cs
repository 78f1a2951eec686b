using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class CellGridTests
{
    [Fact]
    public void Given_the_same_frame_converted_twice_Then_the_grids_are_equal_and_hash_equal()
    {
        var pixels = TestFrames.Random(320, 240, seed: 9);

        var a = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.TrueColor);
        var b = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.TrueColor);

        Assert.True(a.ContentEquals(b));
        Assert.Equal(a.ContentHash(), b.ContentHash());
    }

    [Fact]
    public void Given_one_changed_pixel_Then_content_and_hash_differ()
    {
        var pixels = TestFrames.Random(320, 240, seed: 9);
        var a = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.TrueColor);
        pixels[(120 * 320 + 160) * 3] ^= 0x80;

        var b = TestFrames.Convert(pixels, 320, 240, 80, 30, CellMode.TrueColor);

        Assert.False(a.ContentEquals(b));
        Assert.NotEqual(a.ContentHash(), b.ContentHash());
    }

    [Fact]
    public void Given_the_same_cells_in_another_size_or_mode_Then_they_are_not_equal()
    {
        var wide = new CellGrid(4, 1, CellMode.TrueColor);
        var tall = new CellGrid(1, 4, CellMode.TrueColor);
        var ansi16 = new CellGrid(4, 1, CellMode.Ansi16);

        Assert.False(wide.ContentEquals(tall));
        Assert.False(wide.ContentEquals(ansi16));
        Assert.False(wide.ContentEquals(null));
        Assert.NotEqual(wide.ContentHash(), tall.ContentHash());
        Assert.NotEqual(wide.ContentHash(), ansi16.ContentHash());
    }

    [Fact]
    public void Given_a_grid_of_six_cells_Then_its_hash_is_the_documented_one()
    {
        // One round of the four lanes and two cells after it. The value is from an independent transcription
        // of CellGrid.ContentHash's remarks in Python; a change here breaks hash comparisons between versions.
        var grid = new CellGrid(3, 2, CellMode.TrueColor);
        for (var i = 0; i < grid.Count; i++)
        {
            grid.ForegroundStorage[i] = (uint)i * 0x010203;
            grid.BackgroundStorage[i] = 0xFF0000u ^ (uint)i;
        }

        Assert.Equal(0xA9BDC68EE8EA9A29UL, grid.ContentHash());
    }

    [Fact]
    public void Given_a_blank_grid_Then_its_hash_is_pinned()
    {
        // 1 x 1, Ansi256, black (16) over black: no full round, one cell after the lanes. Computed in Python.
        Assert.Equal(0xE505F20E6E762A47UL, new CellGrid(1, 1, CellMode.Ansi256).ContentHash());
    }

    [Fact]
    public void Given_grids_that_differ_in_one_cell_size_or_mode_Then_their_hashes_differ()
    {
        var grid = TestFrames.Convert(TestFrames.Random(40, 30, seed: 4), 40, 30, 7, 3, CellMode.Ansi256);
        var hashes = new HashSet<ulong> { grid.ContentHash() };
        for (var i = 0; i < grid.Count; i++)
        {
            var other = new CellGrid(7, 3, CellMode.Ansi256);
            grid.CopyTo(other);
            other.BackgroundStorage[i] ^= 1;
            Assert.True(hashes.Add(other.ContentHash()), $"cell {i}");
        }

        Assert.True(hashes.Add(new CellGrid(3, 7, CellMode.Ansi256).ContentHash()));
        Assert.True(hashes.Add(new CellGrid(7, 3, CellMode.Ansi256).ContentHash()));
        Assert.True(hashes.Add(new CellGrid(7, 3, CellMode.Ansi16).ContentHash()));
    }

    [Theory]
    [InlineData(CellMode.Mono, ' ', 0u, 0u)]
    [InlineData(CellMode.TrueColor, CellGrid.HalfBlock, 0u, 0u)]
    [InlineData(CellMode.Ansi256, CellGrid.HalfBlock, 16u, 16u)]
    [InlineData(CellMode.Ansi16, CellGrid.HalfBlock, 0u, 0u)]
    public void Given_a_new_grid_Then_every_cell_is_blank(CellMode mode, char glyph, uint foreground, uint background)
    {
        var grid = new CellGrid(3, 2, mode);

        Assert.Equal(6, grid.Count);
        Assert.Equal(glyph, grid.GlyphAt(2, 1));
        Assert.All(grid.Background.ToArray(), c => Assert.Equal(background, c));
        if (mode != CellMode.Mono)
        {
            Assert.All(grid.Foreground.ToArray(), c => Assert.Equal(foreground, c));
        }
    }

    [Fact]
    public void Given_bad_sizes_Then_the_grid_and_the_frame_refuse_them()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellGrid(0, 1, CellMode.Mono));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellGrid(1, -1, CellMode.Mono));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellGrid(1 << 13, 1 << 13, CellMode.Mono));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellGrid(1, 1, (CellMode)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellGrid(2, 2, CellMode.Mono).GlyphAt(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbFrame(new byte[11], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbFrame(new byte[12], 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbFrame(new byte[3 * 16385], 16385, 1));
        Assert.Equal(12, new RgbFrame(new byte[20], 2, 2).Pixels.Length);
    }
}
