using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Given_an_empty_window_When_any_counter_is_checked_Then_it_is_new()
    {
        var window = new ReplayWindow();

        Assert.Null(window.Highest);
        Assert.Equal(OpenResult.Ok, window.Check(0));
        Assert.Equal(OpenResult.Ok, window.Check(ulong.MaxValue));
    }

    [Fact]
    public void Given_an_accepted_counter_When_checked_again_Then_it_is_a_replay()
    {
        var window = new ReplayWindow();

        window.Accept(7);

        Assert.Equal(OpenResult.Replay, window.Check(7));
        Assert.Equal(OpenResult.Ok, window.Check(6));
        Assert.Equal(OpenResult.Ok, window.Check(8));
        Assert.Equal(7UL, window.Highest);
    }

    [Fact]
    public void Given_a_check_without_accept_When_checked_again_Then_nothing_changed()
    {
        var window = new ReplayWindow();
        window.Accept(10);

        Assert.Equal(OpenResult.Ok, window.Check(5000));
        Assert.Equal(OpenResult.Ok, window.Check(5000));
        Assert.Equal(OpenResult.Ok, window.Check(9));
        Assert.Equal(10UL, window.Highest);
    }

    [Fact]
    public void Given_highest_h_When_counters_at_the_window_edge_are_checked_Then_h_minus_1023_is_in_and_h_minus_1024_is_stale()
    {
        var window = new ReplayWindow();
        window.Accept(5000);

        Assert.Equal(OpenResult.Ok, window.Check(5000 - ReplayWindow.Size + 1));
        Assert.Equal(OpenResult.Stale, window.Check(5000 - ReplayWindow.Size));
        Assert.Equal(OpenResult.Stale, window.Check(0));
    }

    [Fact]
    public void Given_counters_accepted_out_of_order_When_each_is_checked_Then_all_are_replays_and_the_gaps_are_new()
    {
        var window = new ReplayWindow();
        ulong[] accepted = [5, 3, 9, 4, 100, 64, 65, 1023, 1000];

        foreach (var counter in accepted)
        {
            Assert.Equal(OpenResult.Ok, window.Check(counter));
            window.Accept(counter);
        }

        for (var counter = 0UL; counter <= 1023; counter++)
        {
            Assert.Equal(accepted.Contains(counter) ? OpenResult.Replay : OpenResult.Ok, window.Check(counter));
        }
    }

    [Fact]
    public void Given_the_window_slides_by_less_than_its_size_When_old_ring_slots_are_reused_Then_they_read_as_unseen()
    {
        var window = new ReplayWindow();
        for (var counter = 0UL; counter < 1024; counter++)
        {
            window.Accept(counter);
        }

        // 1024..1523 map onto the slots of 0..499, which were all set: sliding must clear them.
        window.Accept(1523);

        for (var counter = 1024UL; counter < 1523; counter++)
        {
            Assert.Equal(OpenResult.Ok, window.Check(counter));
        }

        for (var counter = 500UL; counter < 1024; counter++)
        {
            Assert.Equal(OpenResult.Replay, window.Check(counter));
        }

        Assert.Equal(OpenResult.Stale, window.Check(499));
    }

    [Fact]
    public void Given_a_jump_of_more_than_the_window_When_checked_Then_everything_behind_is_new_or_stale()
    {
        var window = new ReplayWindow();
        for (var counter = 0UL; counter < 2000; counter += 3)
        {
            window.Accept(counter);
        }

        window.Accept(1_000_000);

        Assert.Equal(OpenResult.Replay, window.Check(1_000_000));
        for (var counter = 1_000_000UL - 1023; counter < 1_000_000; counter++)
        {
            Assert.Equal(OpenResult.Ok, window.Check(counter));
        }

        Assert.Equal(OpenResult.Stale, window.Check(1998));
    }

    [Fact]
    public void Given_a_seeded_random_stream_When_compared_with_a_set_model_Then_the_window_agrees_everywhere()
    {
        var window = new ReplayWindow();
        var seen = new HashSet<ulong>();
        var random = new Random(1234);
        ulong highest = 0;
        var any = false;

        for (var i = 0; i < 50_000; i++)
        {
            var counter = any ? (ulong)Math.Max(0, (long)highest + random.Next(-1500, 40)) : (ulong)random.Next(0, 100);
            var expected = !any || counter > highest ? OpenResult.Ok
                : highest - counter >= ReplayWindow.Size ? OpenResult.Stale
                : seen.Contains(counter) ? OpenResult.Replay : OpenResult.Ok;

            Assert.Equal(expected, window.Check(counter));
            if (expected == OpenResult.Ok && random.Next(4) != 0)
            {
                window.Accept(counter);
                seen.Add(counter);
                highest = any ? Math.Max(highest, counter) : counter;
                any = true;
            }
        }
    }
}
