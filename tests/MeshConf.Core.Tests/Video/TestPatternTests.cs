using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class TestPatternTests
{
    [Fact]
    public void Given_the_same_time_When_rendered_twice_Then_the_frames_are_identical()
    {
        var pattern = new TestPattern("darker", 160, 120);
        var a = new byte[pattern.FrameBytes];
        var b = new byte[pattern.FrameBytes];

        pattern.Render(TimeSpan.FromSeconds(3.3), a);
        pattern.Render(TimeSpan.FromSeconds(3.3), b);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Given_times_out_of_order_When_rendered_by_one_pattern_Then_each_frame_is_what_a_fresh_pattern_draws()
    {
        // The pattern keeps the gradient of the last drift step: going back and forth must not leak it.
        var pattern = new TestPattern("darker", 160, 120);
        var frame = new byte[pattern.FrameBytes];
        var fresh = new byte[pattern.FrameBytes];
        foreach (var seconds in new[] { 3.3, 3.4, 7.0, 3.3, 0.0, 19.99, 20.0, 3.4 })
        {
            pattern.Render(TimeSpan.FromSeconds(seconds), frame);
            new TestPattern("darker", 160, 120).Render(TimeSpan.FromSeconds(seconds), fresh);

            Assert.True(frame.AsSpan().SequenceEqual(fresh), $"frame at {seconds} s differs");
        }
    }

    [Fact]
    public void Given_consecutive_frames_at_15_fps_When_compared_Then_a_few_regions_change_a_lot()
    {
        var (changed, large, pixels) = Compare(TimeSpan.FromSeconds(10.2), TimeSpan.FromSeconds(10.2 + (1 / 15.0)));

        Assert.True(large > 20, $"only {large} pixels changed a lot");
        Assert.True(large < pixels / 4, $"{large} of {pixels} changed a lot: too noisy");
        Assert.True(changed < pixels / 4, $"{changed} of {pixels} changed between drift steps");
    }

    [Fact]
    public void Given_frames_either_side_of_a_drift_step_When_compared_Then_nearly_every_pixel_changes_a_little()
    {
        var step = TestPattern.DriftStep;
        var (changed, large, pixels) = Compare((11 * step) - TimeSpan.FromSeconds(1 / 15.0), 11 * step);

        Assert.True(changed > pixels * 3 / 4, $"only {changed} of {pixels} pixels changed at the drift step");
        Assert.True(large < pixels / 4, $"{large} of {pixels} changed a lot: the step is no small drift");
    }

    [Fact]
    public void Given_ten_seconds_at_15_fps_When_converted_to_80x40_Then_every_frame_differs_from_the_last()
    {
        var pattern = new TestPattern("darker", 320, 240);
        var rgb = new byte[pattern.FrameBytes];
        var previous = new CellGrid(80, 40, CellMode.TrueColor);
        var current = new CellGrid(80, 40, CellMode.TrueColor);
        for (var i = 0; i < 150; i++)
        {
            pattern.Render(TimeSpan.FromSeconds(i / 15.0), rgb);
            FrameConverter.Convert(new RgbFrame(rgb, 320, 240), current, mirror: false);

            Assert.False(i > 0 && current.ContentEquals(previous), $"frame {i} repeats frame {i - 1}");
            (previous, current) = (current, previous);
        }
    }

    // Pixels of a 160 x 120 pattern that differ between two times at all, and by more than 100 (summed over RGB).
    private static (int Changed, int Large, int Pixels) Compare(TimeSpan first, TimeSpan second)
    {
        var pattern = new TestPattern("darker", 160, 120);
        var a = new byte[pattern.FrameBytes];
        var b = new byte[pattern.FrameBytes];
        pattern.Render(first, a);
        pattern.Render(second, b);

        var changed = 0;
        var large = 0;
        for (var i = 0; i < a.Length; i += 3)
        {
            var difference = Math.Abs(a[i] - b[i]) + Math.Abs(a[i + 1] - b[i + 1]) + Math.Abs(a[i + 2] - b[i + 2]);
            changed += difference > 0 ? 1 : 0;
            large += difference > 100 ? 1 : 0;
        }

        return (changed, large, a.Length / 3);
    }

    [Theory]
    [InlineData(0, "00:00.0")]
    [InlineData(9, "00:00.9")]
    [InlineData(605, "01:00.5")]
    [InlineData(35999, "59:59.9")]
    [InlineData(60000, "00:00.0")]
    public void Given_tenths_of_a_second_When_formatted_Then_the_clock_reads_mm_ss_t(long tenths, string expected)
    {
        Span<char> text = stackalloc char[16];
        var length = TestPattern.FormatClock(tenths, text);

        Assert.Equal(expected, text[..length].ToString());
    }

    [Fact]
    public void Given_a_name_When_rendered_Then_its_letters_appear_as_white_pixels_in_the_top_left()
    {
        var pattern = new TestPattern("I", 64, 48);
        var frame = new byte[pattern.FrameBytes];
        pattern.Render(TimeSpan.Zero, frame);

        // 'I' at scale 1 from (2, 2): its top row is pixels 2..4 of row 2 (0x0E = .###.).
        bool White(int x, int y) => frame[((y * 64) + x) * 3] == 255 && frame[(((y * 64) + x) * 3) + 2] == 255;
        Assert.False(White(2, 2));
        Assert.True(White(3, 2));
        Assert.True(White(4, 2));
        Assert.True(White(5, 2));
        Assert.False(White(6, 2));
    }

    [Fact]
    public void Given_a_warm_pattern_When_rendering_Then_nothing_is_allocated()
    {
        var pattern = new TestPattern("alloc", 320, 240);
        var frame = new byte[pattern.FrameBytes];
        // Warm up past tiered compilation's rejit (at 30 calls), whose first calls allocate on this thread.
        for (var i = 0; i < 100; i++)
        {
            pattern.Render(TimeSpan.FromMilliseconds(66 * i), frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            pattern.Render(TimeSpan.FromMilliseconds(66 * i), frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Given_every_printable_ascii_character_When_looked_up_Then_a_glyph_of_seven_rows_comes_back()
    {
        for (var c = ' '; c <= '~'; c++)
        {
            Assert.Equal(PixelFont.Height, PixelFont.Glyph(c).Length);
        }

        Assert.True(PixelFont.Glyph('a').SequenceEqual(PixelFont.Glyph('A')));
        Assert.False(PixelFont.Glyph('!').SequenceEqual(PixelFont.Glyph(' ')));
    }
}
