using MeshConf.Core.Layout;

namespace MeshConf.Core.Tests.Layout;

public sealed class SelfViewLayoutTests
{
    private static readonly double FourThree = TileLayout.CellAspect(4.0 / 3);

    private static bool Compute(int cols, int rows, int remotes, LayoutMode layout, SelfViewMode mode, out TileSlot[] slots, out TileSlot self, int featured = 0, int labelCols = 20)
    {
        var scratch = new TileSlot[TileLayout.MaxTiles];
        var ok = SelfViewLayout.TryCompute(cols, rows, remotes, layout, featured, mode, labelCols, FourThree, scratch, out self);
        slots = ok ? scratch[..remotes] : [];
        return ok;
    }

    private static bool Apart(int aLeft, int aTop, int aWidth, int aHeight, int bLeft, int bTop, int bWidth, int bHeight) =>
        aWidth <= 0 || aHeight <= 0 || bWidth <= 0 || bHeight <= 0
        || aLeft + aWidth <= bLeft || bLeft + bWidth <= aLeft || aTop + aHeight <= bTop || bTop + bHeight <= aTop;

    /// <summary>The self-view as the call screen laid it out before: one more tile in the grid.</summary>
    private static TileSlot RemoteBefore(int cols, int rows, int remotes, LayoutMode layout)
    {
        TileSlot[] slots = [];
        if (layout != LayoutMode.Speaker || !TileLayout.TryComputeSpeaker(cols, rows, remotes + 1, 0, FourThree, out slots))
        {
            Assert.True(TileLayout.TryCompute(cols, rows, remotes + 1, FourThree, out slots));
        }

        return slots[0];
    }

    [Fact]
    public void Given_one_peer_on_120x36_When_laid_out_Then_the_remote_picture_grows_from_58x22_to_90x34_and_the_inset_is_a_fifth_of_the_width()
    {
        // 36 rows less the status line.
        var before = RemoteBefore(120, 35, 1, LayoutMode.Grid);
        Assert.True(Compute(120, 35, 1, LayoutMode.Grid, SelfViewMode.Inset, out var slots, out var self));

        Assert.Equal((58, 22), (before.PictureCols, before.PictureRows));
        Assert.Equal((90, 34), (slots[0].PictureCols, slots[0].PictureRows));
        Assert.Equal((24, 9), (self.PictureCols, self.PictureRows));
        Assert.Equal((96, 25, 24, 10), (self.Left, self.Top, self.Width, self.Height));
    }

    public static TheoryData<int, int> Screens => new()
    {
        { 120, 35 }, { 80, 23 }, { 200, 49 }, { 60, 70 }, { 300, 30 }, { 40, 14 }, { 24, 9 }, { 160, 61 },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public void Given_one_to_eight_peers_When_the_self_view_is_an_inset_Then_every_remote_picture_is_at_least_as_big_as_with_a_self_tile(int cols, int rows)
    {
        var output = TestContext.Current.TestOutputHelper;
        foreach (var layout in new[] { LayoutMode.Grid, LayoutMode.Speaker })
        {
            for (var remotes = 1; remotes <= 8; remotes++)
            {
                if (!TileLayout.TryCompute(cols, rows, remotes + 1, FourThree, out _))
                {
                    continue;
                }

                var before = RemoteBefore(cols, rows, remotes, layout);
                Assert.True(Compute(cols, rows, remotes, layout, SelfViewMode.Inset, out var slots, out var self), $"{remotes} on {cols}x{rows}");
                var after = slots[0];
                output?.WriteLine($"{cols}x{rows + 1} {layout} {remotes} peers: {before.PictureCols}x{before.PictureRows} -> {after.PictureCols}x{after.PictureRows}, self {self.PictureCols}x{self.PictureRows}");
                Assert.True(after.PictureArea >= before.PictureArea, $"{layout}, {remotes} on {cols}x{rows}: {before} then {after}");
            }
        }
    }

    [Fact]
    public void Given_every_size_up_to_130x45_and_up_to_sixteen_peers_When_laid_out_Then_it_never_throws_stays_on_screen_and_covers_no_label()
    {
        var laidOut = 0;
        var insets = 0;
        var labels = 0;
        for (var cols = 1; cols <= 130; cols += cols < 40 ? 1 : 7)
        {
            for (var rows = 1; rows <= 45; rows += rows < 20 ? 1 : 4)
            {
                for (var remotes = 0; remotes <= TileLayout.MaxTiles; remotes += remotes < 6 ? 1 : 5)
                {
                    foreach (var layout in new[] { LayoutMode.Grid, LayoutMode.Speaker })
                    {
                        foreach (var mode in new[] { SelfViewMode.Inset, SelfViewMode.Label, SelfViewMode.Hidden })
                        {
                            var ok = Compute(cols, rows, remotes, layout, mode, out var slots, out var self, featured: remotes - 1, labelCols: 17);
                            var fits = remotes == 0 ? TileLayout.TryCompute(cols, rows, 1, FourThree, out _) : TileLayout.TryCompute(cols, rows, remotes, FourThree, out _);
                            Assert.Equal(fits, ok);
                            if (!ok)
                            {
                                continue;
                            }

                            laidOut++;
                            var where = $"{layout} {mode}, {remotes} peers on {cols}x{rows}: self {self}";
                            if (remotes == 0)
                            {
                                Assert.True(TileLayout.TryCompute(cols, rows, 1, FourThree, out var alone));
                                Assert.Equal(alone[0], self);
                                continue;
                            }

                            if (layout == LayoutMode.Grid)
                            {
                                Assert.True(TileLayout.TryCompute(cols, rows, remotes, FourThree, out var grid));
                                Assert.Equal(grid, slots);
                            }

                            if (mode == SelfViewMode.Hidden || self.Width == 0)
                            {
                                Assert.True(mode == SelfViewMode.Hidden || rows < 2 || cols < 17 || remotes > 1, where); // room for a label: it is there
                                Assert.Equal(default, self);
                                continue;
                            }

                            Assert.InRange(self.Left, 0, cols - self.Width);
                            Assert.InRange(self.Top, 0, rows - self.Height);
                            if (self.PictureRows == 0)
                            {
                                labels++;
                                Assert.Equal(1, self.Height);
                                Assert.Equal(Math.Min(17, cols), self.Width);
                            }
                            else
                            {
                                insets++;
                                Assert.Equal(SelfViewMode.Inset, mode);
                                Assert.Equal(rows, self.Top + self.Height); // at the bottom
                                Assert.True(self.Left == 0 || self.Left + self.Width == cols, where); // in a corner
                                Assert.Equal((self.Left, self.Top + TileLayout.LabelRows, self.Width), (self.PictureLeft, self.PictureTop, self.PictureCols));
                                Assert.True(self.PictureCols >= TileLayout.MinPictureCols && self.PictureRows >= TileLayout.MinPictureRows, where);
                                Assert.True(self.PictureCols <= Math.Max(SelfViewLayout.MinInsetCols, cols / SelfViewLayout.InsetWidthDivisor), where);
                                Assert.True(self.Height <= rows / SelfViewLayout.InsetHeightDivisor, where);
                                Assert.InRange(self.PictureCols, (int)Math.Floor((self.PictureRows - 1) * FourThree), (int)Math.Floor((self.PictureRows + 1) * FourThree));
                            }

                            foreach (var remote in slots)
                            {
                                Assert.True(Apart(self.Left, self.Top, self.Width, self.Height, remote.Left, remote.Top, remote.Width, TileLayout.LabelRows), $"{where} covers the label of {remote}");
                                var hidden = 0;
                                for (var r = remote.PictureTop; r < remote.PictureTop + remote.PictureRows; r++)
                                {
                                    for (var c = remote.PictureLeft; c < remote.PictureLeft + remote.PictureCols; c++)
                                    {
                                        hidden += c >= self.Left && c < self.Left + self.Width && r >= self.Top && r < self.Top + self.Height ? 1 : 0;
                                    }
                                }

                                Assert.True(hidden * 3 <= remote.PictureArea, $"{where} hides {hidden} cells of {remote}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(laidOut > 1000 && insets > 100 && labels > 100, $"{laidOut} laid out, {insets} insets, {labels} labels");
    }

    [Theory]
    [InlineData(7, 10, 1)]
    [InlineData(16, 3, 1)]
    [InlineData(40, 12, 16)]
    [InlineData(0, 50, 1)]
    [InlineData(100, 0, 1)]
    [InlineData(100, 50, 17)]
    [InlineData(100, 50, -1)]
    [InlineData(1, 1, 0)]
    public void Given_a_tiny_screen_or_a_bad_count_When_laying_out_Then_it_says_no(int cols, int rows, int remotes)
    {
        Assert.False(Compute(cols, rows, remotes, LayoutMode.Grid, SelfViewMode.Inset, out _, out var self));
        Assert.False(Compute(cols, rows, remotes, LayoutMode.Speaker, SelfViewMode.Label, out _, out _));
        Assert.Equal(default, self);
    }

    [Fact]
    public void Given_no_video_When_laid_out_Then_the_self_view_is_one_line_in_the_bottom_right_corner()
    {
        Assert.True(Compute(120, 35, 2, LayoutMode.Grid, SelfViewMode.Label, out var slots, out var self, labelCols: 25));

        Assert.Equal(new TileSlot(95, 34, 25, 1, 95, 35, 0, 0), self);
        Assert.True(TileLayout.TryCompute(120, 35, 2, FourThree, out var grid));
        Assert.Equal(grid, slots);
    }

    [Fact]
    public void Given_a_label_under_one_corner_When_placed_Then_the_inset_takes_the_other()
    {
        // A tile whose label row runs along the bottom right: the left corner is free.
        TileSlot[] remotes = [new(60, 30, 60, 5, 60, 31, 8, 3)];

        var self = SelfViewLayout.Place(120, 35, remotes, SelfViewMode.Inset, 20, FourThree);

        Assert.Equal(0, self.Left);
        Assert.Equal(35, self.Top + self.Height);
        Assert.True(self.PictureRows > 0);
    }

    [Fact]
    public void Given_a_label_across_the_bottom_When_placed_Then_the_inset_shrinks_below_it_or_becomes_its_label()
    {
        // Labels on row 29 across the whole width: an inset of 5 rows (4 of picture) fits under it, no taller.
        TileSlot[] remotes = [new(0, 0, 120, 29, 0, 1, 90, 28), new(0, 29, 120, 6, 0, 30, 13, 5)];
        var self = SelfViewLayout.Place(120, 35, remotes, SelfViewMode.Inset, 20, FourThree);
        Assert.Equal((30, 5, 4), (self.Top, self.Height, self.PictureRows));

        // On row 32: no inset fits under it; the label goes on the bottom row.
        TileSlot[] lower = [new(0, 0, 120, 32, 0, 1, 90, 31), new(0, 32, 120, 3, 0, 33, 8, 2)];
        var label = SelfViewLayout.Place(120, 35, lower, SelfViewMode.Inset, 20, FourThree);
        Assert.Equal(new TileSlot(100, 34, 20, 1, 100, 35, 0, 0), label);
    }

    [Fact]
    public void Given_a_margin_on_one_side_When_placed_Then_the_inset_takes_the_corner_that_hides_less_picture()
    {
        // The picture is pushed to the right: the left corner hides none of it.
        TileSlot[] remotes = [new(0, 0, 120, 35, 30, 1, 90, 34)];

        var self = SelfViewLayout.Place(120, 35, remotes, SelfViewMode.Inset, 20, FourThree);

        Assert.Equal(0, self.Left);
    }

    [Fact]
    public void Given_the_speaker_layout_When_laid_out_Then_the_featured_remote_is_the_large_one()
    {
        Assert.True(Compute(120, 35, 3, LayoutMode.Speaker, SelfViewMode.Inset, out var slots, out _, featured: 2));
        Assert.True(TileLayout.TryComputeSpeaker(120, 35, 3, 2, FourThree, out var speaker));

        Assert.Equal(speaker, slots);
        Assert.True(slots[2].PictureArea > slots[0].PictureArea);
    }

    [Fact]
    public void Given_a_span_When_laid_out_Then_nothing_is_allocated()
    {
        Span<TileSlot> slots = stackalloc TileSlot[TileLayout.MaxTiles];
        SelfViewLayout.TryCompute(120, 35, 5, LayoutMode.Speaker, 1, SelfViewMode.Inset, 20, FourThree, slots, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            SelfViewLayout.TryCompute(120, 35, 5, LayoutMode.Speaker, 1, SelfViewMode.Inset, 20, FourThree, slots, out _);
            SelfViewLayout.TryCompute(80, 23, 3, LayoutMode.Grid, 0, SelfViewMode.Label, 20, FourThree, slots, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
