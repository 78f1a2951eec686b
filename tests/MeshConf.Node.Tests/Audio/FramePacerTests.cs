using System.Diagnostics;
using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

public sealed class FramePacerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact(Timeout = 30_000)]
    public async Task Given_a_fake_clock_When_it_moves_Then_one_frame_per_20_ms_and_never_sooner()
    {
        var clock = new FakeClock();
        using var pacer = new FramePacer(clock, AudioFormat.Frame20Ms);
        using var loop = new PacedLoop(pacer.WaitNext);

        await loop.BlockedAfterAsync(0, 20 * Ms, clock);
        clock.Advance(19 * Ms);
        await loop.BlockedAfterAsync(0, 20 * Ms, clock);
        clock.Advance(1 * Ms);
        await loop.BlockedAfterAsync(1, 40 * Ms, clock);
        clock.Advance(20 * Ms);
        await loop.BlockedAfterAsync(2, 60 * Ms, clock);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_late_wake_up_When_within_the_catch_up_window_Then_the_missed_frames_come_at_once_and_the_grid_holds()
    {
        var clock = new FakeClock();
        using var pacer = new FramePacer(clock, AudioFormat.Frame20Ms);
        using var loop = new PacedLoop(pacer.WaitNext);
        await loop.BlockedAfterAsync(0, 20 * Ms, clock);

        // 75 ms late for the first frame: frames due at 20, 40, 60 and 80 are all out by 95 ms, the next is due at 100.
        clock.Advance(95 * Ms);

        await loop.BlockedAfterAsync(4, 100 * Ms, clock);
        Assert.Equal(0, pacer.Resyncs);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_stall_longer_than_the_catch_up_window_When_it_ends_Then_one_frame_and_a_fresh_start_instead_of_a_burst()
    {
        var clock = new FakeClock();
        using var pacer = new FramePacer(clock, AudioFormat.Frame10Ms);
        using var loop = new PacedLoop(pacer.WaitNext);
        await loop.BlockedAfterAsync(0, 10 * Ms, clock);

        clock.Advance(TimeSpan.FromSeconds(5));

        await loop.BlockedAfterAsync(1, TimeSpan.FromSeconds(5) + (10 * Ms), clock);
        Assert.Equal(1, pacer.Resyncs);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_loop_waiting_on_a_still_clock_When_cancelled_Then_it_returns_false_promptly()
    {
        var clock = new FakeClock();
        var pacer = new FramePacer(clock, AudioFormat.Frame40Ms);
        using var loop = new PacedLoop(pacer.WaitNext);
        await loop.BlockedAfterAsync(0, 40 * Ms, clock);

        pacer.Dispose();

        Assert.True(loop.Join(TimeSpan.FromSeconds(5)), "the waiting loop did not end");
        Assert.Equal(0, loop.Frames);
        Assert.False(pacer.WaitNext());
    }

    [Fact(Timeout = 30_000)]
    public void Given_the_system_clock_When_25_frames_of_20_ms_are_paced_Then_they_take_half_a_second_and_no_less()
    {
        using var pacer = new FramePacer(TimeProvider.System, AudioFormat.Frame20Ms);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 25; i++)
        {
            Assert.True(pacer.WaitNext());
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(499), TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void Given_a_steady_loop_When_paced_Then_nothing_is_allocated()
    {
        var clock = new FakeClock { AutoAdvance = true };
        using var pacer = new FramePacer(clock, AudioFormat.Frame20Ms);
        for (var i = 0; i < 10; i++)
        {
            pacer.WaitNext();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            pacer.WaitNext();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(TimeSpan.FromMilliseconds(20 * 210), clock.Elapsed);
    }

    [Fact]
    public void Given_the_system_clock_When_paced_Then_nothing_is_allocated_either()
    {
        using var pacer = new FramePacer(TimeProvider.System, AudioFormat.Frame10Ms);
        pacer.WaitNext();
        pacer.WaitNext();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            pacer.WaitNext();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
