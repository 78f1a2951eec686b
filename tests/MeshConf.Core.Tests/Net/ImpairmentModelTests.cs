using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Net;

public sealed class ImpairmentModelTests
{
    private const int Many = 100_000;

    // Cross-checked against a separate Python transcription of splitmix64 + xoshiro256**.
    private static readonly long[] PinnedDelayTicks = [364426, 995928, 662441, 930276];

    [Fact]
    public void Given_the_reference_state_Then_xoshiro256starstar_gives_the_published_sequence()
    {
        // Reference outputs of xoshiro256** for the state {1, 2, 3, 4} (as in the rand_xoshiro test vectors).
        var random = new Xoshiro256StarStar(1, 2, 3, 4);
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600];

        foreach (var value in expected)
        {
            Assert.Equal(value, random.NextUInt64());
        }

        // splitmix64 from state 0 (Vigna's splitmix64.c).
        var state = 0UL;
        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256StarStar.SplitMix64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, Xoshiro256StarStar.SplitMix64(ref state));
    }

    [Fact]
    public void Given_a_seed_Then_the_first_decisions_are_pinned_so_a_runtime_change_cannot_alter_them()
    {
        // Recorded once; if this fails, seeded tests elsewhere no longer replay what they used to.
        var model = new ImpairmentModel(new ImpairmentProfile { Jitter = TimeSpan.FromMilliseconds(100), Seed = 7 });

        var delays = Enumerable.Range(0, 4).Select(_ => model.Next().Delay.Ticks).ToArray();

        Assert.Equal(PinnedDelayTicks, delays);
    }

    [Fact]
    public void Given_the_same_seed_and_stream_When_run_twice_Then_every_decision_is_the_same()
    {
        var profile = ImpairmentProfile.Parse("loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7");

        var first = Decide(new ImpairmentModel(profile, stream: 3), 10_000);
        var second = Decide(new ImpairmentModel(profile, stream: 3), 10_000);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Given_another_seed_or_stream_Then_the_decisions_differ()
    {
        var profile = ImpairmentProfile.Parse("loss=10%,jitter=30ms,seed=7");

        var baseline = Decide(new ImpairmentModel(profile), 1000);
        var otherSeed = Decide(new ImpairmentModel(profile with { Seed = 8 }), 1000);
        var otherStream = Decide(new ImpairmentModel(profile, stream: 1), 1000);

        Assert.NotEqual(baseline, otherSeed);
        Assert.NotEqual(baseline, otherStream);
        Assert.NotEqual(otherSeed, otherStream);
    }

    [Fact]
    public void Given_no_impairment_Then_every_datagram_goes_once_at_once()
    {
        var model = new ImpairmentModel(ImpairmentProfile.None);

        for (var i = 0; i < 10_000; i++)
        {
            var decision = model.Next();
            Assert.Equal(1, decision.Copies);
            Assert.Equal(TimeSpan.Zero, decision.Delay);
            Assert.False(decision.IsReordered);
        }

        Assert.Equal(10_000, model.Decided);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.10)]
    [InlineData(0.50)]
    [InlineData(0.95)]
    public void Given_a_loss_rate_When_many_datagrams_pass_Then_the_dropped_share_is_within_five_sigma(double rate)
    {
        var model = new ImpairmentModel(new ImpairmentProfile { LossRate = rate, Seed = 11 });

        var dropped = Enumerable.Range(0, Many).Count(_ => model.Next().IsDropped);

        AssertBinomial(rate, dropped, Many);
    }

    [Fact]
    public void Given_loss_1_or_0_Then_all_or_nothing_is_dropped()
    {
        var cut = new ImpairmentModel(new ImpairmentProfile { LossRate = 1, DuplicateRate = 1 });
        var clean = new ImpairmentModel(new ImpairmentProfile { LossRate = 0 });

        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.True(cut.Next().IsDropped));
        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.False(clean.Next().IsDropped));
    }

    [Fact]
    public void Given_a_higher_loss_rate_on_the_same_seed_Then_it_drops_a_superset()
    {
        var low = new ImpairmentModel(new ImpairmentProfile { LossRate = 0.1, Seed = 5 });
        var high = new ImpairmentModel(new ImpairmentProfile { LossRate = 0.2, Seed = 5 });

        for (var i = 0; i < 10_000; i++)
        {
            var lowDropped = low.Next().IsDropped;
            var highDropped = high.Next().IsDropped;
            Assert.True(!lowDropped || highDropped, $"datagram {i} dropped at 10% but not at 20%");
        }
    }

    [Fact]
    public void Given_jitter_Then_delays_are_uniform_over_delay_to_delay_plus_jitter()
    {
        var delay = TimeSpan.FromMilliseconds(20);
        var jitter = TimeSpan.FromMilliseconds(30);
        var model = new ImpairmentModel(new ImpairmentProfile { Delay = delay, Jitter = jitter, Seed = 2 });
        var bins = new int[10];
        var min = TimeSpan.MaxValue;
        var max = TimeSpan.MinValue;

        for (var i = 0; i < Many; i++)
        {
            var d = model.Next().Delay;
            Assert.InRange(d, delay, delay + jitter);
            min = d < min ? d : min;
            max = d > max ? d : max;
            bins[Math.Min(9, (int)((d - delay).Ticks * 10 / jitter.Ticks))]++;
        }

        Assert.InRange(min, delay, delay + TimeSpan.FromMilliseconds(0.01));
        Assert.InRange(max, delay + jitter - TimeSpan.FromMilliseconds(0.01), delay + jitter);
        Assert.All(bins, count => AssertBinomial(0.1, count, Many));
    }

    [Fact]
    public void Given_a_reorder_rate_Then_that_share_is_held_back_by_exactly_the_gap()
    {
        var profile = new ImpairmentProfile { Delay = TimeSpan.FromMilliseconds(5), ReorderRate = 0.05, ReorderGap = TimeSpan.FromMilliseconds(25), Seed = 4 };
        var model = new ImpairmentModel(profile);
        var reordered = 0;

        for (var i = 0; i < Many; i++)
        {
            var decision = model.Next();
            var expected = decision.IsReordered ? TimeSpan.FromMilliseconds(30) : TimeSpan.FromMilliseconds(5);
            Assert.Equal(expected, decision.Delay);
            reordered += decision.IsReordered ? 1 : 0;
        }

        AssertBinomial(0.05, reordered, Many);
    }

    [Fact]
    public void Given_reordering_When_datagrams_arrive_1ms_apart_Then_later_ones_are_due_before_held_back_ones()
    {
        var reordering = new ImpairmentModel(ImpairmentProfile.Parse("delay=10ms,reorder=5%,seed=1"));
        var steady = new ImpairmentModel(ImpairmentProfile.Parse("delay=10ms,seed=1"));

        var (overtaken, overtakers) = CountOvertakes(reordering, 10_000);
        var (steadyOvertaken, _) = CountOvertakes(steady, 10_000);

        // Each held-back datagram (20 ms gap) is overtaken by the ~19 that arrive after it within the gap.
        Assert.InRange(overtaken, 350, 650);
        Assert.InRange(overtakers / (double)overtaken, 17, 20);
        Assert.Equal(0, steadyOvertaken);
    }

    [Fact]
    public void Given_a_duplicate_rate_Then_that_share_of_delivered_datagrams_comes_twice_each_with_its_own_jitter()
    {
        var profile = new ImpairmentProfile { LossRate = 0.2, DuplicateRate = 0.03, Delay = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(10), Seed = 9 };
        var model = new ImpairmentModel(profile);
        int delivered = 0, duplicated = 0, differentDelays = 0;

        for (var i = 0; i < Many; i++)
        {
            var decision = model.Next();
            if (decision.IsDropped)
            {
                Assert.Equal(TimeSpan.Zero, decision.Delay);
                continue;
            }

            delivered++;
            if (decision.IsDuplicated)
            {
                duplicated++;
                Assert.Equal(2, decision.Copies);
                Assert.InRange(decision.DelayOf(1), profile.Delay, profile.Delay + profile.Jitter);
                differentDelays += decision.DelayOf(0) != decision.DelayOf(1) ? 1 : 0;
            }
            else
            {
                Assert.Equal(TimeSpan.Zero, decision.DuplicateDelay);
            }
        }

        AssertBinomial(0.8, delivered, Many);
        AssertBinomial(0.03, duplicated, delivered);
        Assert.True(differentDelays > duplicated * 0.99, $"{differentDelays} of {duplicated} copies had their own delay");
    }

    [Fact]
    public void Given_a_decision_When_asking_for_a_copy_it_does_not_have_Then_ArgumentOutOfRange()
    {
        var single = ImpairmentDecision.Deliver(TimeSpan.FromMilliseconds(3));

        Assert.Equal(TimeSpan.FromMilliseconds(3), single.DelayOf(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => single.DelayOf(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImpairmentDecision.Dropped.DelayOf(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => single.DelayOf(-1));
    }

    [Fact]
    public void Given_a_profile_change_mid_stream_Then_the_random_sequence_carries_on_unchanged()
    {
        var jittery = ImpairmentProfile.Parse("jitter=50ms,seed=3");
        var switched = new ImpairmentModel(jittery with { LossRate = 1 });
        var reference = new ImpairmentModel(jittery);

        for (var i = 0; i < 500; i++)
        {
            Assert.True(switched.Next().IsDropped);
            reference.Next();
        }

        switched.Profile = jittery;
        Assert.Equal(Decide(reference, 500), Decide(switched, 500));
        Assert.Same(jittery, switched.Profile);
        Assert.Throws<ArgumentNullException>(() => switched.Profile = null!);
    }

    [Fact]
    public void Given_a_warm_model_When_deciding_Then_nothing_is_allocated()
    {
        var model = new ImpairmentModel(ImpairmentProfile.Parse("loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7"));
        var sink = 0L;
        for (var i = 0; i < 1000; i++)
        {
            sink += model.Next().Delay.Ticks;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Many; i++)
        {
            sink += model.Next().Delay.Ticks;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    private static List<ImpairmentDecision> Decide(ImpairmentModel model, int count) =>
        Enumerable.Range(0, count).Select(_ => model.Next()).ToList();

    // Datagram i arrives at i ms and is due at i ms + its delay. An "overtaken" datagram is due after one that
    // arrived later; "overtakers" counts the later arrivals that beat it.
    private static (int Overtaken, int Overtakers) CountOvertakes(ImpairmentModel model, int count)
    {
        var due = Enumerable.Range(0, count).Select(i => TimeSpan.FromMilliseconds(i) + model.Next().Delay).ToArray();
        int overtaken = 0, overtakers = 0;
        for (var i = 0; i < count; i++)
        {
            var beaten = 0;
            for (var j = i + 1; j < Math.Min(count, i + 100); j++)
            {
                beaten += due[j] < due[i] ? 1 : 0;
            }

            overtaken += beaten > 0 ? 1 : 0;
            overtakers += beaten;
        }

        return (overtaken, overtakers);
    }

    private static void AssertBinomial(double p, int observed, int trials)
    {
        var sigma = Math.Sqrt(trials * p * (1 - p));
        var expected = trials * p;
        Assert.InRange(observed, expected - (5 * sigma), expected + (5 * sigma));
    }
}
