using MeshConf.Core.Layout;

namespace MeshConf.Core.Tests.Layout;

public sealed class SpeakerLayoutTests
{
    private static readonly double FourThree = TileLayout.CellAspect(4.0 / 3);

    public static TheoryData<int, int> Screens => new()
    {
        { 80, 23 }, { 80, 18 }, { 120, 40 }, { 200, 49 }, { 300, 30 }, { 60, 70 }, { 40, 14 }, { 160, 61 }, { 24, 9 },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public void Given_any_count_and_featured_tile_When_laid_out_Then_slots_stay_on_screen_do_not_overlap_and_keep_the_aspect(int cols, int rows)
    {
        var laidOut = 0;
        for (var count = 1; count <= TileLayout.MaxTiles; count++)
        {
            for (var featured = 0; featured < count; featured++)
            {
                if (!TileLayout.TryComputeSpeaker(cols, rows, count, featured, FourThree, out var slots))
                {
                    continue;
                }

                laidOut++;
                Assert.Equal(count, slots.Length);
                foreach (var slot in slots)
                {
                    Assert.InRange(slot.Left, 0, cols - slot.Width);
                    Assert.InRange(slot.Top, 0, rows - slot.Height);
                    Assert.InRange(slot.PictureLeft, slot.Left, slot.Left + slot.Width - slot.PictureCols);
                    Assert.InRange(slot.PictureTop, slot.Top + TileLayout.LabelRows, slot.Top + slot.Height - slot.PictureRows);
                    Assert.True(slot.PictureCols >= TileLayout.MinPictureCols && slot.PictureRows >= TileLayout.MinPictureRows, $"{slot} below the minimum");
                    var aspect = slot.PictureCols / (double)slot.PictureRows;
                    Assert.InRange(aspect, FourThree * (slot.PictureRows - 1) / slot.PictureRows, FourThree * (slot.PictureRows + 1) / slot.PictureRows + (1.0 / slot.PictureRows));
                }

                for (var i = 0; i < slots.Length; i++)
                {
                    for (var j = i + 1; j < slots.Length; j++)
                    {
                        var (a, b) = (slots[i], slots[j]);
                        var apart = a.Left + a.Width <= b.Left || b.Left + b.Width <= a.Left || a.Top + a.Height <= b.Top || b.Top + b.Height <= a.Top;
                        Assert.True(apart, $"{count} tiles, featured {featured}, on {cols}x{rows}: {a} overlaps {b}");
                    }

                    if (i != featured)
                    {
                        Assert.True(slots[featured].PictureArea > slots[i].PictureArea, $"{count} tiles on {cols}x{rows}: featured {slots[featured]} not larger than {slots[i]}");
                    }
                }
            }
        }

        Assert.True(laidOut > 0, $"nothing fits {cols}x{rows}");
    }

    [Theory]
    [InlineData(80, 23)]
    [InlineData(120, 40)]
    [InlineData(200, 49)]
    [InlineData(60, 70)]
    public void Given_a_usual_screen_When_laid_out_Then_the_featured_picture_has_at_least_four_times_a_thumbnail(int cols, int rows)
    {
        for (var count = 2; count <= 6; count++)
        {
            Assert.True(TileLayout.TryComputeSpeaker(cols, rows, count, count - 1, FourThree, out var slots), $"{count} tiles on {cols}x{rows}");
            var featured = slots[^1];
            Assert.All(slots[..^1], thumb => Assert.True(featured.PictureArea >= 4 * thumb.PictureArea, $"{featured} vs {thumb}"));
        }
    }

    [Fact]
    public void Given_a_wide_screen_When_laid_out_Then_the_strip_is_beside_the_featured_tile_and_it_loses_nothing()
    {
        Assert.True(TileLayout.TryComputeSpeaker(200, 49, 4, 1, FourThree, out var slots));
        Assert.True(TileLayout.TryCompute(200, 49, 1, FourThree, out var alone));

        var featured = slots[1];
        Assert.Equal(alone[0].PictureArea, featured.PictureArea);
        Assert.All(new[] { slots[0], slots[2], slots[3] }, thumb => Assert.True(thumb.Left >= featured.Left + featured.Width, $"{thumb} not right of {featured}"));
    }

    [Fact]
    public void Given_a_tall_screen_When_laid_out_Then_the_strip_is_below_the_featured_tile_and_it_loses_nothing()
    {
        Assert.True(TileLayout.TryComputeSpeaker(80, 60, 4, 0, FourThree, out var slots));
        Assert.True(TileLayout.TryCompute(80, 60, 1, FourThree, out var alone));

        var featured = slots[0];
        Assert.Equal(alone[0].PictureArea, featured.PictureArea);
        Assert.All(slots[1..], thumb => Assert.True(thumb.Top >= featured.Top + featured.Height, $"{thumb} not below {featured}"));
    }

    [Fact]
    public void Given_thumbnails_When_laid_out_Then_they_keep_the_tiles_order()
    {
        Assert.True(TileLayout.TryComputeSpeaker(60, 70, 5, 2, FourThree, out var slots));

        var thumbs = new[] { slots[0], slots[1], slots[3], slots[4] };
        var reading = thumbs.OrderBy(s => s.Top).ThenBy(s => s.Left).ToArray();
        Assert.Equal(reading, thumbs);
    }

    [Fact]
    public void Given_one_tile_When_laid_out_as_speaker_Then_it_is_the_grid_layout()
    {
        Assert.True(TileLayout.TryComputeSpeaker(120, 40, 1, 0, FourThree, out var speaker));
        Assert.True(TileLayout.TryCompute(120, 40, 1, FourThree, out var grid));
        Assert.Equal(grid, speaker);
    }

    [Fact]
    public void Given_a_span_When_laid_out_into_it_Then_the_slots_equal_the_array_ones_and_nothing_is_allocated()
    {
        Span<TileSlot> slots = stackalloc TileSlot[TileLayout.MaxTiles];
        Assert.True(TileLayout.TryComputeSpeaker(160, 45, 5, 3, FourThree, slots));
        Assert.True(TileLayout.TryComputeSpeaker(160, 45, 5, 3, FourThree, out var array));
        Assert.Equal(array, slots[..5].ToArray());

        // Warm up past tiered compilation's rejit (at 30 calls), whose first calls allocate on this thread.
        for (var i = 0; i < 100; i++)
        {
            TileLayout.TryComputeSpeaker(160, 45, 5, i % 5, FourThree, slots);
            TileLayout.TryCompute(160, 45, 5, FourThree, slots);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            TileLayout.TryComputeSpeaker(160, 45, 5, i % 5, FourThree, slots);
            TileLayout.TryCompute(160, 45, 5, FourThree, slots);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(7, 10, 2, 0)]
    [InlineData(16, 8, 2, 0)]
    [InlineData(30, 9, 16, 0)]
    [InlineData(0, 50, 2, 0)]
    [InlineData(100, 50, 0, 0)]
    [InlineData(100, 50, 17, 0)]
    [InlineData(100, 50, 3, 3)]
    [InlineData(100, 50, 3, -1)]
    public void Given_a_tiny_screen_a_bad_count_or_a_bad_featured_index_When_laying_out_Then_it_says_no(int cols, int rows, int count, int featured)
    {
        Assert.False(TileLayout.TryComputeSpeaker(cols, rows, count, featured, FourThree, out var slots));
        Assert.Empty(slots);
    }

    [Fact]
    public void Given_every_small_size_When_laid_out_Then_it_fails_cleanly_or_stays_on_screen()
    {
        var fitted = 0;
        for (var cols = 1; cols <= 40; cols++)
        {
            for (var rows = 1; rows <= 15; rows++)
            {
                for (var count = 1; count <= TileLayout.MaxTiles; count++)
                {
                    if (TileLayout.TryComputeSpeaker(cols, rows, count, count / 2, FourThree, out var slots))
                    {
                        fitted++;
                        Assert.All(slots, slot => Assert.True(slot.Left >= 0 && slot.Top >= 0 && slot.Left + slot.Width <= cols && slot.Top + slot.Height <= rows, $"{slot} off {cols}x{rows}"));
                    }
                    else
                    {
                        Assert.Empty(slots);
                    }
                }
            }
        }

        Assert.InRange(fitted, 1, (40 * 15 * TileLayout.MaxTiles) - 1);
    }
}
