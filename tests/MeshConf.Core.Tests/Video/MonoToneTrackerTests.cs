using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class MonoToneTrackerTests
{
    [Fact]
    public void Given_a_new_tracker_When_the_first_window_comes_Then_it_is_taken_as_it_is()
    {
        var tracker = new MonoToneTracker();

        Assert.False(tracker.HasWindow);
        Assert.Equal((20, 200), tracker.Update(20, 200));
        Assert.True(tracker.HasWindow);
    }

    [Fact]
    public void Given_a_settled_window_When_the_frames_brighten_a_little_Then_the_window_follows_a_quarter_of_the_way_each_frame()
    {
        var tracker = new MonoToneTracker();
        tracker.Update(20, 160);

        // 40 steps up at both ends: under CutDistance, so smoothed: 10, then 7.5, ... of what is left.
        var first = tracker.Update(60, 200);
        var second = tracker.Update(60, 200);

        Assert.Equal((30, 170), first);
        Assert.Equal((38, 178), second);
        var window = second;
        for (var i = 0; i < 40; i++)
        {
            var next = tracker.Update(60, 200);
            Assert.True(next.Low >= window.Low && next.High >= window.High, "the window never turns back");
            window = next;
        }

        Assert.Equal((60, 200), window);
    }

    [Fact]
    public void Given_a_settled_window_When_the_scene_cuts_to_another_Then_the_new_window_is_taken_at_once()
    {
        var tracker = new MonoToneTracker();
        tracker.Update(10, 120);

        Assert.Equal((100, 250), tracker.Update(100, 250));
    }

    [Fact]
    public void Given_windows_that_jitter_When_tracked_Then_the_window_moves_far_less_than_they_do()
    {
        var tracker = new MonoToneTracker();
        tracker.Update(40, 180);
        int lowest = 255, highest = 0;

        // Noise in the percentiles, ±20 every frame: the tracked window stays within a few steps.
        for (var i = 0; i < 60; i++)
        {
            var (_, high) = tracker.Update(40, i % 2 == 0 ? 200 : 160);
            lowest = Math.Min(lowest, high);
            highest = Math.Max(highest, high);
        }

        Assert.InRange(highest - lowest, 0, 16);
    }

    [Fact]
    public void Given_any_windows_Then_the_tracked_span_is_never_below_the_minimum_and_stays_inside_0_to_255()
    {
        var tracker = new MonoToneTracker();
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var low = random.Next(0, 256 - FrameConverter.MinContrastSpan);
            var high = random.Next(low + FrameConverter.MinContrastSpan, 256);

            var (l, h) = tracker.Update(low, high);

            Assert.InRange(l, 0, 255);
            Assert.InRange(h, 0, 255);
            Assert.True(h - l >= FrameConverter.MinContrastSpan, $"{l}..{h}");
        }
    }

    [Fact]
    public void Given_a_reset_Then_the_next_window_is_taken_as_it_is()
    {
        var tracker = new MonoToneTracker();
        tracker.Update(20, 160);
        tracker.Reset();

        Assert.Equal((60, 200), tracker.Update(60, 200));
    }

    [Fact]
    public void Given_a_window_narrower_than_the_minimum_Then_it_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonoToneTracker().Update(100, 100 + FrameConverter.MinContrastSpan - 1));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Given_flat_samples_Then_the_frames_window_is_the_minimum_span_around_them_inside_0_to_255(int grey)
    {
        var samples = Enumerable.Repeat((uint)grey, 64 * 16).ToArray();

        var (low, high) = FrameConverter.ContrastWindow(samples, 64);

        Assert.Equal(FrameConverter.MinContrastSpan, high - low);
        Assert.InRange(grey, low, high);
        Assert.InRange(low, 0, 255 - FrameConverter.MinContrastSpan);
    }
}
