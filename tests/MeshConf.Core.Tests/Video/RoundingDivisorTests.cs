using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class RoundingDivisorTests
{
    [Fact]
    public void Given_every_count_up_to_128_and_every_sum_Then_round_is_the_rounded_quotient()
    {
        for (var n = 1; n <= 128; n++)
        {
            var divisor = new RoundingDivisor(n);
            for (long sum = 0; sum <= 255L * n; sum++)
            {
                Assert.Equal((int)((sum + (n / 2)) / n), divisor.Round(sum));
            }
        }
    }

    [Theory]
    [InlineData(76_800)]
    [InlineData((1 << 22) - 1)]
    [InlineData(1 << 22)]
    [InlineData(8_294_400)]
    public void Given_a_large_count_Then_sums_near_each_quotient_step_round_exactly(int n)
    {
        var divisor = new RoundingDivisor(n);
        for (long q = 0; q <= 255; q++)
        {
            // The sums where the rounded quotient steps, and the largest allowed sum.
            foreach (var sum in new[] { (q * n) - (n / 2) - 1, (q * n) - (n / 2), (q * n) + ((n - 1) / 2), Math.Min(255L * n, (q * n) + ((n - 1) / 2) + 1) })
            {
                if (sum >= 0 && sum <= 255L * n)
                {
                    Assert.Equal((int)((sum + (n / 2)) / n), divisor.Round(sum));
                }
            }
        }
    }
}
