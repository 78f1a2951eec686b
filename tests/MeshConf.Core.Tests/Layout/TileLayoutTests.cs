using MeshConf.Core.Layout;

namespace MeshConf.Core.Tests.Layout;

public sealed class TileLayoutTests
{
    private static readonly double FourThree = TileLayout.CellAspect(4.0 / 3);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(9, 3, 3)]
    [InlineData(16, 4, 4)]
    public void Given_a_square_enough_screen_When_laying_out_Then_the_grid_is_as_expected(int count, int expectedColumns, int expectedRows)
    {
        Assert.True(TileLayout.TryCompute(240, 90, count, FourThree, out var slots));

        Assert.Equal(count, slots.Length);
        Assert.Equal(expectedColumns, slots.Select(s => s.Left).Distinct().Count());
        Assert.Equal(expectedRows, slots.Select(s => s.Top).Distinct().Count());
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    [InlineData(200, 50)]
    [InlineData(300, 30)]
    [InlineData(60, 70)]
    public void Given_any_count_When_laid_out_Then_slots_stay_on_screen_do_not_overlap_and_keep_the_aspect(int cols, int rows)
    {
        for (var count = 1; count <= TileLayout.MaxTiles; count++)
        {
            if (!TileLayout.TryCompute(cols, rows, count, FourThree, out var slots))
            {
                continue;
            }

            foreach (var slot in slots)
            {
                Assert.InRange(slot.Left, 0, cols - slot.Width);
                Assert.InRange(slot.Top, 0, rows - slot.Height);
                Assert.InRange(slot.PictureLeft, slot.Left, slot.Left + slot.Width - slot.PictureCols);
                Assert.InRange(slot.PictureTop, slot.Top + TileLayout.LabelRows, slot.Top + slot.Height - slot.PictureRows);
                var aspect = slot.PictureCols / (double)slot.PictureRows;
                Assert.InRange(aspect, FourThree * (slot.PictureRows - 1) / slot.PictureRows, FourThree * (slot.PictureRows + 1) / slot.PictureRows + (1.0 / slot.PictureRows));
            }

            for (var i = 0; i < slots.Length; i++)
            {
                for (var j = i + 1; j < slots.Length; j++)
                {
                    var a = slots[i];
                    var b = slots[j];
                    var apart = a.Left + a.Width <= b.Left || b.Left + b.Width <= a.Left || a.Top + a.Height <= b.Top || b.Top + b.Height <= a.Top;
                    Assert.True(apart, $"{count} tiles on {cols}x{rows}: {a} overlaps {b}");
                }
            }
        }
    }

    [Fact]
    public void Given_every_arrangement_When_one_is_chosen_Then_no_other_shows_more_picture()
    {
        // Brute force: the chosen layout's total picture area equals the best over all column counts.
        foreach (var (cols, rows) in new[] { (80, 24), (160, 48), (100, 60), (250, 40) })
        {
            for (var count = 1; count <= TileLayout.MaxTiles; count++)
            {
                if (!TileLayout.TryCompute(cols, rows, count, FourThree, out var slots))
                {
                    continue;
                }

                var best = 0;
                for (var columns = 1; columns <= count; columns++)
                {
                    var gridRows = (count + columns - 1) / columns;
                    var width = cols / columns;
                    var height = (rows / gridRows) - TileLayout.LabelRows;
                    var pr = Math.Min(height, (int)Math.Floor(width / FourThree));
                    var pc = Math.Min(width, (int)Math.Floor(pr * FourThree));
                    best = Math.Max(best, Math.Max(0, pc) * Math.Max(0, pr));
                }

                Assert.Equal(best, slots[0].PictureArea);
            }
        }
    }

    [Theory]
    [InlineData(120, 35, 2)]
    [InlineData(80, 23, 1)]
    [InlineData(60, 70, 3)]
    public void Given_spare_height_in_a_box_When_laid_out_Then_the_label_sits_right_above_the_picture_and_the_pair_is_centred(int cols, int rows, int count)
    {
        Assert.True(TileLayout.TryCompute(cols, rows, count, FourThree, out var slots));

        Assert.All(slots, slot =>
        {
            Assert.Equal(slot.Top + TileLayout.LabelRows, slot.PictureTop);
            Assert.Equal(TileLayout.LabelRows + slot.PictureRows, slot.Height);
        });
        var bottom = slots.Max(s => s.Top + s.Height);
        Assert.InRange(slots.Min(s => s.Top) - (rows - bottom), -count, count); // as much room above as below
    }

    [Fact]
    public void Given_an_incomplete_last_row_When_laid_out_Then_it_is_centred()
    {
        Assert.True(TileLayout.TryCompute(240, 90, 3, FourThree, out var slots));
        Assert.Equal(2, slots.Select(s => s.Top).Distinct().Count());
        var lastRow = slots[2];
        var firstRowCentre = (slots[0].Left + slots[1].Left + slots[1].Width) / 2.0;
        Assert.Equal(firstRowCentre, lastRow.Left + (lastRow.Width / 2.0), precision: 0);
    }

    [Theory]
    [InlineData(7, 10, 1)]
    [InlineData(16, 3, 1)]
    [InlineData(40, 12, 16)]
    [InlineData(0, 50, 1)]
    [InlineData(100, 50, 0)]
    [InlineData(100, 50, 17)]
    public void Given_a_tiny_screen_or_a_bad_count_When_laying_out_Then_it_says_no(int cols, int rows, int count)
    {
        Assert.False(TileLayout.TryCompute(cols, rows, count, FourThree, out var slots));
        Assert.Empty(slots);
    }

    [Fact]
    public void Given_a_4_by_3_picture_When_converted_to_cells_Then_it_wants_twice_the_columns()
    {
        Assert.Equal(8.0 / 3, TileLayout.CellAspect(4.0 / 3), precision: 10);
        Assert.False(TileLayout.TryCompute(100, 50, 1, double.NaN, out _));
    }
}
