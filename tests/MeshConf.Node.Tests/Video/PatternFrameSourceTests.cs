using MeshConf.Core.Video;
using MeshConf.Node.Video;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Video;

public sealed class PatternFrameSourceTests
{
    [Fact]
    public void Given_a_pattern_When_captured_Then_live_and_the_test_pattern_at_its_size()
    {
        using var source = new PatternFrameSource("ann", TimeProvider.System, 96, 64);
        var rgb = new byte[96 * 64 * 3];

        Assert.True(source.TryCapture(rgb, out var width, out var height));

        Assert.Equal((96, 64), (width, height));
        Assert.Equal(VideoSourceState.Live, source.State);
        Assert.Null(source.Problem);
    }

    [Fact]
    public void Given_a_new_size_When_captured_Then_the_pattern_is_drawn_at_it_and_a_short_buffer_is_refused()
    {
        using var source = new PatternFrameSource("ann", TimeProvider.System);
        var small = new byte[320 * 240 * 3];

        source.RequestSize(640, 480);

        Assert.Equal((640, 480), (source.Width, source.Height));
        Assert.False(source.TryCapture(small, out var width, out var height));
        Assert.Equal((640, 480), (width, height));
        var big = new byte[640 * 480 * 3];
        Assert.True(source.TryCapture(big, out width, out height));
        Assert.Equal((640, 480), (width, height));

        source.RequestSize(2, 2); // below what the pattern draws
        Assert.Equal((PatternFrameSource.MinSide, PatternFrameSource.MinSide), (source.Width, source.Height));
    }

    [Fact]
    public void Given_a_resize_When_drawn_Then_the_clock_runs_on_from_the_start()
    {
        var time = new ManualTimeProvider();
        using var source = new PatternFrameSource("ann", time, 64, 48);
        time.Advance(TimeSpan.FromSeconds(12.3));
        source.RequestSize(160, 128);
        var rgb = new byte[160 * 128 * 3];

        Assert.True(source.TryCapture(rgb, out _, out _));

        var expected = new byte[rgb.Length];
        new TestPattern("ann", 160, 128).Render(TimeSpan.FromSeconds(12.3), expected);
        Assert.Equal(expected, rgb);
    }

    [Fact]
    public void Given_a_steady_size_When_captured_Then_nothing_is_allocated()
    {
        using var source = new PatternFrameSource("ann", TimeProvider.System, 160, 120);
        var rgb = new byte[160 * 120 * 3];
        source.TryCapture(rgb, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            source.TryCapture(rgb, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
