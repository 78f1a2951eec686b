using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class TransitJitterTests
{
    private const long Frame = 20_000;

    [Fact]
    public void Given_no_packets_or_no_jitter_Then_the_quantile_is_zero_or_the_first_bin()
    {
        var jitter = new TransitJitter();
        Assert.Equal(0, jitter.Quantile(0.99));
        Assert.False(jitter.HasBaseline);

        for (var n = 0; n < 1000; n++)
        {
            Assert.Equal(0, jitter.Add(15_000, n * Frame));
        }

        Assert.Equal(1000, jitter.Quantile(0.99));
        Assert.Equal(15_000, jitter.MinTransit);
        Assert.Equal(TransitJitter.Window, jitter.Count);
    }

    [Fact]
    public void Given_uniform_jitter_of_30ms_Then_the_quantiles_are_where_the_distribution_puts_them()
    {
        var jitter = new TransitJitter();
        var random = new Random(4);
        for (var n = 0; n < 5000; n++)
        {
            jitter.Add(15_000 + random.Next(30_000), n * Frame);
        }

        Assert.InRange(jitter.Quantile(0.99), 29_000, 31_000);
        Assert.InRange(jitter.Quantile(0.5), 14_000, 17_000);
        Assert.InRange(jitter.Quantile(0.1), 2_000, 5_000);
        Assert.InRange(jitter.MinTransit, 15_000, 15_500);
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(1000)]
    public void Given_a_drifting_sender_clock_Then_the_baseline_follows_and_the_jitter_stays_small(int driftPpm)
    {
        // Transit moves 1 ms per second; over 100 s that is 100 ms, which a fixed minimum would count as jitter.
        var jitter = new TransitJitter();
        var last = 0L;
        for (var n = 0; n < 5000; n++)
        {
            var arrival = n * Frame;
            last = 15_000 + (arrival * driftPpm / 1_000_000);
            jitter.Add(last, arrival);
        }

        // The baseline lags at most its 2.5 s window: 2.5 ms at 0.1 %.
        Assert.InRange(jitter.Quantile(0.99), 1000, 3500);
        Assert.InRange(jitter.MinTransit, last - 2_600, last);
    }

    [Fact]
    public void Given_a_burst_of_jitter_that_ends_Then_the_window_forgets_it()
    {
        var jitter = new TransitJitter();
        var n = 0;
        for (; n < TransitJitter.Window; n++)
        {
            jitter.Add(15_000 + (n % 2 * 100_000), n * Frame);
        }

        Assert.InRange(jitter.Quantile(0.99), 100_000, 101_000);

        for (var end = n + TransitJitter.Window; n < end; n++)
        {
            jitter.Add(15_000, n * Frame);
        }

        Assert.Equal(1000, jitter.Quantile(0.99));
    }

    [Fact]
    public void Given_excess_beyond_the_histogram_Then_it_counts_in_the_last_bin()
    {
        var jitter = new TransitJitter();
        jitter.Add(0, 0);
        for (var n = 1; n < 100; n++)
        {
            jitter.Add(n % 10 == 0 ? 900_000 : 0, n * 1000);
        }

        Assert.Equal(256_000, jitter.Quantile(0.95));
        Assert.Equal(1000, jitter.Quantile(0.85));
    }

    [Fact]
    public void Given_a_transit_that_jumps_by_hours_When_the_sender_restarted_its_clock_Then_a_new_baseline_starts_instead_of_a_huge_jitter()
    {
        var jitter = new TransitJitter();
        for (var n = 0; n < 100; n++)
        {
            jitter.Add(15_000, n * Frame);
        }

        var excess = jitter.Add(3_600_000_000, 100 * Frame);

        Assert.Equal(0, excess);
        Assert.Equal(3_600_000_000, jitter.MinTransit);
        Assert.Equal(1000, jitter.Quantile(0.99));
    }

    [Fact]
    public void Given_a_silence_longer_than_the_baseline_window_Then_the_first_packet_after_it_is_the_new_baseline()
    {
        var jitter = new TransitJitter();
        for (var n = 0; n < 100; n++)
        {
            jitter.Add(15_000, n * Frame);
        }

        // A minute later the sender's clock has drifted by 60 ms: the old minimum must not count.
        jitter.Add(75_000, (100 * Frame) + 60_000_000);

        Assert.Equal(75_000, jitter.MinTransit);
    }

    [Fact]
    public void Given_an_arrival_clock_that_steps_back_Then_the_packet_joins_the_current_block()
    {
        var jitter = new TransitJitter();
        jitter.Add(20_000, 10_000_000);
        jitter.Add(10_000, 1_000);

        Assert.Equal(10_000, jitter.MinTransit);
        Assert.True(jitter.HasBaseline);
    }
}
