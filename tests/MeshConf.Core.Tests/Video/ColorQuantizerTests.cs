using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class ColorQuantizerTests
{
    public static TheoryData<int, uint> XtermColors => new()
    {
        { 16, 0x000000 }, { 17, 0x00005F }, { 21, 0x0000FF }, { 46, 0x00FF00 }, { 196, 0xFF0000 },
        { 231, 0xFFFFFF }, { 232, 0x080808 }, { 244, 0x808080 }, { 255, 0xEEEEEE }, { 1, 0xCD0000 },
    };

    [Theory]
    [MemberData(nameof(XtermColors))]
    public void Given_an_xterm_index_Then_its_colour_is_xterms(int index, uint rgb) =>
        Assert.Equal(rgb, ColorQuantizer.Xterm256Rgb(index));

    [Fact]
    public void Given_a_grid_of_rgb_values_When_quantized_to_xterm256_Then_each_is_the_brute_force_nearest()
    {
        // Steps of 5 include the ties half way between cube levels (115, 155, 195, 235).
        var checkedCount = 0;
        foreach (var rgb in SampleGrid(step: 5))
        {
            var best = BruteForceNearest(rgb, 16, 256, ColorQuantizer.Xterm256Rgb);
            var picked = ColorQuantizer.NearestXterm256(rgb);
            Assert.InRange(picked, (byte)16, (byte)255);
            Assert.True(best == picked, $"#{rgb:X6}: picked {picked} at {ColorQuantizer.Distance(rgb, ColorQuantizer.Xterm256Rgb(picked))}, nearest is {best} at {ColorQuantizer.Distance(rgb, ColorQuantizer.Xterm256Rgb(best))}");
            checkedCount++;
        }

        Assert.Equal(52 * 52 * 52, checkedCount);
    }

    [Fact]
    public void Given_every_palette_colour_When_quantized_Then_it_maps_to_itself()
    {
        for (var i = 16; i < 256; i++)
        {
            Assert.Equal(i, ColorQuantizer.NearestXterm256(ColorQuantizer.Xterm256Rgb(i)));
        }

        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(i, ColorQuantizer.NearestAnsi16(ColorQuantizer.Ansi16Rgb(i)));
        }
    }

    [Fact]
    public void Given_a_grid_of_rgb_values_When_quantized_to_ansi16_Then_each_is_the_brute_force_nearest()
    {
        foreach (var rgb in SampleGrid(step: 5))
        {
            Assert.Equal(BruteForceNearest(rgb, 0, 16, ColorQuantizer.Ansi16Rgb), ColorQuantizer.NearestAnsi16(rgb));
        }
    }

    [Fact]
    public void Given_colours_inside_every_block_When_quantized_through_the_block_tables_Then_each_matches_the_full_search()
    {
        // The tables' shortcut rests on each palette colour's region being convex: a block whose corners (channel
        // values 8k and 8k + 7) agree agrees inside. Per channel the block's two ends and a middle value, 96³
        // colours: every corner and points inside (all 2^24 colours pass too, in about ten seconds).
        var xtermWrong = 0;
        var ansiWrong = 0;
        Parallel.For(0, 96, new ParallelOptions { CancellationToken = TestContext.Current.CancellationToken }, i =>
        {
            int xterm = 0, ansi = 0;
            var r = Interior(i);
            for (var j = 0; j < 96; j++)
            {
                for (var k = 0; k < 96; k++)
                {
                    var rgb = (uint)((r << 16) | (Interior(j) << 8) | Interior(k));
                    xterm += ColorQuantizer.NearestXterm256(rgb) == ColorQuantizer.SearchXterm256(rgb) ? 0 : 1;
                    ansi += ColorQuantizer.NearestAnsi16(rgb) == ColorQuantizer.SearchAnsi16(rgb) ? 0 : 1;
                }
            }

            Interlocked.Add(ref xtermWrong, xterm);
            Interlocked.Add(ref ansiWrong, ansi);
        });

        Assert.Equal(0, xtermWrong);
        Assert.Equal(0, ansiWrong);

        static int Interior(int i) => (8 * (i / 3)) + (i % 3 switch { 0 => 0, 1 => 4, _ => 7 });
    }

    [Theory]
    [InlineData(0x000000u, 0)]
    [InlineData(0xFFFFFFu, 15)]
    [InlineData(0xF00000u, 9)]
    [InlineData(0xB00000u, 1)]
    [InlineData(0x0000E0u, 4)]
    [InlineData(0x808080u, 8)]
    [InlineData(0xD0D0D0u, 7)]
    public void Given_a_colour_near_an_ansi_colour_Then_that_index_is_picked(uint rgb, int expected) =>
        Assert.Equal(expected, ColorQuantizer.NearestAnsi16(rgb));

    [Fact]
    public void Given_the_distance_Then_it_weights_green_over_blue_over_red()
    {
        Assert.Equal(2 * 100, ColorQuantizer.Distance(0x0A0000, 0));
        Assert.Equal(4 * 100, ColorQuantizer.Distance(0x000A00, 0));
        Assert.Equal(3 * 100, ColorQuantizer.Distance(0x00000A, 0));
        Assert.Equal(ColorQuantizer.Distance(0x123456, 0x654321), ColorQuantizer.Distance(0x654321, 0x123456));
    }

    private static IEnumerable<uint> SampleGrid(int step)
    {
        for (var r = 0; r < 256; r += step)
        {
            for (var g = 0; g < 256; g += step)
            {
                for (var b = 0; b < 256; b += step)
                {
                    yield return (uint)((r << 16) | (g << 8) | b);
                }
            }
        }
    }

    // The lowest index at the smallest distance, scanning every palette entry.
    private static int BruteForceNearest(uint rgb, int from, int to, Func<int, uint> colorOf)
    {
        var best = from;
        var bestDistance = ColorQuantizer.Distance(rgb, colorOf(from));
        for (var i = from + 1; i < to; i++)
        {
            var d = ColorQuantizer.Distance(rgb, colorOf(i));
            if (d < bestDistance)
            {
                best = i;
                bestDistance = d;
            }
        }

        return best;
    }
}
